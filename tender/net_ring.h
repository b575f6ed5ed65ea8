/* SPDX-License-Identifier: ISC */
/*
 * Net devices on petrel.ko's rings. The tender maps a ring area into the
 * guest above its RAM (mem_size stays what --mem says): the announcement
 * of petrel's own rings on its first page, then Solo5's ring (struct
 * hvt_ring), then one region per net device. Both rings are offered; the
 * guest takes at most one:
 *   - petrel's rings (PETREL_FEATURE_NET_RING, guests built with
 *     petrel-dev): the regions are registered with /dev/petrel up front,
 *     each doorbell port bound to its kick eventfd with KVM_IOEVENTFD; the
 *     guest accepts them in the announcement before its first exit.
 *   - Solo5's ring (HVT_FEATURE_RING_IO, Solo5 0.11+ images): registered
 *     with /dev/petrel up front, its devices at the first exit if the
 *     guest declined petrel's rings. Such a guest never says whether it
 *     uses the ring, so port 0x600 is left unbound: its first kick exits
 *     to the tender, which then binds the port (later kicks go to
 *     petrel.ko alone) and narrows the seccomp filter to frames on the
 *     ring only. Solo5 sends larger frames by hypercall than a ring entry
 *     holds (HVT_RING_WRITE_MAX), so the ring is offered only when every
 *     net device's frames fit.
 * On either ring the kernel moves every frame, on a thread the tender
 * lends to petrel.ko (PETREL_IOC_WORKER); the tender only sleeps in POLL.
 */
#ifndef PETREL_NET_RING_H
#define PETREL_NET_RING_H

#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "../abi/petrel.h"
#include "args.h"
#include "devices.h"
#include "err.h"
#include "kvm_vm.h"

/* Descriptors per ring; a buffer slot holds a whole frame (net_ring_slot). */
#define NET_RING_SIZE		256u

/*
 * Where both rings' free-running u32 indices start: 4096 short of the
 * wrap, so that any transfer of a few thousand frames takes the guest's
 * and petrel.ko's index arithmetic through 0xffffffff -> 0 (and every slot
 * wrap) early in a VM's life rather than after 2^32 frames, which no test
 * reaches. Linux starts jiffies short of its wrap for the same reason.
 * petrel.ko and the guest both take their starting point from `producer`.
 */
#define NET_RING_START		(0u - 4096u)

struct net_ring {
	int fd;				/* the VM's /dev/petrel, or -1 */
	bool offered;			/* announced to the guest */
	bool active;			/* the guest accepted: ring mode */
	uint64_t base;			/* GPA of the ring area: mem_size */
	uint64_t area;			/* its bytes, whole 2 MiB pages */
	unsigned n;
	uint32_t slot[PETREL_MAX_NETDEVS];	/* bytes per buffer slot */
	uint8_t handle[PETREL_MAX_NETDEVS];	/* manifest index */
	int kick[PETREL_MAX_NETDEVS];
	struct pollfd wake[PETREL_MAX_NETDEVS];	/* POLL sleeps on these */
	bool registered[PETREL_MAX_NETDEVS];
	uint32_t dev_id[PETREL_MAX_NETDEVS];	/* petrel.ko's device ids */
	struct petrel_guest_ext ext;		/* what the guest is told */
	uint64_t regions_gpa, regions_bytes;	/* all devices' regions */
	struct errbuf fallback;	/* auto mode without rings: why ("" if not) */

	/* Solo5's ring: planned, offered, devices on it, the guest kicked. */
	bool hvt_planned, hvt_offered, hvt_attached, hvt_active;
	uint64_t hvt_gpa;
	int hvt_kick;				/* eventfd for port 0x600 */
	uint32_t hvt_dev_id[PETREL_MAX_NETDEVS];

	bool worker;				/* the lent thread runs */
	pthread_t worker_thread;
};

/* Bytes the ring area reserves for Solo5's ring: whole pages. */
#define NET_RING_HVT_BYTES \
	((sizeof(struct hvt_ring) + PETREL_PAGE_SIZE - 1) & \
	 ~(uint64_t)(PETREL_PAGE_SIZE - 1))

/* Bytes per buffer slot for a device of @mtu: MTU + 14, rounded up. */
uint32_t net_ring_slot(uint32_t mtu);

/* Bytes of one device's region: both rings, then 2 * ring size slots. */
uint64_t net_ring_region_size(uint32_t slot);

/*
 * Before the VM exists: choose the net devices of @devs that go on rings
 * and size the ring area to map above @mem_size (r->area, a whole number
 * of 2 MiB pages; 0 when there are no rings: @mode off, no net device, or,
 * in auto mode, no room below the 4 GiB the guest can map, which
 * r->fallback then explains). Errors (return -1) only in NET_RING_ON mode.
 */
int net_ring_plan(struct net_ring *r, enum net_ring_mode mode,
		  const struct devices *devs, uint64_t mem_size,
		  struct errbuf *e);

/*
 * Set up the rings planned in @r on @petrel_fd (the VM's /dev/petrel file,
 * which the counters opened; -1 without the module, @petrel_err saying
 * why), in the ring area of @vm, or nothing (r->offered false) when
 * nothing was planned or, in auto mode, when petrel.ko is missing or
 * refuses (r->fallback says why). Errors (return -1) only in NET_RING_ON
 * mode.
 */
int net_ring_setup(struct net_ring *r, enum net_ring_mode mode,
		   int petrel_fd, int petrel_err, const struct devices *devs,
		   const struct vm *vm, struct errbuf *e);

/* Host address and bytes of all devices' regions, 0 when not offered. */
void *net_ring_regions_host(const struct net_ring *r, const struct vm *vm,
			    uint64_t *bytes);

/* Host address of the announcement: the ring area's first page. */
void *net_ring_ext_host(const struct net_ring *r, const struct vm *vm);

/* Whether the guest stored PETREL_GUEST_ACCEPT there (read once). */
bool net_ring_accepted(const struct net_ring *r, const struct vm *vm);

/*
 * The guest declined: unbind the doorbells and unregister every device, so
 * the taps are the tender's alone again, and give the regions' memory back
 * (petrel.ko pinned it all at registration and let go of it as it
 * unregistered; left mapped, it stayed resident for the VM's life).
 */
void net_ring_withdraw(struct net_ring *r, const struct vm *vm);

/*
 * First exit, petrel's rings declined, Solo5's offered: register every net
 * device on Solo5's ring (-1 and @e on failure). The tender still serves
 * the net hypercalls: a guest older than Solo5 0.11 uses only those.
 */
int net_ring_hvt_attach(struct net_ring *r, const struct devices *devs,
			struct errbuf *e);

/*
 * The guest's first kick on port 0x600 (an exit, the port being unbound):
 * bind the port to petrel.ko's kick eventfd and pass this kick on.
 */
int net_ring_hvt_activate(struct net_ring *r, const struct vm *vm,
			  struct errbuf *e);

/* GPA of Solo5's ring, for the boot info's net_ring, or 0. */
uint64_t net_ring_hvt_offer(const struct net_ring *r);

#endif /* PETREL_NET_RING_H */
