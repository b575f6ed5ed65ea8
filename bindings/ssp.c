// SPDX-License-Identifier: ISC
/*
 * Stack smashing protection. Guests are built with
 * -mstack-protector-guard=global, so the canary lives here rather than at
 * %fs:0x28 (the FS base belongs to the application's TLS).
 */
#include "hvt.h"

uintptr_t __stack_chk_guard;

void __stack_chk_fail(void) __attribute__((noreturn));

void __stack_chk_fail(void)
{
	console_puts("petrel bindings: stack smashing detected\n");
	hvt_halt(SOLO5_EXIT_ABORT, NULL);
}

static int have_rdrand(void)
{
	uint32_t a = 1, b, c = 0, d;

	__asm__ __volatile__("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
	return (c >> 30) & 1;
}

void ssp_init(void)
{
	uint64_t v = 0;
	unsigned char ok = 0;
	int tries;

	if (have_rdrand()) {
		for (tries = 0; tries < 10 && !ok; tries++)
			__asm__ __volatile__("rdrand %0; setc %1"
					     : "=r"(v), "=qm"(ok));
	}
	/* Without RDRAND the TSC at boot is the best entropy there is. */
	if (!ok)
		v = rdtsc() * 0x9e3779b97f4a7c15ULL;
	/* A zero low byte stops string overflows from copying the canary. */
	__stack_chk_guard = (uintptr_t)(v & ~0xffULL);
}
