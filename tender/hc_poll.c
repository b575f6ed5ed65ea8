// SPDX-License-Identifier: ISC
/*
 * POLL: sleep until a net device has input or the timeout passes. One ppoll
 * serves both (with no taps it is a plain sleep), so the seccomp policy
 * needs a single syscall for it.
 */
#include <errno.h>
#include <poll.h>
#include <time.h>

#include "counters.h"
#include "hypercall.h"

static enum hc_action poll_(struct hc_ctx *c, uint64_t gpa)
{
	struct hvt_hc_poll a;
	struct devices *d = c->devs;
	struct timespec ts, t0, t1;
	uint64_t ready = 0;
	int n;

	if (hc_arg_in(c, gpa, &a, sizeof(a)))
		return HC_FAULT;
	ts.tv_sec = (time_t)(a.timeout_nsecs / 1000000000ULL);
	ts.tv_nsec = (long)(a.timeout_nsecs % 1000000000ULL);
	/* About to sleep anyway: a good time to copy KVM's statistics. */
	counters_refresh_kvm();
	clock_gettime(CLOCK_REALTIME, &t0);
	n = ppoll(d->pollfd, d->npoll, &ts, NULL);
	clock_gettime(CLOCK_REALTIME, &t1);
	ctr_add(PETREL_TENDER_A_POLL_SLEEPS, 1);
	/* The wall clock may step back: such a sleep counts as none. */
	if (t1.tv_sec > t0.tv_sec ||
	    (t1.tv_sec == t0.tv_sec && t1.tv_nsec > t0.tv_nsec))
		ctr_add(PETREL_TENDER_A_POLL_SLEEP_NS,
			(uint64_t)(t1.tv_sec - t0.tv_sec) * 1000000000ULL +
			(uint64_t)t1.tv_nsec - (uint64_t)t0.tv_nsec);
	/* EINTR: report nothing ready; the guest polls again. */
	for (unsigned i = 0; n > 0 && i < d->npoll; i++)
		if (d->pollfd[i].revents & POLLIN)
			ready |= 1ULL << d->poll_handle[i];
	HC_OUT(c, gpa, struct hvt_hc_poll, ready_set, ready);
	HC_OUT(c, gpa, struct hvt_hc_poll, ret, HVT_RESULT_OK);
	return HC_CONTINUE;
}

const struct hypercall hc_poll = { HVT_HYPERCALL_POLL, "POLL", poll_ };
