// SPDX-License-Identifier: ISC
#include <stddef.h>

#include "hypercall.h"

static const struct hypercall *const hc_table[HVT_HYPERCALL_MAX] = {
	[HVT_HYPERCALL_WALLTIME] = &hc_walltime,
	[HVT_HYPERCALL_PUTS] = &hc_puts,
	[HVT_HYPERCALL_POLL] = &hc_poll,
	[HVT_HYPERCALL_BLOCK_WRITE] = &hc_block_write,
	[HVT_HYPERCALL_BLOCK_READ] = &hc_block_read,
	[HVT_HYPERCALL_NET_WRITE] = &hc_net_write,
	[HVT_HYPERCALL_NET_READ] = &hc_net_read,
	[HVT_HYPERCALL_HALT] = &hc_halt,
};

const struct hypercall *hc_lookup(uint16_t port)
{
	unsigned nr;

	if (port < HVT_HYPERCALL_PIO_BASE)
		return NULL;
	nr = port - HVT_HYPERCALL_PIO_BASE;
	if (nr >= HVT_HYPERCALL_MAX)
		return NULL;
	return hc_table[nr];
}

enum hc_action hc_call(const struct hypercall *h, struct hc_ctx *c,
		       uint64_t gpa)
{
	enum hc_action a;

	c->out_refused = false;
	a = h->fn(c, gpa);
	/* An output the host could not write (hc_arg_out) is a fault. */
	return c->out_refused ? HC_FAULT : a;
}
