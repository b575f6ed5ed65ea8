// SPDX-License-Identifier: ISC
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "net_ring.h"

uint32_t net_ring_slot(uint32_t mtu)
{
	uint32_t n = mtu + PETREL_FRAME_MIN;

	if (n < PETREL_SLOT_MIN)
		n = PETREL_SLOT_MIN;
	return (n + PETREL_SLOT_ALIGN - 1) & ~(PETREL_SLOT_ALIGN - 1);
}

uint64_t net_ring_region_size(uint32_t slot)
{
	uint64_t n = PETREL_BUF_OFFSET(NET_RING_SIZE) +
		     2ULL * NET_RING_SIZE * slot;

	return (n + PETREL_PAGE_SIZE - 1) & ~(uint64_t)(PETREL_PAGE_SIZE - 1);
}

/* Unregister petrel's ring devices and close their eventfds. */
static void close_petrel_rings(struct net_ring *r)
{
	for (unsigned i = 0; i < r->n; i++) {
		if (r->registered[i]) {
			struct petrel_net_unregister u = {
				.dev_id = r->dev_id[i],
			};

			ioctl(r->fd, PETREL_IOC_NET_UNREGISTER, &u);
			r->registered[i] = false;
		}
		if (r->kick[i] >= 0)
			close(r->kick[i]);
		if (r->wake[i].fd >= 0)
			close(r->wake[i].fd);
		r->kick[i] = -1;
		r->wake[i].fd = -1;
	}
	r->offered = false;
}

/*
 * Nothing offered after all: petrel's rings gone, and Solo5's ring, which
 * lives as long as the VM file (the fd is the VM's, shared with the
 * counters, so it stays open), left without devices or kicks.
 */
static void close_all(struct net_ring *r)
{
	close_petrel_rings(r);
	if (r->hvt_kick >= 0)
		close(r->hvt_kick);
	r->hvt_kick = -1;
	r->hvt_offered = false;
	r->fd = -1;
	r->n = 0;
}

static int doorbell(const struct vm *vm, int kick, uint16_t port, bool on)
{
	struct kvm_ioeventfd io = {
		.addr = port,
		.len = 4,
		.fd = kick,
		.flags = KVM_IOEVENTFD_FLAG_PIO |
			 (on ? 0 : KVM_IOEVENTFD_FLAG_DEASSIGN),
	};

	return ioctl(vm->vm_fd, KVM_IOEVENTFD, &io);
}

/*
 * No rings: an error in NET_RING_ON mode; in auto mode the net devices run
 * on the hypercalls, and r->fallback says why, for the one line the user
 * gets (a guest without rings is slower, and a tender that found no
 * petrel.ko is also missing from petrel-stat).
 */
static int give_up(struct net_ring *r, const struct vm *vm,
		   enum net_ring_mode mode, struct errbuf *e, const char *fmt,
		   ...) __attribute__((format(printf, 5, 6)));

static int give_up(struct net_ring *r, const struct vm *vm,
		   enum net_ring_mode mode, struct errbuf *e, const char *fmt,
		   ...)
{
	char why[sizeof(e->msg) - 64];
	va_list ap;

	/* First: the cleanup below may change errno, an argument. */
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	if (r->fd >= 0)
		for (unsigned i = 0; i < r->n; i++)
			if (r->ext.net[i].doorbell_port)
				doorbell(vm, r->kick[i],
					 r->ext.net[i].doorbell_port, false);
	close_all(r);
	if (mode == NET_RING_ON)
		return errf(e, "--net-ring=on: %s", why);
	errf(&r->fallback, "--net-ring=auto: the net devices use hypercalls: %s",
	     why);
	return 0;
}

/* Both rings of the region at @region begin at NET_RING_START. */
static void start_indices(uint8_t *region)
{
	struct petrel_ring *tx = (void *)(region +
					  PETREL_TX_RING_OFFSET(NET_RING_SIZE));
	struct petrel_ring *rx = (void *)(region +
					  PETREL_RX_RING_OFFSET(NET_RING_SIZE));

	tx->producer = tx->consumer = NET_RING_START;
	rx->producer = rx->consumer = NET_RING_START;
}

