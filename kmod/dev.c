// SPDX-License-Identifier: GPL-2.0
/*
 * Net device registration: validate the request, take references on the
 * tap and the eventfds, pin and map the ring region, start the wait-queue
 * hooks. Teardown undoes it in reverse order.
 */
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/eventfd.h>
#include <linux/file.h>
#include <linux/if_tun.h>
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/user.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "internal.h"
#include "ring_check.h"

/*
 * Whatever RLIMIT_MEMLOCK says, pinned pages show in the tender's VmPin
 * (/proc/PID/status): mm->pinned_vm, as io_uring and RDMA count theirs.
 * The mm is kept until the pages are unpinned, which may happen after the
 * tender's exit or from another process.
 */
static void petrel_count_pinned(struct petrel_pin *pin)
{
	mmgrab(current->mm);
	pin->mm = current->mm;
	atomic64_add(pin->npages, &pin->mm->pinned_vm);
}

static void petrel_uncount_pinned(struct petrel_pin *pin)
{
	if (!pin->mm)
		return;
	atomic64_sub(pin->npages, &pin->mm->pinned_vm);
	mmdrop(pin->mm);
	pin->mm = NULL;
}

/*
 * Charge the pinned pages to the user's RLIMIT_MEMLOCK, as AF_XDP does for
 * its UMEM; CAP_IPC_LOCK exempts the caller.
 */
static int petrel_account(struct petrel_pin *pin)
{
	unsigned long limit, old, new;
	struct user_struct *user;

	if (capable(CAP_IPC_LOCK)) {
		petrel_count_pinned(pin);
		return 0;
	}
	limit = rlimit(RLIMIT_MEMLOCK) >> PAGE_SHIFT;
	user = get_uid(current_user());
	old = atomic_long_read(&user->locked_vm);
	do {
		new = old + pin->npages;
		if (new > limit || new < old) {
			free_uid(user);
			return -ENOBUFS;
		}
	} while (!atomic_long_try_cmpxchg(&user->locked_vm, &old, new));
	pin->user = user;
	petrel_count_pinned(pin);
	return 0;
}

static void petrel_unaccount(struct petrel_pin *pin)
{
	petrel_uncount_pinned(pin);
	if (!pin->user)
		return;
	atomic_long_sub(pin->npages, &pin->user->locked_vm);
	free_uid(pin->user);
	pin->user = NULL;
}

/* Pin @npages of the caller's memory at @uaddr and map them contiguously. */
int petrel_pin_map(struct petrel_pin *pin, unsigned long uaddr,
		   unsigned long npages)
{
	long pinned;
	int ret;

	pin->npages = npages;
	pin->pages = kvmalloc_array(npages, sizeof(*pin->pages),
				    GFP_KERNEL_ACCOUNT);
	if (!pin->pages)
		return -ENOMEM;
	ret = petrel_account(pin);
	if (ret)
		goto err_free;
	/*
	 * Long-term pin: the pages stay ours even if the tender unmaps the
	 * range, so the worker never touches freed memory.
	 */
	pinned = pin_user_pages_fast(uaddr, npages, FOLL_WRITE | FOLL_LONGTERM,
				     pin->pages);
	if (pinned != npages) {
		ret = pinned < 0 ? pinned : -EFAULT;
		if (pinned > 0)
			unpin_user_pages(pin->pages, pinned);
		goto err_unaccount;
	}
	pin->map = vmap(pin->pages, npages, VM_MAP, PAGE_KERNEL);
	if (!pin->map) {
		ret = -ENOMEM;
		goto err_unpin;
	}
	return 0;

err_unpin:
	unpin_user_pages(pin->pages, npages);
err_unaccount:
	petrel_unaccount(pin);
err_free:
	kvfree(pin->pages);
	pin->pages = NULL;
	return ret;
}

void petrel_pin_unmap(struct petrel_pin *pin)
{
	if (!pin->pages)
		return;
	vunmap(pin->map);
	unpin_user_pages_dirty_lock(pin->pages, pin->npages, true);
	petrel_unaccount(pin);
	kvfree(pin->pages);
	pin->pages = NULL;
}

