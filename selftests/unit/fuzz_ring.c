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

struct model {
	uint32_t ring_size;
	uint8_t *region;
	uint8_t *buf;
	uint64_t buf_size;
	uint64_t asked_buf_size;	/* before REGION_CLAMP */
	struct ring_model tx, rx;
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
		else
			guest_op(m, in, op);
	}
	/* Every descriptor taken got exactly one verdict. */
	CHECK(m->tx.consumed == sum(m->tx.verdicts));
	CHECK(m->rx.consumed == sum(m->rx.verdicts));
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
	return 0;
}
