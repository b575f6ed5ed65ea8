// SPDX-License-Identifier: ISC
#include "hvt.h"

void hvt_halt(int status, const void *cookie)
{
	volatile struct hvt_hc_halt a = {
		.cookie = (uint64_t)(uintptr_t)cookie,
		.exit_status = status,
	};

	hvt_hypercall(HVT_HYPERCALL_HALT, &a);
	/* The tender never resumes a halted guest; make sure of it. */
	for (;;)
		__asm__ __volatile__("cli; hlt");
}

void solo5_exit(int status)
{
	/* Frames the application wrote were sent, as with the hypercalls. */
	net_ring_flush();
	hvt_halt(status, NULL);
}

void solo5_abort(void)
{
	hvt_halt(SOLO5_EXIT_ABORT, NULL);
}
