// SPDX-License-Identifier: ISC
/* The guest address helper at its edges, and the boot-time memory image. */
#include <stdlib.h>

#include "../../tender/guest_mem.h"
#include "../../tender/x86_boot.h"
#include "ktest.h"

#define SIZE	(6ULL << 20)

static uint8_t *mem;
static struct guest_mem gm;

static void setup(void)
{
	if (!mem)
		mem = calloc(1, SIZE);
	gm = (struct guest_mem){ mem, SIZE };
}

static void t_inside(void)
{
	setup();
	CHECK(gmem_ptr(&gm, 0, 0) == mem);
	CHECK(gmem_ptr(&gm, 0, SIZE) == mem);
	CHECK(gmem_ptr(&gm, 0x1000, 8) == mem + 0x1000);
	CHECK(gmem_ptr(&gm, SIZE - 1, 1) == mem + SIZE - 1);
}

static void t_end_of_memory(void)
{
	setup();
	CHECK(gmem_ptr(&gm, SIZE, 0) == mem + SIZE);	/* empty range */
	CHECK(gmem_ptr(&gm, SIZE, 1) == NULL);
	CHECK(gmem_ptr(&gm, SIZE - 1, 2) == NULL);
	CHECK(gmem_ptr(&gm, 0, SIZE + 1) == NULL);
	CHECK(gmem_ptr(&gm, SIZE + 1, 0) == NULL);
}

static void t_wraparound(void)
{
	setup();
	CHECK(gmem_ptr(&gm, UINT64_MAX, 2) == NULL);
	CHECK(gmem_ptr(&gm, UINT64_MAX, 0) == NULL);
	CHECK(gmem_ptr(&gm, 1, UINT64_MAX) == NULL);
	CHECK(gmem_ptr(&gm, 0x1000, UINT64_MAX - 0xfff) == NULL);
	CHECK(gmem_ptr(&gm, UINT64_MAX - 0xfff, 0x1000) == NULL);
	CHECK(gmem_ptr(&gm, 0xffffffffULL, 0x100000001ULL) == NULL);
}

static void t_page_tables(void)
{
	uint64_t *pml4, *pdpt, *pde;

	setup();
	x86_write_page_tables(&gm);
	pml4 = (uint64_t *)(void *)(mem + HVT_PML4_BASE);
	pdpt = (uint64_t *)(void *)(mem + HVT_PDPT_BASE);
	pde = (uint64_t *)(void *)(mem + HVT_PDE_BASE);
	CHECK(pml4[0] == (HVT_PDPT_BASE | 3));
	CHECK(pml4[1] == 0);
	CHECK(pdpt[0] == (HVT_PDE_BASE | 3));
	CHECK(pdpt[1] == 0);
	CHECK(pde[0] == 0x83);
	CHECK(pde[2] == (0x400000 | 0x83));
	CHECK(pde[3] == 0);	/* 6 MiB: three 2 MiB pages, no more */
}

static void t_page_tables_4g(void)
{
	struct guest_mem big = { NULL, HVT_MEM_MAX_BYTES };
	uint8_t *low = calloc(1, HVT_BOOT_INFO_BASE);
	uint64_t *pdpt, *pde;

	/* Only the low area is written: fake a 4 GiB guest over 64 KiB. */
	big.base = low;
	x86_write_page_tables(&big);
	pdpt = (uint64_t *)(void *)(low + HVT_PDPT_BASE);
	pde = (uint64_t *)(void *)(low + HVT_PDE_BASE);
	CHECK(pdpt[3] == ((HVT_PDE_BASE + 3 * 0x1000) | 3));
	CHECK(pdpt[4] == 0);
	CHECK(pde[2047] == ((2047ULL << 21) | 0x83));
	free(low);
}

static void t_gdt(void)
{
	uint64_t *gdt;

	setup();
	x86_write_gdt(&gm);
	gdt = (uint64_t *)(void *)(mem + HVT_GDT_BASE);
	CHECK(gdt[0] == 0);
	CHECK(gdt[HVT_GDT_ENTRY_CODE] == X86_GDT_CODE64);
	CHECK(gdt[HVT_GDT_ENTRY_DATA] == X86_GDT_DATA);
}

