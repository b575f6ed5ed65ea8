/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one place for differences between the kernels petrel builds against
 * (Debian 12's 6.1 and 6.12). Feature macros come from header greps in
 * kmod/Kbuild, so distribution backports are handled by what the headers
 * say rather than by version numbers.
 */
#ifndef PETREL_COMPAT_H
#define PETREL_COMPAT_H

#include <linux/eventfd.h>

/* 6.8 dropped the count argument: every signal now adds one. */
static inline void petrel_eventfd_signal(struct eventfd_ctx *ctx)
{
#ifdef PETREL_HAVE_EVENTFD_SIGNAL_NOCOUNT
	eventfd_signal(ctx);
#else
	eventfd_signal(ctx, 1);
#endif
}

#endif /* PETREL_COMPAT_H */
