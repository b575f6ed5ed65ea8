// SPDX-License-Identifier: ISC
/* Initialized data, zeroed BSS and rodata all where the linker put them. */
#include "util.h"

static uint64_t data_words[4] = { 1, 0x1234567890abcdefULL, 3, 4 };
static uint64_t bss_words[1024];
static const char rodata_str[] = "read-only string";
static volatile int counter = 42;

int solo5_app_main(const struct solo5_start_info *si)
{
	int fails = 0;
	uint64_t sum = 0;

	(void)si;
	fails += check(data_words[1] == 0x1234567890abcdefULL &&
		       data_words[3] == 4, "initialized data");
	for (size_t i = 0; i < 1024; i++)
		sum |= bss_words[i];
	fails += check(sum == 0, "bss is zero");
	bss_words[1023] = 7;
	fails += check(bss_words[1023] == 7, "bss is writable");
	fails += check(strlen(rodata_str) == 16 && rodata_str[0] == 'r',
		       "rodata");
	counter++;
	fails += check(counter == 43, "data is writable");
	fails += check(si->heap_size > 0 && si->heap_start % 4096 == 0,
		       "heap reported");
	if (si->heap_size) {
		volatile uint8_t *h = (uint8_t *)si->heap_start;

		h[0] = 1;
		h[si->heap_size - 1] = 2;
		fails += check(h[0] == 1 && h[si->heap_size - 1] == 2,
			       "heap is writable end to end");
	}
	puts_(fails ? "globals: FAILED\n" : "globals: PASSED\n");
	return fails ? 1 : 0;
}
