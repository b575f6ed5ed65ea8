// SPDX-License-Identifier: ISC
/* The ELF loader against generated images: one valid, then each reject. */
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

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

static void t_interp(void)
{
	img_default(&im);
	im.ph[im.nph++] = (Elf64_Phdr){ .p_type = PT_INTERP,
		.p_offset = 0x3800, .p_filesz = 8 };
	rejects("not a static executable");
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

static void t_vaddr_differs(void)
{
	img_default(&im);
	im.ph[PH_DATA].p_vaddr = 0x400000;
	rejects("identity-mapped");
}

static void t_entry_in_data(void)
{
	img_default(&im);
	im.eh.e_entry = IMG_DATA;
	rejects("entry point 0x200000 is not in an executable segment");
}

static void t_entry_outside(void)
{
	img_default(&im);
	im.eh.e_entry = IMG_TEXT + 0x100;	/* one past the end */
	rejects("not in an executable segment");
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
	struct solo5_abi_info abi[2] = { { target, version, 0, 0 } };

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

static void t_abi_bad_size(void)
{
	img_default(&im);
	set_abi(SOLO5_ABI_TARGET_HVT, 2, 20);
	rejects("ABI note has 20 bytes");
}

static void t_abi_twice(void)
{
	struct solo5_abi_info abi = { SOLO5_ABI_TARGET_HVT, 2, 0, 0 };
	size_t n;

	img_default(&im);
	n = im.ph[PH_ABI].p_filesz;
	n += img_note(&im, 0x3000 + n, "Solo5", SOLO5_ABI_NOTE_TYPE, &abi,
		      sizeof(abi), 4);
	im.ph[PH_ABI].p_filesz = n;
	rejects("two Solo5 ABI notes");
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
	rejects("truncated ELF note");
}

static void t_note_namesz_huge(void)
{
	Elf64_Nhdr nh = { .n_namesz = UINT32_MAX, .n_descsz = 16,
			  .n_type = SOLO5_ABI_NOTE_TYPE };

	img_default(&im);
	memcpy(im.body + 0x3000, &nh, sizeof(nh));
	rejects("truncated ELF note");
}

static void t_note_descsz_huge(void)
{
	Elf64_Nhdr nh = { .n_namesz = 6, .n_descsz = UINT32_MAX - 2,
			  .n_type = SOLO5_ABI_NOTE_TYPE };

	img_default(&im);
	memcpy(im.body + 0x3000, &nh, sizeof(nh));
	rejects("truncated ELF note");
}

static void t_note_bad_align(void)
{
	img_default(&im);
	im.ph[PH_ABI].p_align = 16;
	rejects("alignment 16 not supported");
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
	{ "loader.rejects_pt_interp", t_interp },
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
	{ "loader.rejects_vaddr_ne_paddr", t_vaddr_differs },
	{ "loader.rejects_entry_in_data", t_entry_in_data },
	{ "loader.rejects_entry_outside_segments", t_entry_outside },
	{ "loader.rejects_no_pt_load", t_no_load },
	{ "loader.rejects_missing_abi_note", t_abi_missing },
	{ "loader.rejects_abi_version_1", t_abi_version1 },
	{ "loader.rejects_abi_target_spt", t_abi_target_spt },
	{ "loader.rejects_abi_note_bad_size", t_abi_bad_size },
	{ "loader.rejects_two_abi_notes", t_abi_twice },
	{ "loader.ignores_other_vendor_note", t_other_vendor_abi_ignored },
	{ "loader.rejects_missing_manifest", t_mft_missing },
	{ "loader.rejects_invalid_manifest", t_mft_invalid },
	{ "loader.rejects_manifest_size_mismatch", t_mft_size_mismatch },
	{ "loader.rejects_truncated_note", t_note_truncated },
	{ "loader.rejects_note_namesz_overflow", t_note_namesz_huge },
	{ "loader.rejects_note_descsz_overflow", t_note_descsz_huge },
	{ "loader.rejects_note_alignment_16", t_note_bad_align },
	{ "loader.rejects_note_past_file", t_note_past_file },
};

KTEST_MAIN(tests)
