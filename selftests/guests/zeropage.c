// SPDX-License-Identifier: ISC
/* Reads through a NULL pointer: must be a page fault (vector 14, CR2 0). */
#include "util.h"

int solo5_app_main(const struct solo5_start_info *si)
{
	volatile const uint64_t *volatile p = (const uint64_t *)0;
	uint64_t v;

	(void)si;
	puts_("reading address 0\n");
	v = *p;
	(void)v;
	puts_("FAIL: NULL read did not fault\n");
	return 0;
}
