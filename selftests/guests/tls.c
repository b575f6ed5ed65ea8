// SPDX-License-Identifier: ISC
/* solo5_set_tls_base sets FS: %fs-relative loads see the new base. */
#include "util.h"

static uint64_t tls_block[4] = { 0x1111, 0x2222, 0x3333, 0x4444 };

int solo5_app_main(const struct solo5_start_info *si)
{
	uint64_t v;
	int fails = 0;

	(void)si;
	fails += check(solo5_set_tls_base((uintptr_t)tls_block) == SOLO5_R_OK,
		       "set TLS base");
	__asm__ __volatile__("movq %%fs:8, %0" : "=r"(v));
	fails += check(v == 0x2222, "FS-relative load");
	fails += check(solo5_set_tls_base(0x0000800000000000ULL) ==
		       SOLO5_R_EINVAL, "non-canonical base refused");
	puts_(fails ? "tls: FAILED\n" : "tls: PASSED\n");
	return fails ? 1 : 0;
}
