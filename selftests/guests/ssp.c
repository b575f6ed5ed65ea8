// SPDX-License-Identifier: ISC
/* Overruns a stack buffer: the canary check must catch it before return. */
#include "util.h"

static void __attribute__((noinline)) smash(const char *src, size_t n)
{
	char buf[16];
	volatile char *d = buf;

	for (size_t i = 0; i < n; i++)
		d[i] = src[i % 4];
	puts_("copied\n");
}

int solo5_app_main(const struct solo5_start_info *si)
{
	(void)si;
	puts_("smashing the stack\n");
	smash("AAAA", 64);
	puts_("FAIL: stack smash not detected\n");
	return 0;
}
