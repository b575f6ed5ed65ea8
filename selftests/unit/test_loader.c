// SPDX-License-Identifier: ISC
/* The ELF loader against generated images: one valid, then each reject. */
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../../abi/hvt_abi.h"
#include "../../tender/elf_image.h"
#include "elfgen.h"
#include "ktest.h"

#define MEM_SIZE	(8ULL << 20)

static struct img im;
static struct elf_image ei;
static struct errbuf err;
static char last_path[64];

/* Parse im; returns elf_image_parse's result, keeps the file until next. */
static int parse_mem(uint64_t mem_size)
{
	const char *path = img_write(&im);
	int fd = open(path, O_RDONLY), rc;

	snprintf(last_path, sizeof(last_path), "%s", path);
	err.msg[0] = '\0';
	rc = elf_image_parse(fd, path, mem_size, &ei, &err);
	close(fd);
	unlink(path);
	return rc;
}

static int parse(void)
{
	return parse_mem(MEM_SIZE);
}

/* The image is refused, the message names the file and says @why. */
static void rejects(const char *why)
{
	CHECK(parse() == -1);
	CHECK_MSG(err.msg, last_path);
	CHECK_MSG(err.msg, why);
}

static void t_valid(void)
{
	const char *path;
	uint8_t *mem = calloc(1, MEM_SIZE);
	struct guest_mem gm = { .base = mem, .size = MEM_SIZE };
	int fd;

	img_default(&im);
	path = img_write(&im);
	fd = open(path, O_RDONLY);
	CHECK(elf_image_parse(fd, path, MEM_SIZE, &ei, &err) == 0);
	CHECK(ei.entry == IMG_TEXT + 0x10);
	CHECK(ei.nsegs == 2);
	CHECK(ei.kernel_end == IMG_DATA + 0x2000);
	CHECK(elf_image_mft(&ei)->entries == 0);
	memset(mem + IMG_DATA + 0x100, 0xaa, 0x100);	/* must be zeroed */
	CHECK(elf_image_load(fd, path, &ei, &gm, &err) == 0);
	CHECK(mem[IMG_TEXT + 0x42] == 0x42);
	CHECK(mem[IMG_DATA + 0x42] == (uint8_t)~0x42);
	CHECK(mem[IMG_DATA + 0x100] == 0 && mem[IMG_DATA + 0x1fff] == 0);
	CHECK(mem[IMG_TEXT - 1] == 0 && mem[IMG_TEXT + 0x100] == 0);
	close(fd);
	unlink(path);
	free(mem);
}

static void t_kernel_end_page_aligned(void)
{
	img_default(&im);
	im.ph[PH_DATA].p_memsz = 0x2001;
	CHECK(parse() == 0);
	CHECK(ei.kernel_end == IMG_DATA + 0x3000);
}

/* Both notes in one PT_NOTE with p_align 8, as a linker may merge them. */
static void t_notes_merged_align8(void)
{
	struct solo5_abi_info abi = { SOLO5_ABI_TARGET_HVT, 2, 0, 0 };
	static uint8_t desc[SOLO5_MFT_DESC_MAX];
	struct mft_entry e[2] = {
		{ .name = "", .type = MFT_RESERVED_FIRST },
		{ .name = "disk", .type = MFT_DEV_BLOCK_BASIC },
	};
	size_t n, len = mft_desc_build(desc, e, 2);

	img_default(&im);
	memset(im.body + 0x3000, 0, 0x1000);
	n = img_note(&im, 0x3000, "Solo5", SOLO5_ABI_NOTE_TYPE, &abi,
		     sizeof(abi), 8);
	CHECK(n == 40);	/* 36 bytes, padded to the next 8-aligned note */
	n += img_note(&im, 0x3000 + n, "Solo5", SOLO5_MFT_NOTE_TYPE, desc,
		      (uint32_t)len, 8);
	im.ph[PH_ABI].p_filesz = n;
	im.ph[PH_ABI].p_align = 8;
	im.nph = 3;
	CHECK(parse() == 0);
	CHECK(elf_image_mft(&ei)->entries == 2);
	CHECK(!strcmp(elf_image_mft(&ei)->e[1].name, "disk"));
}

