// SPDX-License-Identifier: ISC
#include "util.h"

int solo5_app_main(const struct solo5_start_info *si)
{
	(void)si;
	puts_("aborting\n");
	solo5_abort();
}