static void t_boot_info(void)
{
	static _Alignas(8) uint8_t mbuf[sizeof(struct mft) +
					2 * sizeof(struct mft_entry)];
	struct mft *m = (struct mft *)(void *)mbuf;
	struct hvt_boot_info *bi;
	struct boot_layout bl;
	struct errbuf e;
	struct mft *copy;

	setup();
	m->version = 1;
	m->entries = 2;
	strcpy(m->e[1].name, "net0");
	m->e[1].type = MFT_DEV_NET_BASIC;
	m->e[1].attached = true;
	m->e[1].b.hostfd = 7;
	CHECK(x86_write_boot_info(&gm, 0x300000, 2000000000ULL, m,
				  sizeof(mbuf), "hello world", &bl, &e) == 0);
	bi = (struct hvt_boot_info *)(void *)(mem + HVT_BOOT_INFO_BASE);
	CHECK(bi->mem_size == SIZE);
	CHECK(bi->kernel_end == 0x300000);
	CHECK(bi->cpu_cycle_freq == 2000000000ULL);
	CHECK(bi->mft == HVT_BOOT_INFO_BASE + sizeof(*bi));
	CHECK(bi->cmdline == bl.cmdline_gpa);
	CHECK(bi->cmdline >= bi->mft + sizeof(mbuf));
	CHECK(bi->host_features == 0 && bi->guest_features == 0 &&
	      bi->net_ring == 0);
	CHECK(!strcmp((char *)mem + bi->cmdline, "hello world"));
	copy = (struct mft *)(void *)(mem + bi->mft);
	CHECK(copy->entries == 2 && copy->e[1].attached);
	CHECK(copy->e[1].b.data == 0);	/* host fd not leaked to the guest */
}

/* The ring offer: after the command line, RAM above the rings hidden. */
static void t_ring_ext(void)
{
	static _Alignas(8) uint8_t mbuf[sizeof(struct mft) +
					2 * sizeof(struct mft_entry)];
	struct mft *m = (struct mft *)(void *)mbuf;
	struct petrel_guest_ext ext = { .magic = PETREL_GUEST_MAGIC,
					.version = PETREL_ABI_VERSION,
					.nr_net = 1 };
	struct hvt_boot_info *bi;
	struct boot_layout bl;
	struct errbuf e;

	setup();
	m->version = 1;
	m->entries = 2;
	ext.net[0].region = SIZE - HVT_HUGE_PAGE_SIZE;
	ext.net[0].ring_size = 256;
	ext.net[0].mft_index = 1;
	ext.net[0].doorbell_port = PETREL_DOORBELL_PORT_BASE;
	CHECK(x86_write_boot_info(&gm, 0x300000, 2000000000ULL, m,
				  sizeof(mbuf), "x", &bl, &e) == 0);
	CHECK(x86_write_ring_ext(&gm, &bl, &ext, SIZE - HVT_HUGE_PAGE_SIZE,
				 &e) == 0);
	bi = (struct hvt_boot_info *)(void *)(mem + HVT_BOOT_INFO_BASE);
	CHECK(bi->mem_size == SIZE - HVT_HUGE_PAGE_SIZE);
	CHECK(bi->host_features == HVT_FEATURE_NET_RING);
	CHECK(bi->guest_features == 0);
	CHECK(bi->net_ring >= bl.cmdline_gpa + HVT_CMDLINE_SIZE);
	CHECK(bi->net_ring + sizeof(ext) <= HVT_GUEST_MIN_BASE);
	CHECK(!memcmp(mem + bi->net_ring, &ext, sizeof(ext)));
}

static const struct ktest tests[] = {
	{ "guest_mem.inside", t_inside },
	{ "guest_mem.end_of_memory", t_end_of_memory },
	{ "guest_mem.wraparound", t_wraparound },
	{ "x86_boot.page_tables_cover_ram_only", t_page_tables },
	{ "x86_boot.page_tables_4gib", t_page_tables_4g },
	{ "x86_boot.gdt", t_gdt },
	{ "x86_boot.boot_info", t_boot_info },
	{ "x86_boot.ring_ext", t_ring_ext },
};

KTEST_MAIN(tests)
