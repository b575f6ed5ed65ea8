// SPDX-License-Identifier: ISC
/*
 * bench.c over Solo5's ring protocol, as a Solo5 0.11+ image moves its
 * frames: the I/O functions of selftests/guests/solo5ring.h (written from
 * the ABI facts) in place of the bindings' own, linked with bindings that
 * decline petrel's rings. It prints which path it took
 * ("solo5ring: ... net on the ring"), then runs bench.c.
 */
#include "solo5ring.h"

#define solo5_app_main	bench_app_main
#define solo5_net_read	s5_net_read
#define solo5_net_write	s5_net_write
#define solo5_yield	s5_yield
/* util.h (through solo5ring.h) has its own of these two. */
#define puts_		bench_puts
#define put_u64		bench_put_u64
#include "bench.c"
#undef solo5_app_main

int solo5_app_main(const struct solo5_start_info *si)
{
	choose_path();
	return bench_app_main(si);
}
