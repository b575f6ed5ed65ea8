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
#include <linux/mm.h>

/* 6.8 dropped the count argument: every signal now adds one. */
static inline void petrel_eventfd_signal(struct eventfd_ctx *ctx)
{
#ifdef PETREL_HAVE_EVENTFD_SIGNAL_NOCOUNT
	eventfd_signal(ctx);
#else
	eventfd_signal(ctx, 1);
#endif
}

/* 6.3 made vm_flags read-only outside the helpers. */
static inline void petrel_vm_flags_set(struct vm_area_struct *vma,
				       vm_flags_t flags)
{
#ifdef PETREL_HAVE_VM_FLAGS_SET
	vm_flags_set(vma, flags);
#else
	vma->vm_flags |= flags;
#endif
}

/*
 * Only listeners with CAP_NET_ADMIN may join the VM event group: the
 * events name every VM and carry its counters. The flag came in 6.7 and
 * reached 6.1 only as a stable backport; without it the group would be
 * open to everyone, so there is no fallback: stop the build.
 */
#ifndef PETREL_HAVE_GENL_MCAST_CAP_NET_ADMIN
#error "petrel.ko needs GENL_MCAST_CAP_NET_ADMIN, which these kernel headers lack:"
#error "use headers of a kernel that has it (6.7+, or a stable kernel with the backport)"
#endif

#endif /* PETREL_COMPAT_H */
