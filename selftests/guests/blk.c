// SPDX-License-Identifier: ISC
/*
 * Block device: every block written with a pattern derived from its
 * number, then all read back and compared; then requests the tender must
 * refuse with EINVAL (unaligned offset, partial block, past capacity, bad
 * handle, buffer outside RAM), after each of which the device still works.
 * With "verify" on the command line it only reads and checks the pattern,
 * to prove the data reached the backing file.
 */
#include "util.h"

#define MAX_BS	4096

static uint8_t buf[2 * MAX_BS] __attribute__((aligned(16)));

static void pattern(uint8_t *p, size_t n, uint64_t blk)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(blk * 31 + i * 7 + (i >> 8));
}

static int check_block(solo5_handle_t h, uint64_t blk, size_t bs)
{
	static uint8_t want[MAX_BS];

	memset(buf, 0, bs);
	if (solo5_block_read(h, blk * bs, buf, bs) != SOLO5_R_OK)
		return 0;
	pattern(want, bs, blk);
	return memcmp(buf, want, bs) == 0;
}

int solo5_app_main(const struct solo5_start_info *si)
{
	struct solo5_block_info info;
	solo5_handle_t h;
	uint64_t blocks, bad = 0;
	size_t bs;
	int fails = 0, verify = si->cmdline[0] == 'v';

	if (solo5_block_acquire("storage", &h, &info) != SOLO5_R_OK) {
		puts_("blk: cannot acquire storage\n");
		return 1;
	}
	bs = (size_t)info.block_size;
	blocks = info.capacity / bs;
	puts_("blk: capacity ");
	put_u64(info.capacity);
	puts_(", block size ");
	put_u64(bs);
	puts_("\n");
	if (bs < 512 || bs > MAX_BS || blocks == 0)
		return check(0, "usable geometry");

	if (!verify) {
		for (uint64_t b = 0; b < blocks; b++) {
			pattern(buf, bs, b);
			if (solo5_block_write(h, b * bs, buf, bs) !=
			    SOLO5_R_OK)
				bad++;
		}
		fails += check(bad == 0, "every block written");
	}
	bad = 0;
	for (uint64_t b = 0; b < blocks; b++)
		bad += !check_block(h, b, bs);
	fails += check(bad == 0, "every block reads back its pattern");
	if (verify)
		goto out;

	fails += check(solo5_block_write(h, 1, buf, bs) == SOLO5_R_EINVAL,
		       "unaligned offset refused");
	fails += check(solo5_block_read(h, 1, buf, bs) == SOLO5_R_EINVAL,
		       "unaligned read offset refused");
	fails += check(solo5_block_write(h, 0, buf, bs - 1) == SOLO5_R_EINVAL,
		       "partial block refused");
	fails += check(solo5_block_write(h, info.capacity, buf, bs) ==
		       SOLO5_R_EINVAL, "write at capacity refused");
	fails += check(solo5_block_read(h, info.capacity - bs, buf, 2 * bs) ==
		       SOLO5_R_EINVAL, "read past capacity refused");
	fails += check(solo5_block_read(h, ~0ULL - bs + 1, buf, bs) ==
		       SOLO5_R_EINVAL, "wrapping offset refused");
	fails += check(solo5_block_read(h + 5, 0, buf, bs) == SOLO5_R_EINVAL,
		       "bad handle refused");
	fails += check(solo5_block_read(0, 0, buf, bs) == SOLO5_R_EINVAL,
		       "reserved handle 0 refused");
	fails += check(solo5_block_read(h, 0, (uint8_t *)0x7ffffffff000ULL,
					bs) == SOLO5_R_EINVAL,
		       "buffer outside RAM refused");
	fails += check(check_block(h, blocks - 1, bs),
		       "device still works after the errors");
out:
	puts_(fails ? "blk: FAILED\n" : "blk: PASSED\n");
	return fails ? 1 : 0;
}
