/* SPDX-License-Identifier: ISC */
/* Helpers for test guests: console output and parsing, over solo5.h only. */
#ifndef PETREL_GUEST_UTIL_H
#define PETREL_GUEST_UTIL_H

#include "solo5.h"

size_t strlen(const char *s);
void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);

static inline void puts_(const char *s)
{
	solo5_console_write(s, strlen(s));
}

static inline void put_u64(uint64_t v)
{
	char buf[20];
	int i = sizeof(buf);

	do {
		buf[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	solo5_console_write(buf + i, sizeof(buf) - (size_t)i);
}

/* Report a check; returns 1 on failure so callers can count them. */
static inline int check(int ok, const char *what)
{
	puts_(ok ? "ok: " : "FAIL: ");
	puts_(what);
	puts_("\n");
	return !ok;
}

/* Decimal prefix of @s; *@end (if given) is where parsing stopped. */
static inline uint64_t parse_u64(const char *s, const char **end)
{
	uint64_t v = 0;

	while (*s >= '0' && *s <= '9')
		v = v * 10 + (uint64_t)(*s++ - '0');
	if (end)
		*end = s;
	return v;
}

#endif /* PETREL_GUEST_UTIL_H */
