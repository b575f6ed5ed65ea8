/* SPDX-License-Identifier: ISC */
/*
 * Guest RAM as the tender sees it, and the single helper through which every
 * guest-supplied address is turned into a host pointer.
 */
#ifndef PETREL_GUEST_MEM_H
#define PETREL_GUEST_MEM_H

#include <stddef.h>
#include <stdint.h>

struct guest_mem {
	uint8_t *base;		/* host address of GPA 0 */
	uint64_t size;		/* bytes, a multiple of 2 MiB */
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

#endif /* PETREL_GUEST_MEM_H */
