// SPDX-License-Identifier: ISC
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "elfgen.h"

size_t img_note(struct img *im, size_t off, const char *name, uint32_t type,
		const void *desc, uint32_t descsz, unsigned align)
{
	Elf64_Nhdr nh = {
		.n_namesz = (uint32_t)strlen(name) + 1,
		.n_descsz = descsz,
		.n_type = type,
	};
	size_t p = off;

	memcpy(im->body + p, &nh, sizeof(nh));
	p += sizeof(nh);
	memcpy(im->body + p, name, nh.n_namesz);
	p += (nh.n_namesz + 3) & ~3U;
	memcpy(im->body + p, desc, descsz);
	p += descsz;
	p = (p + align - 1) & ~(size_t)(align - 1);
	return p - off;
}

size_t mft_desc_build(uint8_t *out, const struct mft_entry *e, uint32_t n)
{
	struct mft m = { .version = MFT_VERSION, .entries = n };

	memset(out, 0, SOLO5_MFT_DESC_PAD);
	memcpy(out + SOLO5_MFT_DESC_PAD, &m, sizeof(m));
	if (n)
		memcpy(out + SOLO5_MFT_DESC_PAD + sizeof(m), e,
		       n * sizeof(*e));
	return SOLO5_MFT_DESC_SIZE(n);
}

void img_set_mft(struct img *im, const struct mft_entry *e, uint32_t n)
{
	static uint8_t desc[SOLO5_MFT_DESC_MAX];
	size_t len = mft_desc_build(desc, e, n);

	memset(im->body + 0x3100, 0, IMG_FILE_SIZE - 0x3100);
	im->ph[PH_MFT].p_filesz = img_note(im, 0x3100, "Solo5",
					   SOLO5_MFT_NOTE_TYPE, desc,
					   (uint32_t)len, 8);
}

void img_default(struct img *im)
{
	struct solo5_abi_info abi = {
		.abi_target = SOLO5_ABI_TARGET_HVT, .abi_version = 2,
	};

	memset(im, 0, sizeof(*im));
	memcpy(im->eh.e_ident, ELFMAG, SELFMAG);
	im->eh.e_ident[EI_CLASS] = ELFCLASS64;
	im->eh.e_ident[EI_DATA] = ELFDATA2LSB;
	im->eh.e_ident[EI_VERSION] = EV_CURRENT;
	im->eh.e_type = ET_EXEC;
	im->eh.e_machine = EM_X86_64;
	im->eh.e_version = EV_CURRENT;
	im->eh.e_entry = IMG_TEXT + 0x10;
	im->eh.e_phoff = sizeof(Elf64_Ehdr);
	im->eh.e_ehsize = sizeof(Elf64_Ehdr);
	im->eh.e_phentsize = sizeof(Elf64_Phdr);
	im->nph = 4;
	im->size = 0x4000;

	im->ph[PH_TEXT] = (Elf64_Phdr){
		.p_type = PT_LOAD, .p_flags = PF_R | PF_X, .p_offset = 0x1000,
		.p_vaddr = IMG_TEXT, .p_paddr = IMG_TEXT, .p_filesz = 0x100,
		.p_memsz = 0x100, .p_align = 0x1000,
	};
	im->ph[PH_DATA] = (Elf64_Phdr){
		.p_type = PT_LOAD, .p_flags = PF_R | PF_W, .p_offset = 0x2000,
		.p_vaddr = IMG_DATA, .p_paddr = IMG_DATA, .p_filesz = 0x100,
		.p_memsz = 0x2000, .p_align = 0x1000,
	};
	for (int i = 0; i < 0x100; i++) {
		im->body[0x1000 + i] = (uint8_t)i;
		im->body[0x2000 + i] = (uint8_t)~i;
	}
	im->ph[PH_ABI] = (Elf64_Phdr){
		.p_type = PT_NOTE, .p_flags = PF_R, .p_offset = 0x3000,
		.p_align = 4,
	};
	im->ph[PH_ABI].p_filesz = img_note(im, 0x3000, "Solo5",
					   SOLO5_ABI_NOTE_TYPE, &abi,
					   sizeof(abi), 4);
	im->ph[PH_MFT] = (Elf64_Phdr){
		.p_type = PT_NOTE, .p_flags = PF_R, .p_offset = 0x3100,
		.p_align = 8,
	};
	img_set_mft(im, NULL, 0);
}

