// SPDX-License-Identifier: GPL-2.0
/*
 * Solo5's shared ring (struct hvt_ring, abi/hvt_abi.h), served in the
 * kernel: what solo5-hvt's I/O thread does with one read() or write() per
 * frame, the VM's worker does here with the tap's socket calls, copying
 * straight between the tap and the guest buffers the entries name.
 *
 * Entries carry guest-physical addresses anywhere in guest memory, so the
 * ring itself is pinned (the worker reads it on every pass) but frame
 * buffers are reached with user copies through the tender's mapping of
 * guest memory: the worker is a thread of the tender (worker.c), so those
 * addresses are its own, and a GPA is checked against mem_size (overflow
 * first) before it becomes one. A tender that unmapped or write-protected
 * part of guest memory makes the copy fail, which is counted like a bad
 * buffer.
 *
 * The guest may rewrite the ring at any moment: ent_tail is read once per
 * pass and checked against our own ent_head, each entry field is read once
 * into a local copy that alone is checked and used, and com_head only
 * bounds how far our own com_tail may run ahead.
 */
#include <linux/eventfd.h>
#include <linux/file.h>
#include <linux/net.h>
#include <linux/sched/clock.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/socket.h>
#include <linux/uio.h>

#include "compat.h"
#include "internal.h"
#include "ring_check.h"

/* Per pass: bounded like the petrel ring's (ring.c), then requeued. */
#define PETREL_HVT_WEIGHT	PETREL_WEIGHT_PKTS

static void petrel_hvt_read_entry(const struct hvt_ring_entry *slot,
				  struct hvt_ring_entry *e)
{
	e->operation = READ_ONCE(slot->operation);
	e->handle = READ_ONCE(slot->handle);
	e->data = READ_ONCE(slot->data);
	e->len = READ_ONCE(slot->len);
	e->id = READ_ONCE(slot->id);
}

static struct petrel_dev *petrel_hvt_dev(struct petrel_hvt *h, u32 handle)
{
	if (handle >= PETREL_HVT_HANDLES)
		return NULL;
	/* Cleared, then flushed, before a device goes away (dev.c). */
	return READ_ONCE(h->devs[handle]);
}

static void __user *petrel_hvt_uaddr(const struct petrel_hvt *h, u64 gpa)
{
	return (void __user *)(uintptr_t)(h->mem_addr + gpa);
}

static void petrel_hvt_write(struct petrel_hvt *h, struct petrel_dev *dev,
			     const struct hvt_ring_entry *e)
{
	struct petrel_counters *st = &dev->stats;
	struct msghdr msg = { .msg_flags = MSG_DONTWAIT };
	struct iovec iov;
	int ret;

	switch (petrel_hvt_write_check(e->data, e->len, h->mem_size)) {
	case PETREL_TX_OK:
		break;
	case PETREL_TX_BAD_DESC:
		petrel_count(st, PETREL_STAT_TX_DROP_BAD_DESC, 1);
		return;
	case PETREL_TX_TOO_BIG:
		petrel_count(st, PETREL_STAT_TX_DROP_TOO_BIG, 1);
		return;
	case PETREL_TX_TOO_SMALL:
		petrel_count(st, PETREL_STAT_TX_DROP_TOO_SMALL, 1);
		return;
	}
	iov.iov_base = petrel_hvt_uaddr(h, e->data);
	iov.iov_len = e->len;
	iov_iter_init(&msg.msg_iter, ITER_SOURCE, &iov, 1, e->len);
	ret = dev->sock->ops->sendmsg(dev->sock, &msg, e->len);
	if (ret == -EFAULT) {
		petrel_count(st, PETREL_STAT_TX_DROP_BAD_DESC, 1);
		return;
	}
	if (ret != e->len) {
		petrel_count(st, PETREL_STAT_TX_DROP_TAP, 1);
		return;
	}
	petrel_count(st, PETREL_STAT_TX_PACKETS, 1);
	petrel_count(st, PETREL_STAT_TX_BYTES, e->len);
}

/*
 * One frame into the guest's buffer: the commit's result and length.
 * Frames too large for the buffer are dropped and the next one is taken;
 * the pass's weight bounds that loop (*seen).
 */
