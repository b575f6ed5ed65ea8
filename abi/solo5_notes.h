/* SPDX-License-Identifier: ISC */
/*
 * The two ELF notes every Solo5 image carries: the ABI note (which target and
 * version the image was built for) and the manifest note (which devices it
 * wants). Shared by the tender, the bindings and the host tools.
 */
#ifndef PETREL_ABI_SOLO5_NOTES_H
#define PETREL_ABI_SOLO5_NOTES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SOLO5_NOTE_NAME		"Solo5"
/* namesz counts the NUL; the name is padded to 4 bytes in the note. */
#define SOLO5_NOTE_NAMESZ	6
#define SOLO5_NOTE_NAME_PADDED	8
/* 12-byte Elf64_Nhdr plus the padded name: where a descriptor starts. */
#define SOLO5_NOTE_DESC_OFFSET	20

/* ---- ABI note: section .note.solo5.abi ---- */

#define SOLO5_ABI_NOTE_TYPE	0x31494241U	/* "ABI1" */

enum solo5_abi_target {
	SOLO5_ABI_TARGET_HVT = 1,
	SOLO5_ABI_TARGET_SPT = 2,
	SOLO5_ABI_TARGET_VIRTIO = 3,
	SOLO5_ABI_TARGET_MUEN = 4,
	SOLO5_ABI_TARGET_GENODE = 5,
	SOLO5_ABI_TARGET_XEN = 6
};

struct solo5_abi_info {
	uint32_t abi_target;
	uint32_t abi_version;
	uint32_t reserved0;
	uint32_t reserved1;
};

_Static_assert(sizeof(struct solo5_abi_info) == 16, "abi_info");

/* The ABI descriptor starts right after the name: no internal padding. */
#define SOLO5_ABI_DESC_PAD	0

/* ---- Manifest note: section .note.solo5.manifest ---- */

#define SOLO5_MFT_NOTE_TYPE	0x3154464dU	/* "MFT1" */
#define MFT_VERSION		1
#define MFT_MAX_ENTRIES		64
#define MFT_NAME_SIZE		68	/* bytes, including the NUL */
#define MFT_NAME_MAX		67	/* characters */

enum mft_type {
	MFT_DEV_BLOCK_BASIC = 1,
	MFT_DEV_NET_BASIC = 2,
	/*
	 * Solo5's elftool puts one entry of this type, with an empty name, at
	 * index 0 of every manifest it generates (so device handles start at
	 * 1). It is not a device: tenders accept it there and attach nothing.
	 */
	MFT_RESERVED_FIRST = 1U << 30
};

struct mft_block_basic {
	uint64_t capacity;		/* bytes */
	uint16_t block_size;		/* bytes */
};

struct mft_net_basic {
	uint8_t mac[6];
	uint16_t mtu;
};

/*
 * One device. `b` is private to the tender and means nothing to the guest;
 * `attached` is set in the copy the tender hands to the guest.
 */
struct mft_entry {
	char name[MFT_NAME_SIZE];
	uint32_t type;			/* enum mft_type */
	union {
		struct mft_block_basic block_basic;
		struct mft_net_basic net_basic;
	} u;
	union {
		int32_t hostfd;
		uint64_t data;
	} b;
	bool attached;
};

struct mft {
	uint32_t version;
	uint32_t entries;
	struct mft_entry e[];
};

_Static_assert(sizeof(struct mft_block_basic) == 16, "mft_block_basic");
_Static_assert(sizeof(struct mft_net_basic) == 8, "mft_net_basic");
_Static_assert(offsetof(struct mft_entry, type) == 68, "mft_entry");
_Static_assert(offsetof(struct mft_entry, u) == 72, "mft_entry");
_Static_assert(offsetof(struct mft_entry, b) == 88, "mft_entry");
_Static_assert(offsetof(struct mft_entry, attached) == 96, "mft_entry");
_Static_assert(sizeof(struct mft_entry) == 104, "mft_entry");
_Static_assert(offsetof(struct mft, e) == 8, "mft");
_Static_assert(sizeof(struct mft) == 8, "mft");
_Static_assert(MFT_MAX_ENTRIES <= 64, "ready_set is a u64 bitmap");

/*
 * The manifest descriptor is laid out as the compiler lays out
 * { Nhdr; name[8]; struct mft }: struct mft is 8-aligned, so it starts 24
 * bytes after the note header, 4 bytes into the descriptor. Those 4 bytes
 * are counted in n_descsz, which is therefore exactly
 * SOLO5_MFT_DESC_PAD + sizeof(struct mft) + entries * sizeof(struct mft_entry).
 */
#define SOLO5_MFT_DESC_PAD	4
#define SOLO5_MFT_DESC_SIZE(n) \
	(SOLO5_MFT_DESC_PAD + sizeof(struct mft) + \
	 (size_t)(n) * sizeof(struct mft_entry))
#define SOLO5_MFT_DESC_MAX	SOLO5_MFT_DESC_SIZE(MFT_MAX_ENTRIES)

#endif /* PETREL_ABI_SOLO5_NOTES_H */