void img_solo5_shape(struct img *im)
{
	static const char interp[24] = S5_INTERP_STR;
	struct solo5_abi_info abi = {
		.abi_target = SOLO5_ABI_TARGET_HVT, .abi_version = 2,
	};
	struct mft_entry rsv = { .name = "", .type = MFT_RESERVED_FIRST };
	uint8_t desc[SOLO5_MFT_DESC_SIZE(1)];
	uint32_t openbsd_ident = 0;
	size_t mft_len = mft_desc_build(desc, &rsv, 1), n_mft, n_abi, n_obsd;

	img_default(im);
	memset(im->body, 0, sizeof(im->body));
	im->eh.e_ident[EI_OSABI] = ELFOSABI_OPENBSD;
	im->eh.e_entry = S5_TEXT_ADDR + 0x40;
	im->nph = S5_NPH;
	im->size = 0x4000;

	/* text: the interpreter string first, then code */
	memcpy(im->body + 0x1000, interp, sizeof(interp));
	for (int i = 0x40; i < 0x100; i++)
		im->body[0x1000 + i] = (uint8_t)i;
	/* rodata: manifest, ABI and OpenBSD notes, as solo5_hvt.lds orders */
	n_mft = img_note(im, 0x2000, "Solo5", SOLO5_MFT_NOTE_TYPE, desc,
			 (uint32_t)mft_len, 4);
	n_abi = img_note(im, 0x2000 + n_mft, "Solo5", SOLO5_ABI_NOTE_TYPE,
			 &abi, sizeof(abi), 4);
	n_obsd = img_note(im, 0x2000 + n_mft + n_abi, "OpenBSD", 1,
			  &openbsd_ident, sizeof(openbsd_ident), 4);
	memset(im->body + 0x3000, 0x5a, 0x14);

	im->ph[S5_INTERP] = (Elf64_Phdr){
		.p_type = PT_INTERP, .p_flags = PF_R, .p_offset = 0x1000,
		.p_vaddr = S5_TEXT_ADDR, .p_paddr = S5_TEXT_ADDR,
		.p_filesz = sizeof(interp), .p_memsz = sizeof(interp),
		.p_align = 8,
	};
	im->ph[S5_TEXT] = (Elf64_Phdr){
		.p_type = PT_LOAD, .p_flags = PF_X, .p_offset = 0x1000,
		.p_vaddr = S5_TEXT_ADDR, .p_paddr = S5_TEXT_ADDR,
		.p_filesz = 0x100, .p_memsz = 0x100, .p_align = 0x1000,
	};
	im->ph[S5_RODATA] = (Elf64_Phdr){
		.p_type = PT_LOAD, .p_flags = PF_R, .p_offset = 0x2000,
		.p_vaddr = S5_TEXT_ADDR + 0x1000,
		.p_paddr = S5_TEXT_ADDR + 0x1000,
		.p_filesz = n_mft + n_abi + n_obsd,
		.p_memsz = n_mft + n_abi + n_obsd, .p_align = 0x1000,
	};
	im->ph[S5_DATA] = (Elf64_Phdr){
		.p_type = PT_LOAD, .p_flags = PF_R | PF_W, .p_offset = 0x3000,
		.p_vaddr = S5_TEXT_ADDR + 0x2000,
		.p_paddr = S5_TEXT_ADDR + 0x2000,
		.p_filesz = 0x14, .p_memsz = 0x14, .p_align = 0x1000,
	};
	im->ph[S5_TDATA] = (Elf64_Phdr){
		.p_type = PT_LOAD, .p_flags = PF_R, .p_align = 0x1000,
	};
	im->ph[S5_TLS] = (Elf64_Phdr){ .p_type = PT_TLS, .p_align = 8 };
	im->ph[S5_BSS] = (Elf64_Phdr){
		.p_type = PT_LOAD, .p_flags = PF_R | PF_W,
		.p_vaddr = S5_BSS_ADDR, .p_paddr = S5_BSS_ADDR,
		.p_memsz = S5_BSS_SIZE, .p_align = 0x1000,
	};
	im->ph[S5_NOTE_OPENBSD] = (Elf64_Phdr){
		.p_type = PT_NOTE, .p_flags = PF_R,
		.p_offset = 0x2000 + n_mft + n_abi,
		.p_vaddr = S5_TEXT_ADDR + 0x1000 + n_mft + n_abi,
		.p_filesz = n_obsd, .p_memsz = n_obsd, .p_align = 4,
	};
	im->ph[S5_NOTE_ABI] = (Elf64_Phdr){
		.p_type = PT_NOTE, .p_flags = PF_R, .p_offset = 0x2000 + n_mft,
		.p_vaddr = S5_TEXT_ADDR + 0x1000 + n_mft,
		.p_filesz = n_abi, .p_memsz = n_abi, .p_align = 4,
	};
	im->ph[S5_NOTE_MFT] = (Elf64_Phdr){
		.p_type = PT_NOTE, .p_flags = PF_R, .p_offset = 0x2000,
		.p_vaddr = S5_TEXT_ADDR + 0x1000,
		.p_filesz = n_mft, .p_memsz = n_mft, .p_align = 4,
	};
	im->ph[S5_GNU_STACK] = (Elf64_Phdr){
		.p_type = PT_GNU_STACK, .p_flags = PF_R | PF_W, .p_align = 16,
	};
	for (unsigned i = 0; i < S5_NPH; i++)
		im->ph[i].p_paddr = im->ph[i].p_vaddr;
}

const char *img_write(const struct img *im)
{
	static char path[64];
	uint8_t *buf = calloc(1, IMG_FILE_SIZE);
	Elf64_Ehdr eh = im->eh;
	FILE *f;
	int fd;

	eh.e_phnum = (uint16_t)im->nph;
	memcpy(buf, im->body, IMG_FILE_SIZE);
	memcpy(buf, &eh, sizeof(eh));
	if (eh.e_phoff < IMG_FILE_SIZE &&
	    im->nph * sizeof(Elf64_Phdr) <= IMG_FILE_SIZE - eh.e_phoff)
		memcpy(buf + eh.e_phoff, im->ph, im->nph * sizeof(Elf64_Phdr));
	snprintf(path, sizeof(path), "/tmp/petrel-unit-XXXXXX");
	fd = mkstemp(path);
	f = fdopen(fd, "wb");
	fwrite(buf, 1, im->size, f);
	fclose(f);
	free(buf);
	return path;
}