static s32 petrel_hvt_read(struct petrel_hvt *h, struct petrel_dev *dev,
			   const struct hvt_ring_entry *e, u32 *len,
			   u32 *seen)
{
	struct petrel_counters *st = &dev->stats;
	enum petrel_rx_verdict verdict;
	int ret;

	*len = 0;
	verdict = petrel_hvt_read_check(e->data, e->len, h->mem_size);
	if (verdict != PETREL_RX_OK) {
		petrel_count(st, verdict == PETREL_RX_TOO_SMALL ?
			     PETREL_STAT_RX_DROP_SMALL_BUF :
			     PETREL_STAT_RX_DROP_BAD_DESC, 1);
		return HVT_RESULT_EINVAL;
	}
	for (;;) {
		struct msghdr msg = { .msg_flags = MSG_DONTWAIT };
		struct iovec iov = {
			.iov_base = petrel_hvt_uaddr(h, e->data),
			.iov_len = e->len,
		};

		iov_iter_init(&msg.msg_iter, ITER_DEST, &iov, 1, e->len);
		ret = dev->sock->ops->recvmsg(dev->sock, &msg, e->len,
					      MSG_DONTWAIT | MSG_TRUNC);
		if (ret == -EAGAIN || ret == 0) {
			petrel_count(st, PETREL_STAT_RX_AGAIN, 1);
			return HVT_RESULT_AGAIN;
		}
		/* tun freed the frame it could not copy. */
		if (ret == -EFAULT) {
			petrel_count(st, PETREL_STAT_RX_DROP_BAD_DESC, 1);
			return HVT_RESULT_EINVAL;
		}
		if (ret < 0) {
			petrel_count(st, PETREL_STAT_RX_DROP_TAP, 1);
		} else if (!petrel_rx_fits(ret, e->len)) {
			/* Truncated, so consumed: the guest never sees it. */
			petrel_count(st, PETREL_STAT_RX_DROP_TOO_BIG, 1);
		} else {
			/*
			 * tun ignores a failed copy to the buffer (guest
			 * memory the tender made read-only or unmapped) and
			 * reports the frame delivered: only the iterator,
			 * short of what was copied, says otherwise.
			 */
			if (iov_iter_count(&msg.msg_iter) != e->len - ret) {
				petrel_count(st, PETREL_STAT_RX_DROP_BAD_DESC,
					     1);
				return HVT_RESULT_EINVAL;
			}
			petrel_count(st, PETREL_STAT_RX_PACKETS, 1);
			petrel_count(st, PETREL_STAT_RX_BYTES, ret);
			*len = ret;
			return HVT_RESULT_OK;
		}
		if ((*seen)++ >= PETREL_HVT_WEIGHT) {
			/* Give others a turn; the guest asks again. */
			petrel_count(st, PETREL_STAT_RX_AGAIN, 1);
			return HVT_RESULT_AGAIN;
		}
	}
}

static void petrel_hvt_commit(struct petrel_hvt *h, u32 id, s32 ret, u32 len)
{
	struct hvt_ring_commit *c = &h->ring->commits[h->com_tail &
						      HVT_RING_MASK];

	WRITE_ONCE(c->id, id);
	WRITE_ONCE(c->ret, ret);
	WRITE_ONCE(c->len, len);
	h->com_tail++;
	/* The commit before the index that hands it out; the guest spins. */
	smp_store_release(&h->ring->com_tail, h->com_tail);
}

/* A ring error: say where we are, and wait for the guest's next kick. */
static void petrel_hvt_park(struct petrel_hvt *h, enum petrel_stat why)
{
	petrel_count(&h->stats, why, 1);
	h->parked = true;
	WRITE_ONCE(h->ring->ent_head, h->ent_head);
	WRITE_ONCE(h->ring->needs_kick, 1);
}

/*
 * Going idle: ask for a kick, then look again. Pairs with the guest's
 * "ent_tail++; full barrier; load needs_kick". True if entries arrived.
 */
