// SPDX-License-Identifier: ISC
/*
 * Time from the TSC, whose frequency the tender measured (boot info): no
 * exit per clock read. The wall clock is the tender's CLOCK_REALTIME read
 * once at start-up plus monotonic time since, as Solo5 does.
 */
#include "hvt.h"

static uint64_t tsc_base, tsc_hz;
static uint64_t wall_offset;

/*
 * ticks * 1e9 / hz without 128-bit division (which would need libgcc):
 * whole seconds, then the remainder, which stays below hz and so cannot
 * overflow when multiplied by 1e9 as long as hz < 18.4 GHz (checked).
 */
solo5_time_t solo5_clock_monotonic(void)
{
	uint64_t ticks = rdtsc() - tsc_base;

	return ticks / tsc_hz * 1000000000ULL +
	       ticks % tsc_hz * 1000000000ULL / tsc_hz;
}

solo5_time_t solo5_clock_wall(void)
{
	return wall_offset + solo5_clock_monotonic();
}

void clock_init(const struct hvt_boot_info *bi)
{
	volatile struct hvt_hc_walltime w = { 0 };

	if (bi->cpu_cycle_freq == 0 ||
	    bi->cpu_cycle_freq > UINT64_MAX / 1000000000ULL) {
		console_puts("petrel bindings: unusable TSC frequency\n");
		hvt_halt(SOLO5_EXIT_ABORT, NULL);
	}
	tsc_hz = bi->cpu_cycle_freq;
	tsc_base = rdtsc();
	hvt_hypercall(HVT_HYPERCALL_WALLTIME, &w);
	wall_offset = w.nsecs - solo5_clock_monotonic();
}
