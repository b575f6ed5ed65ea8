// SPDX-License-Identifier: ISC
/*
 * Our own GDT. The tender's, at 0x1000, is not mapped in the guest's page
 * tables (nothing below 0x10000 is, as in Solo5), and the CPU reads the
 * code segment's descriptor through the GDT on every exception: with the
 * tender's GDT unreachable, the first exception would become a triple
 * fault instead of a report. Same layout and selectors as the tender's,
 * so the segment registers loaded at entry stay valid and need no reload.
 */
#include "hvt.h"

#define GDT_CODE64	0x00af9b000000ffffULL	/* flat, 64-bit, execute/read */
#define GDT_DATA	0x00cf93000000ffffULL	/* flat, read/write */

static uint64_t gdt[HVT_GDT_NUM_ENTRIES] __attribute__((aligned(16)));

void gdt_init(void)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) gdtr = {
		.limit = sizeof(gdt) - 1,
		.base = (uint64_t)(uintptr_t)gdt,
	};

	gdt[HVT_GDT_ENTRY_NULL] = 0;
	gdt[HVT_GDT_ENTRY_CODE] = GDT_CODE64;
	gdt[HVT_GDT_ENTRY_DATA] = GDT_DATA;
	__asm__ __volatile__("lgdt %0" : : "m"(gdtr) : "memory");
}
