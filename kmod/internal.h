/* SPDX-License-Identifier: GPL-2.0 */
/*
 * petrel.ko internals: the VM (one open file of /dev/petrel), its net
 * devices (a tap bound to a pinned ring region) and their counters.
 *
 * Locking: petrel_vms_lock (global) protects the VM table, VM names and
 * every vm->devs[] slot; vm->lock protects the tender counters and is taken
 * after petrel_vms_lock. A device's ring state is touched only by its work
 * item; counters are atomics, read without locks. petrel_vms_lock is never
 * held across a device's teardown (stopping its worker, unpinning its
 * region, dropping its files): every open, registration and netlink
 * request needs it, so a VM being released must not stall them.
 */
#ifndef PETREL_INTERNAL_H
#define PETREL_INTERNAL_H

#include <linux/atomic.h>
#include <linux/mm_types.h>
#include <linux/mutex.h>
#include <linux/pid.h>
#include <linux/poll.h>
#include <linux/types.h>
#include <linux/wait.h>
#include <linux/xarray.h>

#include "abi/hvt_abi.h"
#include "abi/petrel.h"

/* Per worker run and direction: bounded so one guest cannot hog a CPU. */
#define PETREL_WEIGHT_PKTS	256
#define PETREL_WEIGHT_BYTES	0x80000

/* User pages pinned long-term and mapped contiguously for the kernel. */
struct petrel_pin {
	struct page **pages;
	unsigned long npages;
	struct user_struct *user;	/* charged RLIMIT_MEMLOCK, or NULL */
	struct mm_struct *mm;		/* its pinned_vm counts the pages */
	void *map;
};

struct petrel_counters {
	atomic64_t stat[__PETREL_STAT_MAX];	/* by enum petrel_stat */
	atomic64_t tx_batch[PETREL_HIST_BUCKETS];
	atomic64_t rx_batch[PETREL_HIST_BUCKETS];
};

/* A unit of work for the VM's worker (worker.c). */
struct petrel_work {
	struct list_head entry;		/* on vm->work_list while queued */
	void (*fn)(struct petrel_work *w);
};

/* One wait-queue hook (tap socket or kick eventfd) that queues the work. */
struct petrel_poll {
	wait_queue_entry_t wait;
	poll_table table;
	wait_queue_head_t *wqh;
	__poll_t mask;
	struct petrel_vm *vm;
	struct petrel_work *work;
	/* Doorbells only: counted here, and noted for the next pass. */
	struct petrel_counters *stats;
	atomic_t *kicked;
};

/* The kernel's own view of one shared ring; `cons` is the trusted index. */
struct petrel_ring_state {
	struct petrel_ring *ring;	/* inside the vmap of the region */
	u32 mask;
	u32 cons;
	bool parked;			/* ring error: wait for a doorbell */
};

struct petrel_dev {
	struct petrel_vm *vm;
	u32 id;
	u32 flags;			/* PETREL_NET_F_* */
	u32 ring_size;

	/* Region: pinned user pages mapped contiguously for the kernel. */
	unsigned long uaddr;
	u64 region_size;
	struct petrel_pin pin;
	u8 *buf;			/* buffer area inside pin.map */
	u64 buf_size;

	struct petrel_ring_state tx;
	struct petrel_ring_state rx;

	struct file *tap_file;
	struct socket *sock;
	struct file *kick_file;
	struct eventfd_ctx *wake;

	struct petrel_poll tap_poll;
	struct petrel_poll kick_poll;
	struct petrel_work work;
	atomic_t kicked;		/* doorbell since the last run */

	u32 hvt_handle;			/* PETREL_NET_F_HVT_RING devices */

	struct petrel_counters stats;
	bool stopping;			/* unregistering; under petrel_vms_lock */
};

/*
 * Solo5's ring (hvt_ring.c), one per VM for all its PETREL_NET_F_HVT_RING
 * devices. ent_head and com_tail are the trusted indices; devs[] is
 * written under petrel_vms_lock and read by the worker, which a device
 * being unregistered flushes after leaving devs[].
 */
struct petrel_hvt {
	struct petrel_vm *vm;
	struct petrel_pin pin;		/* the ring */
	struct hvt_ring *ring;		/* in pin.map */
	u64 mem_addr;			/* tender's address of GPA 0 */
	u64 mem_size;
	u32 ent_head;
	u32 com_tail;
	u64 poll_ns;			/* watch this long before sleeping */
	u64 poll_left;			/* of the watch after the last work */
	bool parked;			/* ring error: wait for a kick */
	struct file *kick_file;
	struct petrel_poll kick_poll;
	struct petrel_work work;
	atomic_t kicked;
	atomic_t tap_ready;		/* a frame came for one of the devs */
	struct petrel_dev *devs[PETREL_HVT_HANDLES];
	struct petrel_counters stats;	/* the ring's own */
};

