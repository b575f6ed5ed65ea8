// SPDX-License-Identifier: ISC
#include <string.h>

#include "x86_boot.h"

void x86_write_gdt(const struct guest_mem *m)
{
	uint64_t *gdt = gmem_ptr(m, HVT_GDT_BASE,
				 HVT_GDT_NUM_ENTRIES * sizeof(uint64_t));

	gdt[HVT_GDT_ENTRY_NULL] = 0;
	gdt[HVT_GDT_ENTRY_CODE] = X86_GDT_CODE64;
	gdt[HVT_GDT_ENTRY_DATA] = X86_GDT_DATA;
}

/*
 * Identity map guest RAM as Solo5 does: the first 2 MiB with 4 KiB pages,
 * of which those below HVT_LOW_RO_START (zero page, GDT, page tables) are
 * absent and those up to HVT_GUEST_MIN_BASE (boot info, manifest, command
 * line) read-only; 2 MiB pages above. Nothing past mem_size is mapped (the
 * ring area above it included: a guest that takes petrel's rings maps them
 * itself, and x86_offer_hvt_ring maps Solo5's), so a stray access there
 * faults in the guest instead of exiting to us as MMIO.
 */
void x86_write_page_tables(const struct guest_mem *m)
{
	uint64_t *pml4 = gmem_ptr(m, HVT_PML4_BASE, HVT_PAGE_SIZE);
	uint64_t *pdpt = gmem_ptr(m, HVT_PDPT_BASE, HVT_PAGE_SIZE);
	uint64_t *pde = gmem_ptr(m, HVT_PDE_BASE,
				 HVT_PDE_PAGES * HVT_PAGE_SIZE);
	uint64_t *pt0 = gmem_ptr(m, HVT_PT0_BASE, HVT_PAGE_SIZE);
	uint64_t pages = m->size / HVT_HUGE_PAGE_SIZE;

	if (pages > HVT_PDE_PAGES * 512)
		pages = HVT_PDE_PAGES * 512;
	memset(pml4, 0, HVT_PAGE_SIZE);
	memset(pdpt, 0, HVT_PAGE_SIZE);
	memset(pde, 0, HVT_PDE_PAGES * HVT_PAGE_SIZE);
	memset(pt0, 0, HVT_PAGE_SIZE);
	pml4[0] = HVT_PDPT_BASE | X86_PTE_P | X86_PTE_RW;
	for (uint64_t i = 0; i < HVT_PDE_PAGES; i++)
		if (i * 512 < pages)
			pdpt[i] = (HVT_PDE_BASE + i * HVT_PAGE_SIZE) |
				  X86_PTE_P | X86_PTE_RW;
	for (uint64_t a = HVT_LOW_RO_START; a < HVT_HUGE_PAGE_SIZE;
	     a += HVT_PAGE_SIZE)
		pt0[a / HVT_PAGE_SIZE] = a | X86_PTE_P |
			(a < HVT_GUEST_MIN_BASE ? 0 : X86_PTE_RW);
	if (pages)
		pde[0] = HVT_PT0_BASE | X86_PTE_P | X86_PTE_RW;
	for (uint64_t i = 1; i < pages; i++)
		pde[i] = (i * HVT_HUGE_PAGE_SIZE) | X86_PTE_P | X86_PTE_RW |
			 X86_PTE_PS;
}

int x86_write_boot_info(const struct guest_mem *m, uint64_t kernel_end,
			uint64_t tsc_hz, const struct mft *mft,
			size_t mft_size, const char *cmdline,
			struct boot_layout *out, struct errbuf *e)
{
	uint64_t mft_gpa = HVT_BOOT_INFO_BASE + sizeof(struct hvt_boot_info);
	uint64_t cmd_gpa = (mft_gpa + mft_size + 7) & ~7ULL;
	size_t cmd_len = strlen(cmdline);
	struct hvt_boot_info *bi;
	struct mft *copy;
	char *cmd;

	if (cmd_len >= HVT_CMDLINE_SIZE ||
	    cmd_gpa + HVT_CMDLINE_SIZE > HVT_GUEST_MIN_BASE)
		return errf(e, "boot information does not fit below 0x%llx",
			    HVT_GUEST_MIN_BASE);
	bi = gmem_ptr(m, HVT_BOOT_INFO_BASE, sizeof(*bi));
	copy = gmem_ptr(m, mft_gpa, mft_size);
	cmd = gmem_ptr(m, cmd_gpa, HVT_CMDLINE_SIZE);

	memcpy(copy, mft, mft_size);
	/* The host side of a device is none of the guest's business. */
	for (uint32_t i = 0; i < copy->entries; i++)
		copy->e[i].b.data = 0;
	memset(cmd, 0, HVT_CMDLINE_SIZE);
	memcpy(cmd, cmdline, cmd_len);

	*bi = (struct hvt_boot_info){
		.mem_size = m->size,
		.kernel_end = kernel_end,
		.cpu_cycle_freq = tsc_hz,
		.cmdline = cmd_gpa,
		.mft = mft_gpa,
	};
	out->mft_gpa = mft_gpa;
	out->cmdline_gpa = cmd_gpa;
	return 0;
}

void x86_write_ring_ext(const struct guest_mem *m, void *ext_host,
			const struct petrel_guest_ext *ext)
{
	struct hvt_boot_info *bi = gmem_ptr(m, HVT_BOOT_INFO_BASE, sizeof(*bi));

	memcpy(ext_host, ext, sizeof(*ext));
	bi->host_features |= PETREL_FEATURE_NET_RING;
}

void x86_offer_hvt_ring(const struct guest_mem *m, uint64_t gpa)
{
	struct hvt_boot_info *bi = gmem_ptr(m, HVT_BOOT_INFO_BASE, sizeof(*bi));
	uint64_t *pdpt = gmem_ptr(m, HVT_PDPT_BASE, HVT_PAGE_SIZE);
	uint64_t *pde = gmem_ptr(m, HVT_PDE_BASE,
				 HVT_PDE_PAGES * HVT_PAGE_SIZE);
	uint64_t first = gpa / HVT_HUGE_PAGE_SIZE;
	uint64_t last = (gpa + sizeof(struct hvt_ring) - 1) / HVT_HUGE_PAGE_SIZE;

	/* Solo5 guests use the tender's page tables: map the ring for them. */
	for (uint64_t i = first; i <= last && i < HVT_PDE_PAGES * 512; i++) {
		pdpt[i / 512] = (HVT_PDE_BASE + i / 512 * HVT_PAGE_SIZE) |
				X86_PTE_P | X86_PTE_RW;
		pde[i] = (i * HVT_HUGE_PAGE_SIZE) | X86_PTE_P | X86_PTE_RW |
			 X86_PTE_PS;
	}
	bi->host_features |= HVT_FEATURE_RING_IO;
	bi->net_ring = gpa;
}