/*
 * The tap: a tun/tap file the caller may read and write (the module does
 * both on its behalf, so a read-only fd must not let it inject frames).
 */
int petrel_get_tap(struct petrel_dev *dev, int fd)
{
	struct socket *sock;

	dev->tap_file = fget(fd);
	if (!dev->tap_file)
		return -EBADF;
	sock = tun_get_socket(dev->tap_file);
	if (IS_ERR(sock))
		return -EINVAL;
	dev->sock = sock;
	if ((dev->tap_file->f_mode & (FMODE_READ | FMODE_WRITE)) !=
	    (FMODE_READ | FMODE_WRITE))
		return -EBADF;
	return 0;
}

static int petrel_get_files(struct petrel_dev *dev,
			    const struct petrel_net_register *req)
{
	struct eventfd_ctx *kick;
	int ret;

	ret = petrel_get_tap(dev, req->tap_fd);
	if (ret)
		return ret;
	if (dev->flags & PETREL_NET_F_HVT_RING)
		return 0;
	dev->kick_file = fget(req->kick_fd);
	if (!dev->kick_file)
		return -EBADF;
	dev->wake = eventfd_ctx_fdget(req->wake_fd);
	if (IS_ERR(dev->wake)) {
		ret = PTR_ERR(dev->wake);
		dev->wake = NULL;
		return ret;
	}

	/* Only the file is kept for the kick; the context proves its type. */
	kick = eventfd_ctx_fileget(dev->kick_file);
	if (IS_ERR(kick))
		return PTR_ERR(kick);
	eventfd_ctx_put(kick);
	if (kick == dev->wake)
		return -EINVAL;
	return 0;
}

static void petrel_put_files(struct petrel_dev *dev)
{
	if (dev->wake)
		eventfd_ctx_put(dev->wake);
	if (dev->kick_file)
		fput(dev->kick_file);
	if (dev->tap_file)
		fput(dev->tap_file);
}

/* d (running or pending, of any VM) and dev cannot both be registered. */
static int petrel_conflict(const struct petrel_dev *d,
			   const struct petrel_dev *dev, bool same_vm)
{
	if (!d)
		return 0;
	if (d->sock == dev->sock)
		return -EEXIST;
	if (same_vm && dev->uaddr < d->uaddr + d->region_size &&
	    d->uaddr < dev->uaddr + dev->region_size)
		return -EBUSY;
	if (same_vm && (d->flags & dev->flags & PETREL_NET_F_HVT_RING) &&
	    d->hvt_handle == dev->hvt_handle)
		return -EBUSY;
	return 0;
}

/* Under petrel_vms_lock: a tap serves one device, regions do not overlap. */
static int petrel_check_conflicts(struct petrel_vm *vm, struct petrel_dev *dev)
{
	struct petrel_vm *other;
	unsigned long id;
	unsigned int i;
	int ret;

	xa_for_each(&petrel_vms, id, other) {
		for (i = 0; i < PETREL_MAX_NETDEVS; i++) {
			ret = petrel_conflict(other->devs[i], dev, false) ?:
			      petrel_conflict(other->pending[i], dev, false);
			if (ret)
				return ret;
		}
	}
	/* The VM may not be in the table while it is being torn down. */
	for (i = 0; i < PETREL_MAX_NETDEVS; i++) {
		ret = petrel_conflict(vm->devs[i], dev, true) ?:
		      petrel_conflict(vm->pending[i], dev, true);
		if (ret)
			return ret;
	}
	return 0;
}

/* Without petrel_vms_lock: unpinning a region and the fputs take long. */
void petrel_dev_free(struct petrel_dev *dev)
{
	petrel_pin_unmap(&dev->pin);
	petrel_put_files(dev);
	kfree(dev);
}

/*
 * Under petrel_vms_lock, once the caller has the id: take up the rings and
 * hook the wait queues. Nothing touches the rings before this.
 */
