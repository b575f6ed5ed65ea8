// SPDX-License-Identifier: ISC
/*
 * Many devices (the manifests devs1, devs8, devs32 and devs63.json share
 * this code): acquires every block device "diskN" and net device "netN"
 * its manifest declares, writes a pattern to each disk's last sector and
 * reads it back, checks each net device has a MAC and an MTU, and sends a
 * frame on it. Prints "devcount: B block, N net" and PASSED or FAILED.
 */
#include "util.h"

#define MAX_DEVS	63
#define MAX_BS		4096

static uint8_t buf[MAX_BS], back[MAX_BS];

static void name(char *out, const char *prefix, unsigned i)
{
	size_t n = strlen(prefix);

	memcpy(out, prefix, n);
	if (i >= 10)
		out[n++] = (char)('0' + i / 10);
	out[n++] = (char)('0' + i % 10);
	out[n] = '\0';
}

static int disk_ok(solo5_handle_t h, const struct solo5_block_info *bi,
		   unsigned i)
{
	uint64_t off;

	if (bi->block_size > MAX_BS || bi->capacity < bi->block_size)
		return 0;
	off = bi->capacity - bi->block_size;
	for (size_t k = 0; k < bi->block_size; k++)
		buf[k] = (uint8_t)(i * 13 + k);
	memset(back, 0, sizeof(back));
	return solo5_block_write(h, off, buf, bi->block_size) == SOLO5_R_OK &&
	       solo5_block_read(h, off, back, bi->block_size) == SOLO5_R_OK &&
	       !memcmp(buf, back, bi->block_size);
}

static int net_ok(solo5_handle_t h, const struct solo5_net_info *ni)
{
	static const uint8_t zero[6];

	if (!memcmp(ni->mac_address, zero, 6) || ni->mtu < 68)
		return 0;
	memset(buf, 0xff, 6);
	memcpy(buf + 6, ni->mac_address, 6);
	buf[12] = 0x88;
	buf[13] = 0xb5;
	memset(buf + 14, 0, 46);
	return solo5_net_write(h, buf, 60) == SOLO5_R_OK;
}

int solo5_app_main(const struct solo5_start_info *si)
{
	unsigned nblock = 0, nnet = 0, fails = 0;
	char n[8];

	(void)si;
	for (unsigned i = 0; i < MAX_DEVS; i++) {
		struct solo5_block_info bi;
		struct solo5_net_info ni;
		solo5_handle_t h;

		name(n, "disk", i);
		if (solo5_block_acquire(n, &h, &bi) == SOLO5_R_OK) {
			nblock++;
			if (!disk_ok(h, &bi, i)) {
				fails++;
				puts_("devcount: FAIL: ");
				puts_(n);
				puts_("\n");
			}
		}
		name(n, "net", i);
		if (solo5_net_acquire(n, &h, &ni) == SOLO5_R_OK) {
			nnet++;
			if (!net_ok(h, &ni)) {
				fails++;
				puts_("devcount: FAIL: ");
				puts_(n);
				puts_("\n");
			}
		}
	}
	puts_("devcount: ");
	put_u64(nblock);
	puts_(" block, ");
	put_u64(nnet);
	puts_(" net\n");
	puts_(fails ? "devcount: FAILED\n" : "devcount: PASSED\n");
	return fails ? 1 : 0;
}
