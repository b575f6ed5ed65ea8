// SPDX-License-Identifier: GPL-2.0
/*
 * petrel's own ring engine: one work item per device, run by the VM's
 * worker (worker.c), moves frames between the shared rings and the tap
 * socket. Wait-queue callbacks (kick eventfd, tap socket) only queue the
 * work; each run moves a bounded number of frames per direction and
 * requeues itself if more are waiting, like vhost-net's weight (the
 * CVE-2019-3900 lesson).
 *
 * The guest owns the ring memory and may rewrite it at any moment: the
 * producer index is read once per pass and checked against the kernel's own
 * consumer index, every descriptor is copied before it is checked, and
 * every buffer must lie inside the buffer area.
 */
#include <linux/file.h>
#include <linux/net.h>
#include <linux/socket.h>
#include <linux/uio.h>
#include <net/sock.h>

#include "compat.h"
#include "internal.h"
#include "ring_check.h"

static int petrel_poll_wakeup(wait_queue_entry_t *wait, unsigned int mode,
			      int sync, void *key)
{
	struct petrel_poll *p = container_of(wait, struct petrel_poll, wait);

	if (key && !(key_to_poll(key) & p->mask))
		return 0;
	if (p->stats)
		petrel_count(p->stats, PETREL_STAT_DOORBELLS, 1);
	if (p->kicked)
		atomic_set(p->kicked, 1);
	/* Atomic context (softirq or the vCPU thread): defer everything. */
	petrel_work_queue(p->vm, p->work);
	return 0;
}

static void petrel_poll_queue(struct file *file, wait_queue_head_t *wqh,
			      poll_table *pt)
{
	struct petrel_poll *p = container_of(pt, struct petrel_poll, table);

	p->wqh = wqh;
	add_wait_queue(wqh, &p->wait);
}

/*
 * @stats: a doorbell, counted there; @kicked: set on every wakeup, for the
 * work to tell why it runs. Both NULL for a tap that only queues the work.
 */
void petrel_poll_init(struct petrel_poll *p, struct petrel_vm *vm,
		      struct petrel_work *work, __poll_t mask,
		      struct petrel_counters *stats, atomic_t *kicked)
{
	init_waitqueue_func_entry(&p->wait, petrel_poll_wakeup);
	init_poll_funcptr(&p->table, petrel_poll_queue);
	p->mask = mask;
	p->vm = vm;
	p->work = work;
	p->stats = stats;
	p->kicked = kicked;
}

/* Returns the file's poll mask; EPOLLERR may mean no hook was added. */
__poll_t petrel_poll_start(struct petrel_poll *p, struct file *file)
{
	return vfs_poll(file, &p->table);
}

void petrel_poll_stop(struct petrel_poll *p)
{
	if (p->wqh) {
		remove_wait_queue(p->wqh, &p->wait);
		p->wqh = NULL;
	}
}

static void petrel_hist(atomic64_t *hist, u32 n)
{
	if (n)
		atomic64_inc(&hist[min_t(u32, fls(n) - 1,
					 PETREL_HIST_BUCKETS - 1)]);
}

/*
 * Entries the guest has published, or -1 if its producer index is not
 * within ring_size of our consumer (a corrupt ring: counted, and the ring is
 * parked until the guest rings the doorbell again).
 */
static s64 petrel_ring_avail(struct petrel_dev *dev, struct petrel_ring_state *rs)
{
	/* Descriptors are read after the index that published them. */
	u32 prod = smp_load_acquire(&rs->ring->producer);
	s64 n = petrel_ring_pending(prod, rs->cons, dev->ring_size);

	if (n < 0) {
		petrel_count(&dev->stats, PETREL_STAT_RING_ERRORS, 1);
		rs->parked = true;
		/* Show the guest where we are, so it can resynchronise. */
		WRITE_ONCE(rs->ring->consumer, rs->cons);
		WRITE_ONCE(rs->ring->kflags, PETREL_RING_NEED_KICK);
		return -1;
	}
	return n;
}

/*
 * Going idle: ask for a doorbell, then look again. Pairs with the guest's
 * "store producer; full barrier; load kflags". True if entries arrived.
 */
static bool petrel_ring_arm(struct petrel_ring_state *rs)
{
	WRITE_ONCE(rs->ring->kflags, PETREL_RING_NEED_KICK);
	/* Flag store before producer load: no doorbell can be lost. */
	smp_mb();
	return READ_ONCE(rs->ring->producer) != rs->cons;
}

static void petrel_ring_disarm(struct petrel_ring_state *rs)
{
	if (READ_ONCE(rs->ring->kflags))
		WRITE_ONCE(rs->ring->kflags, 0);
}

