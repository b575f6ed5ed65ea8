// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: petrel.ko's decisions on guest-written ring fields and
 * on the registration geometry, i.e. kmod/ring_check.h, the very code the
 * module compiles.
 *
 * Input: integers little-endian; fields past the end read as zero, so
 * every input decodes. First the registration request and what the guest
 * left in the region before it:
 *     u32 ring_size, u64 region_addr, u64 region_size,
 *     u32 TX producer, u32 RX producer
 * then operations, each a u8 opcode (modulo RING_OP_COUNT, fuzz_ring.h)
 * and its fields; "ring" is 0 for TX, 1 for RX (low bit):
 *   SET_PROD   u8 ring, u32 producer
 *   ADVANCE    u8 ring, u8 n                    producer += n
 *   WRITE_DESC u8 ring, u16 slot, u64 off, u32 len, u16 flags
 *   POST       u8 ring, u32 off, u16 len, u8 flags
 *                        the slot at producer, then producer++
 *   KICK                                        both rings unparked
 *   TX_PASS    u8 budget, u8 race, u64 off, u32 len, u16 flags
 *   RX_PASS    u8 budget, u8 frames, u16 frame_len, u8 step, u8 race,
 *              u64 off, u32 len, u16 flags
 *                        frame k is 1 + (u16)(frame_len + k * step) long
 *   RESYNC     u8 ring                          producer = consumer
 *   REREGISTER u8 ring, u8 keep, u32 consumer   the device unregistered and
 *                        registered again; unless keep's low bit is set the
 *                        guest first wrote consumer over the kernel's
 * A pass's "race" bit k (k < 8) makes the guest rewrite the slot of the
 * pass's k-th descriptor with the (off, len, flags) that follow, after the
 * kernel copied it and before the kernel uses the copy.
 *
 * Solo5's ring (kmod/hvt_ring.c), one per VM, in the same input:
 *   HVT_REGISTER   u64 ring_addr, u64 mem_addr, u64 mem_size, u32 index,
 *                  u64 handles
 *                        the geometry compared with the oracle; the first
 *                        one accepted (4 KiB pages, 47-bit limit) starts
 *                        the ring with all four indices at index, and a
 *                        device on each handle whose bit is set
 *   HVT_ENTRY      u8 operation, u8 handle, u64 data, u32 len
 *                        an entry at ent_tail, then ent_tail++
 *   HVT_FILL       u16 n, then HVT_ENTRY's fields: n such entries
 *   HVT_TAIL       u32 ent_tail
 *   HVT_TAKE       u16 n                        com_head += n
 *   HVT_COM_HEAD   u32 com_head
 *   HVT_UNREGISTER u8 handle                    the device leaves
 *   HVT_KICK                                    the ring unparked
 *   HVT_PASS       u16 weight, u8 race, u8 frames, u16 frame_len, u8 step,
 *                  then HVT_ENTRY's fields for the race's rewrite
 *                        a worker pass (petrel_hvt_pass), frames queued
 *                        on every tap as for RX_PASS
 * Guest memory is a heap block of the registered size, clamped to
 * MEM_CLAMP; an entry's buffer accepted is read (NET_WRITE) or written
 * (NET_READ) there, so ASan reports any byte outside. Verdicts are
 * compared with the oracle for the clamped and the registered size.
 *
 * The geometry check is compared, for several page sizes and address
 * space limits, against an oracle written with 128-bit arithmetic. An
 * accepted region (clamped to REGION_CLAMP bytes so runs stay fast) is an
 * exact-size heap block holding both rings and the buffer area as
 * abi/petrel.h lays them out. The passes model petrel_tx()/petrel_rx() in
 * kmod/ring.c: the producer index read once, each descriptor copied once,
 * the verdict taken by the shared functions on the copy, and for an
 * accepted buffer the bytes [buf + off, buf + off + len) actually read or
 * written, so ASan reports any byte outside the block. Verdicts are also
 * compared with the oracle for the unclamped region's buffer area.
 * abort() on any disagreement with the oracle, on the consumer index
 * passing the producer, and on a consumed descriptor not landing in
 * exactly one verdict.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../kmod/ring_check.h"
