// SPDX-License-Identifier: ISC
/*
 * HALT: the guest is done. Its status becomes ours, truncated to 8 bits
 * exactly as exit(2) does for solo5-hvt. The cookie (crash state for a core
 * dump) is not used: petrel writes no core files.
 */
#include "hypercall.h"

static enum hc_action halt(struct hc_ctx *c, uint64_t gpa)
{
	struct hvt_hc_halt a;

	if (hc_arg_in(c, gpa, &a, sizeof(a)))
		return HC_FAULT;
	c->exit_status = (int)((uint32_t)a.exit_status & 0xff);
	return HC_EXIT;
}

const struct hypercall hc_halt = { HVT_HYPERCALL_HALT, "HALT", halt };
