/* SPDX-License-Identifier: ISC */
/*
 * Solo5's shared-ring network protocol, as Solo5 0.11+ bindings speak it,
 * written from the ABI facts (abi/hvt_abi.h, struct hvt_ring): if the boot
 * info offers HVT_FEATURE_RING_IO (bit 0) with a net_ring, every frame
 * moves through that ring; otherwise through the NET_READ and NET_WRITE
 * hypercalls. POLL is a hypercall either way. For guests linked with
 * bindings that never take petrel's own rings (a Solo5-built image knows
 * nothing of them): they #define solo5_net_read, solo5_net_write and
 * solo5_yield to the s5_ functions below before including the test's
 * code, and call choose_path() first.
 */
#ifndef SOLO5RING_H
#define SOLO5RING_H

#include <stdbool.h>

#include "util.h"
#include "hvt_abi.h"

extern const struct hvt_boot_info *hvt_boot_info;
void pagetables_map(uint64_t start, uint64_t end);

static struct hvt_ring *ring;	/* the Solo5 ring, if offered */
/*
 * A write's frame is copied to the buffer of its entry's slot, so the
 * caller may reuse its own at once and writes stream without waiting, as
 * in Solo5's bindings; the slot's entry is free again only once the host
 * has taken it (ent_head), and so is its buffer.
 */
static uint8_t write_bufs[HVT_RING_SIZE][HVT_RING_WRITE_MAX];
static uint32_t next_id;

static void hypercall(unsigned nr, volatile void *arg)
{
	__asm__ __volatile__("outl %0, %1" : :
			     "a"((uint32_t)(uintptr_t)arg),
			     "d"((uint16_t)HVT_HYPERCALL_PIO(nr)) : "memory");
}

/* Until the host has taken enough entries for one more to fit. */
static void ring_wait_slot(void)
{
	while (ring->ent_tail - __atomic_load_n(&ring->ent_head,
						__ATOMIC_ACQUIRE) >=
	       HVT_RING_SIZE - 1)
		;
}

/* Post one entry: write it, ent_tail++, full barrier, kick if asked. */
static void ring_submit(uint32_t op, solo5_handle_t h, const void *data,
			size_t len)
{
	struct hvt_ring_entry *e;
	uint32_t tail = ring->ent_tail;

	ring_wait_slot();
	e = &ring->entries[tail & HVT_RING_MASK];
	e->operation = op;
	e->handle = (uint32_t)h;
	e->data = (uint64_t)(uintptr_t)data;
	e->len = (uint32_t)len;
	e->id = next_id++;
	e->reserved = 0;
	__atomic_store_n(&ring->ent_tail, tail + 1, __ATOMIC_RELEASE);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (__atomic_load_n(&ring->needs_kick, __ATOMIC_RELAXED))
		__asm__ __volatile__("outl %0, %1" : : "a"(0u),
				     "d"((uint16_t)HVT_RING_KICK_PIO_BASE)
				     : "memory");
}

static __attribute__((unused)) solo5_result_t s5_net_write(solo5_handle_t h, const uint8_t *buf,
				   size_t size)
{
	volatile struct hvt_hc_net_write a = {
		.handle = h, .data = (uint64_t)(uintptr_t)buf, .len = size,
	};

	if (ring && size <= HVT_RING_WRITE_MAX) {
		uint8_t *copy;

		/* ring_submit waits for the slot, and so for its buffer. */
		ring_wait_slot();
		copy = write_bufs[ring->ent_tail & HVT_RING_MASK];
		memcpy(copy, buf, size);
		ring_submit(HVT_RING_OP_NET_WRITE, h, copy, size);
		return SOLO5_R_OK;
	}
	hypercall(HVT_HYPERCALL_NET_WRITE, &a);
	return (solo5_result_t)a.ret;
}

static __attribute__((unused)) solo5_result_t s5_net_read(solo5_handle_t h, uint8_t *buf, size_t size,
				  size_t *read_size)
{
	volatile struct hvt_hc_net_read a = {
		.handle = h, .data = (uint64_t)(uintptr_t)buf, .len = size,
	};

	*read_size = 0;
	if (ring) {
		const struct hvt_ring_commit *c;
		uint32_t head = ring->com_head;
		solo5_result_t r;

		ring_submit(HVT_RING_OP_NET_READ, h, buf, size);
		/* Synchronous: spin until the host commits. */
		while (__atomic_load_n(&ring->com_tail, __ATOMIC_ACQUIRE) ==
		       head)
			;
		c = &ring->commits[head & HVT_RING_MASK];
		r = (solo5_result_t)c->ret;
		if (r == SOLO5_R_OK)
			*read_size = c->len <= size ? c->len : size;
		__atomic_store_n(&ring->com_head, head + 1, __ATOMIC_RELEASE);
		return r;
	}
	hypercall(HVT_HYPERCALL_NET_READ, &a);
	if (a.ret == HVT_RESULT_OK)
		*read_size = a.len;
	return (solo5_result_t)a.ret;
}

/* solo5_yield, as the hvt bindings do it: POLL, by hypercall. */
static __attribute__((unused)) void s5_yield(solo5_time_t deadline, solo5_handle_set_t *ready)
{
	volatile struct hvt_hc_poll a = { .timeout_nsecs = 0 };
	solo5_time_t now = solo5_clock_monotonic();

	a.timeout_nsecs = deadline > now ? deadline - now : 0;
	hypercall(HVT_HYPERCALL_POLL, &a);
	*ready = a.ready_set;
}

/* What the boot info offers, and the path taken, in one line each. */
static void choose_path(void)
{
	const struct hvt_boot_info *bi = hvt_boot_info;
	bool offered = (bi->host_features & HVT_FEATURE_RING_IO) &&
		       bi->net_ring;

	puts_("solo5ring: host_features ");
	put_u64(bi->host_features);
	puts_(" net_ring ");
	put_u64(bi->net_ring);
	puts_("\n");
	if (offered) {
		pagetables_map(bi->net_ring, bi->net_ring + sizeof(*ring));
		ring = (struct hvt_ring *)(uintptr_t)bi->net_ring;
		puts_("solo5ring: Solo5 ring offered: net on the ring\n");
	} else {
		puts_("solo5ring: no Solo5 ring offered: net on hypercalls\n");
	}
}

#endif /* SOLO5RING_H */
