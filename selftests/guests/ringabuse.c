// SPDX-License-Identifier: ISC
/*
 * A guest that abuses petrel.ko's rings of its net device "service0"
 * directly, through the boot info, the way any guest code could, bypassing
 * the bindings' ring driver (which it never calls again). Its command line
 * names one case:
 *
 *   tx-bad      TX descriptors outside the buffer area, wrapping, with
 *               flags, of lengths 0, 13, 65536 and 2^32-1, and two good
 *               frames (one in the area's last bytes).
 *   rx-bad      RX buffers outside the area, wrapping, huge, with flags,
 *               two good ones (one at the area's end) and one of capacity
 *               20; the host sends frames after "rx-bad: posted" and again
 *               after "rx-bad: checked".
 *   indices     producers jumping past ring_size, backwards and by 2^31,
 *               on TX and RX, each made to count; `consumer` scribbled
 *               over by the guest; then a good frame.
 *   rewrite S   for S seconds, one loop rewriting descriptors field by
 *               field and moving producers (valid, invalid, wild) while
 *               the kernel consumes them and the host floods frames in
 *               (and on, up to 240 s, until the kernel has consumed
 *               REWRITE_MIN_TX and REWRITE_MIN_RX descriptors);
 *               then it brings the rings to rest, sends one good frame and
 *               checks that nothing outside the posted RX buffers changed.
 *   flood S     doorbells for S seconds without yielding, a good frame
 *               posted every 1024 of them.
 *   exit-mid    frames posted and doorbells rung without pause, then
 *               solo5_exit(7) after one second, with frames in flight.
 *
 * Each case prints "ok:"/"FAIL:" lines, the figures the host checks
 * against petrel.ko's counters, and "ringabuse: done" (or "FAILED"); then
 * it idles until killed, so the VM and its counters stay for the host.
 * In "rewrite" the whole buffer area holds 0xa5 bytes and so do the
 * host's frames: whatever in-area descriptor the kernel accepts, however
 * torn between two of the guest's stores, sends only 0xa5 (the host checks
 * every byte it captures); a byte from anywhere else would show.
 */
#include "../../bindings/hvt.h"
#include "rings.h"
#include "util.h"

#define FILL		0xa5
#define CANARY		0x3c
#define SEC		1000000000ULL

static volatile struct petrel_ring *tx, *rx;
static volatile uint8_t *region, *area;
static uint64_t area_size, half;
static uint32_t nslots;
static uint16_t port;
static int failures;

static void doorbell(void)
{
	guest_doorbell(port);
}

static void full_barrier(void)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

/*
 * Wait for *@p to equal (or, if !@eq, to differ from) @v. The kernel
 * usually answers within a second, but the host's side of a case (a
 * python3 sending frames) can take many seconds to start on a loaded
 * machine: 240 s only turns a hang into a named failure, before the
 * runner's 300 s timeout would end the test without saying which check.
 */
static int wait32(volatile uint32_t *p, uint32_t v, int eq)
{
	uint64_t end = solo5_clock_monotonic() + 240 * SEC;

	while ((load32(p) == v) != eq)
		if (solo5_clock_monotonic() > end)
			return 0;
		else
			nap(1000000);
	return 1;
}

static void put_kv(const char *k, uint64_t v)
{
	puts_(k);
	puts_(" ");
	put_u64(v);
	puts_("\n");
}

static void set_desc(volatile struct petrel_ring *r, uint32_t idx,
		     uint64_t off, uint32_t len, uint16_t flags)
{
	volatile struct petrel_desc *d = &r->desc[idx & (nslots - 1)];

	d->off = off;
	d->len = len;
	d->flags = flags;
	d->cookie = (uint16_t)idx;
}

/* A broadcast Ethernet header (ethertype 0x88b5) at @off; the rest FILL. */
static void frame_at(uint64_t off, uint32_t len)
{
	static const uint8_t hdr[14] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
					 0x02, 0, 0, 0, 0, 0xab, 0x88, 0xb5 };

	for (uint32_t i = 0; i < len; i++)
		area[off + i] = i < sizeof(hdr) ? hdr[i] : FILL;
}

static int find_rings(solo5_handle_t h)
{
	const struct petrel_guest_net *g = guest_rings_of(h);

	if (!g)
		return -1;
	nslots = g->ring_size;
	port = g->doorbell_port;
	region = (volatile uint8_t *)(uintptr_t)g->region;
	tx = (void *)(uintptr_t)(g->region + PETREL_TX_RING_OFFSET(nslots));
	rx = (void *)(uintptr_t)(g->region + PETREL_RX_RING_OFFSET(nslots));
	area = region + PETREL_BUF_OFFSET(nslots);
	area_size = g->region_size - PETREL_BUF_OFFSET(nslots);
	half = area_size / 2;
	return 0;
}

