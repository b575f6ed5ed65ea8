// SPDX-License-Identifier: ISC
#include "ktest.h"

int kt_failed;
const char *kt_skip;

int ktest_main(const struct ktest *t, size_t n)
{
	int any = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (size_t i = 0; i < n; i++) {
		kt_failed = 0;
		kt_skip = NULL;
		t[i].fn();
		if (kt_skip)
			printf("skip %s %s\n", t[i].name, kt_skip);
		else
			printf("%s %s\n", kt_failed ? "not ok" : "ok",
			       t[i].name);
		any |= kt_failed;
	}
	return any;
}
