/* SPDX-License-Identifier: ISC */
/*
 * The image's non-writable segments made read-only to the guest, as Solo5
 * does: the guest's page tables map them writable, but the host mapping
 * behind them is PROT_READ, so a guest write makes KVM_RUN fail with
 * EFAULT (reported as a host/guest translation fault, exit 1) instead of
 * silently changing the guest's code.
 */
#ifndef PETREL_GUEST_PROTECT_H
#define PETREL_GUEST_PROTECT_H

#include "elf_image.h"
#include "err.h"
#include "guest_mem.h"

/*
 * The pages of @img's non-writable PT_LOAD segments that no writable
 * segment touches, merged and in order, into @m->ro. Pure: unit-tested.
 */
void guest_ro_ranges(const struct elf_image *img, struct guest_mem *m);

/* guest_ro_ranges, then mprotect each range PROT_READ. After loading. */
int guest_protect(const struct elf_image *img, struct guest_mem *m,
		  struct errbuf *e);

#endif /* PETREL_GUEST_PROTECT_H */
