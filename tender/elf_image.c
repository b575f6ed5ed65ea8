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
#include <sys/mman.h>
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

/*
 * Solo5's own interpreter marker (elf_abi.h): it makes a host kernel refuse
 * to exec the image. Solo5's toolchain stores it NUL-padded to 24 bytes.
 */
#define SOLO5_INTERP		"/nonexistent/solo5/"
#define ELF_MAX_INTERP		4096
/* Solo5 reads an ABI1 descriptor of 1 to 32 bytes; 8 hold what we use. */
#define SOLO5_ABI_DESC_MIN	8
#define SOLO5_ABI_DESC_MAX	32
/* Solo5's error phrase for every bad note size (tests.bats greps it). */
#define NOTE_SIZE_BAD		"note does not fall within valid size"

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
		if (descsz < SOLO5_ABI_DESC_MIN || descsz > SOLO5_ABI_DESC_MAX)
			return errf(e, "%s: Solo5 ABI " NOTE_SIZE_BAD " (%u "
				    "bytes, expected %d to %d)", path, descsz,
				    SOLO5_ABI_DESC_MIN, SOLO5_ABI_DESC_MAX);
		/* Fields past a short descriptor (reserved ones) stay 0. */
		memcpy(&img->abi, desc + SOLO5_ABI_DESC_PAD,
		       descsz < sizeof(img->abi) ? descsz : sizeof(img->abi));
		st->have_abi = true;
		return 0;
	case SOLO5_MFT_NOTE_TYPE:
		if (descsz <= SOLO5_MFT_DESC_PAD || descsz > SOLO5_MFT_DESC_MAX)
			return errf(e, "%s: Solo5 manifest " NOTE_SIZE_BAD
				    " (%u bytes, expected %d to %zu)", path,
				    descsz, SOLO5_MFT_DESC_PAD + 1,
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
 *
 * Solo5 reads only the first note of each PT_NOTE segment, so @first_only
 * does the same: the caller walks every segment that way before it looks
 * further into them, and an image gets the notes solo5-hvt would give it.
 * A Solo5 ABI or manifest note that does not fit is an error, as in Solo5;
 * anything else that does not parse ends the walk of this segment, since
 * Solo5 never looks at it either.
 */
static int walk_notes(const char *path, const uint8_t *p, uint64_t size,
		      uint64_t align, bool first_only, struct elf_image *img,
		      struct note_state *st, struct errbuf *e)
{
	uint64_t off = 0;

	while (size - off >= sizeof(Elf64_Nhdr)) {
		Elf64_Nhdr nh;
		uint64_t name_off, desc_off;
		bool ours;

		memcpy(&nh, p + off, sizeof(nh));
		name_off = off + sizeof(nh);
		if (!range_ok(name_off, nh.n_namesz, size))
			return 0;
		/* A Solo5 note we still need (Solo5 uses the first one). */
		ours = nh.n_namesz == SOLO5_NOTE_NAMESZ &&
		       !memcmp(p + name_off, SOLO5_NOTE_NAME,
			       SOLO5_NOTE_NAMESZ) &&
		       ((nh.n_type == SOLO5_ABI_NOTE_TYPE && !st->have_abi) ||
			(nh.n_type == SOLO5_MFT_NOTE_TYPE && !st->have_mft));
		desc_off = name_off + align_up(nh.n_namesz, 4);
		if (!range_ok(desc_off, nh.n_descsz, size)) {
			if (ours)
				return errf(e, "%s: Solo5 %s " NOTE_SIZE_BAD
					    " (%u bytes, truncated)", path,
					    nh.n_type == SOLO5_ABI_NOTE_TYPE ?
					    "ABI" : "manifest", nh.n_descsz);
			return 0;
		}
		if (ours && solo5_note(path, nh.n_type, p + desc_off,
				       nh.n_descsz, img, st, e))
			return -1;
		if (first_only)
			return 0;
		off = align_up(desc_off + nh.n_descsz, align);
		if (off > size)
			break;
	}
	return 0;
}

/*
 * The alignment says where the second and later notes of a segment start;
 * a segment aligned otherwise than 4 or 8 is read for its first note only,
 * the one Solo5 reads.
 */
static int parse_note_seg(Elf *elf, const char *path, const GElf_Phdr *ph,
			  bool first_only, struct elf_image *img,
			  struct note_state *st, struct errbuf *e)
{
	uint64_t align = ph->p_align <= 4 ? 4 : ph->p_align;
	Elf_Data *d;

	if (align != 4 && align != 8 && !first_only)
		return 0;
	if (ph->p_filesz > ELF_MAX_NOTE_SEG)
		return errf(e, "%s: note segment too large (%llu bytes, at "
			    "most %u)", path, (unsigned long long)ph->p_filesz,
			    ELF_MAX_NOTE_SEG);
	if (ph->p_filesz == 0)
		return 0;
	d = elf_getdata_rawchunk(elf, (int64_t)ph->p_offset, ph->p_filesz,
				 ELF_T_BYTE);
	if (!d || !d->d_buf || d->d_size != ph->p_filesz)
		return errf(e, "%s: cannot read note segment: %s", path,
			    elf_errmsg(-1));
	return walk_notes(path, d->d_buf, d->d_size, align, first_only, img,
			  st, e);
}

/*
 * PT_INTERP: only Solo5's marker, NUL-terminated and NUL-padded, is
 * accepted; it asks for no loader. Anything else names a dynamic loader
 * that would have to relocate the image, which no hvt tender provides.
 */
static int check_interp(Elf *elf, const char *path, const GElf_Phdr *ph,
			struct errbuf *e)
{
	const size_t want = sizeof(SOLO5_INTERP);	/* with its NUL */
	char shown[64];
	const char *s;
	Elf_Data *d;
	size_t n;

	if (ph->p_filesz == 0 || ph->p_filesz > ELF_MAX_INTERP)
		return errf(e, "%s: unsupported program interpreter (PT_INTERP "
			    "of %llu bytes; only Solo5's " SOLO5_INTERP
			    " marker is accepted)", path,
			    (unsigned long long)ph->p_filesz);
	d = elf_getdata_rawchunk(elf, (int64_t)ph->p_offset, ph->p_filesz,
				 ELF_T_BYTE);
	if (!d || !d->d_buf || d->d_size != ph->p_filesz)
		return errf(e, "%s: cannot read program interpreter: %s", path,
			    elf_errmsg(-1));
	s = d->d_buf;
	n = d->d_size;
	if (n >= want && !memcmp(s, SOLO5_INTERP, want)) {
		size_t i = want;

		while (i < n && s[i] == '\0')
			i++;
		if (i == n)
			return 0;
	}
	/* Show the guest's string safely: printable ASCII, bounded. */
	for (n = 0; n < d->d_size && n + 1 < sizeof(shown) && s[n]; n++)
		shown[n] = s[n] >= 0x20 && s[n] < 0x7f ? s[n] : '?';
	shown[n] = '\0';
	return errf(e, "%s: unsupported program interpreter \"%s\" (only "
		    "Solo5's " SOLO5_INTERP " marker is accepted)", path,
		    shown);
}

/*
 * Like Solo5, load at p_vaddr and ignore p_paddr: guest memory is
 * identity-mapped, and linkers leave p_paddr to mean other things.
 */
static int check_load_seg(const char *path, size_t i, const GElf_Phdr *ph,
			  uint64_t mem_size, struct errbuf *e)
{
	if (ph->p_filesz > ph->p_memsz)
		return errf(e, "%s: segment %zu: file size exceeds memory size",
			    path, i);
	if ((ph->p_flags & PF_W) && (ph->p_flags & PF_X))
		return errf(e, "%s: segment %zu is writable and executable",
			    path, i);
	if (ph->p_vaddr < HVT_GUEST_MIN_BASE)
		return errf(e, "%s: segment %zu at 0x%llx, below 0x%llx", path,
			    i, (unsigned long long)ph->p_vaddr,
			    HVT_GUEST_MIN_BASE);
	if (!range_ok(ph->p_vaddr, ph->p_memsz, mem_size))
		return errf(e, "%s: segment %zu (0x%llx, %llu bytes) does not "
			    "fit in %llu MiB of guest memory", path, i,
			    (unsigned long long)ph->p_vaddr,
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
		if (ph.p_type == PT_DYNAMIC)
			return errf(e, "%s: dynamically linked (PT_DYNAMIC), "
				    "not a static executable", path);
		/*
		 * Empty segments (Solo5's toolchain emits one at address 0)
		 * load nothing, so there is nothing to check: skip them
		 * wherever they are, as Solo5 does.
		 */
		if (ph.p_type == PT_LOAD && ph.p_filesz == 0 &&
		    ph.p_memsz == 0)
			continue;
		if (ph.p_type != PT_LOAD && ph.p_type != PT_NOTE &&
		    ph.p_type != PT_INTERP)
			continue;
		if (!range_ok(ph.p_offset, ph.p_filesz, fsize))
			return errf(e, "%s: segment %zu extends past the end of "
				    "the file", path, i);
		if (ph.p_type == PT_INTERP) {
			if (check_interp(elf, path, &ph, e))
				return -1;
			continue;
		}
		if (ph.p_type == PT_NOTE) {
			if (parse_note_seg(elf, path, &ph, true, img, &st, e))
				return -1;
			continue;
		}
		if (check_load_seg(path, i, &ph, mem_size, e))
			return -1;
		img->segs[img->nsegs++] = (struct elf_seg){
			.paddr = ph.p_vaddr, .offset = ph.p_offset,
			.filesz = ph.p_filesz, .memsz = ph.p_memsz,
			.flags = ph.p_flags,
		};
	}
	/* Solo5 saw only each segment's first note; now look further. */
	for (size_t i = 0; i < phnum && !(st.have_abi && st.have_mft); i++) {
		GElf_Phdr ph;

		if (!gelf_getphdr(elf, (int)i, &ph))
			return errf(e, "%s: bad program header %zu: %s", path,
				    i, elf_errmsg(-1));
		if (ph.p_type == PT_NOTE &&
		    parse_note_seg(elf, path, &ph, false, img, &st, e))
			return -1;
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
		if (s->paddr + s->memsz > end)
			end = s->paddr + s->memsz;
	}
	/*
	 * As in Solo5, the entry point need only be in guest memory above the
	 * tender's area: where it points is the guest's own business.
	 */
	if (img->entry < HVT_GUEST_MIN_BASE || img->entry >= mem_size)
		return errf(e, "%s: entry point 0x%llx outside guest memory "
			    "(0x%llx to 0x%llx)", path,
			    (unsigned long long)img->entry, HVT_GUEST_MIN_BASE,
			    (unsigned long long)mem_size);
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
		unsigned char id[EI_NIDENT];

		/* libelf takes no e_ident[EI_VERSION] but 1 (Solo5 does) */
		if (pread(fd, id, sizeof(id), 0) == (ssize_t)sizeof(id) &&
		    !memcmp(id, ELFMAG, SELFMAG) && id[EI_VERSION] != EV_CURRENT)
			errf(e, "%s: ELF identification version %u, expected 1",
			     path, id[EI_VERSION]);
		else
			errf(e, "%s: not an ELF file", path);
		goto out;
	}
	if (ident[EI_CLASS] != ELFCLASS64) {
		errf(e, "%s: not a 64-bit ELF file", path);
		goto out;
	}
	/*
	 * EI_OSABI and EI_ABIVERSION are not checked, as in Solo5: toolchains
	 * set them as they like and offer no way to change them.
	 */
	if (ident[EI_DATA] != ELFDATA2LSB) {
		errf(e, "%s: not a little-endian ELF file", path);
		goto out;
	}
	if (!gelf_getehdr(elf, &eh)) {
		errf(e, "%s: bad ELF header: %s", path, elf_errmsg(-1));
		goto out;
	}
	if (eh.e_version != EV_CURRENT) {
		errf(e, "%s: ELF version %u, expected 1", path, eh.e_version);
		goto out;
	}
	if (eh.e_ehsize != sizeof(Elf64_Ehdr)) {
		errf(e, "%s: ELF header size %u, expected %zu", path,
		     eh.e_ehsize, sizeof(Elf64_Ehdr));
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

/*
 * Zero [p, p + n), a segment's bss. Its whole pages are punched out of the
 * guest's memory (shared, so shmem: MADV_REMOVE frees them and they read
 * as zero), so a bss the guest never touches costs the host nothing:
 * Solo5's bindings carry 2 MiB of it, which a memset would make resident
 * for the VM's life. Only the partial pages at either end are written,
 * and memory that is not shmem (MADV_REMOVE refuses it) all by memset.
 */
static void zero_bss(uint8_t *p, uint64_t n)
{
	uintptr_t s = ((uintptr_t)p + HVT_PAGE_SIZE - 1) &
		      ~(uintptr_t)(HVT_PAGE_SIZE - 1);
	uintptr_t e = ((uintptr_t)p + n) & ~(uintptr_t)(HVT_PAGE_SIZE - 1);

	if (s < e && !madvise((void *)s, e - s, MADV_REMOVE)) {
		memset(p, 0, s - (uintptr_t)p);
		memset((void *)e, 0, (uintptr_t)p + n - e);
		return;
	}
	memset(p, 0, n);
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
		zero_bss(dst + s->filesz, s->memsz - s->filesz);
	}
	return 0;
}
