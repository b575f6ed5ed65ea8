/* SPDX-License-Identifier: ISC */
/*
 * Error reporting for the setup path. Parsers and validators never print or
 * exit: they fill an errbuf and return -1, so they can be unit-tested and
 * main() alone decides how the one-line message reaches the user.
 */
#ifndef PETREL_ERR_H
#define PETREL_ERR_H

#include <stddef.h>

struct errbuf {
	char msg[512];
};

/* Format the message into @e and return -1 (for `return errf(...)`). */
int errf(struct errbuf *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif /* PETREL_ERR_H */
