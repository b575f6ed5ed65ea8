// SPDX-License-Identifier: ISC
/* The guest address helper at its edges, and the boot-time memory image. */
#include <stdlib.h>

#include <elf.h>

#include "../../tender/guest_mem.h"
#include "../../tender/guest_protect.h"
#include "../../tender/net_ring.h"
#include "../../tender/x86_boot.h"
#include "ktest.h"

#define SIZE	(6ULL << 20)

static uint8_t *mem;
static struct guest_mem gm;

static void setup(void)
{
	if (!mem)
		mem = calloc(1, SIZE);
	gm = (struct guest_mem){ .base = mem, .size = SIZE };
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

/* As Solo5's: 4 KiB pages for the first 2 MiB, the low area protected. */
static void t_page_tables(void)
{
	uint64_t *pml4, *pdpt, *pde, *pt0;

	setup();
	x86_write_page_tables(&gm);
	pml4 = (uint64_t *)(void *)(mem + HVT_PML4_BASE);
	pdpt = (uint64_t *)(void *)(mem + HVT_PDPT_BASE);
	pde = (uint64_t *)(void *)(mem + HVT_PDE_BASE);
	pt0 = (uint64_t *)(void *)(mem + HVT_PT0_BASE);
	CHECK(pml4[0] == (HVT_PDPT_BASE | 3));
	CHECK(pml4[1] == 0);
	CHECK(pdpt[0] == (HVT_PDE_BASE | 3));
	CHECK(pdpt[1] == 0);
	CHECK(pde[0] == (HVT_PT0_BASE | 3));	/* a page table, not 2 MiB */
	CHECK(pde[1] == (0x200000 | 0x83));
	CHECK(pde[2] == (0x400000 | 0x83));
	CHECK(pde[3] == 0);	/* 6 MiB: three 2 MiB pages, no more */
	/* Zero page, GDT, page tables: not present. */
	for (unsigned i = 0; i < 16; i++)
		CHECK(pt0[i] == 0);
	/* Boot info up to 1 MiB: present, read-only. */
	CHECK(pt0[16] == (0x10000 | 1));
	CHECK(pt0[255] == (0xff000 | 1));
	/* The image and above: read-write. */
	CHECK(pt0[256] == (0x100000 | 3));
	CHECK(pt0[511] == (0x1ff000 | 3));
}

/* The smallest guest: one 2 MiB page, all of it through the page table. */
static void t_page_tables_2m(void)
{
	struct guest_mem small = { .base = mem, .size = HVT_HUGE_PAGE_SIZE };
	uint64_t *pde, *pt0;

	setup();
	x86_write_page_tables(&small);
	pde = (uint64_t *)(void *)(mem + HVT_PDE_BASE);
	pt0 = (uint64_t *)(void *)(mem + HVT_PT0_BASE);
	CHECK(pde[0] == (HVT_PT0_BASE | 3));
	CHECK(pde[1] == 0);
	CHECK(pt0[0] == 0 && pt0[16] == (0x10000 | 1));
}

static void t_page_tables_4g(void)
{
	struct guest_mem big = { .size = HVT_MEM_MAX_BYTES };
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

/*
 * The ring offer: petrel's own bit (never Solo5's bit 0), the announcement
 * copied where the tender says, mem_size and net_ring left alone.
 */
static void t_ring_ext(void)
{
	static _Alignas(8) uint8_t mbuf[sizeof(struct mft) +
					2 * sizeof(struct mft_entry)];
	static struct petrel_guest_ext where;
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
	ext.net[0].region = SIZE + PETREL_PAGE_SIZE;
	ext.net[0].ring_size = 256;
	ext.net[0].mft_index = 1;
	ext.net[0].doorbell_port = PETREL_DOORBELL_PORT_BASE;
	ext.net[0].slot_size = 2048;
	CHECK(x86_write_boot_info(&gm, 0x300000, 2000000000ULL, m,
				  sizeof(mbuf), "x", &bl, &e) == 0);
	x86_write_ring_ext(&gm, &where, &ext);
	bi = (struct hvt_boot_info *)(void *)(mem + HVT_BOOT_INFO_BASE);
	CHECK(bi->mem_size == SIZE);
	CHECK(bi->host_features == PETREL_FEATURE_NET_RING);
	CHECK(!(bi->host_features & HVT_FEATURE_RING_IO));
	CHECK(bi->guest_features == 0);
	CHECK(bi->net_ring == 0);
	CHECK(!memcmp(&where, &ext, sizeof(ext)));
	CHECK(where.accept == 0);
}

/* Writes for the guest: never into the low area or a read-only range. */
static void t_writable(void)
{
	setup();
	gm.nro = 1;
	gm.ro[0] = (struct gmem_range){ 0x100000, 0x103000 };
	CHECK(gmem_wptr(&gm, 0x10000, 8) == NULL);
	CHECK(gmem_wptr(&gm, 0xffff8, 16) == NULL);
	CHECK(gmem_wptr(&gm, 0x100000, 8) == NULL);
	CHECK(gmem_wptr(&gm, 0x102ff8, 16) == NULL);
	CHECK(gmem_wptr(&gm, 0xfff00, 0x200000) == NULL);
	CHECK(gmem_wptr(&gm, 0x103000, 8) == mem + 0x103000);
	CHECK(gmem_wptr(&gm, SIZE - 8, 8) == mem + SIZE - 8);
	CHECK(gmem_wptr(&gm, SIZE - 8, 9) == NULL);
	CHECK(gmem_wptr(&gm, UINT64_MAX, 2) == NULL);
	/* Reading stays allowed. */
	CHECK(gmem_ptr(&gm, 0x100000, 8) == mem + 0x100000);
	gm.nro = 0;
}

static struct elf_seg seg(uint64_t paddr, uint64_t memsz, uint32_t flags)
{
	return (struct elf_seg){ .paddr = paddr, .memsz = memsz,
				 .flags = flags };
}

/*
 * Read-only ranges from the segments: whole pages, text and rodata
 * merged, no page shared with data, empty segments ignored.
 */
static void t_ro_ranges(void)
{
	static struct elf_image img;
	struct guest_mem g = { .base = NULL, .size = SIZE };

	img.nsegs = 5;
	img.segs[0] = seg(0, 0, PF_R);				/* empty at 0 */
	img.segs[1] = seg(0x100000, 0x2345, PF_R | PF_X);	/* text */
	img.segs[2] = seg(0x103000, 0x1800, PF_R);		/* rodata */
	img.segs[3] = seg(0x104800, 0x900, PF_R | PF_W);	/* shares a page */
	img.segs[4] = seg(0x106000, 0x1000, PF_R | PF_W);
	guest_ro_ranges(&img, &g);
	CHECK(g.nro == 1);
	CHECK(g.ro[0].start == 0x100000 && g.ro[0].end == 0x104000);

	/* Data first in a shared page, code after it: the page stays RW. */
	img.nsegs = 2;
	img.segs[0] = seg(0x100000, 0x1100, PF_R | PF_W);
	img.segs[1] = seg(0x101100, 0x2000, PF_R | PF_X);
	guest_ro_ranges(&img, &g);
	CHECK(g.nro == 1);
	CHECK(g.ro[0].start == 0x102000 && g.ro[0].end == 0x104000);

	/* A read-only segment inside one shared page: nothing protected. */
	img.nsegs = 2;
	img.segs[0] = seg(0x100000, 0x100, PF_R);
	img.segs[1] = seg(0x100100, 0x100, PF_R | PF_W);
	guest_ro_ranges(&img, &g);
	CHECK(g.nro == 0);

	/* Apart: two ranges. */
	img.nsegs = 3;
	img.segs[0] = seg(0x100000, 0x1000, PF_R | PF_X);
	img.segs[1] = seg(0x101000, 0x1000, PF_R | PF_W);
	img.segs[2] = seg(0x102000, 0x1000, PF_R);
	guest_ro_ranges(&img, &g);
	CHECK(g.nro == 2);
	CHECK(g.ro[0].start == 0x100000 && g.ro[0].end == 0x101000);
	CHECK(g.ro[1].start == 0x102000 && g.ro[1].end == 0x103000);
}

/* Slots hold MTU + 14 bytes: 2 KiB at least, whole KiB. */
static void t_ring_slot(void)
{
	CHECK(net_ring_slot(1500) == 2048);
	CHECK(net_ring_slot(2034) == 2048);
	CHECK(net_ring_slot(2035) == 3072);
	CHECK(net_ring_slot(9000) == 9216);
	CHECK(net_ring_slot(65535) == 66560);
	CHECK(net_ring_region_size(9216) >= 2ULL * NET_RING_SIZE * 9216);
	CHECK(net_ring_region_size(9216) % PETREL_PAGE_SIZE == 0);
	CHECK(net_ring_region_size(66560) <= PETREL_REGION_MAX);
}

/*
 * The ring area is planned above --mem: whole 2 MiB pages holding the
 * announcement page and each device's region, sized from its MTU, and
 * the whole guest within the 4 GiB the guest's page tables cover.
 */
static void t_ring_plan(void)
{
	static struct devices devs;
	static struct net_ring r;
	struct errbuf e;

	devs.n = 3;
	devs.d[1] = (struct device){ .type = MFT_DEV_NET_BASIC, .mtu = 1500 };
	devs.d[2] = (struct device){ .type = MFT_DEV_NET_BASIC, .mtu = 9000 };
	CHECK(net_ring_plan(&r, NET_RING_AUTO, &devs, 32ULL << 20, &e) == 0);
	CHECK(r.fallback.msg[0] == '\0');
	CHECK(r.n == 2 && r.handle[0] == 1 && r.handle[1] == 2);
	CHECK(r.slot[0] == 2048 && r.slot[1] == 9216);
	CHECK(r.base == 32ULL << 20);
	CHECK(r.area % HVT_HUGE_PAGE_SIZE == 0);
	CHECK(r.area >= PETREL_PAGE_SIZE + net_ring_region_size(2048) +
			net_ring_region_size(9216));
	CHECK(net_ring_plan(&r, NET_RING_OFF, &devs, 32ULL << 20, &e) == 0);
	CHECK(r.area == 0 && r.n == 0);
	/* No room above 4 GiB: auto runs without rings, saying why; on refuses. */
	CHECK(net_ring_plan(&r, NET_RING_AUTO, &devs, HVT_MEM_MAX_BYTES,
			    &e) == 0);
	CHECK(r.area == 0 && r.n == 0);
	CHECK_MSG(r.fallback.msg, "--net-ring=auto: the net devices use "
		  "hypercalls: no room for the rings above --mem");
	CHECK(net_ring_plan(&r, NET_RING_ON, &devs, HVT_MEM_MAX_BYTES,
			    &e) == -1);
	CHECK_MSG(e.msg, "no room for the rings above --mem");
}

static const struct ktest tests[] = {
	{ "guest_mem.inside", t_inside },
	{ "guest_mem.end_of_memory", t_end_of_memory },
	{ "guest_mem.wraparound", t_wraparound },
	{ "x86_boot.page_tables_cover_ram_only", t_page_tables },
	{ "x86_boot.page_tables_2mib", t_page_tables_2m },
	{ "x86_boot.page_tables_4gib", t_page_tables_4g },
	{ "x86_boot.gdt", t_gdt },
	{ "x86_boot.boot_info", t_boot_info },
	{ "x86_boot.ring_ext", t_ring_ext },
	{ "guest_mem.writable", t_writable },
	{ "guest_protect.ro_ranges", t_ro_ranges },
	{ "net_ring.slot_from_mtu", t_ring_slot },
	{ "net_ring.plan_above_mem", t_ring_plan },
};

KTEST_MAIN(tests)
