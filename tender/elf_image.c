// SPDX-License-Identifier: ISC
/*
 * ELF parsing. libelf reads the container (identification, headers, raw
 * note bytes); every number it hands back is still checked here, with
 * comparisons that cannot overflow, before it is used.
 */
#include <errno.h>
#include <gelf.h>
#include <libelf.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../abi/hvt_abi.h"
#include "elf_image.h"
#include "manifest.h"

/* True when [off, off + len) fits in [0, size). */
static bool range_ok(uint64_t off, uint64_t len, uint64_t size)
{
	return off <= size && len <= size - off;
}

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

static const char *target_name(uint32_t t)
{
	static const char *const names[] = {
		"hvt", "spt", "virtio", "muen", "genode", "xen"
	};

	if (t >= SOLO5_ABI_TARGET_HVT && t <= SOLO5_ABI_TARGET_XEN)
		return names[t - 1];
	return "unknown";
}

struct note_state {
	bool have_abi;
	bool have_mft;
};

static int solo5_note(const char *path, uint32_t type, const uint8_t *desc,
		      uint32_t descsz, struct elf_image *img,
		      struct note_state *st, struct errbuf *e)
{
	const struct mft *mft;
	struct errbuf me;

	switch (type) {
	case SOLO5_ABI_NOTE_TYPE:
		if (st->have_abi)
			return errf(e, "%s: two Solo5 ABI notes", path);
		if (descsz != SOLO5_ABI_DESC_PAD + sizeof(img->abi))
			return errf(e, "%s: Solo5 ABI note has %u bytes, "
				    "expected %zu", path, descsz,
				    sizeof(img->abi));
		memcpy(&img->abi, desc + SOLO5_ABI_DESC_PAD, sizeof(img->abi));
		st->have_abi = true;
		return 0;
	case SOLO5_MFT_NOTE_TYPE:
		if (st->have_mft)
			return errf(e, "%s: two Solo5 manifest notes", path);
		if (descsz > SOLO5_MFT_DESC_MAX)
			return errf(e, "%s: manifest note too large (%u bytes, "
				    "at most %zu)", path, descsz,
				    SOLO5_MFT_DESC_MAX);
		memcpy(img->mft_buf + 8 - SOLO5_MFT_DESC_PAD, desc, descsz);
		img->mft_desc_size = descsz;
		if (mft_validate(img->mft_buf + 8 - SOLO5_MFT_DESC_PAD, descsz,
				 &mft, &me))
			return errf(e, "%s: %s", path, me.msg);
		st->have_mft = true;
		return 0;
	default:
		/* Other Solo5 notes carry nothing a tender needs. */
		return 0;
	}
}

/*
 * Walk the notes of one PT_NOTE segment. Notes start at multiples of the
 * segment's alignment (4, or 8 for segments holding 8-aligned notes such
 * as the manifest); inside a note the name is padded to 4 bytes and the
 * descriptor follows, as solo5_notes.h describes.
 */
static int walk_notes(const char *path, const uint8_t *p, uint64_t size,
		      uint64_t align, struct elf_image *img,
		      struct note_state *st, struct errbuf *e)
{
	uint64_t off = 0;

	while (size - off >= sizeof(Elf64_Nhdr)) {
		Elf64_Nhdr nh;
		uint64_t name_off, desc_off;

		memcpy(&nh, p + off, sizeof(nh));
		name_off = off + sizeof(nh);
		if (!range_ok(name_off, nh.n_namesz, size))
			return errf(e, "%s: truncated ELF note", path);
		desc_off = name_off + align_up(nh.n_namesz, 4);
		if (!range_ok(desc_off, nh.n_descsz, size))
			return errf(e, "%s: truncated ELF note", path);
		if (nh.n_namesz == SOLO5_NOTE_NAMESZ &&
		    !memcmp(p + name_off, SOLO5_NOTE_NAME, SOLO5_NOTE_NAMESZ) &&
		    solo5_note(path, nh.n_type, p + desc_off, nh.n_descsz, img,
			       st, e))
			return -1;
		off = align_up(desc_off + nh.n_descsz, align);
		if (off > size)
			break;
	}
	return 0;
}

static int parse_note_seg(Elf *elf, const char *path, const GElf_Phdr *ph,
			  struct elf_image *img, struct note_state *st,
			  struct errbuf *e)
{
	uint64_t align = ph->p_align <= 4 ? 4 : ph->p_align;
	Elf_Data *d;

