// SPDX-License-Identifier: ISC
#include <stdarg.h>
#include <stdio.h>

#include "err.h"

int errf(struct errbuf *e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	/*
	 * Messages quote what the user gave (options, paths, names): a
	 * newline or escape sequence in it must not break the promise of one
	 * plain line, so control characters are shown as '?'.
	 */
	for (char *p = e->msg; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	return -1;
}
