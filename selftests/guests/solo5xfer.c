// SPDX-License-Identifier: ISC
/*
 * xfer.c's bulk transfer over Solo5's ring protocol (solo5ring.h), as a
 * Solo5 0.11+ image would move it:
 *     solo5xfer.hvt N
 */
#include "solo5ring.h"

#define solo5_app_main	xfer_app_main
#define solo5_net_read	s5_net_read
#define solo5_net_write	s5_net_write
#define solo5_yield	s5_yield
#include "xfer.c"
#undef solo5_app_main

int solo5_app_main(const struct solo5_start_info *si)
{
	choose_path();
	return xfer_app_main(si);
}