static int petrel_dev_start(struct petrel_dev *dev)
{
	if (dev->flags & PETREL_NET_F_HVT_RING) {
		struct petrel_hvt *h = dev->vm->hvt;

		/*
		 * Frames are read when the guest asks; a frame's arrival
		 * only tells the ring's worker to watch for the NET_READ the
		 * guest is about to make (hvt_ring.c). A tap on no interface
		 * is refused, as below.
		 */
		petrel_poll_init(&dev->tap_poll, dev->vm, &h->work, EPOLLIN,
				 NULL, &h->tap_ready);
		if (petrel_poll_start(&dev->tap_poll, dev->tap_file) &
		    EPOLLERR) {
			/* A queued pass of the ring's worker is harmless. */
			petrel_poll_stop(&dev->tap_poll);
			return -EINVAL;
		}
		WRITE_ONCE(h->devs[dev->hvt_handle], dev);
		return 0;
	}
	/*
	 * Resume at the consumer index the region holds (abi/petrel.h):
	 * starting at the producer would skip posted TX frames and complete
	 * posted RX buffers unfilled. Like any index read from the region it
	 * is checked against the producer on every pass.
	 */
	dev->tx.cons = READ_ONCE(dev->tx.ring->consumer);
	dev->rx.cons = READ_ONCE(dev->rx.ring->consumer);
	/* A tap on no interface would never wake us: refused, as by vhost. */
	if (petrel_poll_start(&dev->tap_poll, dev->tap_file) & EPOLLERR) {
		petrel_poll_stop(&dev->tap_poll);
		/* A wakeup before the stop may have queued the work. */
		petrel_work_flush(dev->vm, &dev->work);
		return -EINVAL;
	}
	petrel_poll_start(&dev->kick_poll, dev->kick_file);
	return 0;
}

int petrel_dev_register(struct petrel_vm *vm,
			const struct petrel_net_register *req,
			u32 __user *id_out)
{
	struct petrel_layout lay;
	struct petrel_dev *dev;
	unsigned int slot;
	u32 n = req->ring_size;
	int ret;

	/* Needs no locks or references: first. */
	if (req->flags & PETREL_NET_F_HVT_RING) {
		if ((req->flags & PETREL_NET_F_RX_DROP) || req->region_addr ||
		    req->region_size || n || req->kick_fd != -1 ||
		    req->wake_fd != -1 || req->hvt_handle >= PETREL_HVT_HANDLES)
			return -EINVAL;
	} else {
		if (req->hvt_handle)
			return -EINVAL;
		ret = petrel_geometry_check(n, req->region_addr,
					    req->region_size, PAGE_SIZE,
					    TASK_SIZE, &lay);
		if (ret)
			return ret;
	}

	dev = kzalloc(sizeof(*dev), GFP_KERNEL_ACCOUNT);
	if (!dev)
		return -ENOMEM;
	dev->vm = vm;
	dev->flags = req->flags;
	dev->ring_size = n;
	dev->uaddr = req->region_addr;
	dev->region_size = req->region_size;
	dev->hvt_handle = req->hvt_handle;
	petrel_work_init(&dev->work, petrel_dev_work);
	petrel_poll_init(&dev->tap_poll, vm, &dev->work, EPOLLIN, NULL, NULL);
	petrel_poll_init(&dev->kick_poll, vm, &dev->work, EPOLLIN, &dev->stats,
			 &dev->kicked);

	ret = petrel_get_files(dev, req);
	if (ret)
		goto err_free;
	if (!(dev->flags & PETREL_NET_F_HVT_RING)) {
		/* Faulting in and pinning take long: not under the lock. */
		ret = petrel_pin_map(&dev->pin, dev->uaddr,
				     dev->region_size >> PAGE_SHIFT);
		if (ret)
			goto err_free;
		dev->tx.ring = dev->pin.map + PETREL_TX_RING_OFFSET(n);
		dev->rx.ring = dev->pin.map + PETREL_RX_RING_OFFSET(n);
		dev->tx.mask = n - 1;
		dev->rx.mask = n - 1;
		dev->buf = dev->pin.map + lay.buf_off;
		dev->buf_size = lay.buf_size;
	}

	mutex_lock(&petrel_vms_lock);
	if ((dev->flags & PETREL_NET_F_HVT_RING) && !vm->hvt) {
		ret = -ENXIO;
		goto err_unlock;
	}
	for (slot = 0; slot < PETREL_MAX_NETDEVS; slot++)
		if (!vm->devs[slot] && !vm->pending[slot])
			break;
	if (slot == PETREL_MAX_NETDEVS) {
		ret = -ENOSPC;
		goto err_unlock;
	}
	ret = petrel_check_conflicts(vm, dev);
	if (ret)
		goto err_unlock;
	dev->id = slot;
	vm->pending[slot] = dev;
	mutex_unlock(&petrel_vms_lock);

	/*
	 * The id goes out before the device goes live: once live, another
	 * thread may unregister it and register another in its slot, so a
	 * failed copy could no longer be undone by id. Not under the lock:
	 * the copy may fault.
	 */
	ret = put_user(slot, id_out);

	mutex_lock(&petrel_vms_lock);
	vm->pending[slot] = NULL;
	if (!ret)
		ret = petrel_dev_start(dev);
	if (ret)
		goto err_unlock;
	vm->devs[slot] = dev;
	petrel_vms_gen++;
	/* Frames may already be waiting: on either side, or in Solo5's ring. */
	if (dev->flags & PETREL_NET_F_HVT_RING)
		petrel_work_queue(vm, &vm->hvt->work);
	else
		petrel_work_queue(vm, &dev->work);
	mutex_unlock(&petrel_vms_lock);
	return 0;

err_unlock:
	mutex_unlock(&petrel_vms_lock);
err_free:
	petrel_dev_free(dev);
	return ret;
}

