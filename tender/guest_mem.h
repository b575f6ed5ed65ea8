/* SPDX-License-Identifier: ISC */
/*
 * Guest RAM as the tender sees it, and the helpers through which every
 * guest-supplied address is turned into a host pointer.
 */
#ifndef PETREL_GUEST_MEM_H
#define PETREL_GUEST_MEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../abi/hvt_abi.h"

/* Read-only ranges: one per non-writable PT_LOAD segment at most. */
#define GMEM_RO_MAX	64

struct gmem_range {
	uint64_t start, end;	/* [start, end), page aligned */
};

struct guest_mem {
	uint8_t *base;		/* host address of GPA 0 */
	uint64_t size;		/* bytes of guest RAM (mem_size), 2 MiB pages */
	unsigned nro;
	/* Mapped PROT_READ on the host: the guest cannot write them. */
	struct gmem_range ro[GMEM_RO_MAX];
};

/*
 * Host pointer for the guest range [gpa, gpa + len), or NULL when any byte
 * of it lies outside guest RAM. The comparison is arranged so that no sum
 * is formed: a huge @len cannot wrap around and pass the check.
 */
static inline void *gmem_ptr(const struct guest_mem *m, uint64_t gpa,
			     uint64_t len)
{
	if (gpa > m->size || len > m->size - gpa)
		return NULL;
	return m->base + gpa;
}

/*
 * Whether the guest range [gpa, gpa + len), inside RAM, may be written
 * for the guest: not in the low area (absent or read-only in the guest's
 * page tables) nor in a read-only segment (which the host could not write
 * anyway: its mapping is read-only).
 */
static inline bool gmem_writable(const struct guest_mem *m, uint64_t gpa,
				 uint64_t len)
{
	if (gpa < HVT_GUEST_MIN_BASE)
		return false;
	for (unsigned i = 0; i < m->nro && i < GMEM_RO_MAX; i++)
		if (gpa < m->ro[i].end && gpa + len > m->ro[i].start)
			return false;
	return true;
}

/* gmem_ptr for a range the host writes into: NULL if not writable too. */
static inline void *gmem_wptr(const struct guest_mem *m, uint64_t gpa,
			      uint64_t len)
{
	void *p = gmem_ptr(m, gpa, len);

	return p && gmem_writable(m, gpa, len) ? p : NULL;
}

#endif /* PETREL_GUEST_MEM_H */
