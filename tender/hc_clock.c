// SPDX-License-Identifier: ISC
/* WALLTIME: the host's CLOCK_REALTIME, the only clock the tender reads. */
#include <time.h>

#include "hypercall.h"

static enum hc_action walltime(struct hc_ctx *c, uint64_t gpa)
{
	struct hvt_hc_walltime a;
	struct timespec ts;

	if (hc_arg_in(c, gpa, &a, sizeof(a)))
		return HC_FAULT;
	clock_gettime(CLOCK_REALTIME, &ts);
	HC_OUT(c, gpa, struct hvt_hc_walltime, nsecs,
	       (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec);
	return HC_CONTINUE;
}

const struct hypercall hc_walltime = {
	HVT_HYPERCALL_WALLTIME, "WALLTIME", walltime
};
