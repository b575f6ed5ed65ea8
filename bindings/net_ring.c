// SPDX-License-Identifier: ISC
/*
 * The net ring driver: solo5_net_read/write and solo5_yield over the rings
 * petrel.ko serves (abi/petrel.h), when the tender offers them. No exit per
 * frame: TX writes a descriptor and rings the doorbell only when the kernel
 * asked for one (it went idle); RX keeps every buffer posted in advance and
 * reposts each one as soon as its frame is copied out; yield sleeps in POLL
 * only after publishing NEED_WAKEUP and finding the rings still empty.
 *
 * Buffers are fixed per slot: TX slot i uses buffer i, RX slot i buffer
 * size + i, each slot_size bytes (announced by the tender, at least MTU +
 * 14), so no descriptor we read back is trusted to say where a buffer is;
 * only the kernel's `len` is read, and bounded.
 */
#include "hvt.h"
#include "petrel.h"

/*
 * Built with 1 only for petrel-hvt-noring.o: bindings that never accept the
 * rings, like those that predate them, for the tender's fallback tests.
 */
#ifndef PETREL_NET_RING_DECLINE
#define PETREL_NET_RING_DECLINE	0
#endif

#define TX_KICK_BATCH	32u	/* frames published before a doorbell check */
#define ETH_HLEN	14u

struct ring_dev {
	struct petrel_ring *tx, *rx;
	uint8_t *buf;
	uint32_t size, mask;
	uint32_t tx_prod, rx_cons, rx_prod;
	uint32_t tx_checked;	/* tx_prod at the last doorbell check */
	uint32_t mtu;
	uint32_t slot;		/* bytes per buffer */
	uint16_t port;
	uint16_t index;		/* petrel_guest_ext.net[] entry */
};

static struct ring_dev rdev[MFT_MAX_ENTRIES];	/* by handle */
static uint64_t ring_handles;			/* bitmap */

