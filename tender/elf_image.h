/* SPDX-License-Identifier: ISC */
/*
 * The unikernel image: a static ELF64 x86_64 executable, as Solo5's toolchain
 * or petrel's bindings link it. Parsing checks every header, segment and
 * Solo5 note before anything is loaded; loading copies the checked segments
 * into guest RAM. tender/README.md lists where the checks differ from
 * Solo5's.
 */
#ifndef PETREL_ELF_IMAGE_H
#define PETREL_ELF_IMAGE_H

#include <stdint.h>

#include "../abi/solo5_notes.h"
#include "err.h"
#include "guest_mem.h"

#define ELF_MAX_PHDRS		64
/* Bound on one PT_NOTE segment: Solo5 notes are tiny, build-ids too. */
#define ELF_MAX_NOTE_SEG	(1U << 20)

struct elf_seg {
	uint64_t paddr;		/* guest-physical = the segment's p_vaddr */
	uint64_t offset;
	uint64_t filesz;
	uint64_t memsz;
	uint32_t flags;		/* PF_* */
};

struct elf_image {
	uint64_t entry;
	uint64_t kernel_end;	/* page-aligned end of the highest segment */
	unsigned nsegs;
	struct elf_seg segs[ELF_MAX_PHDRS];	/* non-empty PT_LOADs, sorted */
	struct solo5_abi_info abi;
	size_t mft_desc_size;	/* validated raw MFT1 descriptor */
	/*
	 * The descriptor is stored at mft_buf + 4 so that struct mft, which
	 * follows its 4 pad bytes, is 8-aligned like the compiler expects.
	 */
	_Alignas(8) uint8_t
		mft_buf[8 - SOLO5_MFT_DESC_PAD + SOLO5_MFT_DESC_MAX];
};

/*
 * Parse and check the image open on @fd. @path is only for messages: every
 * error names it. @mem_size bounds where segments may be loaded.
 */
int elf_image_parse(int fd, const char *path, uint64_t mem_size,
		    struct elf_image *img, struct errbuf *e);

/* Copy the parsed segments into @m (zeroing each segment's tail). */
int elf_image_load(int fd, const char *path, const struct elf_image *img,
		   const struct guest_mem *m, struct errbuf *e);

/* The validated manifest; the device layer fills in its properties. */
static inline struct mft *elf_image_mft(struct elf_image *img)
{
	return (struct mft *)(void *)(img->mft_buf + 8);
}

/* Size of struct mft plus its entries, as copied into guest memory. */
static inline size_t elf_image_mft_size(const struct elf_image *img)
{
	return img->mft_desc_size - SOLO5_MFT_DESC_PAD;
}

#endif /* PETREL_ELF_IMAGE_H */
