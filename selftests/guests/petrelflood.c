// SPDX-License-Identifier: ISC
/*
 * A guest that floods petrel.ko's own TX ring of its net device "service0"
 * for S seconds without ever yielding, the way any guest code could,
 * bypassing the bindings' ring driver:
 *     petrelflood.hvt S [batch]
 * Whenever two slots are free it posts a valid 60-byte frame and a
 * descriptor outside the buffer area, and it rings the doorbell on every
 * turn of its loop, room or not. With "batch" it instead fills every free
 * slot with such pairs and rings once, then spins until there is room
 * again: fewer exits, so less of its own CPU time per descriptor and more
 * work for the ring's server per unit of it. Then it waits until the kernel has
 * consumed every descriptor, prints "petrelflood: valid V invalid I" and
 * "petrelflood: done" (or "petrelflood: FAILED ..."), and sleeps in POLL
 * until killed, so the VM and its counters stay for the host. Every
 * descriptor and every doorbell is work for whoever serves the ring: the
 * host measures where that work is charged.
 */
#include "../../bindings/hvt.h"
#include "rings.h"
#include "util.h"

#define SEC		1000000000ULL
#define FRAME_LEN	60

static volatile struct petrel_ring *tx;
static volatile uint8_t *area;
static uint64_t area_size;
static uint32_t nslots;
static uint16_t port;

static void set_desc(uint32_t idx, uint64_t off, uint32_t len)
{
	volatile struct petrel_desc *d = &tx->desc[idx & (nslots - 1)];

	d->off = off;
	d->len = len;
	d->flags = 0;
	d->cookie = (uint16_t)idx;
}

int solo5_app_main(const struct solo5_start_info *si)
{
	static const uint8_t hdr[14] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
					 0x02, 0, 0, 0, 0, 0xab, 0x88, 0xb5 };
	const char *rest;
	uint64_t secs = parse_u64(si->cmdline, &rest), valid = 0, invalid = 0;
	const struct petrel_guest_net *g;
	struct solo5_net_info ni;
	solo5_handle_t h;
	uint64_t end;
	uint32_t p;
	int batch;

	if (secs == 0 || solo5_net_acquire("service0", &h, &ni) != SOLO5_R_OK ||
	    !(g = guest_rings_of(h))) {
		puts_("petrelflood: FAILED: no time, no service0 or not on "
		      "petrel.ko's rings\n");
		return 2;
	}
	nslots = g->ring_size;
	port = g->doorbell_port;
	tx = (void *)(uintptr_t)(g->region + PETREL_TX_RING_OFFSET(nslots));
	area = (volatile uint8_t *)(uintptr_t)(g->region +
					       PETREL_BUF_OFFSET(nslots));
	area_size = g->region_size - PETREL_BUF_OFFSET(nslots);
	for (uint32_t i = 0; i < FRAME_LEN; i++)
		area[i] = i < sizeof(hdr) ? hdr[i] : 0xa5;

	batch = strcmp(rest, " batch") == 0;
	p = load32(&tx->producer);
	end = solo5_clock_monotonic() + secs * SEC;
	while (solo5_clock_monotonic() < end) {
		uint32_t room = nslots - (p - load32(&tx->consumer));

		if (batch && room < 2)
			continue;
		for (; room >= 2; room = batch ? room - 2 : 0) {
			set_desc(p++, 0, FRAME_LEN);
			/* Just past the area: dropped as a bad descriptor. */
			set_desc(p++, area_size, FRAME_LEN);
			valid++;
			invalid++;
		}
		store32(&tx->producer, p);
		guest_doorbell(port);
	}
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	guest_doorbell(port);
	/* Everything consumed: the host's counters are final. */
	end = solo5_clock_monotonic() + 240 * SEC;
	while (load32(&tx->consumer) != p) {
		if (solo5_clock_monotonic() > end) {
			puts_("petrelflood: FAILED: the kernel did not consume "
			      "every descriptor\n");
			return 1;
		}
		nap(1000000);
	}
	puts_("petrelflood: valid ");
	put_u64(valid);
	puts_(" invalid ");
	put_u64(invalid);
	puts_("\npetrelflood: done\n");
	for (;;)
		nap(SEC);
}
