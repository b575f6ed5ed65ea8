// SPDX-License-Identifier: ISC
/*
 * x87 and SSE arithmetic, and a 16-byte aligned SSE store: proves the
 * tender enabled SSE (CR4.OSFXSR) and the bindings keep the stack aligned.
 */
#include "util.h"

typedef float v4sf __attribute__((vector_size(16)));

static double __attribute__((noinline)) x87_mul(long double a, long double b)
{
	return (double)(a * b);
}

int solo5_app_main(const struct solo5_start_info *si)
{
	volatile float a = 1.5f, b = 2.25f;
	volatile double c = 3.0;
	v4sf x = { 1.0f, 2.0f, 3.0f, 4.0f };
	v4sf y = { 0.5f, 0.5f, 0.5f, 0.5f };
	v4sf z __attribute__((aligned(16)));
	int fails = 0;

	(void)si;
	fails += check(a * b == 3.375f, "SSE float multiply");
	fails += check(c / 4.0 == 0.75, "SSE double divide");
	fails += check(x87_mul(1.25L, 4.0L) == 5.0, "x87 long double");
	z = x * y;
	fails += check(z[0] == 0.5f && z[3] == 2.0f, "packed SSE multiply");
	puts_(fails ? "fpu: FAILED\n" : "fpu: PASSED\n");
	return fails ? 1 : 0;
}