/* Post @n TX descriptors and wait until the kernel consumed them all. */
static void tx_post(const struct petrel_desc *d, uint32_t n)
{
	uint32_t p = load32(&tx->producer);

	for (uint32_t i = 0; i < n; i++)
		set_desc(tx, p + i, d[i].off, d[i].len, d[i].flags);
	store32(&tx->producer, p + n);
	full_barrier();
	doorbell();
	failures += check(wait32(&tx->consumer, p + n, 1),
			  "the kernel consumed every TX descriptor");
}

static void tx_bad(void)
{
	const struct petrel_desc d[] = {
		{ .off = area_size, .len = 60 },		/* bad */
		{ .off = area_size - 59, .len = 60 },		/* bad */
		{ .off = ~0ULL - 7, .len = 60 },		/* bad: wraps */
		{ .off = 0, .len = 0xffffffffu },		/* bad */
		{ .off = 1ULL << 40, .len = 60 },		/* bad */
		{ .off = 0, .len = 60, .flags = 1 },		/* bad */
		{ .off = area_size, .len = 0 },			/* too small */
		{ .off = 0, .len = 0 },				/* too small */
		{ .off = 0, .len = 13 },			/* too small */
		{ .off = 0, .len = 65536 },			/* too big */
		{ .off = area_size - 60, .len = 60 },		/* good */
		{ .off = 0, .len = 60 },			/* good */
	};

	frame_at(0, 60);
	frame_at(area_size - 60, 60);
	tx_post(d, sizeof(d) / sizeof(d[0]));
	put_kv("expect tx_drop_bad_desc", 6);
	put_kv("expect tx_drop_too_small", 3);
	put_kv("expect tx_drop_too_big", 1);
	put_kv("expect tx_packets", 2);
}

static int area_is(uint64_t off, uint64_t len, uint8_t v)
{
	for (uint64_t i = 0; i < len; i++)
		if (area[off + i] != v)
			return 0;
	return 1;
}

/* The host's frames are 100 bytes: byte i of frame k is (k * 7 + i). */
static int host_frame_ok(uint64_t off, uint8_t k)
{
	for (uint32_t i = 14; i < 100; i++)
		if (area[off + i] != (uint8_t)(k * 7 + i))
			return 0;
	return 1;
}

static void rx_bad(void)
{
	const uint64_t good0 = half + 4096, good1 = area_size - 2048;
	uint32_t c = load32(&rx->consumer);
	volatile struct petrel_desc *s = rx->desc;

	/* Canaries around the good buffers: only [off, off + 100) changes. */
	for (uint64_t o = half; o < area_size; o++)
		area[o] = CANARY;
	set_desc(rx, c + 0, area_size, 1, 0);
	set_desc(rx, c + 1, ~0ULL - 100, 2048, 0);
	set_desc(rx, c + 2, half, 0xffffffffu, 0);
	set_desc(rx, c + 3, half, 2048, 2);
	set_desc(rx, c + 4, good0, 2048, 0);
	set_desc(rx, c + 5, good1, 2048, 0);
	set_desc(rx, c + 6, half - 4096, 20, 0);
	/* Backwards from the bindings' full ring: still a valid index. */
	store32(&rx->producer, c + 7);
	puts_("rx-bad: posted\n");
	failures += check(wait32(&rx->consumer, c + 6, 1),
			  "the kernel took 6 RX buffers");
	for (uint32_t i = 0; i < 4; i++)
		failures += check(s[(c + i) & (nslots - 1)].len == 0,
				  "a refused buffer came back with len 0");
	failures += check(s[(c + 4) & (nslots - 1)].len == 100 &&
			  host_frame_ok(good0, 0), "frame 0 in the first good buffer");
	failures += check(s[(c + 5) & (nslots - 1)].len == 100 &&
			  host_frame_ok(good1, 1), "frame 1 in the last bytes of the area");
	failures += check(area_is(half, 4096, CANARY) &&
			  area_is(good0 + 100, good1 - good0 - 100, CANARY),
			  "no byte written outside the two frames");
	puts_("rx-bad: checked\n");
	put_kv("expect rx_drop_bad_desc", 4);
	put_kv("expect rx_packets", 2);
}

/*
 * Make the kernel see a corrupt producer on @r: scribble over `consumer`,
 * ring, and wait until the kernel wrote its own index back.
 */
static void ring_error(volatile struct petrel_ring *r, uint32_t prod,
		       uint32_t cons, const char *what)
{
	store32(&r->consumer, 0xdeadbeef);
	store32(&r->producer, prod);
	full_barrier();
	doorbell();
	failures += check(wait32(&r->consumer, 0xdeadbeef, 0) &&
			  load32(&r->consumer) == cons, what);
}