/*
 * Detach the hooks and wait out the worker, without petrel_vms_lock: the
 * device keeps its slot (and its tap) meanwhile, and its counters are final
 * afterwards.
 */
void petrel_dev_stop(struct petrel_dev *dev)
{
	struct petrel_vm *vm = dev->vm;

	if (dev->flags & PETREL_NET_F_HVT_RING) {
		petrel_poll_stop(&dev->tap_poll);
		/* Out of the handle table, then out of the worker's hands. */
		WRITE_ONCE(vm->hvt->devs[dev->hvt_handle], NULL);
		petrel_work_flush(vm, &vm->hvt->work);
		/* Entries for this handle keep coming: take them up again. */
		petrel_work_queue(vm, &vm->hvt->work);
		return;
	}
	petrel_poll_stop(&dev->kick_poll);
	petrel_poll_stop(&dev->tap_poll);
	/* The work may requeue itself; this waits that out too. */
	petrel_work_flush(vm, &dev->work);
}

/* Under petrel_vms_lock, as the stopped device's slot is cleared. */
void petrel_dev_retire(struct petrel_dev *dev)
{
	lockdep_assert_held(&petrel_vms_lock);
	petrel_counters_add(&dev->vm->retired, &dev->stats);
	petrel_vms_gen++;
}

int petrel_dev_unregister(struct petrel_vm *vm, u32 id)
{
	struct petrel_dev *dev;

	if (id >= PETREL_MAX_NETDEVS)
		return -ENOENT;
	mutex_lock(&petrel_vms_lock);
	dev = vm->devs[id];
	/* Another thread of the tender is unregistering it already. */
	if (dev && dev->stopping)
		dev = NULL;
	if (dev)
		dev->stopping = true;
	mutex_unlock(&petrel_vms_lock);
	if (!dev)
		return -ENOENT;

	petrel_dev_stop(dev);
	mutex_lock(&petrel_vms_lock);
	vm->devs[id] = NULL;
	petrel_dev_retire(dev);
	mutex_unlock(&petrel_vms_lock);
	petrel_dev_free(dev);
	return 0;
}
