/* SPDX-License-Identifier: ISC */
/*
 * For test guests that write petrel.ko's rings themselves, bypassing the
 * bindings' ring driver, the way any guest code could: through the boot
 * announcement above mem_size that the boot info points out.
 */
#ifndef PETREL_GUEST_RINGS_H
#define PETREL_GUEST_RINGS_H

#include "solo5.h"
#include "hvt_abi.h"
#include "petrel.h"

extern const struct hvt_boot_info *hvt_boot_info;

/* The announcement of net device @h's rings, or NULL if it has none. */
static inline const struct petrel_guest_net *guest_rings_of(solo5_handle_t h)
{
	const struct petrel_guest_ext *x =
		(const void *)(uintptr_t)hvt_boot_info->mem_size;

	/* The bindings mapped the announcement if they took the rings. */
	if (!(hvt_boot_info->host_features & PETREL_FEATURE_NET_RING) ||
	    x->accept != PETREL_GUEST_ACCEPT)
		return NULL;
	for (uint32_t i = 0; i < x->nr_net && i < PETREL_MAX_NETDEVS; i++)
		if (x->net[i].mft_index == h)
			return &x->net[i];
	return NULL;
}

/* Ring the doorbell at @port (any value will do). */
static inline void guest_doorbell(uint16_t port)
{
	__asm__ __volatile__("outl %0, %1" : : "a"(0u), "d"(port) : "memory");
}

#endif /* PETREL_GUEST_RINGS_H */