static void indices(void)
{
	uint32_t c = load32(&tx->consumer), rc = load32(&rx->consumer);
	uint32_t rp = load32(&rx->producer);
	const struct petrel_desc good = { .off = 0, .len = 60 };

	ring_error(tx, c + nslots + 1, c, "TX producer ring_size + 1 ahead");
	ring_error(tx, c - 1, c, "TX producer one behind");
	ring_error(tx, c + 0x80000000u, c, "TX producer 2^31 ahead");
	store32(&tx->producer, c);
	ring_error(rx, rc + nslots + 1, rc, "RX producer ring_size + 1 ahead");
	store32(&rx->producer, rp);
	/* A scribbled consumer means nothing: the kernel keeps its own. */
	store32(&tx->consumer, 12345);
	frame_at(0, 60);
	tx_post(&good, 1);
	failures += check(load32(&tx->consumer) == c + 1,
			  "the kernel published its own TX consumer");
	put_kv("expect ring_errors", 4);
	put_kv("expect tx_packets", 1);
}

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/*
 * Rewrite a random descriptor of @r, field by field (the kernel may copy it
 * between any two stores), from a menu of good ones (inside the half of
 * the area at @base) and bad ones: offsets at or past the end of the area,
 * or wrapping; lengths over the area's size, over PETREL_FRAME_MAX, or
 * under 14; flags.
 */
static void rnd_desc(volatile struct petrel_ring *r, uint64_t base)
{
	volatile struct petrel_desc *d = &r->desc[rnd() & (nslots - 1)];
	static const uint32_t lens[] = { 14, 20, 60, 1000, 1514, 2048 };

	switch (rnd() % 10) {
	case 0:
		d->off = area_size - (rnd() % 64);
		break;
	case 1:
		d->off = ~0ULL - (rnd() % 4096);
		break;
	case 2:
		d->len = 0xffffffffu - (uint32_t)(rnd() % 4096);
		break;
	case 3:
		d->len = (uint32_t)(rnd() % 14);
		break;
	case 4:
		d->flags = (uint16_t)(rnd() | 1);
		break;
	case 5:
		d->off = area_size + 1 + (rnd() >> 1);
		d->len = 0x80000000u | (uint32_t)rnd();
		break;
	case 6:
		/* Inside the area but over PETREL_FRAME_MAX: never sent. */
		d->len = PETREL_FRAME_MAX + 1 + (uint32_t)(rnd() % 4096);
		break;
	default:
		d->off = base + (rnd() % ((half - 2048) / 64)) * 64;
		d->len = lens[rnd() % 6];
		d->flags = 0;
		break;
	}
}

static void rnd_producer(volatile struct petrel_ring *r)
{
	uint32_t p = load32(&r->producer);

	switch (rnd() % 8) {
	case 0:
		store32(&r->producer, (uint32_t)rnd());
		break;
	case 1:
		store32(&r->producer, load32(&r->consumer) +
			(uint32_t)(rnd() % (nslots + 1)));
		break;
	default:
		store32(&r->producer, p + 1 + (uint32_t)(rnd() % 8));
		break;
	}
}

/* Producers back to the kernel's published consumers until nothing moves. */
static int quiesce(void)
{
	uint64_t end = solo5_clock_monotonic() + 20 * SEC;
	int still = 0;

	while (still < 5 && solo5_clock_monotonic() < end) {
		uint32_t t = load32(&tx->consumer), r = load32(&rx->consumer);

		store32(&tx->producer, t);
		store32(&rx->producer, r);
		full_barrier();
		doorbell();
		nap(20000000);
		if (load32(&tx->consumer) == t && load32(&rx->consumer) == r)
			still++;
		else
			still = 0;
	}
	return still == 5;
}

/*
 * The bytes of the region the kernel must never write: each ring header's
 * padding (after every 4-byte field) and the gap between the RX ring and
 * the buffer area. @set: fill them; else: check them.
 */
static int canary(int set)
{
	volatile uint8_t *hdr[2] = { (volatile uint8_t *)tx,
				     (volatile uint8_t *)rx };

	for (int r = 0; r < 2; r++)
		for (uint64_t o = 0; o < PETREL_RING_HDR_BYTES; o++) {
			if (o % PETREL_CACHELINE < 4)
				continue;
			if (set)
				hdr[r][o] = CANARY;
			else if (hdr[r][o] != CANARY)
				return 0;
		}
	for (uint64_t o = 2 * PETREL_RING_BYTES(nslots);
	     o < PETREL_BUF_OFFSET(nslots); o++) {
		if (set)
			region[o] = CANARY;
		else if (region[o] != CANARY)
			return 0;
	}
	return 1;
}

