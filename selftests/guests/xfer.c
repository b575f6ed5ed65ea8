// SPDX-License-Identifier: ISC
/*
 * Bulk transfer with counters, on service0:
 *     xfer.hvt N
 * First sends N 60-byte frames (broadcast, ethertype 0x88b5, a 32-bit
 * sequence number after the header) as fast as the device takes them and
 * prints "xfer: sent N". Then counts what it receives: frames of type
 * 0x88b5 must carry sequence numbers 0, 1, 2, ... (a gap is a lost frame,
 * a repeat a duplicate), anything else is counted as other; after N test
 * frames it prints one line with every counter. It then keeps receiving,
 * and prints the line again after any further frame, until killed.
 */
#include "util.h"

#define ETH_HLEN	14
#define FRAME_LEN	60

static uint8_t frame[ETH_HLEN + 1500];

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static uint64_t rx_total, rx_test, rx_other, rx_bad, rx_bytes, expect;

static void report(void)
{
	puts_("xfer: received ");
	put_u64(rx_total);
	puts_(" frames ");
	put_u64(rx_bytes);
	puts_(" bytes, test ");
	put_u64(rx_test);
	puts_(", out of sequence ");
	put_u64(rx_bad);
	puts_(", other ");
	put_u64(rx_other);
	puts_("\n");
}

static void receive(solo5_handle_t h, uint64_t n)
{
	size_t len;
	int more = 0;

	while (solo5_net_read(h, frame, sizeof(frame), &len) == SOLO5_R_OK) {
		rx_total++;
		rx_bytes += len;
		if (len < ETH_HLEN + 4 || frame[12] != 0x88 ||
		    frame[13] != 0xb5) {
			rx_other++;
		} else {
			if (get32(frame + ETH_HLEN) != (uint32_t)expect)
				rx_bad++;
			expect = get32(frame + ETH_HLEN) + 1ULL;
			rx_test++;
		}
		more = 1;
	}
	if (more && rx_test >= n)
		report();
}

int solo5_app_main(const struct solo5_start_info *si)
{
	struct solo5_net_info info;
	solo5_handle_t h;
	uint64_t n = parse_u64(si->cmdline, NULL), sent = 0;

	if (solo5_net_acquire("service0", &h, &info) != SOLO5_R_OK) {
		puts_("xfer: cannot acquire service0\n");
		return 1;
	}
	puts_("net: ready\n");
	memset(frame, 0, FRAME_LEN);
	memset(frame, 0xff, 6);
	memcpy(frame + 6, info.mac_address, 6);
	frame[12] = 0x88;
	frame[13] = 0xb5;
	while (sent < n) {
		solo5_result_t r;

		put32(frame + ETH_HLEN, (uint32_t)sent);
		r = solo5_net_write(h, frame, FRAME_LEN);
		if (r == SOLO5_R_OK)
			sent++;
		else if (r != SOLO5_R_AGAIN)
			break;
	}
	puts_("xfer: sent ");
	put_u64(sent);
	puts_("\n");
	for (;;) {
		solo5_handle_set_t ready = 0;

		solo5_yield(solo5_clock_monotonic() + 1000000000ULL, &ready);
		if (ready & (1ULL << h))
			receive(h, n);
	}
}
