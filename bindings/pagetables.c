// SPDX-License-Identifier: ISC
/*
 * Our own identity map, the same as the tender's (and Solo5's): the first
 * 2 MiB with 4 KiB pages, nothing below 0x10000 present (so a NULL access,
 * or TLS used before its base is set, is a page fault the trap handler
 * reports), 0x10000 to 1 MiB read-only (the tender's input), RAM above
 * with 2 MiB pages. Ours because the net rings live above mem_size, where
 * the tender maps nothing: pagetables_map adds them. Nothing else past
 * mem_size is mapped.
 */
#include "hvt.h"

#define PTE_P		(1ULL << 0)
#define PTE_W		(1ULL << 1)
#define PTE_PS		(1ULL << 7)
#define ENTRIES		512

static uint64_t pml4[ENTRIES] __attribute__((aligned(4096)));
static uint64_t pdpt[ENTRIES] __attribute__((aligned(4096)));
static uint64_t pd[HVT_PDE_PAGES][ENTRIES] __attribute__((aligned(4096)));
static uint64_t pt0[ENTRIES] __attribute__((aligned(4096)));

void pagetables_init(uint64_t mem_size)
{
	uint64_t pages2m = mem_size / HVT_HUGE_PAGE_SIZE;
	uint64_t i;

	/* The ABI bounds RAM at 4 GiB; never index past our tables. */
	if (pages2m > HVT_PDE_PAGES * ENTRIES)
		pages2m = HVT_PDE_PAGES * ENTRIES;

	for (i = HVT_LOW_RO_START / HVT_PAGE_SIZE; i < ENTRIES; i++)
		pt0[i] = i * HVT_PAGE_SIZE | PTE_P |
			 (i * HVT_PAGE_SIZE < HVT_GUEST_MIN_BASE ? 0 : PTE_W);
	for (i = 0; i < pages2m; i++)
		pd[i / ENTRIES][i % ENTRIES] =
			i * HVT_HUGE_PAGE_SIZE | PTE_P | PTE_W | PTE_PS;
	pd[0][0] = (uint64_t)(uintptr_t)pt0 | PTE_P | PTE_W;
	for (i = 0; i < HVT_PDE_PAGES; i++)
		pdpt[i] = (uint64_t)(uintptr_t)pd[i] | PTE_P | PTE_W;
	pml4[0] = (uint64_t)(uintptr_t)pdpt | PTE_P | PTE_W;

	__asm__ __volatile__("mov %0, %%cr3" : : "r"((uint64_t)(uintptr_t)pml4)
			     : "memory");
}

void pagetables_map(uint64_t start, uint64_t end)
{
	uint64_t i = start / HVT_HUGE_PAGE_SIZE;
	uint64_t last = (end + HVT_HUGE_PAGE_SIZE - 1) / HVT_HUGE_PAGE_SIZE;

	if (last > HVT_PDE_PAGES * ENTRIES)
		last = HVT_PDE_PAGES * ENTRIES;
	for (; i < last; i++)
		pd[i / ENTRIES][i % ENTRIES] =
			i * HVT_HUGE_PAGE_SIZE | PTE_P | PTE_W | PTE_PS;
	/* Reload CR3: a TLB must not keep an old "not present" view. */
	__asm__ __volatile__("mov %0, %%cr3" : : "r"((uint64_t)(uintptr_t)pml4)
			     : "memory");
}