#include "fuzz_ring.h"

#define REGION_CLAMP	(2u << 20)
#define MEM_CLAMP	(1u << 20)
#define PASS_MAX	64	/* descriptors per pass, like a worker budget */

typedef unsigned __int128 u128;

struct input {
	const uint8_t *p;
	size_t n;
};

struct ring_model {
	struct petrel_ring *ring;
	uint32_t cons;		/* the kernel's own, trusted index */
	bool parked;
	uint64_t consumed;	/* descriptors the kernel took */
	uint64_t verdicts[4];	/* by petrel_tx_verdict or petrel_rx_verdict */
};

/* The kernel's struct petrel_hvt, and what it counted. */
struct hvt_model {
	struct hvt_ring *ring;		/* NULL until registered */
	uint8_t *mem;
	uint64_t mem_size;		/* clamped: the block's size */
	uint64_t asked_mem_size;
	uint64_t devs;			/* bit n: a device on handle n */
	uint32_t ent_head, com_tail;	/* the kernel's own */
	bool parked;
	uint64_t consumed, commits, reads;
	uint64_t counted;		/* consumed entries given a verdict */
};

struct model {
	uint32_t ring_size;
	uint8_t *region;
	uint8_t *buf;
	uint64_t buf_size;
	uint64_t asked_buf_size;	/* before REGION_CLAMP */
	struct ring_model tx, rx;
	struct hvt_model hvt;
};

static uint8_t scratch[65536];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint64_t take(struct input *in, unsigned int bytes)
{
	uint64_t v = 0;
	unsigned int i;

	for (i = 0; i < bytes; i++) {
		if (in->n) {
			v |= (uint64_t)*in->p << (8 * i);
			in->p++;
			in->n--;
		}
	}
	return v;
}

#define CHECK(c) do { if (!(c)) abort(); } while (0)

/* The registration rules of abi/petrel.h, with no possible overflow. */
static int oracle_geometry(uint32_t n, uint64_t addr, uint64_t size,
			   uint64_t page, uint64_t limit, uint64_t *buf_off)
{
	u128 ring_bytes = offsetof(struct petrel_ring, desc) +
			  (u128)n * sizeof(struct petrel_desc);
	u128 off = (2 * ring_bytes + 4095) / 4096 * 4096;

	if (__builtin_popcount(n) != 1 || n < 8 || n > 4096)
		return -EINVAL;
	if (addr % page || size % page)
		return -EINVAL;
	if (size > (u128)64 << 20)
		return -E2BIG;
	if ((u128)size <= off)
		return -EINVAL;
	if ((u128)addr + size > limit)
		return -EINVAL;
	*buf_off = (uint64_t)off;
	return 0;
}

static void check_geometry(uint32_t n, uint64_t addr, uint64_t size)
{
	/* x86-64 with 4- and 5-level paging; 16 KiB and 64 KiB pages. */
	static const struct {
		uint64_t page, limit;
	} kernels[] = {
		{ 4096, (1ull << 47) - 4096 },
		{ 4096, (1ull << 56) - 4096 },
		{ 16384, 1ull << 47 },
		{ 65536, 1ull << 52 },
		{ 4096, UINT64_MAX },
	};
	size_t i;

	for (i = 0; i < sizeof(kernels) / sizeof(kernels[0]); i++) {
		struct petrel_layout lay = { 0, 0 };
		uint64_t off = 0;
		int got = petrel_geometry_check(n, addr, size, kernels[i].page,
						kernels[i].limit, &lay);
		int want = oracle_geometry(n, addr, size, kernels[i].page,
					   kernels[i].limit, &off);

		CHECK(got == want);
		if (got)
			continue;
		CHECK(lay.buf_off == off && lay.buf_size == size - off);
		/* Both rings before the buffer area, which starts on a page. */
		CHECK(lay.buf_off >= PETREL_RX_RING_OFFSET(n) +
		      PETREL_RING_BYTES(n));
		CHECK(lay.buf_off % PETREL_PAGE_SIZE == 0);
	}
}