/*
 * How much the kernel must have consumed before rewrite() stops: on a
 * loaded machine the host's frames trickle in, and 8 s once left the RX
 * path with one descriptor consumed and no frame delivered, so the test's
 * checks that every kind of abuse was met failed for want of time.
 */
#define REWRITE_MIN_TX	1024u
#define REWRITE_MIN_RX	64u

static int rewrite_enough(uint32_t tx0, uint32_t rx0)
{
	return load32(&tx->consumer) - tx0 >= REWRITE_MIN_TX &&
	       load32(&rx->consumer) - rx0 >= REWRITE_MIN_RX;
}

static void rewrite(uint64_t secs)
{
	uint32_t tx0 = load32(&tx->consumer), rx0 = load32(&rx->consumer);
	const struct petrel_desc last = { .off = 0, .len = 1000 };
	uint64_t end, hard_end, now, iters = 0, bells = 0;

	for (uint64_t o = 0; o < area_size; o++)
		area[o] = FILL;
	canary(1);
	puts_("rewrite: start\n");
	now = solo5_clock_monotonic();
	end = now + secs * SEC;
	hard_end = now + 240 * SEC;
	while ((iters & 255) ||
	       (now = solo5_clock_monotonic()) < end ||
	       (now < hard_end && !rewrite_enough(tx0, rx0))) {
		uint64_t op = rnd() % 100;

		iters++;
		if (op < 35) {
			rnd_desc(tx, 0);
		} else if (op < 60) {
			rnd_desc(rx, half);
		} else if (op < 75) {
			rnd_producer(tx);
		} else if (op < 90) {
			rnd_producer(rx);
		} else {
			full_barrier();
			doorbell();
			bells++;
		}
	}
	put_kv("rewrite: iterations", iters);
	put_kv("rewrite: doorbells", bells);
	failures += check(quiesce(), "the rings came to rest");
	tx_post(&last, 1);
	failures += check(area_is(0, area_size, FILL),
			  "the area holds only FILL bytes, the guest's and the host's");
	failures += check(canary(0),
			  "ring padding and the gap before the area untouched");
	put_kv("tx consumed", load32(&tx->consumer) - tx0);
	put_kv("rx consumed", load32(&rx->consumer) - rx0);
}

static void flood(uint64_t secs)
{
	uint64_t end = solo5_clock_monotonic() + secs * SEC, bells = 0;
	uint32_t p0 = load32(&tx->producer), p = p0;

	frame_at(0, 60);
	while ((bells & 1023) || solo5_clock_monotonic() < end) {
		if ((bells & 1023) == 0 && p - load32(&tx->consumer) < nslots) {
			set_desc(tx, p, 0, 60, 0);
			store32(&tx->producer, ++p);
		}
		doorbell();
		bells++;
	}
	full_barrier();
	doorbell();
	failures += check(wait32(&tx->consumer, p, 1),
			  "every frame posted in the flood was consumed");
	put_kv("flood: doorbells", bells + 1);
	put_kv("expect tx_packets", p - p0);
}

static void exit_mid(void)
{
	uint64_t end = solo5_clock_monotonic() + SEC;
	uint32_t p = load32(&tx->producer);

	frame_at(0, 1514);
	puts_("exit-mid: sending\n");
	while (solo5_clock_monotonic() < end) {
		if (p - load32(&tx->consumer) < nslots) {
			set_desc(tx, p, 0, 1514, 0);
			store32(&tx->producer, ++p);
		}
		doorbell();
	}
	puts_("exit-mid: exiting with frames in flight\n");
	/* The HALT hypercall itself: solo5_exit would flush the rings first. */
	hvt_halt(7, NULL);
}

static int streq(const char *a, const char *b)
{
	return strcmp(a, b) == 0;
}

int solo5_app_main(const struct solo5_start_info *si)
{
	struct solo5_net_info ni;
	solo5_handle_t h;
	const char *c = si->cmdline;

	if (solo5_net_acquire("service0", &h, &ni) != SOLO5_R_OK ||
	    find_rings(h)) {
		puts_("ringabuse: service0 is not on petrel.ko's rings\n");
		return 2;
	}
	if (streq(c, "tx-bad"))
		tx_bad();
	else if (streq(c, "rx-bad"))
		rx_bad();
	else if (streq(c, "indices"))
		indices();
	else if (memcmp(c, "rewrite ", 8) == 0)
		rewrite(parse_u64(c + 8, NULL));
	else if (memcmp(c, "flood ", 6) == 0)
		flood(parse_u64(c + 6, NULL));
	else if (streq(c, "exit-mid"))
		exit_mid();
	else {
		puts_("ringabuse: unknown case\n");
		return 2;
	}
	puts_(failures ? "ringabuse: FAILED\n" : "ringabuse: done\n");
	for (;;)
		nap(SEC);
}
