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
	return -1;
}
