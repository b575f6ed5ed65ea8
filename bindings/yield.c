// SPDX-License-Identifier: ISC
#include "hvt.h"

void solo5_yield(solo5_time_t deadline, solo5_handle_set_t *ready_set)
{
	solo5_time_t now = solo5_clock_monotonic();
	volatile struct hvt_hc_poll a = {
		.timeout_nsecs = deadline > now ? deadline - now : 0,
	};

	hvt_hypercall(HVT_HYPERCALL_POLL, &a);
	if (ready_set)
		*ready_set = a.ready_set;
}