static bool petrel_hvt_arm(struct petrel_hvt *h)
{
	WRITE_ONCE(h->ring->needs_kick, 1);
	/* Flag store before ent_tail load: no kick can be lost. */
	smp_mb();
	return READ_ONCE(h->ring->ent_tail) != h->ent_head;
}

/* Returns true if entries remain (the pass's weight ran out). */
static bool petrel_hvt_pass(struct petrel_hvt *h)
{
	struct hvt_ring *ring = h->ring;
	u32 tail, seen = 0;
	s64 avail;

	/* Entries are read after the index that published them. */
	tail = smp_load_acquire(&ring->ent_tail);
	avail = petrel_ring_pending(tail, h->ent_head, HVT_RING_SIZE);
	if (avail < 0) {
		petrel_hvt_park(h, PETREL_STAT_RING_ERRORS);
		return false;
	}
	if (avail == 0)
		return false;
	if (READ_ONCE(ring->needs_kick))
		WRITE_ONCE(ring->needs_kick, 0);
	if (avail == HVT_RING_SIZE)
		petrel_count(&h->stats, PETREL_STAT_RING_FULL, 1);

	while (avail > 0) {
		struct hvt_ring_entry e;
		struct petrel_dev *dev;
		u32 len;
		s32 ret;

		if (seen++ >= PETREL_HVT_WEIGHT)
			break;
		petrel_hvt_read_entry(&ring->entries[h->ent_head &
						     HVT_RING_MASK], &e);
		dev = petrel_hvt_dev(h, e.handle);
		if (e.operation == HVT_RING_OP_NET_READ) {
			/* The guest has not taken the commits it asked for. */
			if (h->com_tail - READ_ONCE(ring->com_head) >=
			    HVT_RING_SIZE) {
				petrel_hvt_park(h, PETREL_STAT_COMMITS_FULL);
				break;
			}
			if (dev) {
				ret = petrel_hvt_read(h, dev, &e, &len, &seen);
			} else {
				petrel_count(&h->stats,
					     PETREL_STAT_BAD_HANDLE, 1);
				ret = HVT_RESULT_EINVAL;
				len = 0;
			}
			h->ent_head++;
			avail--;
			/* ent_head first: the guest checks it on its next. */
			WRITE_ONCE(ring->ent_head, h->ent_head);
			petrel_hvt_commit(h, e.id, ret, len);
			/* The guest goes to POLL next: sleep, do not watch. */
			if (ret == HVT_RESULT_AGAIN)
				h->poll_left = 0;
			else
				h->poll_left = h->poll_ns;
			continue;
		}
		h->poll_left = h->poll_ns;
		if (e.operation != HVT_RING_OP_NET_WRITE)
			petrel_count(&h->stats, PETREL_STAT_BAD_OP, 1);
		else if (!dev)
			petrel_count(&h->stats, PETREL_STAT_BAD_HANDLE, 1);
		else
			petrel_hvt_write(h, dev, &e);
		h->ent_head++;
		avail--;
	}
	/* Frees the slots of the writes: the guest waits on a full ring. */
	smp_store_release(&ring->ent_head, h->ent_head);
	return avail > 0 && !h->parked;
}

/*
 * Before sleeping, watch for the guest's next entry (poll_ns of spinning
 * after the last pass that found work): Solo5's bindings wait for every
 * NET_READ's commit, so a worker that slept after each one would cost a
 * busy guest a kick and a wakeup per frame. Not after an AGAIN (the guest
 * goes to POLL next) until a frame arrives on one of its taps. The
 * scheduler, a signal or the VM's other work interrupt the watch: the item
 * is requeued, the worker yields, and the watch goes on with what is left
 * of its budget, so being preempted does not cost a kick. True to requeue.
 */