static int64_t oracle_pending(uint32_t prod, uint32_t cons, uint32_t n)
{
	u128 d = ((u128)prod + ((u128)1 << 32) - cons) % ((u128)1 << 32);

	return d > n ? -1 : (int64_t)d;
}

static bool oracle_desc_ok(const struct petrel_desc *d, uint64_t buf_size)
{
	return d->flags == 0 && (u128)d->off + d->len <= buf_size;
}

static enum petrel_tx_verdict oracle_tx(const struct petrel_desc *d,
					uint64_t buf_size)
{
	if (!oracle_desc_ok(d, buf_size))
		return PETREL_TX_BAD_DESC;
	if ((u128)d->len > 65535)
		return PETREL_TX_TOO_BIG;
	if ((u128)d->len < 14)
		return PETREL_TX_TOO_SMALL;
	return PETREL_TX_OK;
}

static enum petrel_rx_verdict oracle_rx(const struct petrel_desc *d,
					uint64_t buf_size)
{
	if (!oracle_desc_ok(d, buf_size))
		return PETREL_RX_BAD_DESC;
	if ((u128)d->len < 14)
		return PETREL_RX_TOO_SMALL;
	return PETREL_RX_OK;
}

static struct ring_model *pick(struct model *m, struct input *in)
{
	return take(in, 1) & 1 ? &m->rx : &m->tx;
}

/* The producer index, as one read (the kernel's smp_load_acquire). */
static int64_t read_pending(struct model *m, struct ring_model *rm,
			    uint32_t *prod)
{
	int64_t got;

	*prod = __atomic_load_n(&rm->ring->producer, __ATOMIC_ACQUIRE);
	got = petrel_ring_pending(*prod, rm->cons, m->ring_size);
	CHECK(got == oracle_pending(*prod, rm->cons, m->ring_size));
	if (got < 0) {
		/* What petrel_ring_avail() does on a ring error. */
		rm->parked = true;
		rm->ring->consumer = rm->cons;
		rm->ring->kflags = PETREL_RING_NEED_KICK;
	}
	return got;
}

/* One descriptor copy, then perhaps the guest's rewrite of its slot. */
static struct petrel_desc copy_desc(struct model *m, struct ring_model *rm,
				    unsigned int k, unsigned int race,
				    const struct petrel_desc *rewrite)
{
	struct petrel_desc *slot =
		&rm->ring->desc[rm->cons & (m->ring_size - 1)];
	struct petrel_desc d = *slot;

	if (k < 8 && (race >> k & 1)) {
		slot->off = rewrite->off;
		slot->len = rewrite->len;
		slot->flags = rewrite->flags;
	}
	return d;
}

/* The consumer moved within [cons, prod]: it never passes the producer. */
static void advance(struct model *m, struct ring_model *rm, uint32_t prod,
		    int64_t *avail)
{
	CHECK(*avail > 0);
	rm->cons++;
	(*avail)--;
	CHECK(oracle_pending(prod, rm->cons, m->ring_size) == *avail);
	rm->consumed++;
}

static void read_rewrite(struct input *in, struct petrel_desc *d)
{
	d->off = take(in, 8);
	d->len = (uint32_t)take(in, 4);
	d->flags = (uint16_t)take(in, 2);
	d->cookie = 0;
}

