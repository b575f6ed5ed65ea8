/* SPDX-License-Identifier: ISC */
/*
 * The low area of guest RAM that the tender writes before the first entry:
 * GDT, identity page tables, boot info, manifest copy and command line.
 * Pure memory writes, no KVM: unit-testable.
 */
#ifndef PETREL_X86_BOOT_H
#define PETREL_X86_BOOT_H

#include <stdint.h>

#include "../abi/hvt_abi.h"
#include "../abi/petrel.h"
#include "../abi/solo5_notes.h"
#include "err.h"
#include "guest_mem.h"

/* GDT descriptors: flat 4 GiB, 64-bit code (L=1) and data. */
#define X86_GDT_CODE64	0x00af9b000000ffffULL
#define X86_GDT_DATA	0x00cf93000000ffffULL

/* Page-table entry bits. */
#define X86_PTE_P	(1ULL << 0)
#define X86_PTE_RW	(1ULL << 1)
#define X86_PTE_PS	(1ULL << 7)

struct boot_layout {
	uint64_t mft_gpa;
	uint64_t cmdline_gpa;
};

void x86_write_gdt(const struct guest_mem *m);
void x86_write_page_tables(const struct guest_mem *m);

/*
 * Write boot info, the manifest copy @mft (@mft_size bytes) and @cmdline
 * after it. Fails only if they do not fit below HVT_GUEST_MIN_BASE.
 */
int x86_write_boot_info(const struct guest_mem *m, uint64_t kernel_end,
			uint64_t tsc_hz, const struct mft *mft,
			size_t mft_size, const char *cmdline,
			struct boot_layout *out, struct errbuf *e);

/*
 * Offer petrel's net rings: copy @ext to @ext_host, the host address of
 * the ring area's first page (GPA mem_size, outside @m), and set
 * PETREL_FEATURE_NET_RING in the boot info. mem_size and net_ring stay as
 * they are: the rings are above the RAM, and net_ring is Solo5's field.
 * After x86_write_boot_info.
 */
void x86_write_ring_ext(const struct guest_mem *m, void *ext_host,
			const struct petrel_guest_ext *ext);

/*
 * Offer Solo5's ring at @gpa (above mem_size, in the ring area): map the
 * 2 MiB pages holding it in the guest's page tables, which a Solo5 guest
 * keeps, and set HVT_FEATURE_RING_IO and net_ring in the boot info. After
 * x86_write_page_tables and x86_write_boot_info.
 */
void x86_offer_hvt_ring(const struct guest_mem *m, uint64_t gpa);

#endif /* PETREL_X86_BOOT_H */
