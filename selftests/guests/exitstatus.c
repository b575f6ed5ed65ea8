// SPDX-License-Identifier: ISC
/* Exits with the status given as its command line, via solo5_exit(). */
#include "util.h"

int solo5_app_main(const struct solo5_start_info *si)
{
	solo5_exit((int)parse_u64(si->cmdline, NULL));
}