/*
 * Publish our consumer index; wake the tender if the guest said it sleeps.
 * Pairs with the guest's "store gflags; full barrier; load consumer".
 */
static void petrel_ring_publish(struct petrel_dev *dev,
				struct petrel_ring_state *rs)
{
	/* Buffer and descriptor writes before the index that hands them out. */
	smp_store_release(&rs->ring->consumer, rs->cons);
	/* Index store before gflags load: no wakeup can be lost. */
	smp_mb();
	if (READ_ONCE(rs->ring->gflags) & PETREL_RING_NEED_WAKEUP) {
		petrel_eventfd_signal(dev->wake);
		petrel_count(&dev->stats, PETREL_STAT_WAKEUPS, 1);
	}
}

static void petrel_read_desc(struct petrel_ring_state *rs, u32 idx,
			     struct petrel_desc *d)
{
	const struct petrel_desc *slot = &rs->ring->desc[idx & rs->mask];

	d->off = READ_ONCE(slot->off);
	d->len = READ_ONCE(slot->len);
	d->flags = READ_ONCE(slot->flags);
	d->cookie = READ_ONCE(slot->cookie);
}

/* Returns true if frames remain (budget exhausted). */
static bool petrel_tx(struct petrel_dev *dev)
{
	struct petrel_ring_state *rs = &dev->tx;
	struct petrel_counters *st = &dev->stats;
	u32 done = 0, bytes = 0, seen = 0;
	bool more = false;
	s64 avail;

	if (rs->parked)
		return false;
	avail = petrel_ring_avail(dev, rs);
	if (avail < 0)
		return false;
	if (avail == 0) {
		if (!petrel_ring_arm(rs))
			return false;
		avail = petrel_ring_avail(dev, rs);
		if (avail <= 0)
			return false;
	}
	petrel_ring_disarm(rs);
	if (avail == dev->ring_size)
		petrel_count(st, PETREL_STAT_RING_FULL, 1);

	while (avail > 0) {
		struct msghdr msg = { .msg_flags = MSG_DONTWAIT };
		struct petrel_desc d;
		struct kvec iov;
		int ret;

		/* Dropped descriptors count too: every pass is bounded. */
		if (seen++ >= PETREL_WEIGHT_PKTS || bytes >= PETREL_WEIGHT_BYTES) {
			more = true;
			break;
		}
		petrel_read_desc(rs, rs->cons, &d);
		rs->cons++;
		avail--;
		switch (petrel_tx_check(&d, dev->buf_size)) {
		case PETREL_TX_OK:
			break;
		case PETREL_TX_BAD_DESC:
			petrel_count(st, PETREL_STAT_TX_DROP_BAD_DESC, 1);
			continue;
		case PETREL_TX_TOO_BIG:
			petrel_count(st, PETREL_STAT_TX_DROP_TOO_BIG, 1);
			continue;
		case PETREL_TX_TOO_SMALL:
			petrel_count(st, PETREL_STAT_TX_DROP_TOO_SMALL, 1);
			continue;
		}
		/* tun copies the frame into an skb before parsing it. */
		iov.iov_base = dev->buf + d.off;
		iov.iov_len = d.len;
		iov_iter_kvec(&msg.msg_iter, ITER_SOURCE, &iov, 1, d.len);
		ret = dev->sock->ops->sendmsg(dev->sock, &msg, d.len);
		if (ret != d.len) {
			petrel_count(st, PETREL_STAT_TX_DROP_TAP, 1);
			continue;
		}
		done++;
		bytes += d.len;
	}
	petrel_count(st, PETREL_STAT_TX_PACKETS, done);
	petrel_count(st, PETREL_STAT_TX_BYTES, bytes);
	petrel_hist(st->tx_batch, done);
	petrel_ring_publish(dev, rs);
	if (!more && petrel_ring_arm(rs))
		more = true;
	return more;
}

/* Throw away the frame at the head of the tap queue. */
static void petrel_rx_discard(struct petrel_dev *dev)
{
	struct msghdr msg = { .msg_flags = MSG_DONTWAIT };
	struct kvec iov;
	u8 scratch;

	/* tun leaves the frame queued for an empty iterator: read one byte. */
	iov.iov_base = &scratch;
	iov.iov_len = sizeof(scratch);
	iov_iter_kvec(&msg.msg_iter, ITER_DEST, &iov, 1, sizeof(scratch));
	dev->sock->ops->recvmsg(dev->sock, &msg, sizeof(scratch),
				MSG_DONTWAIT | MSG_TRUNC);
}

