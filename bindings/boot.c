// SPDX-License-Identifier: ISC
/*
 * From the tender's hand-off to solo5_app_main. The order matters: BSS
 * holds the page tables and the clock state, so it is cleared first; our
 * own GDT and page tables come before anything that could fault, so that a NULL
 * dereference anywhere later is caught; the exception handlers before the
 * application; the stack guard before any protected function runs.
 */
#include "hvt.h"

/* Stack below the top of RAM kept out of the heap. */
#define STACK_SIZE	(1ULL << 20)

extern char __bss_start[], _end[];

const struct hvt_boot_info *hvt_boot_info;

void hvt_start(const struct hvt_boot_info *bi) __attribute__((noreturn));

void hvt_start(const struct hvt_boot_info *bi)
{
	struct solo5_start_info si;
	uint64_t heap_end;

	memset(__bss_start, 0, (size_t)(_end - __bss_start));
	hvt_boot_info = bi;
	gdt_init();
	pagetables_init(bi->mem_size);
	/* Before the first exit: that is when the tender looks. */
	net_ring_init(bi);
	traps_init();
	ssp_init();
	clock_init(bi);

	heap_end = bi->mem_size > STACK_SIZE ? bi->mem_size - STACK_SIZE : 0;
	si.cmdline = (const char *)(uintptr_t)bi->cmdline;
	si.heap_start = (uintptr_t)bi->kernel_end;
	si.heap_size = heap_end > bi->kernel_end ?
		       (size_t)(heap_end - bi->kernel_end) : 0;
	solo5_exit(solo5_app_main(&si));
}