static void tx_pass(struct model *m, struct input *in)
{
	struct ring_model *rm = &m->tx;
	unsigned int budget = 1 + take(in, 1) % PASS_MAX;
	unsigned int race = (unsigned int)take(in, 1), k;
	struct petrel_desc rewrite;
	uint32_t prod;
	int64_t avail;

	read_rewrite(in, &rewrite);
	if (rm->parked)
		return;
	avail = read_pending(m, rm, &prod);
	if (avail < 0)
		return;
	for (k = 0; avail > 0 && k < budget; k++) {
		struct petrel_desc d = copy_desc(m, rm, k, race, &rewrite);
		enum petrel_tx_verdict v = petrel_tx_check(&d, m->buf_size);

		advance(m, rm, prod, &avail);
		CHECK(v == oracle_tx(&d, m->buf_size));
		CHECK(petrel_tx_check(&d, m->asked_buf_size) ==
		      oracle_tx(&d, m->asked_buf_size));
		switch (v) {
		case PETREL_TX_OK:
			/* What tun's copy of the frame reads. */
			memcpy(scratch, m->buf + d.off, d.len);
			break;
		case PETREL_TX_BAD_DESC:
		case PETREL_TX_TOO_BIG:
		case PETREL_TX_TOO_SMALL:
			break;
		default:
			abort();
		}
		rm->verdicts[v]++;
	}
	rm->ring->consumer = rm->cons;
}

static void rx_pass(struct model *m, struct input *in)
{
	struct ring_model *rm = &m->rx;
	unsigned int budget = 1 + take(in, 1) % PASS_MAX;
	unsigned int frames = (unsigned int)take(in, 1) % PASS_MAX;
	uint16_t frame_len = (uint16_t)take(in, 2);
	unsigned int step = (unsigned int)take(in, 1);
	unsigned int race = (unsigned int)take(in, 1), k, sent = 0;
	struct petrel_desc rewrite;
	uint32_t prod = 0;
	int64_t avail = 0;

	read_rewrite(in, &rewrite);
	if (rm->parked)
		return;
	for (k = 0; k < budget && sent < frames; k++) {
		uint32_t len = 1 + (uint16_t)(frame_len + sent * step);
		struct petrel_desc d;
		enum petrel_rx_verdict v;
		bool fits;

		if (avail == 0) {
			avail = read_pending(m, rm, &prod);
			if (avail <= 0)
				break;	/* ring error, or no buffer posted */
		}
		d = copy_desc(m, rm, k, race, &rewrite);
		v = petrel_rx_check(&d, m->buf_size);
		CHECK(v == oracle_rx(&d, m->buf_size));
		CHECK(petrel_rx_check(&d, m->asked_buf_size) ==
		      oracle_rx(&d, m->asked_buf_size));
		if (v == PETREL_RX_BAD_DESC || v == PETREL_RX_TOO_SMALL) {
			/* Handed back refused: no frame is ever read into it. */
			rm->ring->desc[rm->cons & (m->ring_size - 1)].len = 0;
			advance(m, rm, prod, &avail);
			rm->verdicts[v]++;
			continue;
		}
		CHECK(v == PETREL_RX_OK);
		/* tun fills a non-empty buffer or fails; it never stalls. */
		CHECK(d.len >= 14);
		/* recvmsg with MSG_TRUNC fills at most the capacity. */
		memset(m->buf + d.off, (int)k, len < d.len ? len : d.len);
		sent++;
		fits = petrel_rx_fits(len, d.len);
		CHECK(fits == ((u128)len <= d.len));
		if (!fits)
			continue;	/* dropped; the buffer stays posted */
		rm->ring->desc[rm->cons & (m->ring_size - 1)].len = len;
		advance(m, rm, prod, &avail);
		rm->verdicts[PETREL_RX_OK]++;
	}
	rm->ring->consumer = rm->cons;
}

/* Solo5's ring registration rules (abi/petrel.h), without overflow. */
static int oracle_hvt_geometry(uint64_t ring, uint64_t mem, uint64_t size,
			       uint64_t page, uint64_t limit)
{
	u128 ring_bytes = ((u128)sizeof(struct hvt_ring) + page - 1) / page *
			  page;

	if (ring % page || mem % page || size == 0)
		return -EINVAL;
	if ((u128)ring + ring_bytes > limit || (u128)mem + size > limit)
		return -EINVAL;
	return 0;
}

