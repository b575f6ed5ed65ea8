// SPDX-License-Identifier: ISC
/*
 * A guest of Solo5's ring protocol (solo5ring.h) that floods its ring with
 * NET_WRITE entries for S seconds without ever yielding, alternating a
 * valid 60-byte frame and an entry whose buffer lies outside guest memory:
 *     solo5flood.hvt S
 * then waits until the host has consumed every entry, prints
 * "solo5flood: valid V invalid I" and "solo5flood: done", and sleeps in
 * POLL until killed. Each entry is
 * work for whoever serves the ring; with petrel.ko that is the thread the
 * tender lends it, so that work lands in the tender's cgroup.
 */
#include "solo5ring.h"

/* Far above any guest memory the ABI allows (4 GiB). */
#define OUTSIDE		0x4000000000ULL
#define FRAME_LEN	60

static uint8_t frame[FRAME_LEN];

int solo5_app_main(const struct solo5_start_info *si)
{
	struct solo5_net_info info;
	solo5_handle_t h;
	uint64_t secs = parse_u64(si->cmdline, NULL), valid = 0, invalid = 0;
	solo5_time_t end;

	choose_path();
	if (!ring || secs == 0 ||
	    solo5_net_acquire("service0", &h, &info) != SOLO5_R_OK) {
		puts_("solo5flood: FAILED: no Solo5 ring, no time or no "
		      "service0\n");
		return SOLO5_EXIT_FAILURE;
	}
	for (unsigned i = 0; i < 6; i++)
		frame[i] = 0xff;
	for (unsigned i = 0; i < 6; i++)
		frame[6 + i] = info.mac_address[i];
	frame[12] = 0x88;
	frame[13] = 0xb5;
	end = solo5_clock_monotonic() + secs * 1000000000ULL;
	while (solo5_clock_monotonic() < end) {
		ring_submit(HVT_RING_OP_NET_WRITE, h, frame, FRAME_LEN);
		valid++;
		ring_submit(HVT_RING_OP_NET_WRITE, h,
			    (const void *)(uintptr_t)OUTSIDE, FRAME_LEN);
		invalid++;
	}
	/* Everything consumed: the host's counters are final. */
	while (__atomic_load_n(&ring->ent_head, __ATOMIC_ACQUIRE) !=
	       ring->ent_tail)
		;
	puts_("solo5flood: valid ");
	put_u64(valid);
	puts_(" invalid ");
	put_u64(invalid);
	puts_("\nsolo5flood: done\n");
	/* Stay up, asleep, so the host can look at the tender: killed. */
	for (;;) {
		solo5_handle_set_t ready;

		s5_yield(solo5_clock_monotonic() + 3600000000000ULL, &ready);
	}
}
