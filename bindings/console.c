// SPDX-License-Identifier: ISC
#include "hvt.h"

void solo5_console_write(const char *buf, size_t size)
{
	volatile struct hvt_hc_puts a = {
		.data = (uint64_t)(uintptr_t)buf,
		.len = size,
	};

	hvt_hypercall(HVT_HYPERCALL_PUTS, &a);
}

void console_puts(const char *s)
{
	solo5_console_write(s, strlen(s));
}

void console_put_hex(uint64_t v)
{
	char buf[19];
	int i;

	buf[0] = '0';
	buf[1] = 'x';
	for (i = 0; i < 16; i++)
		buf[2 + i] = "0123456789abcdef"[(v >> (60 - 4 * i)) & 0xf];
	solo5_console_write(buf, 18);
}

void console_put_dec(uint64_t v)
{
	char buf[20];
	int i = sizeof(buf);

	do {
		buf[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	solo5_console_write(buf + i, sizeof(buf) - (size_t)i);
}
