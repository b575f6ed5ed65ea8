// SPDX-License-Identifier: ISC
#include "hvt.h"

void solo5_yield(solo5_time_t deadline, solo5_handle_set_t *ready_set)
{
	solo5_time_t now = solo5_clock_monotonic();
	uint64_t timeout = deadline > now ? deadline - now : 0;
	volatile struct hvt_hc_poll a = { .timeout_nsecs = timeout };

	/* The tender offers rings for all net devices or for none. */
	if (net_ring_all()) {
		uint64_t ready = net_ring_yield(timeout);

		if (ready_set)
			*ready_set = ready;
		return;
	}
	hvt_hypercall(HVT_HYPERCALL_POLL, &a);
	if (ready_set)
		*ready_set = a.ready_set;
}
