// SPDX-License-Identifier: ISC
/*
 * Divides by zero: the bindings must report vector 0 and RIP, status 255.
 * The division is written in assembly: compilers may fold a C division by
 * a known-zero or fold `1 / x` into a comparison, and the test would prove
 * nothing.
 */
#include "util.h"

int solo5_app_main(const struct solo5_start_info *si)
{
	(void)si;
	puts_("dividing by zero\n");
	__asm__ __volatile__("xorl %%ecx, %%ecx\n\t"
			     "movl $1, %%eax\n\t"
			     "xorl %%edx, %%edx\n\t"
			     "divl %%ecx"
			     : : : "eax", "ecx", "edx");
	puts_("FAIL: no exception\n");
	return 0;
}