/* The manifest in a p_align 4 segment and other vendors' notes skipped. */
static void t_notes_align4_foreign(void)
{
	static uint8_t desc[SOLO5_MFT_DESC_MAX];
	struct mft_entry e = { .name = "net0", .type = MFT_DEV_NET_BASIC };
	size_t n, len = mft_desc_build(desc, &e, 1);
	uint8_t id[20] = { 1, 2, 3 };

	img_default(&im);
	memset(im.body + 0x3100, 0, 0x1000);
	n = img_note(&im, 0x3100, "GNU", NT_GNU_BUILD_ID, id, sizeof(id), 4);
	n += img_note(&im, 0x3100 + n, "Solo5", SOLO5_MFT_NOTE_TYPE, desc,
		      (uint32_t)len, 4);
	im.ph[PH_MFT].p_filesz = n;
	im.ph[PH_MFT].p_align = 4;
	CHECK(parse() == 0);
	CHECK(elf_image_mft(&ei)->entries == 1);
}

static void t_not_elf(void)
{
	img_default(&im);
	memset(&im.eh, 'x', sizeof(im.eh));
	rejects("not an ELF file");
}

static void t_empty_file(void)
{
	img_default(&im);
	im.size = 0;
	rejects("not an ELF file");
}

static void t_elf32(void)
{
	img_default(&im);
	im.eh.e_ident[EI_CLASS] = ELFCLASS32;
	rejects("not a 64-bit ELF");
}

static void t_big_endian(void)
{
	img_default(&im);
	im.eh.e_ident[EI_DATA] = ELFDATA2MSB;
	rejects("little-endian");
}

static void t_wrong_machine(void)
{
	img_default(&im);
	im.eh.e_machine = EM_AARCH64;
	rejects("not an x86_64 executable");
}

static void t_not_exec(void)
{
	img_default(&im);
	im.eh.e_type = ET_DYN;
	rejects("not a static executable");
}

/* A PT_INTERP at body offset 0x3800 holding @len bytes of @str. */
static void set_interp(const void *str, size_t len)
{
	memset(im.body + 0x3800, 0, 0x100);
	memcpy(im.body + 0x3800, str, len);
	im.ph[im.nph++] = (Elf64_Phdr){ .p_type = PT_INTERP,
		.p_flags = PF_R, .p_offset = 0x3800, .p_filesz = len,
		.p_memsz = len, .p_align = 1 };
}

static void t_interp_solo5(void)
{
	static const char padded[24] = "/nonexistent/solo5/";

	img_default(&im);
	set_interp(padded, sizeof(padded));
	CHECK(parse() == 0);
	img_default(&im);
	set_interp("/nonexistent/solo5/", 20);	/* just the NUL */
	CHECK(parse() == 0);
}

static void t_interp_other(void)
{
	img_default(&im);
	set_interp("/lib64/ld-linux-x86-64.so.2", 28);
	rejects("unsupported program interpreter "
		"\"/lib64/ld-linux-x86-64.so.2\"");
	CHECK_MSG(err.msg, "only Solo5's /nonexistent/solo5/ marker");
}

static void t_interp_near_misses(void)
{
	img_default(&im);
	set_interp("/nonexistent/solo5", 19);	/* no slash */
	rejects("unsupported program interpreter \"/nonexistent/solo5\"");
	img_default(&im);
	set_interp("/nonexistent/solo5/", 19);	/* no NUL */
	rejects("unsupported program interpreter");
	img_default(&im);
	set_interp("/nonexistent/solo5/\0x", 21);	/* more after it */
	rejects("unsupported program interpreter");
	img_default(&im);
	set_interp("/nonexistent/solo5/x", 21);
	rejects("unsupported program interpreter \"/nonexistent/solo5/x\"");
	img_default(&im);
	set_interp("\x01\n", 3);			/* shown safely */
	rejects("unsupported program interpreter \"??\"");
}

static void t_interp_bounds(void)
{
	img_default(&im);
	set_interp("", 0);
	rejects("PT_INTERP of 0 bytes");
	img_default(&im);
	set_interp("/nonexistent/solo5/", 20);
	im.ph[im.nph - 1].p_filesz = 5000;
	im.size = IMG_FILE_SIZE;
	rejects("PT_INTERP of 5000 bytes");
	img_default(&im);
	set_interp("/nonexistent/solo5/", 20);
	im.ph[im.nph - 1].p_offset = im.size - 10;
	rejects("past the end of the file");
	img_default(&im);
	set_interp("/nonexistent/solo5/", 20);
	im.ph[im.nph - 1].p_offset = UINT64_MAX - 4;
	rejects("past the end of the file");
}

