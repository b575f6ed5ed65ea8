/* SPDX-License-Identifier: ISC */
/*
 * For test guests that write petrel.ko's rings themselves, bypassing the
 * bindings' ring driver, the way any guest code could: through the boot
 * announcement above mem_size that the boot info points out.
 */
#ifndef PETREL_GUEST_RINGS_H
#define PETREL_GUEST_RINGS_H

#include "../../bindings/hvt.h"
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

/* A ring index the other side reads or writes: ordered, never torn. */
static inline uint32_t load32(volatile uint32_t *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static inline void store32(volatile uint32_t *p, uint32_t v)
{
	__atomic_store_n(p, v, __ATOMIC_RELEASE);
}

/* Sleep @ns in POLL: gives the host CPU to petrel.ko's worker. */
static inline void nap(uint64_t ns)
{
	volatile struct hvt_hc_poll a = { .timeout_nsecs = ns };

	hvt_hypercall(HVT_HYPERCALL_POLL, &a);
}

#endif /* PETREL_GUEST_RINGS_H */
