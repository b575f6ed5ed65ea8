/* SPDX-License-Identifier: ISC */
/*
 * The Solo5 hvt ABI, version 2, as petrel implements it.
 *
 * Shared by the tender (host, C11 with libc), the bindings (guest,
 * freestanding) and petrel.ko, which serves Solo5's ring, so it depends on
 * nothing but <stdint.h> and <stddef.h> (the kernel's own equivalents in
 * the module).
 * Every layout the ABI fixes is pinned with a _Static_assert: a change that
 * moves a field breaks the build, not a guest.
 */
#ifndef PETREL_ABI_HVT_ABI_H
#define PETREL_ABI_HVT_ABI_H

#ifdef __KERNEL__
#include <linux/stddef.h>
#include <linux/types.h>
#else
#include <stddef.h>
#include <stdint.h>
#endif

#define HVT_ABI_VERSION		2

/* Nothing may be loaded below 1 MiB: the low area holds tender-owned data. */
#define HVT_GUEST_MIN_BASE	0x100000ULL

/* Guest RAM: one region at GPA 0, a whole number of 2 MiB pages, <= 4 GiB. */
#define HVT_PAGE_SIZE		0x1000ULL
#define HVT_HUGE_PAGE_SIZE	0x200000ULL
#define HVT_MEM_DEFAULT_MIB	512
#define HVT_MEM_MAX_BYTES	0x100000000ULL

/* Fixed guest-physical layout of the low area written by the tender. */
#define HVT_GDT_BASE		0x1000ULL
#define HVT_PML4_BASE		0x2000ULL
#define HVT_PDPT_BASE		0x3000ULL
#define HVT_PDE_BASE		0x4000ULL	/* 4 pages, one per GiB */
#define HVT_PDE_PAGES		4
#define HVT_PT0_BASE		0x8000ULL	/* 4 KiB pages of the first 2 MiB */
#define HVT_BOOT_INFO_BASE	0x10000ULL

/*
 * What the guest sees of the low area through the tender's page tables:
 * nothing below HVT_LOW_RO_START (zero page, GDT, page tables), read-only
 * from there to HVT_GUEST_MIN_BASE (input from the tender), read-write
 * above. A guest that wants the low pages' contents (the GDT) keeps its own
 * copy.
 */
#define HVT_LOW_RO_START	HVT_BOOT_INFO_BASE

#define HVT_CMDLINE_SIZE	8192

/* GDT selectors the tender loads: null, code at 1, data at 2. */
#define HVT_GDT_ENTRY_NULL	0
#define HVT_GDT_ENTRY_CODE	1
#define HVT_GDT_ENTRY_DATA	2
#define HVT_GDT_NUM_ENTRIES	3

/* Initial control registers (long mode, paging on). */
#define HVT_CR0_PE		(1ULL << 0)
#define HVT_CR0_NE		(1ULL << 5)
#define HVT_CR0_WP		(1ULL << 16)
#define HVT_CR0_PG		(1ULL << 31)
#define HVT_CR4_PAE		(1ULL << 5)
#define HVT_CR4_OSFXSR		(1ULL << 9)
#define HVT_CR4_OSXMMEXCPT	(1ULL << 10)
#define HVT_EFER_LME		(1ULL << 8)
#define HVT_EFER_LMA		(1ULL << 10)

#define HVT_CR0_INIT	(HVT_CR0_PE | HVT_CR0_NE | HVT_CR0_WP | HVT_CR0_PG)
#define HVT_CR4_INIT	(HVT_CR4_PAE | HVT_CR4_OSFXSR | HVT_CR4_OSXMMEXCPT)
#define HVT_EFER_INIT	(HVT_EFER_LME | HVT_EFER_LMA)
#define HVT_RFLAGS_INIT	0x2ULL

/*
 * Boot information, at HVT_BOOT_INFO_BASE; its address is in RDI at entry.
 * Pointers are guest-physical addresses (identity mapped).
 * The last three fields are the feature extension: a tender that offers no
 * extension leaves them 0, and guests then use the hypercalls only.
 */
struct hvt_boot_info {
	uint64_t mem_size;		/* bytes of guest RAM */
	uint64_t kernel_end;		/* first byte after the loaded image */
	uint64_t cpu_cycle_freq;	/* TSC frequency, Hz */
	uint64_t cmdline;		/* GPA of NUL-terminated command line */
	uint64_t mft;			/* GPA of the manifest copy */
	uint32_t host_features;		/* HVT_FEATURE_* the tender offers */
	uint32_t guest_features;	/* HVT_FEATURE_* the guest accepted */
	uint64_t net_ring;		/* GPA of the ring extension, or 0 */
};