static bool oracle_hvt_range(uint64_t gpa, uint32_t len, uint64_t size)
{
	return (u128)gpa + len <= size;
}

static enum petrel_tx_verdict oracle_hvt_write(uint64_t gpa, uint32_t len,
					       uint64_t size)
{
	if (!oracle_hvt_range(gpa, len, size))
		return PETREL_TX_BAD_DESC;
	if (len > 65535)
		return PETREL_TX_TOO_BIG;
	if (len < 14)
		return PETREL_TX_TOO_SMALL;
	return PETREL_TX_OK;
}

static enum petrel_rx_verdict oracle_hvt_read(uint64_t gpa, uint32_t len,
					      uint64_t size)
{
	if (!oracle_hvt_range(gpa, len, size))
		return PETREL_RX_BAD_DESC;
	if (len < 14)
		return PETREL_RX_TOO_SMALL;
	return PETREL_RX_OK;
}

static void hvt_register(struct model *m, struct input *in)
{
	static const struct {
		uint64_t page, limit;
	} kernels[] = {
		{ 4096, (1ull << 47) - 4096 },
		{ 4096, (1ull << 56) - 4096 },
		{ 16384, 1ull << 47 },
		{ 65536, 1ull << 52 },
		{ 4096, UINT64_MAX },
	};
	struct hvt_model *h = &m->hvt;
	uint64_t ring = take(in, 8), mem = take(in, 8), size = take(in, 8);
	uint32_t index = (uint32_t)take(in, 4);
	uint64_t handles = take(in, 8);
	size_t i;

	for (i = 0; i < sizeof(kernels) / sizeof(kernels[0]); i++)
		CHECK(petrel_hvt_geometry_check(ring, mem, size,
						kernels[i].page,
						kernels[i].limit) ==
		      oracle_hvt_geometry(ring, mem, size, kernels[i].page,
					  kernels[i].limit));
	/* Once per VM: EALREADY after the first. */
	if (h->ring || petrel_hvt_geometry_check(ring, mem, size, 4096,
						 (1ull << 47) - 4096))
		return;
	h->ring = aligned_alloc(4096, (sizeof(struct hvt_ring) + 4095) &
				      ~(size_t)4095);
	CHECK(h->ring);
	memset(h->ring, 0, sizeof(*h->ring));
	h->asked_mem_size = size;
	h->mem_size = size < MEM_CLAMP ? size : MEM_CLAMP;
	h->mem = malloc(h->mem_size);
	CHECK(h->mem);
	h->ring->ent_tail = h->ring->ent_head = index;
	h->ring->com_head = h->ring->com_tail = index;
	h->ring->needs_kick = 1;
	/* What petrel_hvt_register() takes up from the ring. */
	h->ent_head = h->ring->ent_head;
	h->com_tail = h->ring->com_tail;
	h->devs = handles;
}

static void read_entry(struct input *in, struct hvt_ring_entry *e)
{
	e->operation = (uint32_t)take(in, 1);
	e->handle = (uint32_t)take(in, 1);
	e->data = take(in, 8);
	e->len = (uint32_t)take(in, 4);
	e->id = 0;
	e->reserved = 0;
}

static void hvt_entry(struct hvt_model *h, const struct hvt_ring_entry *e)
{
	struct hvt_ring_entry *slot =
		&h->ring->entries[h->ring->ent_tail & HVT_RING_MASK];

	*slot = *e;
	slot->id = h->ring->ent_tail;
	h->ring->ent_tail++;
}

/* What petrel_hvt_park() does. */
static void hvt_park(struct hvt_model *h)
{
	h->parked = true;
	h->ring->ent_head = h->ent_head;
	h->ring->needs_kick = 1;
}

static bool hvt_dev(const struct hvt_model *h, uint32_t handle)
{
	return handle < PETREL_HVT_HANDLES && (h->devs >> handle & 1);
}

