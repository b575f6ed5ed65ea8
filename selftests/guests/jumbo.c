// SPDX-License-Identifier: ISC
/*
 * Frames as large as the tap's MTU allows, both ways: prints the MTU the
 * tender reported, sends one frame of MTU + 14 bytes (ethertype 0x88b5,
 * byte i = i & 0xff), says "jumbo: sent", then waits up to 30 s for the
 * host's frame of MTU + 14 bytes (ethertype 0x88b6, byte i = i * 7 & 0xff
 * from byte 14 on) and checks every byte of it.
 */
#include "util.h"

#define JUMBO_MAX	(9000 + SOLO5_NET_HLEN)

static uint8_t out[JUMBO_MAX], in[JUMBO_MAX + 64];

static int host_frame_ok(size_t n, size_t want)
{
	if (n != want || in[12] != 0x88 || in[13] != 0xb6)
		return 0;
	for (size_t i = SOLO5_NET_HLEN; i < n; i++)
		if (in[i] != (uint8_t)(i * 7))
			return 0;
	return 1;
}

int solo5_app_main(const struct solo5_start_info *si)
{
	struct solo5_net_info info;
	solo5_handle_t h;
	solo5_time_t end;
	size_t len, n = 0;
	int fails = 0, got = 0;

	(void)si;
	if (solo5_net_acquire("service0", &h, &info) != SOLO5_R_OK) {
		puts_("jumbo: cannot acquire service0\n");
		return 1;
	}
	puts_("jumbo: MTU is ");
	put_u64(info.mtu);
	puts_("\n");
	len = info.mtu + SOLO5_NET_HLEN;
	if (len > JUMBO_MAX) {
		puts_("jumbo: MTU larger than this test's buffers\n");
		return 1;
	}
	for (size_t i = 0; i < len; i++)
		out[i] = (uint8_t)i;
	memset(out, 0xff, 6);
	memcpy(out + 6, info.mac_address, 6);
	out[12] = 0x88;
	out[13] = 0xb5;
	fails += check(solo5_net_write(h, out, len) == SOLO5_R_OK,
		       "frame of MTU + 14 bytes sent");
	fails += check(solo5_net_write(h, out, len + 1) == SOLO5_R_EINVAL,
		       "frame of MTU + 15 bytes refused");
	puts_("jumbo: sent\n");
	end = solo5_clock_monotonic() + 30000000000ULL;
	while (!got && solo5_clock_monotonic() < end) {
		solo5_handle_set_t ready = 0;

		solo5_yield(solo5_clock_monotonic() + 1000000000ULL, &ready);
		while (!got && solo5_net_read(h, in, sizeof(in), &n) ==
			       SOLO5_R_OK)
			got = host_frame_ok(n, len);
	}
	fails += check(got, "frame of MTU + 14 bytes received intact");
	if (got) {
		puts_("jumbo: received ");
		put_u64(n);
		puts_("-byte frame\n");
	}
	puts_(fails ? "jumbo: FAILED\n" : "jumbo: PASSED\n");
	return fails ? 1 : 0;
}