/*
 * host_features bits. Bit 0 is Solo5's: net_ring is then the GPA of a
 * struct hvt_ring (below), and Solo5 0.11+ guests use it whenever offered.
 * petrel offers it when petrel.ko serves it (PETREL_IOC_HVT_RING); its own
 * rings are PETREL_FEATURE_NET_RING (abi/petrel.h), another bit.
 */
#define HVT_FEATURE_RING_IO	(1u << 0)

/*
 * Solo5's shared ring (include/hvt_ring.h of Solo5 0.11+), one for all net
 * devices, written from the ABI description: cache line 0 is the guest's,
 * cache line 1 the host's, then the entries and the commits.
 */
#define HVT_RING_SIZE		1024u
#define HVT_RING_MASK		(HVT_RING_SIZE - 1)
#define HVT_RING_OP_NET_WRITE	1u
#define HVT_RING_OP_NET_READ	2u
#define HVT_RING_KICK_PIO_BASE	0x600
#define HVT_RING_WRITE_MAX	2048u	/* larger frames go by hypercall */

struct hvt_ring_entry {
	uint32_t operation;		/* HVT_RING_OP_* */
	uint32_t handle;		/* net device */
	uint64_t data;			/* GPA of the frame buffer */
	uint32_t len;
	uint32_t id;
	uint64_t reserved;
};

struct hvt_ring_commit {
	uint32_t id;
	int32_t ret;			/* solo5_result_t */
	uint32_t len;			/* frame length (NET_READ) */
	uint32_t reserved;
};

struct hvt_ring {
	/* Cache line 0: written by the guest only. */
	uint32_t ent_tail;
	uint32_t com_head;
	uint8_t pad0[56];
	/* Cache line 1: written by the host only. */
	uint32_t ent_head;
	uint32_t com_tail;
	uint32_t needs_kick;
	uint8_t pad1[52];
	struct hvt_ring_entry entries[HVT_RING_SIZE];
	struct hvt_ring_commit commits[HVT_RING_SIZE];
};

_Static_assert(sizeof(struct hvt_ring_entry) == 32, "hvt_ring_entry");
_Static_assert(offsetof(struct hvt_ring_entry, data) == 8, "hvt_ring_entry");
_Static_assert(offsetof(struct hvt_ring_entry, len) == 16, "hvt_ring_entry");
_Static_assert(offsetof(struct hvt_ring_entry, id) == 20, "hvt_ring_entry");
_Static_assert(sizeof(struct hvt_ring_commit) == 16, "hvt_ring_commit");
_Static_assert(offsetof(struct hvt_ring_commit, len) == 8, "hvt_ring_commit");
_Static_assert(offsetof(struct hvt_ring, com_head) == 4, "hvt_ring");
_Static_assert(offsetof(struct hvt_ring, ent_head) == 64, "hvt_ring");
_Static_assert(offsetof(struct hvt_ring, com_tail) == 68, "hvt_ring");
_Static_assert(offsetof(struct hvt_ring, needs_kick) == 72, "hvt_ring");
_Static_assert(offsetof(struct hvt_ring, entries) == 128, "hvt_ring");
_Static_assert(offsetof(struct hvt_ring, commits) == 128 + 32 * 1024,
	       "hvt_ring");
_Static_assert(sizeof(struct hvt_ring) == 128 + 48 * 1024, "hvt_ring");

_Static_assert(offsetof(struct hvt_boot_info, mem_size) == 0, "boot_info");
_Static_assert(offsetof(struct hvt_boot_info, kernel_end) == 8, "boot_info");
_Static_assert(offsetof(struct hvt_boot_info, cpu_cycle_freq) == 16,
	       "boot_info");
_Static_assert(offsetof(struct hvt_boot_info, cmdline) == 24, "boot_info");
_Static_assert(offsetof(struct hvt_boot_info, mft) == 32, "boot_info");
_Static_assert(offsetof(struct hvt_boot_info, host_features) == 40,
	       "boot_info");
_Static_assert(offsetof(struct hvt_boot_info, guest_features) == 44,
	       "boot_info");
_Static_assert(offsetof(struct hvt_boot_info, net_ring) == 48, "boot_info");
_Static_assert(sizeof(struct hvt_boot_info) == 56, "boot_info");

/*
 * Hypercalls: the guest does `outl` of the 32-bit GPA of the argument struct
 * to port HVT_HYPERCALL_PIO_BASE + nr. Every field is naturally aligned.
 */
#define HVT_HYPERCALL_PIO_BASE	0x500

