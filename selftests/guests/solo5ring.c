// SPDX-License-Identifier: ISC
/*
 * A guest of Solo5's ring protocol (solo5ring.h): it prints what it was
 * offered and which path it took, then serves net.c's responder (ARP,
 * ICMP echo, UDP echo) over that path, on one interface or, as
 * solo5ring2.hvt, on two (net.c reads its manifest):
 *     solo5ring.hvt 10.0.0.2
 *     solo5ring2.hvt 10.0.0.2 10.0.1.2
 */
#include "solo5ring.h"

/* net.c's responder, over the I/O functions above. */
#define solo5_app_main	net_app_main
#define solo5_net_read	s5_net_read
#define solo5_net_write	s5_net_write
#define solo5_yield	s5_yield
#include "net.c"
#undef solo5_app_main

int solo5_app_main(const struct solo5_start_info *si)
{
	choose_path();
	return net_app_main(si);
}
