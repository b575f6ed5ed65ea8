// SPDX-License-Identifier: ISC
/*
 * POLL: sleep until a net device has input or the timeout passes. One ppoll
 * serves both (with no taps it is a plain sleep), so the seccomp policy
 * needs a single syscall for it.
 *
 * On rings the tender sleeps on the devices' wake eventfds instead of the
 * taps. No wakeup is lost, by this argument (abi/petrel.h has both sides):
 *   guest:  G1 gflags = NEED_WAKEUP; G2 full barrier; G3 load consumer;
 *           G4 if it moved, return without POLL, else POLL (exit to us).
 *   kernel: K1 store consumer; K2 full barrier; K3 load gflags;
 *           K4 if NEED_WAKEUP, signal the wake eventfd.
 * G1/G3 and K1/K3 are each a store then a load of the other's location,
 * separated by a full barrier, so they cannot both read the old value: if
 * G3 misses K1, K3 sees G1 and K4 signals. An eventfd signal is a counter
 * that stays readable until read, so a signal sent before our ppoll starts
 * (even before the guest's exit reached us) still makes ppoll return at
 * once. We read (reset) a wake eventfd only after ppoll reported it, and
 * the guest rechecks its rings after every POLL: a signal left over from
 * an earlier round costs at most one spurious return, never a sleep
 * through a frame.
 */
#include <errno.h>
#include <poll.h>
#include <time.h>
#include <unistd.h>

#include "counters.h"
#include "hypercall.h"

static uint64_t poll_rings(struct hc_ctx *c, const struct timespec *ts)
{
	struct net_ring *r = c->ring;
	uint64_t ready = 0, v;
	int n;

	n = ppoll(r->wake, r->n, ts, NULL);
	for (unsigned i = 0; n > 0 && i < r->n; i++) {
		if (!(r->wake[i].revents & POLLIN))
			continue;
		/* A hint only: the guest looks at its rings itself. */
		ready |= 1ULL << r->handle[i];
		if (read(r->wake[i].fd, &v, sizeof(v)) < 0)
			continue;	/* EAGAIN: another read got it */
	}
	return ready;
}

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
	clock_gettime(CLOCK_REALTIME, &t0);
	/* About to sleep anyway: a good time to copy KVM's statistics. */
	counters_refresh_kvm_every(&t0);
	if (c->ring && c->ring->active) {
		ready = poll_rings(c, &ts);
	} else {
		n = ppoll(d->pollfd, d->npoll, &ts, NULL);
		/* EINTR: report nothing ready; the guest polls again. */
		for (unsigned i = 0; n > 0 && i < d->npoll; i++)
			if (d->pollfd[i].revents & POLLIN)
				ready |= 1ULL << d->poll_handle[i];
	}
	clock_gettime(CLOCK_REALTIME, &t1);
	ctr_add(PETREL_TENDER_A_POLL_SLEEPS, 1);
	/* The wall clock may step back: such a sleep counts as none. */
	if (t1.tv_sec > t0.tv_sec ||
	    (t1.tv_sec == t0.tv_sec && t1.tv_nsec > t0.tv_nsec))
		ctr_add(PETREL_TENDER_A_POLL_SLEEP_NS,
			(uint64_t)(t1.tv_sec - t0.tv_sec) * 1000000000ULL +
			(uint64_t)t1.tv_nsec - (uint64_t)t0.tv_nsec);
	HC_OUT(c, gpa, struct hvt_hc_poll, ready_set, ready);
	HC_OUT(c, gpa, struct hvt_hc_poll, ret, HVT_RESULT_OK);
	return HC_CONTINUE;
}

const struct hypercall hc_poll = { HVT_HYPERCALL_POLL, "POLL", poll_ };