static uint32_t load_acquire(const uint32_t *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static void store_release(uint32_t *p, uint32_t v)
{
	__atomic_store_n(p, v, __ATOMIC_RELEASE);
}

/* Orders our last store before our next load (x86 only reorders those). */
static void full_barrier(void)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

static void doorbell(const struct ring_dev *d)
{
	__asm__ __volatile__("outl %0, %1" : : "a"((uint32_t)d->index),
			     "d"(d->port) : "memory");
}

/*
 * Publish @prod as @r's producer; ring the doorbell only if the kernel went
 * idle and asked for it (kflags NEED_KICK). Store, full barrier, load:
 * pairs with the kernel's "set NEED_KICK; full barrier; reload producer".
 */
static void publish(const struct ring_dev *d, struct petrel_ring *r,
		    uint32_t prod)
{
	store_release(&r->producer, prod);
	full_barrier();
	if (__atomic_load_n(&r->kflags, __ATOMIC_RELAXED) &
	    PETREL_RING_NEED_KICK)
		doorbell(d);
}

/*
 * The doorbell check for TX frames published since the last one: the
 * producer stores came first, so "full barrier; load kflags" here is the
 * guest half of the NEED_KICK protocol for every one of them.
 */
static void tx_kick(struct ring_dev *d)
{
	if (d->tx_checked == d->tx_prod)
		return;
	d->tx_checked = d->tx_prod;
	full_barrier();
	if (__atomic_load_n(&d->tx->kflags, __ATOMIC_RELAXED) &
	    PETREL_RING_NEED_KICK)
		doorbell(d);
}

static void tx_kick_all(void)
{
	for (uint64_t m = ring_handles; m; m &= m - 1)
		tx_kick(&rdev[__builtin_ctzll(m)]);
}

bool net_ring_is(solo5_handle_t h)
{
	return h < MFT_MAX_ENTRIES && (ring_handles & (1ULL << h));
}

static bool ext_ok(const volatile struct petrel_guest_ext *x,
		   const struct mft *m)
{
	if (x->magic != PETREL_GUEST_MAGIC ||
	    x->version != PETREL_ABI_VERSION ||
	    x->nr_net == 0 || x->nr_net > PETREL_MAX_NETDEVS)
		return false;
	for (uint32_t i = 0; i < x->nr_net; i++) {
		const volatile struct petrel_guest_net *g = &x->net[i];
		uint64_t need;

		if (g->ring_size < PETREL_RING_MIN ||
		    g->ring_size > PETREL_RING_MAX ||
		    (g->ring_size & (g->ring_size - 1)) ||
		    g->region % PETREL_PAGE_SIZE ||
		    g->region < hvt_boot_info->mem_size + PETREL_PAGE_SIZE ||
		    g->region_size > HVT_MEM_MAX_BYTES ||
		    g->region > HVT_MEM_MAX_BYTES - g->region_size ||
		    g->mft_index >= m->entries ||
		    g->mft_index >= MFT_MAX_ENTRIES ||
		    m->e[g->mft_index].type != MFT_DEV_NET_BASIC ||
		    g->doorbell_port != PETREL_DOORBELL_PORT_BASE + i ||
		    g->slot_size < m->e[g->mft_index].u.net_basic.mtu +
				   PETREL_FRAME_MIN ||
		    g->slot_size > PETREL_FRAME_MAX + 1 ||
		    g->slot_size % PETREL_CACHELINE)
			return false;
		need = PETREL_BUF_OFFSET(g->ring_size) +
		       2ULL * g->ring_size * g->slot_size;
		if (g->region_size < need)
			return false;
	}
	return true;
}

/*
 * Take the rings the tender offers (PETREL_FEATURE_NET_RING: the
 * announcement on the first page above mem_size), if they make sense: map
 * them, post every RX buffer and store the acceptance in the announcement.
 * Runs before the first exit, which is when the tender reads it. Bit 0
 * (Solo5's ring, another layout) is not ours to read.
 */
void net_ring_init(const struct hvt_boot_info *bi)
{
	const struct mft *m = (const void *)(uintptr_t)bi->mft;
	volatile struct petrel_guest_ext *x;
	uint64_t at = bi->mem_size;

	if (PETREL_NET_RING_DECLINE ||
	    !(bi->host_features & PETREL_FEATURE_NET_RING) ||
	    at % HVT_HUGE_PAGE_SIZE || at >= HVT_MEM_MAX_BYTES)
		return;
	pagetables_map(at, at + PETREL_PAGE_SIZE);
	x = (volatile void *)(uintptr_t)at;
	if (!ext_ok(x, m))
		return;
	for (uint32_t i = 0; i < x->nr_net; i++) {
		const volatile struct petrel_guest_net *g = &x->net[i];
		struct ring_dev *d = &rdev[g->mft_index];
		uint8_t *base = (uint8_t *)(uintptr_t)g->region;

		pagetables_map(g->region, g->region + g->region_size);
		d->size = g->ring_size;
		d->mask = g->ring_size - 1;
		d->tx = (void *)(base + PETREL_TX_RING_OFFSET(d->size));
		d->rx = (void *)(base + PETREL_RX_RING_OFFSET(d->size));
		d->buf = base + PETREL_BUF_OFFSET(d->size);
		d->port = g->doorbell_port;
		d->index = (uint16_t)i;
		d->mtu = m->e[g->mft_index].u.net_basic.mtu;
		d->slot = g->slot_size;
		/* The kernel took its starting point from these at setup. */
		d->tx_prod = d->tx_checked = d->tx->producer;
		d->rx_prod = d->rx_cons = d->rx->producer;
		for (uint32_t s = 0; s < d->size; s++) {
			struct petrel_desc *desc =
				&d->rx->desc[(d->rx_prod + s) & d->mask];

			desc->off = (uint64_t)(d->size + ((d->rx_prod + s) &
							  d->mask)) * d->slot;
			desc->len = d->slot;
			desc->flags = 0;
			desc->cookie = 0;
		}
		d->rx_prod += d->size;
		publish(d, d->rx, d->rx_prod);
		ring_handles |= 1ULL << g->mft_index;
	}
	x->accept = PETREL_GUEST_ACCEPT;
}

/*
 * Sleep in POLL until @r's consumer moves from @seen, or @timeout passes.
 * The consumer side of the wakeup protocol (proof in tender/hc_poll.c):
 * NEED_WAKEUP, full barrier, look again, and only then exit to sleep.
 */
static void wait_consumer(struct petrel_ring *r, uint32_t seen,
			  uint64_t timeout)
{
	volatile struct hvt_hc_poll a = { .timeout_nsecs = timeout };

	__atomic_store_n(&r->gflags, PETREL_RING_NEED_WAKEUP,
			 __ATOMIC_RELAXED);
	full_barrier();
	if (load_acquire(&r->consumer) == seen)
		hvt_hypercall(HVT_HYPERCALL_POLL, &a);
	__atomic_store_n(&r->gflags, 0, __ATOMIC_RELAXED);
}

/* The application's buffer must be its own RAM, as the tender checks it. */
static bool in_ram(const void *p, size_t size)
{
	uint64_t a = (uint64_t)(uintptr_t)p, mem = hvt_boot_info->mem_size;

	return a <= mem && size <= mem - a;
}

/* Wait (bounded) until the kernel took every queued TX frame. */
void net_ring_flush(void)
{
	tx_kick_all();
	for (uint64_t m = ring_handles; m; m &= m - 1) {
		struct ring_dev *d = &rdev[__builtin_ctzll(m)];
		uint32_t cons;

		for (int tries = 0; tries < 10 &&
		     (cons = load_acquire(&d->tx->consumer)) != d->tx_prod;
		     tries++)
			wait_consumer(d->tx, cons, 100000000ULL);
	}
}

solo5_result_t net_ring_write(solo5_handle_t h, const uint8_t *buf,
			      size_t size)
{
	struct ring_dev *d = &rdev[h];
	struct petrel_desc *desc;
	uint32_t cons, slot;

	if (size < ETH_HLEN || size > d->mtu + ETH_HLEN || !in_ram(buf, size))
		return SOLO5_R_EINVAL;
	/* Full: the kernel is behind; sleep until it frees a slot. */
	while (cons = load_acquire(&d->tx->consumer),
	       d->tx_prod - cons >= d->size) {
		tx_kick(d);
		wait_consumer(d->tx, cons, 1000000000ULL);
	}
	slot = d->tx_prod & d->mask;
	memcpy(d->buf + (uint64_t)slot * d->slot, buf, size);
	desc = &d->tx->desc[slot];
	desc->off = (uint64_t)slot * d->slot;
	desc->len = (uint32_t)size;
	desc->flags = 0;
	desc->cookie = 0;
	store_release(&d->tx->producer, ++d->tx_prod);
	if (d->tx_prod - d->tx_checked >= TX_KICK_BATCH)
		tx_kick(d);
	return SOLO5_R_OK;
}

solo5_result_t net_ring_read(solo5_handle_t h, uint8_t *buf, size_t size,
			     size_t *read_size)
{
	struct ring_dev *d = &rdev[h];

	if (size == 0 || !in_ram(buf, size))
		return SOLO5_R_EINVAL;
	while (load_acquire(&d->rx->consumer) != d->rx_cons) {
		uint32_t slot = d->rx_cons & d->mask;
		struct petrel_desc *desc = &d->rx->desc[slot];
		uint32_t len = __atomic_load_n(&desc->len, __ATOMIC_RELAXED);
		bool ok = len >= ETH_HLEN && len <= d->slot && len <= size;

		if (ok)
			memcpy(buf, d->buf + (uint64_t)(d->size + slot) *
			       d->slot, len);
		/* Repost the same buffer in the slot just freed. */
		desc->off = (uint64_t)(d->size + slot) * d->slot;
		desc->len = d->slot;
		d->rx_cons++;
		publish(d, d->rx, ++d->rx_prod);
		if (ok) {
			*read_size = len;
			return SOLO5_R_OK;
		}
		/* Refused buffer or a frame too big for @buf: dropped. */
	}
	/* Nothing left to read: the replies written meanwhile go now. */
	tx_kick_all();
	return SOLO5_R_AGAIN;
}

static uint64_t rings_ready(void)
{
	uint64_t ready = 0;

	for (uint64_t m = ring_handles; m; m &= m - 1) {
		unsigned h = (unsigned)__builtin_ctzll(m);

		if (load_acquire(&rdev[h].rx->consumer) != rdev[h].rx_cons)
			ready |= 1ULL << h;
	}
	return ready;
}

static void rx_wakeup(uint32_t flags)
{
	for (uint64_t m = ring_handles; m; m &= m - 1)
		__atomic_store_n(&rdev[__builtin_ctzll(m)].rx->gflags, flags,
				 __ATOMIC_RELAXED);
}

/*
 * solo5_yield with every net device on rings: frames already there need no
 * exit; otherwise NEED_WAKEUP on every RX ring, full barrier, look again,
 * and only then sleep in POLL (which wakes on the wake eventfds).
 */
uint64_t net_ring_yield(uint64_t timeout)
{
	volatile struct hvt_hc_poll a = { .timeout_nsecs = timeout };
	uint64_t ready;

	tx_kick_all();
	ready = rings_ready();

	if (ready || timeout == 0)
		return ready;
	rx_wakeup(PETREL_RING_NEED_WAKEUP);
	full_barrier();
	ready = rings_ready();
	if (!ready) {
		hvt_hypercall(HVT_HYPERCALL_POLL, &a);
		ready = rings_ready();
	}
	rx_wakeup(0);
	return ready;
}

bool net_ring_all(void)
{
	const struct mft *m = (const void *)(uintptr_t)hvt_boot_info->mft;

	for (uint32_t i = 0; i < m->entries && i < MFT_MAX_ENTRIES; i++)
		if (m->e[i].type == MFT_DEV_NET_BASIC && !net_ring_is(i))
			return false;
	return ring_handles != 0;
}