static int setup_dev(struct net_ring *r, const struct vm *vm, unsigned i,
		     uint64_t gpa, uint64_t size, int tap_fd)
{
	struct petrel_net_register req;
	struct petrel_guest_net *g = &r->ext.net[i];
	uint16_t port = (uint16_t)(PETREL_DOORBELL_PORT_BASE + i);

	r->kick[i] = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	r->wake[i] = (struct pollfd){
		.fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK),
		.events = POLLIN,
	};
	if (r->kick[i] < 0 || r->wake[i].fd < 0)
		return -1;
	start_indices(vm->mem.base + gpa);
	memset(&req, 0, sizeof(req));
	req.tap_fd = tap_fd;
	req.kick_fd = r->kick[i];
	req.wake_fd = r->wake[i].fd;
	req.region_addr = (uint64_t)(uintptr_t)(vm->mem.base + gpa);
	req.region_size = size;
	req.ring_size = NET_RING_SIZE;
	if (ioctl(r->fd, PETREL_IOC_NET_REGISTER, &req) < 0)
		return -1;
	r->registered[i] = true;
	r->dev_id[i] = req.dev_id;
	if (doorbell(vm, r->kick[i], port, true) < 0)
		return -1;
	*g = (struct petrel_guest_net){
		.region = gpa,
		.region_size = req.region_size,
		.ring_size = NET_RING_SIZE,
		.mft_index = r->handle[i],
		.doorbell_port = port,
		.slot_size = r->slot[i],
	};
	return 0;
}

int net_ring_plan(struct net_ring *r, enum net_ring_mode mode,
		  const struct devices *devs, uint64_t mem_size,
		  struct errbuf *e)
{
	uint64_t n = PETREL_PAGE_SIZE;	/* the announcement */

	memset(r, 0, sizeof(*r));
	r->fd = -1;
	r->hvt_kick = -1;
	if (mode == NET_RING_OFF)
		return 0;
	r->hvt_planned = true;
	for (unsigned j = 0; j < devs->n; j++) {
		if (devs->d[j].type != MFT_DEV_NET_BASIC)
			continue;
		if (r->n == PETREL_MAX_NETDEVS)
			return give_up(r, NULL, mode, e, "more net devices than "
				       "petrel.ko serves per VM");
		r->kick[r->n] = -1;
		r->wake[r->n].fd = -1;
		r->slot[r->n] = net_ring_slot(devs->d[j].mtu ?
					      devs->d[j].mtu : PETREL_NET_MTU);
		n += net_ring_region_size(r->slot[r->n]);
		r->handle[r->n++] = (uint8_t)j;
		/* Solo5 would send what a ring entry cannot hold by hypercall. */
		if ((uint64_t)devs->d[j].mtu + PETREL_ETH_HLEN >
		    HVT_RING_WRITE_MAX)
			r->hvt_planned = false;
	}
	if (r->n == 0) {
		r->hvt_planned = false;
		return 0;
	}
	if (r->hvt_planned) {
		r->hvt_gpa = mem_size + PETREL_PAGE_SIZE;
		n += NET_RING_HVT_BYTES;
	}
	r->area = (n + HVT_HUGE_PAGE_SIZE - 1) & ~(HVT_HUGE_PAGE_SIZE - 1);
	/* The guest maps the area with the page tables that cover 4 GiB. */
	if (mem_size > HVT_MEM_MAX_BYTES ||
	    r->area > HVT_MEM_MAX_BYTES - mem_size) {
		r->area = 0;
		return give_up(r, NULL, mode, e, "no room for the rings above "
			       "--mem (4 GiB in all at most)");
	}
	r->base = mem_size;
	return 0;
}

static int setup_hvt(struct net_ring *r, const struct vm *vm);
static int start_worker(struct net_ring *r);

