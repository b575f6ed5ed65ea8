// SPDX-License-Identifier: ISC
/*
 * Probes of the guest memory layout (Solo5's), one per run, named by the
 * first word of the command line:
 *   read0        read address 0: page fault (nothing below 0x10000 mapped)
 *   notls        an %fs-relative load before any TLS base is set (base 0):
 *                page fault, as Solo5's test_notls
 *   lowread      read the boot info at 0x10000: allowed (read-only page)
 *   lowwrite     write the boot info at 0x10000: page fault (read-only)
 *   textwrite    write our own code: the host's mapping is read-only, the
 *                tender stops us (host/guest translation fault, exit 1)
 *   rodatawrite  the same with a constant in .rodata
 *   datawrite    write .data and .bss, read them back: fine, exit 0
 *   hcro         a WALLTIME hypercall whose argument (written by the host)
 *                is in .rodata: refused by the tender, exit 1
 *   memsize      print the boot info's mem_size, and whether the net rings
 *                were taken (with a net device in the manifest)
 * A probe that should have stopped the guest and did not prints FAIL and
 * exits 3; each probe first prints its name, so that the test can tell
 * the probe ran.
 */
#include "util.h"
#include "rings.h"

int strcmp(const char *a, const char *b);

static uint64_t data_word = 0x1234;
static uint64_t bss_word;
__attribute__((section(".rodata"))) static const uint64_t rodata_word = 0x5678;
__attribute__((section(".rodata"))) static const struct hvt_hc_walltime
	rodata_arg = { .nsecs = 1 };

__attribute__((noinline)) static void nothing(void)
{
	__asm__ __volatile__("");
}

static void put_hex(uint64_t v)
{
	char buf[18] = "0x";

	for (int i = 0; i < 16; i++)
		buf[2 + i] = "0123456789abcdef"[(v >> (60 - 4 * i)) & 0xf];
	solo5_console_write(buf, sizeof(buf));
}

static int memsize(void)
{
	struct solo5_net_info info;
	solo5_handle_t h;

	puts_("memory: mem_size ");
	put_u64(hvt_boot_info->mem_size);
	puts_("\nmemory: host_features ");
	put_hex(hvt_boot_info->host_features);
	puts_("\nmemory: rings ");
	if (solo5_net_acquire("service0", &h, &info) != SOLO5_R_OK)
		puts_("none\n");
	else
		puts_(guest_rings_of(h) ? "taken\n" : "not taken\n");
	return 0;
}

static int datawrite(void)
{
	volatile uint64_t *d = &data_word, *b = &bss_word;

	*d = 0xabcdef;
	*b = 0xfedcba;
	return check(*d == 0xabcdef && *b == 0xfedcba, "memory: .data and "
		     ".bss written and read back") ? 1 : 0;
}

int solo5_app_main(const struct solo5_start_info *si)
{
	const char *p = si->cmdline;
	uint64_t v = 0;

	puts_("memory: probe ");
	puts_(p);
	puts_("\n");
	if (!strcmp(p, "read0")) {
		v = *(volatile const uint64_t *)(uintptr_t)0;
	} else if (!strcmp(p, "notls")) {
		__asm__ __volatile__("movq %%fs:0x28, %0" : "=r"(v));
	} else if (!strcmp(p, "lowread")) {
		v = *(volatile const uint64_t *)(uintptr_t)HVT_BOOT_INFO_BASE;
		return check(v == hvt_boot_info->mem_size,
			     "memory: boot info read at 0x10000") ? 1 : 0;
	} else if (!strcmp(p, "lowwrite")) {
		*(volatile uint64_t *)(uintptr_t)HVT_BOOT_INFO_BASE = 1;
	} else if (!strcmp(p, "textwrite")) {
		*(volatile uint64_t *)(uintptr_t)nothing = 1;
		nothing();
	} else if (!strcmp(p, "rodatawrite")) {
		*(volatile uint64_t *)(uintptr_t)&rodata_word = 1;
	} else if (!strcmp(p, "datawrite")) {
		return datawrite();
	} else if (!strcmp(p, "hcro")) {
		__asm__ __volatile__("outl %0, %1" : :
				     "a"((uint32_t)(uintptr_t)&rodata_arg),
				     "d"((uint16_t)HVT_HYPERCALL_PIO(
					     HVT_HYPERCALL_WALLTIME))
				     : "memory");
		v = rodata_arg.nsecs;
	} else if (!strcmp(p, "memsize")) {
		return memsize();
	} else {
		puts_("memory: unknown probe\n");
		return 2;
	}
	puts_("FAIL: memory: probe did not stop the guest (");
	put_u64(v);
	puts_(")\n");
	return 3;
}