/* petrel_hvt_write(): the checks on the copy, then tun's read of it. */
static void hvt_write(struct hvt_model *h, const struct hvt_ring_entry *e)
{
	enum petrel_tx_verdict v =
		petrel_hvt_write_check(e->data, e->len, h->mem_size);

	CHECK(v == oracle_hvt_write(e->data, e->len, h->mem_size));
	CHECK(petrel_hvt_write_check(e->data, e->len, h->asked_mem_size) ==
	      oracle_hvt_write(e->data, e->len, h->asked_mem_size));
	if (v == PETREL_TX_OK)
		memcpy(scratch, h->mem + e->data, e->len);
	h->counted++;
}

/*
 * petrel_hvt_read(): the buffer checked, then frames taken from the tap
 * until one fits or none is left. Returns the commit's result.
 */
static int32_t hvt_read(struct hvt_model *h, const struct hvt_ring_entry *e,
			unsigned int *frames, uint16_t frame_len,
			unsigned int step, unsigned int *seen,
			unsigned int weight, uint32_t *len)
{
	enum petrel_rx_verdict v =
		petrel_hvt_read_check(e->data, e->len, h->mem_size);

	CHECK(v == oracle_hvt_read(e->data, e->len, h->mem_size));
	CHECK(petrel_hvt_read_check(e->data, e->len, h->asked_mem_size) ==
	      oracle_hvt_read(e->data, e->len, h->asked_mem_size));
	*len = 0;
	h->counted++;
	if (v != PETREL_RX_OK)
		return HVT_RESULT_EINVAL;
	/* tun fills a non-empty buffer or fails; it never stalls. */
	CHECK(e->len >= 14);
	for (;;) {
		uint32_t flen;

		if (!*frames)
			return HVT_RESULT_AGAIN;
		flen = 1 + (uint16_t)(frame_len + --*frames * step);
		/* recvmsg with MSG_TRUNC writes at most the buffer's size. */
		memset(h->mem + e->data, (int)flen, flen < e->len ? flen :
			e->len);
		if (petrel_rx_fits(flen, e->len)) {
			CHECK((u128)e->data + flen <= h->mem_size);
			*len = flen;
			return HVT_RESULT_OK;
		}
		CHECK(flen > e->len);
		if ((*seen)++ >= weight)
			return HVT_RESULT_AGAIN;
	}
}

static void hvt_commit(struct hvt_model *h, uint32_t id, int32_t ret,
		       uint32_t len)
{
	struct hvt_ring_commit *c =
		&h->ring->commits[h->com_tail & HVT_RING_MASK];

	c->id = id;
	c->ret = ret;
	c->len = len;
	h->com_tail++;
	h->ring->com_tail = h->com_tail;
	h->commits++;
}

