// SPDX-License-Identifier: ISC
/* Prints nothing and succeeds: the tender must add no output of its own. */
#include "util.h"

int solo5_app_main(const struct solo5_start_info *si)
{
	(void)si;
	return SOLO5_EXIT_SUCCESS;
}