int net_ring_setup(struct net_ring *r, enum net_ring_mode mode,
		   int petrel_fd, int petrel_err, const struct devices *devs,
		   const struct vm *vm, struct errbuf *e)
{
	uint64_t gpa;

	if (r->n == 0 || r->area == 0)
		return 0;
	if (r->base != vm->mem.size || r->area > vm->extra)
		return give_up(r, vm, mode, e, "ring area not mapped");
	r->fd = petrel_fd;
	if (r->fd < 0 && (petrel_err == ENOENT || petrel_err == ENODEV ||
			  petrel_err == ENXIO))
		return give_up(r, vm, mode, e, "cannot open %s: %s (petrel.ko "
			       "not loaded? see 'dkms status petrel', then "
			       "'modprobe petrel')", PETREL_DEVICE_PATH,
			       strerror(petrel_err));
	if (r->fd < 0)
		return give_up(r, vm, mode, e, "cannot open %s: %s",
			       PETREL_DEVICE_PATH, petrel_err ?
			       strerror(petrel_err) : "not tried");
	if (ioctl(r->fd, PETREL_IOC_VERSION, 0) != PETREL_ABI_VERSION)
		return give_up(r, vm, mode, e, "petrel.ko speaks another ABI "
			       "version");
	/* The regions follow the announcement's page and Solo5's ring. */
	gpa = r->base + PETREL_PAGE_SIZE +
	      (r->hvt_planned ? NET_RING_HVT_BYTES : 0);
	r->regions_gpa = gpa;
	for (unsigned i = 0; i < r->n; i++) {
		uint64_t size = net_ring_region_size(r->slot[i]);

		if (setup_dev(r, vm, i, gpa, size,
			      devs->d[r->handle[i]].fd))
			return give_up(r, vm, mode, e, "cannot attach a tap "
				       "to petrel.ko: %s", strerror(errno));
		gpa += size;
		r->regions_bytes += size;
	}
	if (r->hvt_planned && setup_hvt(r, vm))
		return give_up(r, vm, mode, e, "cannot register Solo5's ring "
			       "with petrel.ko: %s", strerror(errno));
	if (start_worker(r))
		return give_up(r, vm, mode, e, "cannot start the thread that "
			       "moves the frames: %s", strerror(errno));
	r->ext.magic = PETREL_GUEST_MAGIC;
	r->ext.version = PETREL_ABI_VERSION;
	r->ext.nr_net = r->n;
	r->offered = true;
	return 0;
}

/*
 * How long petrel.ko's worker watches Solo5's ring for the guest's next
 * entry before it sleeps (PETREL_IOC_HVT_RING's poll_us): longer than a
 * busy guest takes from one NET_READ's commit to its next entry, so a
 * stream costs no kick per frame; short enough that an idle guest's last
 * frame costs little CPU.
 */
#define HVT_POLL_US 50

/*
 * Solo5's ring, fresh: zeroed (the indices start at 0, as in solo5-hvt),
 * and needs_kick set, so the guest's first entry kicks.
 */
static int setup_hvt(struct net_ring *r, const struct vm *vm)
{
	struct hvt_ring *ring = (void *)(vm->mem.base + r->hvt_gpa);
	struct petrel_hvt_ring_register req;
	int ret;

	memset(ring, 0, sizeof(*ring));
	ring->needs_kick = 1;
	r->hvt_kick = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (r->hvt_kick < 0)
		return -1;
	memset(&req, 0, sizeof(req));
	req.kick_fd = r->hvt_kick;
	req.ring_addr = (uint64_t)(uintptr_t)ring;
	req.mem_addr = (uint64_t)(uintptr_t)vm->mem.base;
	req.mem_size = vm->mem.size;
	req.poll_us = HVT_POLL_US;
	ret = ioctl(r->fd, PETREL_IOC_HVT_RING, &req);
	/* A petrel.ko from before poll_us refuses it: served without. */
	if (ret < 0 && errno == EINVAL) {
		req.poll_us = 0;
		ret = ioctl(r->fd, PETREL_IOC_HVT_RING, &req);
	}
	if (ret < 0)
		return -1;
	r->hvt_offered = true;
	return 0;
}