/* A model of petrel_hvt_pass(), kmod/hvt_ring.c. */
static void hvt_pass(struct model *m, struct input *in)
{
	struct hvt_model *h = &m->hvt;
	unsigned int weight = 1 + (unsigned int)take(in, 2) % 1024;
	unsigned int race = (unsigned int)take(in, 1);
	unsigned int frames = (unsigned int)take(in, 1);
	uint16_t frame_len = (uint16_t)take(in, 2);
	unsigned int step = (unsigned int)take(in, 1), seen = 0, k = 0;
	struct hvt_ring_entry rewrite;
	uint32_t tail;
	int64_t avail;

	read_entry(in, &rewrite);
	if (!h->ring || h->parked)
		return;
	tail = __atomic_load_n(&h->ring->ent_tail, __ATOMIC_ACQUIRE);
	avail = petrel_ring_pending(tail, h->ent_head, HVT_RING_SIZE);
	CHECK(avail == oracle_pending(tail, h->ent_head, HVT_RING_SIZE));
	if (avail < 0) {
		hvt_park(h);
		return;
	}
	if (avail == 0) {
		h->ring->needs_kick = 1;	/* petrel_hvt_arm() */
		return;
	}
	h->ring->needs_kick = 0;
	while (avail > 0 && seen++ < weight) {
		struct hvt_ring_entry *slot =
			&h->ring->entries[h->ent_head & HVT_RING_MASK];
		struct hvt_ring_entry e = *slot;
		bool dev = hvt_dev(h, e.handle);

		if (k < 8 && (race >> k & 1)) {
			rewrite.id = slot->id;
			*slot = rewrite;
		}
		k++;
		if (e.operation == HVT_RING_OP_NET_READ) {
			int32_t ret = HVT_RESULT_EINVAL;
			uint32_t len = 0;

			if (h->com_tail - h->ring->com_head >= HVT_RING_SIZE) {
				hvt_park(h);
				break;
			}
			if (dev)
				ret = hvt_read(h, &e, &frames, frame_len, step,
					       &seen, weight, &len);
			else
				h->counted++;	/* bad_handle */
			h->ent_head++;
			avail--;
			h->reads++;
			h->ring->ent_head = h->ent_head;
			hvt_commit(h, e.id, ret, len);
		} else {
			if (e.operation == HVT_RING_OP_NET_WRITE && dev)
				hvt_write(h, &e);
			else
				h->counted++;	/* bad_op or bad_handle */
			h->ent_head++;
			avail--;
		}
		h->consumed++;
		/* ent_head never passes the tail read at the start. */
		CHECK(oracle_pending(tail, h->ent_head, HVT_RING_SIZE) ==
		      avail);
	}
	h->ring->ent_head = h->ent_head;
}

static void hvt_op(struct model *m, struct input *in, unsigned int op)
{
	struct hvt_model *h = &m->hvt;
	struct hvt_ring_entry e;
	unsigned int n;

	switch (op) {
	case RING_OP_HVT_REGISTER:
		hvt_register(m, in);
		return;
	case RING_OP_HVT_PASS:
		hvt_pass(m, in);
		return;
	case RING_OP_HVT_ENTRY:
		read_entry(in, &e);
		if (h->ring)
			hvt_entry(h, &e);
		return;
	case RING_OP_HVT_FILL:
		n = (unsigned int)take(in, 2);
		read_entry(in, &e);
		while (h->ring && n--)
			hvt_entry(h, &e);
		return;
	case RING_OP_HVT_TAIL:
		n = (unsigned int)take(in, 4);
		if (h->ring)
			h->ring->ent_tail = n;
		return;
	case RING_OP_HVT_TAKE:
		n = (unsigned int)take(in, 2);
		if (h->ring)
			h->ring->com_head += n;
		return;
	case RING_OP_HVT_COM_HEAD:
		n = (unsigned int)take(in, 4);
		if (h->ring)
			h->ring->com_head = n;
		return;
	case RING_OP_HVT_UNREGISTER:
		n = (unsigned int)take(in, 1);
		if (n < 64)
			h->devs &= ~(1ull << n);
		return;
	case RING_OP_HVT_KICK:
		h->parked = false;
		return;
	default:
		abort();
	}
}

static void guest_op(struct model *m, struct input *in, unsigned int op)
{
	uint32_t mask = m->ring_size - 1;
	struct ring_model *rm;
	struct petrel_desc *slot;

	switch (op) {
	case RING_OP_SET_PROD:
		rm = pick(m, in);
		rm->ring->producer = (uint32_t)take(in, 4);
		break;
	case RING_OP_ADVANCE:
		rm = pick(m, in);
		rm->ring->producer += (uint32_t)take(in, 1);
		break;
	case RING_OP_WRITE_DESC:
		rm = pick(m, in);
		slot = &rm->ring->desc[take(in, 2) & mask];
		slot->off = take(in, 8);
		slot->len = (uint32_t)take(in, 4);
		slot->flags = (uint16_t)take(in, 2);
		break;
	case RING_OP_POST:
		rm = pick(m, in);
		slot = &rm->ring->desc[rm->ring->producer & mask];
		slot->off = take(in, 4);
		slot->len = (uint32_t)take(in, 2);
		slot->flags = (uint16_t)take(in, 1);
		rm->ring->producer++;
		break;
	case RING_OP_KICK:
		m->tx.parked = false;
		m->rx.parked = false;
		break;
	case RING_OP_RESYNC:
		rm = pick(m, in);
		rm->ring->producer = rm->ring->consumer;
		break;
	case RING_OP_REREGISTER:
		rm = pick(m, in);
		if (!(take(in, 1) & 1))
			rm->ring->consumer = (uint32_t)take(in, 4);
		else
			take(in, 4);
		/* What petrel_dev_start() does: resume at the consumer. */
		rm->cons = rm->ring->consumer;
		rm->parked = false;
		break;
	default:
		abort();
	}
}

