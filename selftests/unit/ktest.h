/* SPDX-License-Identifier: ISC */
/*
 * A tiny test runner for the tender's unit tests. Each test binary prints
 * one line per test, "ok NAME", "not ok NAME" or "skip NAME REASON", with
 * diagnostics as "# ..." lines; run.sh numbers them into one KTAP document.
 */
#ifndef PETREL_KTEST_H
#define PETREL_KTEST_H

#include <stdio.h>
#include <string.h>

struct ktest {
	const char *name;
	void (*fn)(void);
};

extern int kt_failed;
extern const char *kt_skip;	/* set by a test to skip, with reason */

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		printf("# %s:%d: check failed: %s\n", __FILE__,	\
		       __LINE__, #cond);				\
		kt_failed = 1;						\
	}								\
} while (0)

/* The error message contains @sub (and says so when it does not). */
#define CHECK_MSG(msg, sub) do {					\
	if (!strstr((msg), (sub))) {					\
		printf("# %s:%d: message \"%s\" lacks \"%s\"\n",	\
		       __FILE__, __LINE__, (msg), (sub));		\
		kt_failed = 1;						\
	}								\
} while (0)

int ktest_main(const struct ktest *t, size_t n);

#define KTEST_MAIN(tests)						\
	int main(void)							\
	{								\
		return ktest_main(tests, sizeof(tests) / sizeof(tests[0])); \
	}

#endif /* PETREL_KTEST_H */
