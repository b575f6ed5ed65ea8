// SPDX-License-Identifier: ISC
/*
 * Clocks: monotonic time advances and never goes back, a yield with a
 * deadline returns no earlier than it, and the wall clock is plausible. The
 * bounds are loose on purpose (software-emulated CPUs are slow): only
 * "not early" and "not absurdly late" are checked.
 */
#include "util.h"

#define NSEC_PER_SEC 1000000000ULL

int solo5_app_main(const struct solo5_start_info *si)
{
	solo5_time_t t0, t1, prev, wall;
	solo5_handle_set_t ready = ~0ULL;
	int fails = 0, backwards = 0;

	(void)si;
	t0 = solo5_clock_monotonic();
	prev = t0;
	for (int i = 0; i < 100000; i++) {
		solo5_time_t t = solo5_clock_monotonic();

		backwards |= t < prev;
		prev = t;
	}
	fails += check(!backwards, "monotonic clock never goes back");
	fails += check(prev > t0, "monotonic clock advances");

	t0 = solo5_clock_monotonic();
	solo5_yield(t0 + NSEC_PER_SEC / 10, &ready);
	t1 = solo5_clock_monotonic();
	puts_("yield for 100 ms took ");
	put_u64((t1 - t0) / 1000000);
	puts_(" ms\n");
	fails += check(t1 - t0 >= NSEC_PER_SEC / 10, "yield not early");
	fails += check(t1 - t0 < 30 * NSEC_PER_SEC, "yield returns");
	fails += check(ready == 0, "no device ready");

	t0 = solo5_clock_monotonic();
	solo5_yield(t0 - 1, NULL);
	fails += check(solo5_clock_monotonic() - t0 < 30 * NSEC_PER_SEC,
		       "yield with a past deadline returns");

	wall = solo5_clock_wall();
	/* 2020-01-01 .. 2100-01-01 */
	fails += check(wall > 1577836800ULL * NSEC_PER_SEC &&
		       wall < 4102444800ULL * NSEC_PER_SEC,
		       "wall clock plausible");
	puts_(fails ? "time: FAILED\n" : "time: PASSED\n");
	return fails ? 1 : 0;
}