static uint64_t sum(const uint64_t v[4])
{
	return v[0] + v[1] + v[2] + v[3];
}

static void run_ops(struct model *m, struct input *in)
{
	while (in->n) {
		unsigned int op = (unsigned int)(take(in, 1) % RING_OP_COUNT);

		if (op == RING_OP_TX_PASS)
			tx_pass(m, in);
		else if (op == RING_OP_RX_PASS)
			rx_pass(m, in);
		else if (op >= RING_OP_HVT_REGISTER)
			hvt_op(m, in, op);
		else
			guest_op(m, in, op);
	}
	/* Every descriptor taken got exactly one verdict. */
	CHECK(m->tx.consumed == sum(m->tx.verdicts));
	CHECK(m->rx.consumed == sum(m->rx.verdicts));
	/* Solo5's ring: one verdict per entry, one commit per NET_READ. */
	CHECK(m->hvt.consumed == m->hvt.counted);
	CHECK(m->hvt.commits == m->hvt.reads);
	if (m->hvt.ring)
		CHECK(m->hvt.ring->com_tail == m->hvt.com_tail);
}

/*
 * A fresh region as the tender leaves it (both indices equal), then what
 * petrel_dev_start() does: the kernel resumes at the region's consumer.
 */
static void start_ring(struct model *m, struct ring_model *rm, uint32_t at,
		       uint32_t producer)
{
	rm->ring = (struct petrel_ring *)(m->region + at);
	rm->ring->producer = producer;
	rm->ring->consumer = producer;
	rm->cons = rm->ring->consumer;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size };
	struct petrel_layout lay;
	struct model m = { 0 };
	uint64_t addr, region_size;
	uint32_t tx_prod, rx_prod;

	m.ring_size = (uint32_t)take(&in, 4);
	addr = take(&in, 8);
	region_size = take(&in, 8);
	tx_prod = (uint32_t)take(&in, 4);
	rx_prod = (uint32_t)take(&in, 4);

	check_geometry(m.ring_size, addr, region_size);
	if (petrel_geometry_check(m.ring_size, addr, region_size, 4096,
				  (1ull << 47) - 4096, &lay))
		return 0;
	m.asked_buf_size = lay.buf_size;
	if (region_size > REGION_CLAMP) {
		region_size = REGION_CLAMP;
		CHECK(!petrel_geometry_check(m.ring_size, addr, region_size,
					     4096, (1ull << 47) - 4096, &lay));
	}
	m.region = aligned_alloc(PETREL_PAGE_SIZE, region_size);
	CHECK(m.region);
	/* The rings start zeroed; the buffer area's bytes are never read. */
	memset(m.region, 0, lay.buf_off);
	m.buf = m.region + lay.buf_off;
	m.buf_size = lay.buf_size;
	start_ring(&m, &m.tx, PETREL_TX_RING_OFFSET(m.ring_size), tx_prod);
	start_ring(&m, &m.rx, PETREL_RX_RING_OFFSET(m.ring_size), rx_prod);
	run_ops(&m, &in);
	free(m.region);
	free(m.hvt.ring);
	free(m.hvt.mem);
	return 0;
}