enum hvt_hypercall {
	HVT_HYPERCALL_WALLTIME = 1,
	HVT_HYPERCALL_PUTS = 2,
	HVT_HYPERCALL_POLL = 3,
	HVT_HYPERCALL_BLOCK_WRITE = 4,
	HVT_HYPERCALL_BLOCK_READ = 5,
	HVT_HYPERCALL_NET_WRITE = 6,
	HVT_HYPERCALL_NET_READ = 7,
	HVT_HYPERCALL_HALT = 8,
	HVT_HYPERCALL_MAX = 9	/* one past the last valid number */
};

#define HVT_HYPERCALL_PIO(nr)	(HVT_HYPERCALL_PIO_BASE + (nr))

/* solo5_result_t values carried in the `ret` fields. */
enum hvt_result {
	HVT_RESULT_OK = 0,
	HVT_RESULT_AGAIN = 1,
	HVT_RESULT_EINVAL = 2,
	HVT_RESULT_EUNSPEC = 3
};

struct hvt_hc_walltime {
	uint64_t nsecs;			/* out: CLOCK_REALTIME, ns */
};

struct hvt_hc_puts {
	uint64_t data;			/* GPA */
	uint64_t len;
};

struct hvt_hc_poll {
	uint64_t timeout_nsecs;		/* in */
	uint64_t ready_set;		/* out: bit `handle` per ready net dev */
	int32_t ret;			/* out */
};

struct hvt_hc_block_write {
	uint64_t handle;
	uint64_t offset;
	uint64_t data;			/* GPA */
	uint64_t len;
	int32_t ret;			/* out */
};

struct hvt_hc_block_read {
	uint64_t handle;
	uint64_t offset;
	uint64_t data;			/* GPA */
	uint64_t len;			/* in/out */
	int32_t ret;			/* out */
};

struct hvt_hc_net_write {
	uint64_t handle;
	uint64_t data;			/* GPA */
	uint64_t len;
	int32_t ret;			/* out */
};

struct hvt_hc_net_read {
	uint64_t handle;
	uint64_t data;			/* GPA */
	uint64_t len;			/* in: buffer size, out: frame size */
	int32_t ret;			/* out */
};

/* Size of the crash state a HALT cookie may point at. */
#define HVT_HALT_COOKIE_MAX	512

struct hvt_hc_halt {
	uint64_t cookie;		/* GPA of crash state, or 0 */
	int32_t exit_status;
};

_Static_assert(sizeof(struct hvt_hc_walltime) == 8, "hc_walltime");
_Static_assert(sizeof(struct hvt_hc_puts) == 16, "hc_puts");
_Static_assert(offsetof(struct hvt_hc_puts, len) == 8, "hc_puts");
_Static_assert(offsetof(struct hvt_hc_poll, ready_set) == 8, "hc_poll");
_Static_assert(offsetof(struct hvt_hc_poll, ret) == 16, "hc_poll");
_Static_assert(sizeof(struct hvt_hc_poll) == 24, "hc_poll");
_Static_assert(offsetof(struct hvt_hc_block_write, offset) == 8, "hc_bw");
_Static_assert(offsetof(struct hvt_hc_block_write, data) == 16, "hc_bw");
_Static_assert(offsetof(struct hvt_hc_block_write, len) == 24, "hc_bw");
_Static_assert(offsetof(struct hvt_hc_block_write, ret) == 32, "hc_bw");
_Static_assert(sizeof(struct hvt_hc_block_write) == 40, "hc_bw");
_Static_assert(offsetof(struct hvt_hc_block_read, len) == 24, "hc_br");
_Static_assert(offsetof(struct hvt_hc_block_read, ret) == 32, "hc_br");
_Static_assert(sizeof(struct hvt_hc_block_read) == 40, "hc_br");
_Static_assert(offsetof(struct hvt_hc_net_write, data) == 8, "hc_nw");
_Static_assert(offsetof(struct hvt_hc_net_write, len) == 16, "hc_nw");
_Static_assert(offsetof(struct hvt_hc_net_write, ret) == 24, "hc_nw");
_Static_assert(sizeof(struct hvt_hc_net_write) == 32, "hc_nw");
_Static_assert(offsetof(struct hvt_hc_net_read, len) == 16, "hc_nr");
_Static_assert(offsetof(struct hvt_hc_net_read, ret) == 24, "hc_nr");
_Static_assert(sizeof(struct hvt_hc_net_read) == 32, "hc_nr");
_Static_assert(offsetof(struct hvt_hc_halt, exit_status) == 8, "hc_halt");
_Static_assert(sizeof(struct hvt_hc_halt) == 16, "hc_halt");

/* Exit statuses with a fixed meaning (solo5.h). */
#define HVT_EXIT_SUCCESS	0
#define HVT_EXIT_FAILURE	1
#define HVT_EXIT_ABORT		255

#endif /* PETREL_ABI_HVT_ABI_H */
