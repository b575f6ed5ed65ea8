// SPDX-License-Identifier: ISC
#include "hvt.h"

#define MSR_FS_BASE	0xc0000100U

solo5_result_t solo5_set_tls_base(uintptr_t base)
{
	/* wrmsr of a non-canonical address raises #GP: refuse it instead. */
	uint64_t top = (uint64_t)base >> 47;

	if (top != 0 && top != 0x1ffff)
		return SOLO5_R_EINVAL;
	__asm__ __volatile__("wrmsr"
			     :
			     : "c"(MSR_FS_BASE), "a"((uint32_t)base),
			       "d"((uint32_t)((uint64_t)base >> 32)));
	return SOLO5_R_OK;
}
