// SPDX-License-Identifier: ISC
/*
 * Frame sizes at the edge: a frame of MTU + 14 bytes is sent, one byte more
 * is refused with EINVAL, and the guest carries on. Also a read into a
 * buffer outside guest memory is refused rather than written.
 */
#include "util.h"

static uint8_t buf[1500 + SOLO5_NET_HLEN + 64];

int solo5_app_main(const struct solo5_start_info *si)
{
	struct solo5_net_info info;
	solo5_handle_t h;
	size_t n = 0;
	int fails = 0;

	(void)si;
	if (solo5_net_acquire("service0", &h, &info) != SOLO5_R_OK) {
		puts_("mtu: cannot acquire service0\n");
		return 1;
	}
	fails += check(info.mtu == 1500, "MTU is 1500");
	memset(buf, 0xff, 12);			/* broadcast, from ff:.. */
	memcpy(buf + 6, info.mac_address, 6);
	buf[12] = 0x88;				/* local experimental type */
	buf[13] = 0xb5;
	fails += check(solo5_net_write(h, buf, info.mtu + SOLO5_NET_HLEN) ==
		       SOLO5_R_OK, "MTU-sized frame sent");
	fails += check(solo5_net_write(h, buf, info.mtu + SOLO5_NET_HLEN + 1)
		       == SOLO5_R_EINVAL, "oversized frame refused");
	fails += check(solo5_net_write(h + 7, buf, 64) == SOLO5_R_EINVAL,
		       "write on a bad handle refused");
	fails += check(solo5_net_read(h, (uint8_t *)0x7ffffffff000ULL, 2048,
				      &n) == SOLO5_R_EINVAL,
		       "read into a buffer outside RAM refused");
	fails += check(solo5_net_write(h, buf, 60) == SOLO5_R_OK,
		       "still sending after the errors");
	puts_(fails ? "mtu: FAILED\n" : "mtu: PASSED\n");
	return fails ? 1 : 0;
}
