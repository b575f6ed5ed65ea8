// SPDX-License-Identifier: ISC
/* Prints a greeting and its command line: the smallest end-to-end proof. */
#include "util.h"

int solo5_app_main(const struct solo5_start_info *si)
{
	puts_("Hello, World\nCommand line is: '");
	puts_(si->cmdline);
	puts_("'\n");
	return SOLO5_EXIT_SUCCESS;
}