static bool petrel_hvt_watch(struct petrel_hvt *h)
{
	u64 start, spent;

	/*
	 * On one CPU (a tender pinned with taskset, as albatross does) the
	 * guest's vCPU thread waits for the CPU we would spin on.
	 */
	if (!h->poll_left || current->nr_cpus_allowed < 2)
		return false;
	/* Armed before a tap's frame restarted the watch: no kick needed. */
	if (READ_ONCE(h->ring->needs_kick))
		WRITE_ONCE(h->ring->needs_kick, 0);
	start = local_clock();
	for (;;) {
		if (READ_ONCE(h->ring->ent_tail) != h->ent_head)
			return true;
		cpu_relax();
		spent = local_clock() - start;
		if (spent >= h->poll_left) {
			h->poll_left = 0;
			return false;
		}
		if (need_resched() || signal_pending(current) ||
		    petrel_work_pending(h->vm)) {
			h->poll_left -= spent;
			return true;
		}
	}
}

static void petrel_hvt_work(struct petrel_work *work)
{
	struct petrel_hvt *h = container_of(work, struct petrel_hvt, work);

	petrel_count(&h->stats, PETREL_STAT_WORKER_RUNS, 1);
	/* A kick after a ring error gives the guest another chance. */
	if (atomic_xchg(&h->kicked, 0))
		h->parked = false;
	if (h->parked)
		return;
	/*
	 * A frame came while the guest sleeps in POLL, or runs: it asks
	 * for it next, so watch rather than wait for its kick.
	 */
	if (atomic_xchg(&h->tap_ready, 0))
		h->poll_left = h->poll_ns;
	if (petrel_hvt_pass(h) ||
	    (!h->parked && (petrel_hvt_watch(h) || petrel_hvt_arm(h))))
		petrel_work_queue(h->vm, work);
}

void petrel_hvt_free(struct petrel_hvt *h)
{
	if (!h)
		return;
	petrel_poll_stop(&h->kick_poll);
	petrel_work_flush(h->vm, &h->work);
	petrel_pin_unmap(&h->pin);
	if (h->kick_file)
		fput(h->kick_file);
	kfree(h);
}

static int petrel_hvt_get_kick(struct petrel_hvt *h, int fd)
{
	struct eventfd_ctx *ctx;

	h->kick_file = fget(fd);
	if (!h->kick_file)
		return -EBADF;
	/* Only the file is kept; the context proves it is an eventfd. */
	ctx = eventfd_ctx_fileget(h->kick_file);
	if (IS_ERR(ctx))
		return -EINVAL;
	eventfd_ctx_put(ctx);
	return 0;
}

int petrel_hvt_register(struct petrel_vm *vm,
			const struct petrel_hvt_ring_register *req)
{
	unsigned long npages = DIV_ROUND_UP(sizeof(struct hvt_ring), PAGE_SIZE);
	struct petrel_hvt *h;
	int ret;

	ret = petrel_hvt_geometry_check(req->ring_addr, req->mem_addr,
					req->mem_size, PAGE_SIZE, TASK_SIZE);
	if (ret)
		return ret;
	h = kzalloc(sizeof(*h), GFP_KERNEL_ACCOUNT);
	if (!h)
		return -ENOMEM;
	h->vm = vm;
	h->mem_addr = req->mem_addr;
	h->mem_size = req->mem_size;
	h->poll_ns = (u64)req->poll_us * NSEC_PER_USEC;
	petrel_work_init(&h->work, petrel_hvt_work);
	petrel_poll_init(&h->kick_poll, vm, &h->work, EPOLLIN, &h->stats,
			 &h->kicked);
	ret = petrel_hvt_get_kick(h, req->kick_fd);
	if (ret)
		goto err;
	ret = petrel_pin_map(&h->pin, req->ring_addr, npages);
	if (ret)
		goto err;
	h->ring = h->pin.map;

	mutex_lock(&petrel_vms_lock);
	if (vm->hvt) {
		mutex_unlock(&petrel_vms_lock);
		ret = -EALREADY;
		goto err;
	}
	/* Resume where the ring says, as petrel's own rings do. */
	h->ent_head = READ_ONCE(h->ring->ent_head);
	h->com_tail = READ_ONCE(h->ring->com_tail);
	vm->hvt = h;
	petrel_poll_start(&h->kick_poll, h->kick_file);
	petrel_work_queue(vm, &h->work);
	petrel_vms_gen++;
	mutex_unlock(&petrel_vms_lock);
	return 0;

err:
	petrel_hvt_free(h);
	return ret;
}
