// SPDX-License-Identifier: ISC
/* PUTS: guest console output, written as is to our stdout. */
#include <errno.h>
#include <unistd.h>

#include "counters.h"
#include "hypercall.h"

static enum hc_action puts_(struct hc_ctx *c, uint64_t gpa)
{
	struct hvt_hc_puts a;
	const uint8_t *p;

	if (hc_arg_in(c, gpa, &a, sizeof(a)))
		return HC_FAULT;
	p = gmem_ptr(&c->mem, a.data, a.len);
	if (!p) {
		c->fault = "PUTS: buffer outside guest memory";
		return HC_FAULT;
	}
	/* What the guest asked to print, whether stdout took it or not. */
	ctr_add(PETREL_TENDER_A_CONSOLE_WRITES, 1);
	ctr_add(PETREL_TENDER_A_CONSOLE_BYTES, a.len);
	while (a.len) {
		ssize_t n = write(STDOUT_FILENO, p, a.len);

		if (n < 0 && errno == EINTR)
			continue;
		/* A closed or broken stdout loses output, not the guest. */
		if (n <= 0)
			break;
		p += n;
		a.len -= (uint64_t)n;
	}
	return HC_CONTINUE;
}

const struct hypercall hc_puts = { HVT_HYPERCALL_PUTS, "PUTS", puts_ };