	if (align != 4 && align != 8)
		return errf(e, "%s: note segment alignment %llu not supported",
			    path, (unsigned long long)ph->p_align);
	if (ph->p_filesz > ELF_MAX_NOTE_SEG)
		return errf(e, "%s: note segment too large (%llu bytes)", path,
			    (unsigned long long)ph->p_filesz);
	if (ph->p_filesz == 0)
		return 0;
	d = elf_getdata_rawchunk(elf, (int64_t)ph->p_offset, ph->p_filesz,
				 ELF_T_BYTE);
	if (!d || !d->d_buf || d->d_size != ph->p_filesz)
		return errf(e, "%s: cannot read note segment: %s", path,
			    elf_errmsg(-1));
	return walk_notes(path, d->d_buf, d->d_size, align, img, st, e);
}

static int check_load_seg(const char *path, size_t i, const GElf_Phdr *ph,
			  uint64_t mem_size, struct errbuf *e)
{
	if (ph->p_filesz > ph->p_memsz)
		return errf(e, "%s: segment %zu: file size exceeds memory size",
			    path, i);
	if ((ph->p_flags & PF_W) && (ph->p_flags & PF_X))
		return errf(e, "%s: segment %zu is writable and executable",
			    path, i);
	if (ph->p_vaddr != ph->p_paddr)
		return errf(e, "%s: segment %zu: virtual address differs from "
			    "physical (guest memory is identity-mapped)", path,
			    i);
	if (ph->p_paddr < HVT_GUEST_MIN_BASE)
		return errf(e, "%s: segment %zu at 0x%llx, below 0x%llx", path,
			    i, (unsigned long long)ph->p_paddr,
			    HVT_GUEST_MIN_BASE);
	if (!range_ok(ph->p_paddr, ph->p_memsz, mem_size))
		return errf(e, "%s: segment %zu (0x%llx, %llu bytes) does not "
			    "fit in %llu MiB of guest memory", path, i,
			    (unsigned long long)ph->p_paddr,
			    (unsigned long long)ph->p_memsz,
			    (unsigned long long)(mem_size >> 20));
	return 0;
}

static int seg_cmp(const void *a, const void *b)
{
	const struct elf_seg *x = a, *y = b;

	return x->paddr < y->paddr ? -1 : x->paddr > y->paddr;
}

static int parse_phdrs(Elf *elf, const char *path, uint64_t fsize,
		       uint64_t mem_size, struct elf_image *img,
		       struct errbuf *e)
{
	struct note_state st = { false, false };
	size_t phnum;
	uint64_t end = 0;
	bool entry_ok = false;

	if (elf_getphdrnum(elf, &phnum))
		return errf(e, "%s: bad program header count: %s", path,
			    elf_errmsg(-1));
	if (phnum == 0)
		return errf(e, "%s: no program headers", path);
	if (phnum > ELF_MAX_PHDRS)
		return errf(e, "%s: %zu program headers, at most %d allowed",
			    path, phnum, ELF_MAX_PHDRS);

	for (size_t i = 0; i < phnum; i++) {
		GElf_Phdr ph;

		if (!gelf_getphdr(elf, (int)i, &ph))
			return errf(e, "%s: bad program header %zu: %s", path,
				    i, elf_errmsg(-1));
		if (ph.p_type == PT_INTERP || ph.p_type == PT_DYNAMIC)
			return errf(e, "%s: not a static executable", path);
		if (ph.p_type != PT_LOAD && ph.p_type != PT_NOTE)
			continue;
		if (!range_ok(ph.p_offset, ph.p_filesz, fsize))
			return errf(e, "%s: segment %zu extends past the end of "
				    "the file", path, i);
		if (ph.p_type == PT_NOTE) {
			if (parse_note_seg(elf, path, &ph, img, &st, e))
				return -1;
			continue;
		}
		if (check_load_seg(path, i, &ph, mem_size, e))
			return -1;
		if (ph.p_memsz == 0)
			continue;
		img->segs[img->nsegs++] = (struct elf_seg){
			.paddr = ph.p_paddr, .offset = ph.p_offset,
			.filesz = ph.p_filesz, .memsz = ph.p_memsz,
			.flags = ph.p_flags,
		};
	}
	if (img->nsegs == 0)
		return errf(e, "%s: no loadable segments", path);

	qsort(img->segs, img->nsegs, sizeof(img->segs[0]), seg_cmp);
	for (unsigned i = 0; i < img->nsegs; i++) {
		const struct elf_seg *s = &img->segs[i];

		/* Sorted, so only the next segment can overlap this one. */
		if (i + 1 < img->nsegs &&
		    s->memsz > img->segs[i + 1].paddr - s->paddr)
			return errf(e, "%s: segments at 0x%llx and 0x%llx "
				    "overlap", path,
				    (unsigned long long)s->paddr,
				    (unsigned long long)img->segs[i + 1].paddr);
		if ((s->flags & PF_X) && img->entry >= s->paddr &&
		    img->entry - s->paddr < s->memsz)
			entry_ok = true;
		if (s->paddr + s->memsz > end)
			end = s->paddr + s->memsz;
	}
	if (!entry_ok)
		return errf(e, "%s: entry point 0x%llx is not in an executable "
			    "segment", path, (unsigned long long)img->entry);
	/* mem_size is 2 MiB-aligned, so this cannot pass it. */
	img->kernel_end = align_up(end, HVT_PAGE_SIZE);