/*
 * The lent thread: in petrel.ko for the tender's whole life. Every signal
 * is blocked, so SIGTERM and friends reach the main thread; exit_group
 * ends it like any other thread.
 */
static void *worker_main(void *arg)
{
	const struct net_ring *r = arg;
	sigset_t all;

	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
	while (ioctl(r->fd, PETREL_IOC_WORKER, 0) < 0 && errno == EINTR)
		;
	return NULL;
}

static int start_worker(struct net_ring *r)
{
	sigset_t all, old;
	int ret;

	/* Blocked from its first instruction, not only once it runs. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	ret = pthread_create(&r->worker_thread, NULL, worker_main, r);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (ret) {
		errno = ret;
		return -1;
	}
	/* So that top, ps -L and /proc/PID/task show what it is. */
	pthread_setname_np(r->worker_thread, "petrel-worker");
	r->worker = true;
	return 0;
}

void *net_ring_ext_host(const struct net_ring *r, const struct vm *vm)
{
	return vm->mem.base + r->base;
}

bool net_ring_accepted(const struct net_ring *r, const struct vm *vm)
{
	const volatile struct petrel_guest_ext *x = net_ring_ext_host(r, vm);

	return r->offered && x->accept == PETREL_GUEST_ACCEPT;
}

void *net_ring_regions_host(const struct net_ring *r, const struct vm *vm,
			    uint64_t *bytes)
{
	*bytes = r->offered ? r->regions_bytes : 0;
	return *bytes ? vm->mem.base + r->regions_gpa : NULL;
}

void net_ring_withdraw(struct net_ring *r, const struct vm *vm)
{
	uint64_t bytes;
	void *regions = net_ring_regions_host(r, vm, &bytes);

	for (unsigned i = 0; i < r->n; i++)
		doorbell(vm, r->kick[i], r->ext.net[i].doorbell_port, false);
	close_petrel_rings(r);
	/*
	 * Shared memory: MADV_REMOVE frees the pages (MADV_DONTNEED would
	 * only unmap them). The guest never mapped the regions, having
	 * declined them; should it touch them all the same, it reads zeros.
	 */
	if (bytes)
		madvise(regions, bytes, MADV_REMOVE);
}

int net_ring_hvt_attach(struct net_ring *r, const struct devices *devs,
			struct errbuf *e)
{
	for (unsigned i = 0; i < r->n; i++) {
		struct petrel_net_register req;

		memset(&req, 0, sizeof(req));
		req.flags = PETREL_NET_F_HVT_RING;
		req.tap_fd = devs->d[r->handle[i]].fd;
		req.kick_fd = -1;
		req.wake_fd = -1;
		req.hvt_handle = r->handle[i];
		if (ioctl(r->fd, PETREL_IOC_NET_REGISTER, &req) < 0)
			return errf(e, "net device '%s': cannot put it on "
				    "Solo5's ring in petrel.ko: %s",
				    devs->d[r->handle[i]].name,
				    strerror(errno));
		r->hvt_dev_id[i] = req.dev_id;
	}
	r->hvt_attached = true;
	return 0;
}

int net_ring_hvt_activate(struct net_ring *r, const struct vm *vm,
			  struct errbuf *e)
{
	uint64_t one = 1;

	if (doorbell(vm, r->hvt_kick, HVT_RING_KICK_PIO_BASE, true) < 0)
		return errf(e, "cannot bind Solo5's ring kick port: %s",
			    strerror(errno));
	if (write(r->hvt_kick, &one, sizeof(one)) != sizeof(one))
		return errf(e, "cannot pass on the guest's kick: %s",
			    strerror(errno));
	r->hvt_active = true;
	return 0;
}

uint64_t net_ring_hvt_offer(const struct net_ring *r)
{
	return r->hvt_offered ? r->hvt_gpa : 0;
}
