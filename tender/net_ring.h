/* SPDX-License-Identifier: ISC */
/*
 * Net devices on petrel.ko's shared rings: the tender maps a ring area into
 * the guest above its RAM (mem_size stays what --mem says): the
 * announcement on its first page, then one region per net device, which it
 * registers with /dev/petrel,
 * binds the device's doorbell port to the kick eventfd with KVM_IOEVENTFD
 * and announces the rings to the guest (abi/petrel.h, petrel_guest_ext).
 * Once the guest has accepted, the kernel moves every frame; the tender
 * only sleeps on the wake eventfds in POLL.
 */
#ifndef PETREL_NET_RING_H
#define PETREL_NET_RING_H

#include <poll.h>
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
	struct errbuf fallback;	/* auto mode without rings: why ("" if not) */
};

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

/* Host address of the announcement: the ring area's first page. */
void *net_ring_ext_host(const struct net_ring *r, const struct vm *vm);

/* Whether the guest stored PETREL_GUEST_ACCEPT there (read once). */
bool net_ring_accepted(const struct net_ring *r, const struct vm *vm);

/*
 * The guest declined: unbind the doorbells and unregister every device, so
 * the taps are the tender's alone again.
 */
void net_ring_withdraw(struct net_ring *r, const struct vm *vm);

#endif /* PETREL_NET_RING_H */
