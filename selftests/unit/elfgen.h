/* SPDX-License-Identifier: ISC */
/*
 * Builds test ELF images in memory. img_default() makes a valid hvt image:
 *   text  R+X at 0x100000 (file 0x1000, 0x100 bytes)
 *   data  R+W at 0x200000 (file 0x2000, 0x100 bytes, 0x2000 in memory)
 *   notes: ABI note (p_align 4) at file 0x3000, manifest (p_align 8) at
 *   0x3100.
 * Tests change fields and call img_write().
 */
#ifndef PETREL_ELFGEN_H
#define PETREL_ELFGEN_H

#include <elf.h>
#include <stddef.h>
#include <stdint.h>

#include "../../abi/solo5_notes.h"

#define IMG_FILE_SIZE	0x8000
#define IMG_MAX_PHDRS	80
#define IMG_TEXT	0x100000ULL
#define IMG_DATA	0x200000ULL

struct img {
	Elf64_Ehdr eh;
	unsigned nph;
	Elf64_Phdr ph[IMG_MAX_PHDRS];
	size_t size;			/* bytes of file written */
	uint8_t body[IMG_FILE_SIZE];	/* file contents besides headers */
};

enum { PH_TEXT, PH_DATA, PH_ABI, PH_MFT };

void img_default(struct img *im);

/* Write one note at body offset @off; returns its size (padded to @align). */
size_t img_note(struct img *im, size_t off, const char *name, uint32_t type,
		const void *desc, uint32_t descsz, unsigned align);

/* Raw MFT1 descriptor (with the 4-byte pad) for @n entries into @out. */
size_t mft_desc_build(uint8_t *out, const struct mft_entry *e, uint32_t n);

/* Replace the manifest note with one built from @e[@n]. */
void img_set_mft(struct img *im, const struct mft_entry *e, uint32_t n);

/*
 * The shape Solo5 0.12's toolchain (x86_64-solo5-none-static-cc -z
 * solo5-abi=hvt, solo5_hvt.lds) gives an image, field for field where a
 * loader looks: a PT_INTERP "/nonexistent/solo5/" (24 bytes, NUL-padded)
 * inside an execute-only text PT_LOAD at 0x100000; rodata R at 0x101000
 * holding the manifest (1 entry), ABI and OpenBSD ident notes, each also
 * in a PT_NOTE of its own with p_align 4; data RW at 0x102000; the empty
 * tdata PT_LOAD at address 0; a zero-size PT_TLS; bss RW with p_filesz 0
 * at 0x103000 (0x3c88 bytes); then PT_GNU_STACK and EI_OSABI OpenBSD,
 * which other Solo5 toolchains give. Entry at 0x100040.
 */
enum {
	S5_INTERP, S5_TEXT, S5_RODATA, S5_DATA, S5_TDATA, S5_TLS, S5_BSS,
	S5_NOTE_OPENBSD, S5_NOTE_ABI, S5_NOTE_MFT, S5_GNU_STACK, S5_NPH
};
#define S5_TEXT_ADDR	0x100000ULL
#define S5_BSS_ADDR	0x103000ULL
#define S5_BSS_SIZE	0x3c88ULL
#define S5_INTERP_STR	"/nonexistent/solo5/"

void img_solo5_shape(struct img *im);

/* Write the image to a fresh temp file; returns the path (static). */
const char *img_write(const struct img *im);

#endif /* PETREL_ELFGEN_H */
