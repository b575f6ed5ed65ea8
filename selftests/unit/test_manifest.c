// SPDX-License-Identifier: ISC
/* Manifest validation on raw MFT1 descriptors. */
#include "../../tender/manifest.h"
#include "elfgen.h"
#include "ktest.h"

/* struct mft at buf + 8 is 8-aligned, as in the tender. */
static _Alignas(8) uint8_t buf[8 + SOLO5_MFT_DESC_MAX + 64];
static uint8_t *const desc = buf + 8 - SOLO5_MFT_DESC_PAD;
static struct mft_entry e[MFT_MAX_ENTRIES + 1];
static struct errbuf err;
static const struct mft *m;

static int check(uint32_t n)
{
	size_t len = mft_desc_build(desc, e, n);

	err.msg[0] = '\0';
	return mft_validate(desc, len, &m, &err);
}

static void entry(unsigned i, const char *name, uint32_t type)
{
	memset(&e[i], 0, sizeof(e[i]));
	snprintf(e[i].name, sizeof(e[i].name), "%s", name);
	e[i].type = type;
}

static void t_empty(void)
{
	CHECK(check(0) == 0);
	CHECK(m->entries == 0);
}

static void t_devices(void)
{
	entry(0, "", MFT_RESERVED_FIRST);
	entry(1, "net0", MFT_DEV_NET_BASIC);
	entry(2, "disk", MFT_DEV_BLOCK_BASIC);
	CHECK(check(3) == 0);
	CHECK(m == (const struct mft *)(void *)(buf + 8));
	CHECK(!strcmp(m->e[2].name, "disk"));
}

static void t_max_entries(void)
{
	for (unsigned i = 0; i < MFT_MAX_ENTRIES; i++) {
		char name[16];

		snprintf(name, sizeof(name), "d%u", i);
		entry(i, name, MFT_DEV_BLOCK_BASIC);
	}
	CHECK(check(MFT_MAX_ENTRIES) == 0);
}

static void t_too_many(void)
{
	struct mft hdr = { MFT_VERSION, MFT_MAX_ENTRIES + 1 };

	/* The count is checked before the size, which it would overflow. */
	memcpy(desc + SOLO5_MFT_DESC_PAD, &hdr, sizeof(hdr));
	CHECK(mft_validate(desc, SOLO5_MFT_DESC_MAX, &m, &err) == -1);
	CHECK_MSG(err.msg, "65 entries, at most 64");
}

static void t_huge_count(void)
{
	struct mft hdr = { MFT_VERSION, UINT32_MAX };

	memcpy(desc + SOLO5_MFT_DESC_PAD, &hdr, sizeof(hdr));
	CHECK(mft_validate(desc, SOLO5_MFT_DESC_SIZE(0), &m, &err) == -1);
	CHECK_MSG(err.msg, "at most 64");
}

static void t_version(void)
{
	struct mft hdr = { 2, 0 };

	memcpy(desc + SOLO5_MFT_DESC_PAD, &hdr, sizeof(hdr));
	CHECK(mft_validate(desc, SOLO5_MFT_DESC_SIZE(0), &m, &err) == -1);
	CHECK_MSG(err.msg, "manifest version 2");
}

static void t_short(void)
{
	mft_desc_build(desc, e, 0);
	CHECK(mft_validate(desc, SOLO5_MFT_DESC_SIZE(0) - 1, &m, &err) == -1);
	CHECK_MSG(err.msg, "too short");
	/* Solo5's phrase for it, which its tests.bats (buggyelf) greps */
	CHECK_MSG(err.msg, "note does not fall within valid size");
	CHECK(mft_validate(desc, 0, &m, &err) == -1);
}

static void t_size_mismatch(void)
{
	size_t len;

	entry(0, "a", MFT_DEV_NET_BASIC);
	len = mft_desc_build(desc, e, 1);
	CHECK(mft_validate(desc, len + 1, &m, &err) == -1);
	CHECK_MSG(err.msg, "but 1 entries need");
	CHECK(mft_validate(desc, len - 1, &m, &err) == -1);
	/* Without the pad: the layout bug solo5_notes.h warns about. */
	CHECK(mft_validate(desc, len - SOLO5_MFT_DESC_PAD, &m, &err) == -1);
}

static void t_unterminated(void)
{
	entry(0, "", MFT_DEV_NET_BASIC);
	memset(e[0].name, 'a', sizeof(e[0].name));
	CHECK(check(1) == -1);
	CHECK_MSG(err.msg, "name not terminated");
}

static void t_name_67(void)
{
	entry(0, "", MFT_DEV_NET_BASIC);
	memset(e[0].name, 'a', MFT_NAME_MAX);
	CHECK(check(1) == 0);
}

static void t_empty_name(void)
{
	entry(0, "", MFT_DEV_NET_BASIC);
	CHECK(check(1) == -1);
	CHECK_MSG(err.msg, "empty name");
}

static void t_duplicate(void)
{
	entry(0, "x", MFT_DEV_NET_BASIC);
	entry(1, "x", MFT_DEV_BLOCK_BASIC);
	CHECK(check(2) == -1);
	CHECK_MSG(err.msg, "'x' twice");
}

static void t_unknown_type(void)
{
	entry(0, "x", 3);
	CHECK(check(1) == -1);
	CHECK_MSG(err.msg, "unknown device type 3");
	entry(0, "x", 0);
	CHECK(check(1) == -1);
}

static void t_reserved_not_first(void)
{
	entry(0, "x", MFT_DEV_NET_BASIC);
	entry(1, "", MFT_RESERVED_FIRST);
	CHECK(check(2) == -1);
	CHECK_MSG(err.msg, "reserved entry");
}

static void t_reserved_named(void)
{
	entry(0, "r", MFT_RESERVED_FIRST);
	CHECK(check(1) == -1);
	CHECK_MSG(err.msg, "reserved entry");
}

static const struct ktest tests[] = {
	{ "manifest.empty_ok", t_empty },
	{ "manifest.devices_ok", t_devices },
	{ "manifest.64_entries_ok", t_max_entries },
	{ "manifest.rejects_65_entries", t_too_many },
	{ "manifest.rejects_huge_entry_count", t_huge_count },
	{ "manifest.rejects_version_2", t_version },
	{ "manifest.rejects_short_note", t_short },
	{ "manifest.rejects_size_mismatch", t_size_mismatch },
	{ "manifest.rejects_unterminated_name", t_unterminated },
	{ "manifest.accepts_67_char_name", t_name_67 },
	{ "manifest.rejects_empty_name", t_empty_name },
	{ "manifest.rejects_duplicate_name", t_duplicate },
	{ "manifest.rejects_unknown_type", t_unknown_type },
	{ "manifest.rejects_reserved_not_first", t_reserved_not_first },
	{ "manifest.rejects_named_reserved", t_reserved_named },
};

KTEST_MAIN(tests)