	if (!st.have_abi)
		return errf(e, "%s: no Solo5 ABI note (not a Solo5 unikernel?)",
			    path);
	if (img->abi.abi_target != SOLO5_ABI_TARGET_HVT)
		return errf(e, "%s: built for Solo5 target %s (%u), this "
			    "tender runs hvt", path,
			    target_name(img->abi.abi_target),
			    img->abi.abi_target);
	if (img->abi.abi_version != HVT_ABI_VERSION)
		return errf(e, "%s: built for hvt ABI version %u, this tender "
			    "runs version %d", path, img->abi.abi_version,
			    HVT_ABI_VERSION);
	if (!st.have_mft)
		return errf(e, "%s: no Solo5 manifest note", path);
	return 0;
}

int elf_image_parse(int fd, const char *path, uint64_t mem_size,
		    struct elf_image *img, struct errbuf *e)
{
	struct stat sb;
	GElf_Ehdr eh;
	Elf *elf;
	const char *ident;
	size_t idlen;
	int ret = -1;

	memset(img, 0, sizeof(*img));
	if (fstat(fd, &sb))
		return errf(e, "%s: %s", path, strerror(errno));
	if (!S_ISREG(sb.st_mode))
		return errf(e, "%s: not a regular file", path);
	if (elf_version(EV_CURRENT) == EV_NONE)
		return errf(e, "libelf: %s", elf_errmsg(-1));
	elf = elf_begin(fd, ELF_C_READ, NULL);
	if (!elf)
		return errf(e, "%s: cannot read ELF: %s", path, elf_errmsg(-1));

	ident = elf_getident(elf, &idlen);
	if (elf_kind(elf) != ELF_K_ELF || !ident || idlen < EI_NIDENT) {
		errf(e, "%s: not an ELF file", path);
		goto out;
	}
	if (ident[EI_CLASS] != ELFCLASS64) {
		errf(e, "%s: not a 64-bit ELF file", path);
		goto out;
	}
	if (ident[EI_DATA] != ELFDATA2LSB ||
	    ident[EI_VERSION] != EV_CURRENT) {
		errf(e, "%s: not a little-endian ELF version 1 file", path);
		goto out;
	}
	if (!gelf_getehdr(elf, &eh)) {
		errf(e, "%s: bad ELF header: %s", path, elf_errmsg(-1));
		goto out;
	}
	if (eh.e_machine != EM_X86_64) {
		errf(e, "%s: not an x86_64 executable (machine %u)", path,
		     eh.e_machine);
		goto out;
	}
	if (eh.e_type != ET_EXEC) {
		errf(e, "%s: not a static executable (ELF type %u)", path,
		     eh.e_type);
		goto out;
	}
	if (eh.e_phentsize != sizeof(Elf64_Phdr)) {
		errf(e, "%s: program header size %u, expected %zu", path,
		     eh.e_phentsize, sizeof(Elf64_Phdr));
		goto out;
	}
	if (eh.e_phnum > ELF_MAX_PHDRS ||
	    !range_ok(eh.e_phoff, (uint64_t)eh.e_phnum * sizeof(Elf64_Phdr),
		      (uint64_t)sb.st_size)) {
		errf(e, eh.e_phnum > ELF_MAX_PHDRS ?
		     "%s: too many program headers" :
		     "%s: program headers extend past the end of the file",
		     path);
		goto out;
	}
	img->entry = eh.e_entry;
	ret = parse_phdrs(elf, path, (uint64_t)sb.st_size, mem_size, img, e);
out:
	elf_end(elf);
	return ret;
}

int elf_image_load(int fd, const char *path, const struct elf_image *img,
		   const struct guest_mem *m, struct errbuf *e)
{
	for (unsigned i = 0; i < img->nsegs; i++) {
		const struct elf_seg *s = &img->segs[i];
		uint8_t *dst = gmem_ptr(m, s->paddr, s->memsz);
		uint64_t done = 0;

		if (!dst)
			return errf(e, "%s: segment at 0x%llx outside guest "
				    "memory", path,
				    (unsigned long long)s->paddr);
		while (done < s->filesz) {
			ssize_t n = pread(fd, dst + done, s->filesz - done,
					  (off_t)(s->offset + done));

			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				return errf(e, "%s: cannot read segment at "
					    "0x%llx: %s", path,
					    (unsigned long long)s->paddr,
					    n < 0 ? strerror(errno) :
					    "file truncated");
			done += (uint64_t)n;
		}
		memset(dst + s->filesz, 0, s->memsz - s->filesz);
	}
	return 0;
}