struct petrel_vm {
	u32 id;
	struct pid *pid;		/* thread group of the opener */
	struct net *net;
	char name[PETREL_NAME_MAX];	/* "" until named */
	struct petrel_dev *devs[PETREL_MAX_NETDEVS];
	/*
	 * Registrations whose id is being written back (under
	 * petrel_vms_lock, like devs[]): each holds its slot, tap and region
	 * against other registrations, but is not running and not visible,
	 * so unregistering its id finds nothing.
	 */
	struct petrel_dev *pending[PETREL_MAX_NETDEVS];
	struct petrel_counters retired;	/* unregistered devices, summed */

	u64 created_ns;			/* boottime clock */
	struct mm_struct *mm;		/* the opener's (grabbed): workers' */

	/* The worker (worker.c); work_lock is taken in any context. */
	spinlock_t work_lock;
	struct list_head work_list;
	struct petrel_work *running;
	struct task_struct *worker;	/* in PETREL_IOC_WORKER, or NULL */
	wait_queue_head_t work_wq;	/* the worker waits for work */
	wait_queue_head_t flush_wq;	/* flushers wait for the worker */

	/* Set once under petrel_vms_lock; freed with the VM. */
	struct petrel_hvt *hvt;

	struct mutex lock;		/* tender */
	struct petrel_tender_stats tender;
	/* The tender's counters page: ours, mapped into the tender. */
	struct page *counters;
	bool counters_mapped;		/* under lock */
};

extern struct mutex petrel_vms_lock;
extern struct xarray petrel_vms;
extern unsigned int petrel_vms_gen;

/* vm.c */
struct petrel_vm *petrel_vm_create(void);
void petrel_vm_destroy(struct petrel_vm *vm);
int petrel_vm_set_name(struct petrel_vm *vm, const struct petrel_vm_name *req);
struct petrel_vm *petrel_vm_find_name(const struct net *net, const char *name);
void petrel_counters_add(struct petrel_counters *dst,
			 const struct petrel_counters *src);
int petrel_vm_mmap(struct petrel_vm *vm, struct vm_area_struct *vma);

/* dev.c */
int petrel_dev_register(struct petrel_vm *vm,
			const struct petrel_net_register *req,
			u32 __user *id_out);
int petrel_dev_unregister(struct petrel_vm *vm, u32 id);
void petrel_dev_stop(struct petrel_dev *dev);
void petrel_dev_retire(struct petrel_dev *dev);
void petrel_dev_free(struct petrel_dev *dev);

int petrel_pin_map(struct petrel_pin *pin, unsigned long uaddr,
		   unsigned long npages);
void petrel_pin_unmap(struct petrel_pin *pin);
int petrel_get_tap(struct petrel_dev *dev, int fd);

/* worker.c */
void petrel_worker_init(struct petrel_vm *vm);
void petrel_work_init(struct petrel_work *w, void (*fn)(struct petrel_work *));
void petrel_work_queue(struct petrel_vm *vm, struct petrel_work *w);
void petrel_work_flush(struct petrel_vm *vm, struct petrel_work *w);
bool petrel_work_pending(struct petrel_vm *vm);
int petrel_worker_run(struct petrel_vm *vm);

/* hvt_ring.c */
int petrel_hvt_register(struct petrel_vm *vm,
			const struct petrel_hvt_ring_register *req);
void petrel_hvt_free(struct petrel_hvt *hvt);

/* ring.c */
void petrel_dev_work(struct petrel_work *work);
void petrel_poll_init(struct petrel_poll *p, struct petrel_vm *vm,
		      struct petrel_work *work, __poll_t mask,
		      struct petrel_counters *stats, atomic_t *kicked);
__poll_t petrel_poll_start(struct petrel_poll *p, struct file *file);
void petrel_poll_stop(struct petrel_poll *p);

/* genl.c */
int petrel_genl_init(void);
void petrel_genl_exit(void);
void petrel_genl_notify(struct petrel_vm *vm, u8 cmd);

static inline void petrel_count(struct petrel_counters *c,
				enum petrel_stat s, u64 n)
{
	atomic64_add(n, &c->stat[s]);
}

#endif /* PETREL_INTERNAL_H */
