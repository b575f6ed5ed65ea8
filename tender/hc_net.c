// SPDX-License-Identifier: ISC
/*
 * NET_WRITE / NET_READ: one Ethernet frame per hypercall, through the tap.
 * Bad handles, ranges and sizes are the guest's error (EINVAL), never ours.
 * A tap that fails otherwise than "nothing queued" / "queue full" (EIO when
 * it went down, ...) ends the tender with exit 1, as in solo5-hvt: the
 * guest could not be served any further.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "counters.h"
#include "hypercall.h"
#include "say.h"

/*
 * On either ring the tap is the kernel's: the hypercalls have no device.
 * (Solo5's ring is offered only when no frame is too large for it, so a
 * Solo5 guest never needs NET_WRITE beside it.)
 */
static struct device *net_dev(struct hc_ctx *c, uint64_t handle)
{
	if ((c->ring && (c->ring->active || c->ring->hvt_active)) ||
	    handle >= c->devs->n ||
	    c->devs->d[handle].type != MFT_DEV_NET_BASIC)
		return NULL;
	return &c->devs->d[handle];
}

static enum hc_action net_write(struct hc_ctx *c, uint64_t gpa)
{
	struct hvt_hc_net_write a;
	struct device *d;
	const void *p;
	int32_t ret = HVT_RESULT_EINVAL;
	ssize_t n;

	if (hc_arg_in(c, gpa, &a, sizeof(a)))
		return HC_FAULT;
	d = net_dev(c, a.handle);
	p = gmem_ptr(&c->mem, a.data, a.len);
	/* Shorter than a header: the tap would refuse it (EINVAL). */
	if (!d || !p || a.len < PETREL_ETH_HLEN ||
	    a.len > (uint64_t)d->mtu + PETREL_ETH_HLEN)
		goto out;
	do
		n = write(d->fd, p, a.len);
	while (n < 0 && errno == EINTR);
	if (n == (ssize_t)a.len) {
		ret = HVT_RESULT_OK;
		ctr_add(PETREL_TENDER_A_NET_TX_PACKETS, 1);
		ctr_add(PETREL_TENDER_A_NET_TX_BYTES, a.len);
	} else if (n < 0 && errno == EAGAIN) {
		ret = HVT_RESULT_AGAIN;
	} else if (n < 0) {
		say_fatal("petrel: net device '%s': writing to the tap "
			  "failed: %s", d->name, strerrorname_np(errno));
	} else {
		say_fatal("petrel: net device '%s': the tap took %zd of a "
			  "%llu-byte frame", d->name, n,
			  (unsigned long long)a.len);
	}
out:
	HC_OUT(c, gpa, struct hvt_hc_net_write, ret, ret);
	return HC_CONTINUE;
}

static enum hc_action net_read(struct hc_ctx *c, uint64_t gpa)
{
	struct hvt_hc_net_read a;
	struct device *d;
	uint64_t lim;
	void *p;
	int32_t ret = HVT_RESULT_EINVAL;
	ssize_t n;

	if (hc_arg_in(c, gpa, &a, sizeof(a)))
		return HC_FAULT;
	d = net_dev(c, a.handle);
	/* Into memory the guest may write only (gmem_wptr): else EINVAL. */
	p = gmem_wptr(&c->mem, a.data, a.len);
	if (!d || !p || a.len == 0)
		goto out;
	lim = a.len < (uint64_t)d->mtu + PETREL_ETH_HLEN ?
	      a.len : (uint64_t)d->mtu + PETREL_ETH_HLEN;
	/*
	 * A tap read returns the frame's full length even when it copied
	 * less. A frame longer than the guest's buffer or the MTU is dropped
	 * (the guest never sees a cut frame) and the next one is read; each
	 * round consumes a queued frame, so this ends.
	 */
	do
		n = read(d->fd, p, lim);
	while ((n < 0 && errno == EINTR) || (n > 0 && (uint64_t)n > lim));
	if (n > 0) {
		HC_OUT(c, gpa, struct hvt_hc_net_read, len, (uint64_t)n);
		ret = HVT_RESULT_OK;
		ctr_add(PETREL_TENDER_A_NET_RX_PACKETS, 1);
		ctr_add(PETREL_TENDER_A_NET_RX_BYTES, (uint64_t)n);
	} else if (n == 0 || errno == EAGAIN) {
		ret = HVT_RESULT_AGAIN;
	} else {
		say_fatal("petrel: net device '%s': reading from the tap "
			  "failed: %s", d->name, strerrorname_np(errno));
	}
out:
	HC_OUT(c, gpa, struct hvt_hc_net_read, ret, ret);
	return HC_CONTINUE;
}

const struct hypercall hc_net_write = {
	HVT_HYPERCALL_NET_WRITE, "NET_WRITE", net_write
};
const struct hypercall hc_net_read = {
	HVT_HYPERCALL_NET_READ, "NET_READ", net_read
};
