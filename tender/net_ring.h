/* SPDX-License-Identifier: ISC */
/*
 * Net devices on petrel.ko's shared rings: the tender reserves one region
 * per net device at the top of guest RAM, registers it with /dev/petrel,
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

/* Descriptors per ring and bytes per buffer slot (a full 1514-byte frame). */
#define NET_RING_SIZE		256u
#define NET_RING_SLOT		2048u

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
	uint64_t base;			/* GPA of the first region */
	unsigned n;
	uint8_t handle[PETREL_MAX_NETDEVS];	/* manifest index */
	int kick[PETREL_MAX_NETDEVS];
	struct pollfd wake[PETREL_MAX_NETDEVS];	/* POLL sleeps on these */
	bool registered[PETREL_MAX_NETDEVS];
	uint32_t dev_id[PETREL_MAX_NETDEVS];	/* petrel.ko's device ids */
	struct petrel_guest_ext ext;		/* what the guest is told */
};

/*
 * Bytes of RAM the rings of @nnet net devices take at the top of guest
 * memory (a whole number of 2 MiB pages, so the RAM below stays mappable
 * with the guest's 2 MiB pages).
 */
uint64_t net_ring_area(unsigned nnet);

/*
 * Set up the rings for every net device of @devs on @petrel_fd (the VM's
 * /dev/petrel file, which the counters opened; -1 without the module), or
 * nothing (r->offered false) when @mode says so or, in auto mode, when
 * petrel.ko is missing,
 * a region does not fit above @kernel_end, or the module refuses. Errors
 * (return -1) only in NET_RING_ON mode.
 */
int net_ring_setup(struct net_ring *r, enum net_ring_mode mode,
		   int petrel_fd, const struct devices *devs,
		   const struct vm *vm, uint64_t kernel_end, struct errbuf *e);

/*
 * The guest declined: unbind the doorbells and unregister every device, so
 * the taps are the tender's alone again.
 */
void net_ring_withdraw(struct net_ring *r, const struct vm *vm);

#endif /* PETREL_NET_RING_H */
