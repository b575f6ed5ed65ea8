// SPDX-License-Identifier: ISC
/*
 * A guest that corrupts the rings of one of its net devices and keeps using
 * the other:
 *     corrupt.hvt
 * On service0 (which must be on petrel.ko's rings) it posts 10 TX
 * descriptors pointing outside the buffer area and rings the doorbell,
 * then moves the TX and RX producers far past the kernel's consumers (ring
 * errors) and rings again. It prints "corrupt: done", then echoes every
 * UDP datagram to port 7 that arrives on service1, byte for byte, until
 * killed. The host must answer its ARP itself (a static neighbour).
 * It reaches the rings the way any guest code could: through the boot info.
 */
#include "rings.h"
#include "util.h"

static uint8_t frame[1514];

static int corrupt(solo5_handle_t h)
{
	const struct petrel_guest_net *g = guest_rings_of(h);
	volatile struct petrel_ring *tx, *rx;

	if (!g)
		return -1;
	tx = (void *)(uintptr_t)(g->region + PETREL_TX_RING_OFFSET(g->ring_size));
	rx = (void *)(uintptr_t)(g->region + PETREL_RX_RING_OFFSET(g->ring_size));
	for (int i = 0; i < 10; i++) {
		uint32_t p = tx->producer;

		tx->desc[p & (g->ring_size - 1)].off = 1ULL << 40;
		tx->desc[p & (g->ring_size - 1)].len = 60;
		tx->producer = p + 1;
	}
	guest_doorbell(g->doorbell_port);
	/* Wait until the kernel has consumed them, then break the indices. */
	while (tx->consumer != tx->producer)
		solo5_yield(solo5_clock_monotonic() + 1000000ULL, NULL);
	tx->producer = tx->consumer + 100000;
	rx->producer = rx->consumer + 100000;
	guest_doorbell(g->doorbell_port);
	return 0;
}

static void echo(solo5_handle_t h, const uint8_t mac[6])
{
	size_t len;

	while (solo5_net_read(h, frame, sizeof(frame), &len) == SOLO5_R_OK) {
		uint8_t *ip = frame + 14, *udp = ip + 20, t[6];

		if (len < 42 || frame[12] != 0x08 || frame[13] != 0x00 ||
		    ip[0] != 0x45 || ip[9] != 17 || udp[2] != 0 || udp[3] != 7)
			continue;
		/* Swapping addresses and ports leaves both checksums valid. */
		memcpy(frame, frame + 6, 6);
		memcpy(frame + 6, mac, 6);
		memcpy(t, ip + 12, 4);
		memcpy(ip + 12, ip + 16, 4);
		memcpy(ip + 16, t, 4);
		memcpy(t, udp, 2);
		memcpy(udp, udp + 2, 2);
		memcpy(udp + 2, t, 2);
		solo5_net_write(h, frame, len);
	}
}

int solo5_app_main(const struct solo5_start_info *si)
{
	struct solo5_net_info i0, i1;
	solo5_handle_t h0, h1;

	(void)si;
	if (solo5_net_acquire("service0", &h0, &i0) != SOLO5_R_OK ||
	    solo5_net_acquire("service1", &h1, &i1) != SOLO5_R_OK) {
		puts_("corrupt: needs service0 and service1\n");
		return 1;
	}
	if (corrupt(h0)) {
		puts_("corrupt: service0 is not on rings\n");
		return 1;
	}
	puts_("corrupt: done\nnet: ready\n");
	for (;;) {
		solo5_handle_set_t ready = 0;

		solo5_yield(solo5_clock_monotonic() + 1000000000ULL, &ready);
		if (ready & (1ULL << h1))
			echo(h1, i1.mac_address);
	}
}
