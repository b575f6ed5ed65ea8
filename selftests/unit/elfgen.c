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