/*
 * Returns true if frames remain (budget exhausted). After a doorbell the
 * ring is checked even with no frame waiting, so a corrupt index is
 * reported (and our consumer republished) when the guest asks.
 */
static bool petrel_rx(struct petrel_dev *dev, bool kicked)
{
	struct petrel_ring_state *rs = &dev->rx;
	struct petrel_counters *st = &dev->stats;
	enum petrel_rx_verdict verdict;
	struct petrel_desc *slot;
	u32 done = 0, bytes = 0, returned = 0, seen = 0;
	bool more = false;
	s64 avail = 0;

	if (rs->parked)
		return false;
	if (kicked) {
		avail = petrel_ring_avail(dev, rs);
		if (avail < 0)
			return false;
	}
	for (;;) {
		struct msghdr msg = { .msg_flags = MSG_DONTWAIT };
		struct petrel_desc d;
		struct kvec iov;
		int len, ret;

		/* Drops and refused buffers count too: every pass is bounded. */
		if (seen++ >= PETREL_WEIGHT_PKTS || bytes >= PETREL_WEIGHT_BYTES) {
			more = true;
			break;
		}
		len = dev->sock->ops->peek_len(dev->sock);
		if (len <= 0)
			break;
		if (avail == 0) {
			avail = petrel_ring_avail(dev, rs);
			if (avail < 0)
				break;
		}
		if (avail == 0 && (dev->flags & PETREL_NET_F_RX_DROP)) {
			petrel_rx_discard(dev);
			petrel_count(st, PETREL_STAT_RX_DROP_NO_BUFFER, 1);
			continue;
		}
		if (avail == 0) {
			bool stalled = !READ_ONCE(rs->ring->kflags);

			if (petrel_ring_arm(rs))
				continue;
			/* Frames wait in the tap queue for the doorbell. */
			if (stalled)
				petrel_count(st, PETREL_STAT_RX_NO_BUFFER, 1);
			break;
		}
		petrel_ring_disarm(rs);

		petrel_read_desc(rs, rs->cons, &d);
		slot = &rs->ring->desc[rs->cons & rs->mask];
		verdict = petrel_rx_check(&d, dev->buf_size);
		if (verdict != PETREL_RX_OK) {
			/* Hand the buffer back unused, marked refused. */
			WRITE_ONCE(slot->len, 0);
			rs->cons++;
			avail--;
			returned++;
			petrel_count(st, verdict == PETREL_RX_TOO_SMALL ?
				     PETREL_STAT_RX_DROP_SMALL_BUF :
				     PETREL_STAT_RX_DROP_BAD_DESC, 1);
			continue;
		}
		iov.iov_base = dev->buf + d.off;
		iov.iov_len = d.len;
		iov_iter_kvec(&msg.msg_iter, ITER_DEST, &iov, 1, d.len);
		ret = dev->sock->ops->recvmsg(dev->sock, &msg, d.len,
					      MSG_DONTWAIT | MSG_TRUNC);
		/* Someone else read the tap's queue empty since peek_len. */
		if (ret == -EAGAIN)
			break;
		/*
		 * Any other error cost tun the frame (it frees what it cannot
		 * deliver): stopping here would leave the frames behind it
		 * queued until the next one arrives. The buffer stays posted.
		 */
		if (ret <= 0) {
			petrel_count(st, PETREL_STAT_RX_DROP_TAP, 1);
			continue;
		}
		if (!petrel_rx_fits(ret, d.len)) {
			/* Truncated, so consumed: the buffer stays posted. */
			petrel_count(st, PETREL_STAT_RX_DROP_TOO_BIG, 1);
			continue;
		}
		WRITE_ONCE(slot->len, ret);
		rs->cons++;
		avail--;
		done++;
		bytes += ret;
	}
	petrel_count(st, PETREL_STAT_RX_PACKETS, done);
	petrel_count(st, PETREL_STAT_RX_BYTES, bytes);
	petrel_hist(st->rx_batch, done);
	if (done || returned)
		petrel_ring_publish(dev, rs);
	return more;
}

void petrel_dev_work(struct petrel_work *work)
{
	struct petrel_dev *dev = container_of(work, struct petrel_dev, work);
	bool more;
	bool kicked = atomic_xchg(&dev->kicked, 0);

	petrel_count(&dev->stats, PETREL_STAT_WORKER_RUNS, 1);
	/* A doorbell after a ring error gives the guest another chance. */
	if (kicked) {
		dev->tx.parked = false;
		dev->rx.parked = false;
	}
	more = petrel_tx(dev);
	more |= petrel_rx(dev, kicked);
	if (more)
		petrel_work_queue(dev->vm, work);
}
