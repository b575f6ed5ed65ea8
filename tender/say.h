/* SPDX-License-Identifier: ISC */
/*
 * Messages once the seccomp filter is armed: stdio may allocate, the filter
 * forbids it, so a line is formatted on the stack and written to stderr
 * with one write(2).
 */
#ifndef PETREL_SAY_H
#define PETREL_SAY_H

/* One line on stderr (the newline is added). */
void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * A host-side failure the guest cannot be served past (a tap or block file
 * answering an I/O error): one line, the counters made final, exit 1, as
 * solo5-hvt does. An orchestrator reads 1 as "the tender failed".
 */
_Noreturn void say_fatal(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

/*
 * SIGTERM, SIGINT and SIGHUP: one line "petrel: exiting on signal N
 * (SIGNAME)" and exit 1, as solo5-hvt does (albatross stops guests with
 * SIGTERM). Only write(2) and exit_group(2), both allowed by the filter.
 */
void signals_install(void);

#endif /* PETREL_SAY_H */