static void t_dynamic(void)
{
	img_default(&im);
	im.ph[im.nph++] = (Elf64_Phdr){ .p_type = PT_DYNAMIC,
		.p_offset = 0x3800, .p_filesz = 16 };
	rejects("dynamically linked (PT_DYNAMIC)");
	/* even next to Solo5's marker */
	img_default(&im);
	set_interp("/nonexistent/solo5/", 20);
	im.ph[im.nph++] = (Elf64_Phdr){ .p_type = PT_DYNAMIC };
	rejects("PT_DYNAMIC");
}

static void t_solo5_shape(void)
{
	uint8_t *mem = calloc(1, MEM_SIZE);
	struct guest_mem gm = { .base = mem, .size = MEM_SIZE };
	const char *path;
	int fd;

	img_solo5_shape(&im);
	path = img_write(&im);
	fd = open(path, O_RDONLY);
	CHECK(elf_image_parse(fd, path, MEM_SIZE, &ei, &err) == 0);
	CHECK(ei.entry == S5_TEXT_ADDR + 0x40);
	CHECK(ei.nsegs == 4);	/* text, rodata, data, bss */
	CHECK(ei.segs[0].paddr == S5_TEXT_ADDR && ei.segs[0].flags == PF_X);
	CHECK(ei.segs[3].paddr == S5_BSS_ADDR && ei.segs[3].filesz == 0);
	CHECK(ei.kernel_end == S5_BSS_ADDR + 0x4000);
	CHECK(elf_image_mft(&ei)->entries == 1);
	CHECK(elf_image_mft(&ei)->e[0].type == MFT_RESERVED_FIRST);
	memset(mem + S5_BSS_ADDR, 0xaa, S5_BSS_SIZE);	/* must be zeroed */
	CHECK(elf_image_load(fd, path, &ei, &gm, &err) == 0);
	CHECK(!memcmp(mem + S5_TEXT_ADDR, S5_INTERP_STR,
		      sizeof(S5_INTERP_STR)));
	CHECK(mem[S5_TEXT_ADDR + 0x42] == 0x42);
	CHECK(mem[S5_TEXT_ADDR + 0x2000] == 0x5a);
	CHECK(mem[S5_BSS_ADDR] == 0 && mem[S5_BSS_ADDR + S5_BSS_SIZE - 1] == 0);
	CHECK(mem[0] == 0);
	close(fd);
	unlink(path);
	free(mem);
}

/*
 * In guest memory as the tender maps it (shared, anonymous), the bss is
 * zeroed all the same, but its whole pages are given back rather than
 * written: a bss the guest never touches costs the host no memory.
 */
static void t_bss_not_resident(void)
{
	uint8_t *mem = mmap(NULL, MEM_SIZE, PROT_READ | PROT_WRITE,
			    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	struct guest_mem gm = { .base = mem, .size = MEM_SIZE };
	uint64_t whole = (S5_BSS_SIZE & ~0xfffULL) >> 12;
	unsigned char in[16];
	uint64_t nonzero = 0;
	const char *path;
	int fd;

	CHECK(mem != MAP_FAILED);
	if (mem == MAP_FAILED)
		return;
	CHECK(whole >= 1 && whole <= sizeof(in));
	img_solo5_shape(&im);
	path = img_write(&im);
	fd = open(path, O_RDONLY);
	CHECK(elf_image_parse(fd, path, MEM_SIZE, &ei, &err) == 0);
	memset(mem + S5_BSS_ADDR, 0xaa, S5_BSS_SIZE);	/* must be zeroed */
	CHECK(elf_image_load(fd, path, &ei, &gm, &err) == 0);
	CHECK(mincore(mem + S5_BSS_ADDR, whole << 12, in) == 0);
	for (uint64_t i = 0; i < whole; i++)
		CHECK(!(in[i] & 1));
	for (uint64_t i = 0; i < S5_BSS_SIZE; i++)
		nonzero += mem[S5_BSS_ADDR + i] != 0;
	CHECK(nonzero == 0);
	CHECK(mem[S5_TEXT_ADDR + 0x42] == 0x42);
	close(fd);
	unlink(path);
	munmap(mem, MEM_SIZE);
}

/* Empty PT_LOADs are skipped wherever they are and whatever they hold. */
static void t_empty_loads_anywhere(void)
{
	static const uint64_t addrs[] = { 0, 0x1000, 0xfffff, IMG_TEXT + 8,
					  MEM_SIZE, UINT64_MAX };

	for (size_t i = 0; i < sizeof(addrs) / sizeof(addrs[0]); i++) {
		img_solo5_shape(&im);
		im.ph[S5_TDATA].p_vaddr = addrs[i];
		im.ph[S5_TDATA].p_paddr = addrs[i] ^ 0x1000;
		im.ph[S5_TDATA].p_offset = UINT64_MAX;
		im.ph[S5_TDATA].p_flags = PF_R | PF_W | PF_X;
		im.ph[S5_TDATA].p_align = 3;
		CHECK(parse() == 0);
		CHECK(ei.nsegs == 4);
	}
}

static void t_tls_and_stack_ignored(void)
{
	img_solo5_shape(&im);
	im.ph[S5_TLS].p_offset = UINT64_MAX;	/* never read */
	im.ph[S5_GNU_STACK].p_flags = PF_R | PF_W | PF_X;
	CHECK(parse() == 0);
}

static void t_any_osabi(void)
{
	static const uint8_t osabi[] = { ELFOSABI_SYSV, ELFOSABI_LINUX,
					 ELFOSABI_FREEBSD, ELFOSABI_OPENBSD,
					 0xff };

	for (size_t i = 0; i < sizeof(osabi); i++) {
		img_solo5_shape(&im);
		im.eh.e_ident[EI_OSABI] = osabi[i];
		im.eh.e_ident[EI_ABIVERSION] = (uint8_t)(i * 51);
		CHECK(parse() == 0);
	}
}

static void t_openbsd_note_only_first(void)
{
	/* The OpenBSD ident note first in the notes, as Solo5 emits. */
	img_solo5_shape(&im);
	im.ph[S5_NOTE_OPENBSD].p_offset = 0x2000;
	im.ph[S5_NOTE_OPENBSD].p_filesz = im.ph[S5_RODATA].p_filesz;
	im.ph[S5_NOTE_MFT].p_type = PT_NULL;
	im.ph[S5_NOTE_ABI].p_type = PT_NULL;
	CHECK(parse() == 0);	/* found by walking the whole segment */
	CHECK(elf_image_mft(&ei)->entries == 1);
}

/* Only non-empty segments count: a bss segment is loaded and zeroed. */
static void t_bss_only_segment(void)
{
	img_solo5_shape(&im);
	im.ph[S5_BSS].p_vaddr = 0x1000;
	im.ph[S5_BSS].p_paddr = 0x1000;
	rejects("below 0x100000");
	img_solo5_shape(&im);
	im.ph[S5_BSS].p_vaddr = S5_TEXT_ADDR + 0x2010;
	rejects("overlap");
	img_solo5_shape(&im);
	im.ph[S5_BSS].p_memsz = MEM_SIZE;
	rejects("does not fit");
}

static void t_no_phdrs(void)
{
	img_default(&im);
	im.nph = 0;
	rejects("no program headers");
}

static void t_too_many_phdrs(void)
{
	img_default(&im);
	while (im.nph < ELF_MAX_PHDRS + 1)
		im.ph[im.nph++] = (Elf64_Phdr){ .p_type = PT_NULL };
	rejects("too many program headers");
}

static void t_phdrs_past_file(void)
{
	img_default(&im);
	im.eh.e_phoff = 0x3ff0;
	rejects("program headers extend past the end of the file");
}

static void t_bad_phentsize(void)
{
	img_default(&im);
	im.eh.e_phentsize = 32;
	rejects("program header size");
}

static void t_below_min_base(void)
{
	img_default(&im);
	im.ph[PH_TEXT].p_paddr = im.ph[PH_TEXT].p_vaddr = 0xff000;
	im.eh.e_entry = 0xff010;
	rejects("below 0x100000");
}

static void t_overlap(void)
{
	img_default(&im);
	im.ph[PH_DATA].p_paddr = im.ph[PH_DATA].p_vaddr = IMG_TEXT + 0xff;
	rejects("overlap");
}

static void t_adjacent_ok(void)
{
	img_default(&im);
	im.ph[PH_DATA].p_paddr = im.ph[PH_DATA].p_vaddr = IMG_TEXT + 0x100;
	CHECK(parse() == 0);
}

static void t_filesz_gt_memsz(void)
{
	img_default(&im);
	im.ph[PH_DATA].p_memsz = 0x80;
	rejects("file size exceeds memory size");
}

static void t_offset_past_file(void)
{
	img_default(&im);
	im.ph[PH_DATA].p_offset = 0x3f80;
	rejects("past the end of the file");
}

static void t_offset_overflow(void)
{
	img_default(&im);
	im.ph[PH_DATA].p_offset = UINT64_MAX - 0x10;
	rejects("past the end of the file");
}

static void t_paddr_overflow(void)
{
	img_default(&im);
	im.ph[PH_DATA].p_paddr = im.ph[PH_DATA].p_vaddr = UINT64_MAX - 0x10;
	rejects("does not fit");
}

static void t_past_guest_memory(void)
{
	img_default(&im);
	im.ph[PH_DATA].p_memsz = MEM_SIZE - IMG_DATA + 1;
	rejects("does not fit in 8 MiB");
}

static void t_ends_at_guest_memory(void)
{
	img_default(&im);
	im.ph[PH_DATA].p_memsz = MEM_SIZE - IMG_DATA;
	CHECK(parse() == 0);
	CHECK(ei.kernel_end == MEM_SIZE);
}

static void t_small_memory(void)
{
	img_default(&im);
	CHECK(parse_mem(2ULL << 20) == -1);
	CHECK_MSG(err.msg, "does not fit in 2 MiB");
}

static void t_wx(void)
{
	img_default(&im);
	im.ph[PH_TEXT].p_flags = PF_R | PF_W | PF_X;
	rejects("writable and executable");
}

/* Solo5 loads at p_vaddr and ignores p_paddr; so does petrel. */
static void t_loads_at_vaddr(void)
{
	img_default(&im);
	im.ph[PH_DATA].p_vaddr = 0x400000;
	im.ph[PH_DATA].p_paddr = 0x10;
	CHECK(parse() == 0);
	CHECK(ei.segs[1].paddr == 0x400000);
	CHECK(ei.kernel_end == 0x402000);
	img_default(&im);
	im.ph[PH_DATA].p_vaddr = 0x1000;	/* p_paddr still 0x200000 */
	rejects("segment 1 at 0x1000, below 0x100000");
}

static void t_entry_anywhere_in_memory(void)
{
	/* Solo5 checks only that the entry is in guest memory. */
	img_default(&im);
	im.eh.e_entry = IMG_DATA;
	CHECK(parse() == 0);
	img_default(&im);
	im.eh.e_entry = MEM_SIZE - 1;
	CHECK(parse() == 0);
}

static void t_entry_outside(void)
{
	img_default(&im);
	im.eh.e_entry = MEM_SIZE;
	rejects("entry point 0x800000 outside guest memory");
	img_default(&im);
	im.eh.e_entry = HVT_GUEST_MIN_BASE - 1;
	rejects("entry point 0xfffff outside guest memory");
	img_default(&im);
	im.eh.e_entry = 0;
	rejects("outside guest memory");
}

static void t_elf_version(void)
{
	img_default(&im);
	im.eh.e_version = 2;
	rejects("ELF version 2, expected 1");
}

/*
 * Solo5 checks e_version, not e_ident[EI_VERSION]; libelf refuses the
 * latter (a difference tender/README.md lists): one line that says so.
 */
static void t_ident_version(void)
{
	img_default(&im);
	im.eh.e_ident[EI_VERSION] = 0;
	rejects("ELF identification version 0, expected 1");
}

static void t_ehsize(void)
{
	img_default(&im);
	im.eh.e_ehsize = 52;
	rejects("ELF header size 52, expected 64");
}

static void t_no_load(void)
{
	img_default(&im);
	im.ph[PH_TEXT].p_type = PT_NULL;
	im.ph[PH_DATA].p_type = PT_NULL;
	rejects("no loadable segments");
}

static void set_abi(uint32_t target, uint32_t version, uint32_t size)
{
	struct solo5_abi_info abi[3] = { { target, version, 0, 0 } };

	memset(im.body + 0x3000, 0, 0x100);
	im.ph[PH_ABI].p_filesz = img_note(&im, 0x3000, "Solo5",
					  SOLO5_ABI_NOTE_TYPE, abi, size, 4);
}

static void t_abi_missing(void)
{
	img_default(&im);
	im.ph[PH_ABI].p_type = PT_NULL;
	rejects("no Solo5 ABI note");
}

static void t_abi_version1(void)
{
	img_default(&im);
	set_abi(SOLO5_ABI_TARGET_HVT, 1, 16);
	rejects("built for hvt ABI version 1, this tender runs version 2");
}

static void t_abi_target_spt(void)
{
	img_default(&im);
	set_abi(SOLO5_ABI_TARGET_SPT, 2, 16);
	rejects("target spt");
}

/* Solo5 takes 1 to 32 bytes; petrel needs the 8 it reads. */
static void t_abi_sizes(void)
{
	img_default(&im);
	set_abi(SOLO5_ABI_TARGET_HVT, 2, 8);
	CHECK(parse() == 0);
	img_default(&im);
	set_abi(SOLO5_ABI_TARGET_HVT, 2, 32);
	CHECK(parse() == 0);
	img_default(&im);
	set_abi(SOLO5_ABI_TARGET_HVT, 2, 7);
	rejects("Solo5 ABI note does not fall within valid size (7 bytes");
	img_default(&im);
	set_abi(SOLO5_ABI_TARGET_HVT, 2, 33);
	rejects("note does not fall within valid size (33 bytes");
}

/* Like Solo5, the first ABI note counts and later ones are not read. */
static void t_abi_twice(void)
{
	struct solo5_abi_info abi[2] = { { SOLO5_ABI_TARGET_SPT, 9, 0, 0 } };
	size_t n;

	img_default(&im);
	n = im.ph[PH_ABI].p_filesz;
	n += img_note(&im, 0x3000 + n, "Solo5", SOLO5_ABI_NOTE_TYPE, abi,
		      sizeof(abi), 4);	/* bad size too: never read */
	im.ph[PH_ABI].p_filesz = n;
	CHECK(parse() == 0);
	CHECK(ei.abi.abi_version == 2);
}

/*
 * Solo5 reads the first note of each PT_NOTE: a Solo5 note first in a
 * later segment is the one it uses, not one deeper in an earlier segment.
 */
static void t_first_notes_win(void)
{
	struct solo5_abi_info v1 = { SOLO5_ABI_TARGET_HVT, 1, 0, 0 };
	uint8_t id[20] = { 0 };
	size_t n;

	img_default(&im);
	/* segment PH_MFT: GNU note, then an ABI v1 note */
	n = img_note(&im, 0x3400, "GNU", NT_GNU_BUILD_ID, id, sizeof(id), 4);
	n += img_note(&im, 0x3400 + n, "Solo5", SOLO5_ABI_NOTE_TYPE, &v1,
		      sizeof(v1), 4);
	im.ph[im.nph++] = (Elf64_Phdr){ .p_type = PT_NOTE, .p_offset = 0x3400,
					.p_filesz = n, .p_align = 4 };
	/* put that segment first */
	Elf64_Phdr t = im.ph[0];
	im.ph[0] = im.ph[im.nph - 1];
	im.ph[im.nph - 1] = t;
	CHECK(parse() == 0);
	CHECK(ei.abi.abi_version == 2);
}

/* What follows the first note of a segment may be anything. */
static void t_trailing_garbage(void)
{
	img_default(&im);
	memset(im.body + 0x3000 + im.ph[PH_ABI].p_filesz, 0xff, 40);
	im.ph[PH_ABI].p_filesz += 40;
	CHECK(parse() == 0);
}

/* Solo5's test_buggyelf: a one-byte manifest; tests.bats greps this. */
static void t_buggyelf_mft(void)
{
	uint8_t one = 0;

	img_solo5_shape(&im);
	memset(im.body + 0x2000, 0, 0x88);
	img_note(&im, 0x2000, "Solo5", SOLO5_MFT_NOTE_TYPE, &one, 1, 4);
	rejects("note does not fall within valid size");
	img_solo5_shape(&im);
	memset(im.body + 0x2000, 0, 0x88);
	img_note(&im, 0x2000, "Solo5", SOLO5_MFT_NOTE_TYPE, im.body + 0x100,
		 SOLO5_MFT_DESC_MAX + 1, 4);
	im.ph[S5_NOTE_MFT].p_filesz = 0x2000;
	im.size = 0x8000;
	rejects("note does not fall within valid size");
}

static void t_other_vendor_abi_ignored(void)
{
	struct solo5_abi_info abi = { SOLO5_ABI_TARGET_HVT, 2, 0, 0 };

	/* "Solo6" is not ours: its ABI-typed note must not count. */
	img_default(&im);
	memset(im.body + 0x3000, 0, 0x100);
	im.ph[PH_ABI].p_filesz = img_note(&im, 0x3000, "Solo6",
					  SOLO5_ABI_NOTE_TYPE, &abi,
					  sizeof(abi), 4);
	rejects("no Solo5 ABI note");
}

static void t_mft_missing(void)
{
	img_default(&im);
	im.ph[PH_MFT].p_type = PT_NULL;
	rejects("no Solo5 manifest note");
}

static void t_mft_invalid(void)
{
	struct mft_entry e = { .name = "x", .type = 7 };

	img_default(&im);
	img_set_mft(&im, &e, 1);
	rejects("unknown device type 7");
}

static void t_mft_size_mismatch(void)
{
	static uint8_t desc[SOLO5_MFT_DESC_MAX];
	struct mft_entry e = { .name = "x", .type = MFT_DEV_NET_BASIC };
	size_t len = mft_desc_build(desc, &e, 1);

	img_default(&im);
	memset(im.body + 0x3100, 0, 0x1000);
	/* Claims one entry but carries 8 bytes more. */
	im.ph[PH_MFT].p_filesz = img_note(&im, 0x3100, "Solo5",
					  SOLO5_MFT_NOTE_TYPE, desc,
					  (uint32_t)len + 8, 8);
	rejects("but 1 entries need");
}

static void t_note_truncated(void)
{
	img_default(&im);
	/* descsz larger than the segment */
	im.ph[PH_ABI].p_filesz = 30;
	rejects("Solo5 ABI note does not fall within valid size (16 bytes, "
		"truncated)");
}

/* A note whose name does not fit is no Solo5 note: nothing after it is. */
static void t_note_namesz_huge(void)
{
	Elf64_Nhdr nh = { .n_namesz = UINT32_MAX, .n_descsz = 16,
			  .n_type = SOLO5_ABI_NOTE_TYPE };

	img_default(&im);
	memcpy(im.body + 0x3000, &nh, sizeof(nh));
	rejects("no Solo5 ABI note");
}

static void t_note_descsz_huge(void)
{
	Elf64_Nhdr nh = { .n_namesz = 6, .n_descsz = UINT32_MAX - 2,
			  .n_type = SOLO5_ABI_NOTE_TYPE };

	img_default(&im);
	memcpy(im.body + 0x3000, &nh, sizeof(nh));
	rejects("note does not fall within valid size");
}

/* Solo5 ignores a note segment's alignment: the first note is at 0. */
static void t_note_odd_align(void)
{
	img_default(&im);
	im.ph[PH_ABI].p_align = 16;
	im.ph[PH_MFT].p_align = 3;
	CHECK(parse() == 0);
}

static void t_note_seg_huge(void)
{
	img_default(&im);
	im.ph[PH_MFT].p_filesz = ELF_MAX_NOTE_SEG + 1;
	im.size = IMG_FILE_SIZE;
	rejects("past the end of the file");	/* file is smaller */
}

static void t_note_past_file(void)
{
	img_default(&im);
	im.ph[PH_MFT].p_offset = 0x3ff0;
	rejects("past the end of the file");
}

static const struct ktest tests[] = {
	{ "loader.valid_image_loads", t_valid },
	{ "loader.kernel_end_page_aligned", t_kernel_end_page_aligned },
	{ "loader.notes_merged_align8", t_notes_merged_align8 },
	{ "loader.notes_align4_with_foreign_note", t_notes_align4_foreign },
	{ "loader.rejects_not_elf", t_not_elf },
	{ "loader.rejects_empty_file", t_empty_file },
	{ "loader.rejects_elf32", t_elf32 },
	{ "loader.rejects_big_endian", t_big_endian },
	{ "loader.rejects_wrong_machine", t_wrong_machine },
	{ "loader.rejects_not_et_exec", t_not_exec },
	{ "loader.accepts_solo5_interp_marker", t_interp_solo5 },
	{ "loader.rejects_other_interp", t_interp_other },
	{ "loader.rejects_interp_near_misses", t_interp_near_misses },
	{ "loader.rejects_interp_out_of_bounds", t_interp_bounds },
	{ "loader.rejects_pt_dynamic", t_dynamic },
	{ "loader.accepts_solo5_toolchain_shape", t_solo5_shape },
	{ "loader.skips_empty_loads_anywhere", t_empty_loads_anywhere },
	{ "loader.ignores_tls_and_gnu_stack", t_tls_and_stack_ignored },
	{ "loader.accepts_any_osabi", t_any_osabi },
	{ "loader.accepts_openbsd_note_first", t_openbsd_note_only_first },
	{ "loader.checks_bss_only_segment", t_bss_only_segment },
	{ "loader.rejects_bad_e_version", t_elf_version },
	{ "loader.rejects_bad_ehsize", t_ehsize },
	{ "loader.ident_version_refused_by_libelf", t_ident_version },
	{ "loader.rejects_no_phdrs", t_no_phdrs },
	{ "loader.rejects_too_many_phdrs", t_too_many_phdrs },
	{ "loader.rejects_phdrs_past_file", t_phdrs_past_file },
	{ "loader.rejects_bad_phentsize", t_bad_phentsize },
	{ "loader.rejects_below_1mib", t_below_min_base },
	{ "loader.rejects_overlap", t_overlap },
	{ "loader.accepts_adjacent_segments", t_adjacent_ok },
	{ "loader.rejects_filesz_gt_memsz", t_filesz_gt_memsz },
	{ "loader.rejects_offset_past_file", t_offset_past_file },
	{ "loader.rejects_offset_overflow", t_offset_overflow },
	{ "loader.rejects_paddr_overflow", t_paddr_overflow },
	{ "loader.rejects_past_guest_memory", t_past_guest_memory },
	{ "loader.accepts_segment_ending_at_memory_end",
	  t_ends_at_guest_memory },
	{ "loader.rejects_image_larger_than_mem", t_small_memory },
	{ "loader.rejects_wx_segment", t_wx },
	{ "loader.loads_at_vaddr_not_paddr", t_loads_at_vaddr },
	{ "loader.bss_pages_not_resident", t_bss_not_resident },
	{ "loader.accepts_entry_anywhere_in_memory",
	  t_entry_anywhere_in_memory },
	{ "loader.rejects_entry_outside_memory", t_entry_outside },
	{ "loader.rejects_no_pt_load", t_no_load },
	{ "loader.rejects_missing_abi_note", t_abi_missing },
	{ "loader.rejects_abi_version_1", t_abi_version1 },
	{ "loader.rejects_abi_target_spt", t_abi_target_spt },
	{ "loader.abi_note_sizes_as_solo5", t_abi_sizes },
	{ "loader.first_abi_note_wins", t_abi_twice },
	{ "loader.first_notes_of_segments_win", t_first_notes_win },
	{ "loader.ignores_garbage_after_first_note", t_trailing_garbage },
	{ "loader.buggyelf_manifest_message", t_buggyelf_mft },
	{ "loader.ignores_other_vendor_note", t_other_vendor_abi_ignored },
	{ "loader.rejects_missing_manifest", t_mft_missing },
	{ "loader.rejects_invalid_manifest", t_mft_invalid },
	{ "loader.rejects_manifest_size_mismatch", t_mft_size_mismatch },
	{ "loader.rejects_truncated_note", t_note_truncated },
	{ "loader.rejects_note_namesz_overflow", t_note_namesz_huge },
	{ "loader.rejects_note_descsz_overflow", t_note_descsz_huge },
	{ "loader.accepts_any_note_alignment", t_note_odd_align },
	{ "loader.rejects_note_segment_past_file", t_note_seg_huge },
	{ "loader.rejects_note_past_file", t_note_past_file },
};

KTEST_MAIN(tests)
