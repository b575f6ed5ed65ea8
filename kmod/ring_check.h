/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every decision petrel.ko takes on values the guest or the tender chose:
 * the region geometry at registration, the producer index and each copied
 * descriptor of a pass, and the same for Solo5's ring (hvt_ring.c): its
 * registration and each copied entry. Pure functions of their arguments (no kernel API,
 * no shared memory, no side effects), so the module and the userspace
 * fuzzer (selftests/unit/fuzz_ring.c) compile this same code.
 */
#ifndef PETREL_RING_CHECK_H
#define PETREL_RING_CHECK_H

#ifdef __KERNEL__
#include <linux/errno.h>
#include <linux/types.h>
#else
#include <errno.h>
#include <stdbool.h>
#include <linux/types.h>
#endif

#include "abi/hvt_abi.h"
#include "abi/petrel.h"

/* Where the buffer area of an accepted region lies. */
struct petrel_layout {
	__u64 buf_off;		/* from the start of the region */
	__u64 buf_size;		/* up to the end of the region */
};

/*
 * The registration geometry: 0 (and *lay filled in), -EINVAL or -E2BIG as
 * PETREL_IOC_NET_REGISTER documents them. page_size (a power of two) and
 * addr_limit (the end of the caller's address space) come from the kernel.
 */
static inline int petrel_geometry_check(__u32 ring_size, __u64 region_addr,
					__u64 region_size, __u64 page_size,
					__u64 addr_limit,
					struct petrel_layout *lay)
{
	__u64 buf_off;

	if (ring_size < PETREL_RING_MIN || ring_size > PETREL_RING_MAX ||
	    (ring_size & (ring_size - 1)))
		return -EINVAL;
	if ((region_addr & (page_size - 1)) || (region_size & (page_size - 1)))
		return -EINVAL;
	if (region_size > PETREL_REGION_MAX)
		return -E2BIG;
	buf_off = PETREL_BUF_OFFSET(ring_size);
	/* At least one byte of buffer area. */
	if (region_size <= buf_off)
		return -EINVAL;
	/* Wrap checked before the limit. */
	if (region_addr + region_size < region_addr ||
	    region_addr + region_size > addr_limit)
		return -EINVAL;
	lay->buf_off = buf_off;
	lay->buf_size = region_size - buf_off;
	return 0;
}

/*
 * Entries published between our consumer index and the guest's producer
 * index (free-running u32), or -1 if the producer is more than ring_size
 * ahead: a corrupt ring.
 */
static inline __s64 petrel_ring_pending(__u32 prod, __u32 cons, __u32 ring_size)
{
	__u32 n = prod - cons;

	return n > ring_size ? -1 : (__s64)n;
}

/* Flags clear and [off, off + len) inside the buffer area; overflow first. */
static inline bool petrel_desc_ok(const struct petrel_desc *d, __u64 buf_size)
{
	return !d->flags && d->off <= buf_size && d->len <= buf_size - d->off;
}

/* What becomes of a copied TX descriptor; each verdict but OK is a drop. */
enum petrel_tx_verdict {
	PETREL_TX_OK,
	PETREL_TX_BAD_DESC,
	PETREL_TX_TOO_BIG,
	PETREL_TX_TOO_SMALL,
};

static inline enum petrel_tx_verdict
petrel_tx_check(const struct petrel_desc *d, __u64 buf_size)
{
	if (!petrel_desc_ok(d, buf_size))
		return PETREL_TX_BAD_DESC;
	if (d->len > PETREL_FRAME_MAX)
		return PETREL_TX_TOO_BIG;
	if (d->len < PETREL_FRAME_MIN)
		return PETREL_TX_TOO_SMALL;
	return PETREL_TX_OK;
}

/* What becomes of a copied RX buffer: filled, or handed back refused. */
enum petrel_rx_verdict {
	PETREL_RX_OK,
	PETREL_RX_BAD_DESC,
	PETREL_RX_TOO_SMALL,
};

/*
 * A buffer that cannot hold an Ethernet header is refused too: tun reads
 * nothing into an empty buffer and keeps the frame, which would stall RX.
 */
static inline enum petrel_rx_verdict
petrel_rx_check(const struct petrel_desc *d, __u64 buf_size)
{
	if (!petrel_desc_ok(d, buf_size))
		return PETREL_RX_BAD_DESC;
	if (d->len < PETREL_FRAME_MIN)
		return PETREL_RX_TOO_SMALL;
	return PETREL_RX_OK;
}

/*
 * A received frame of frame_len bytes (> 0) fits the buffer's capacity
 * (>= PETREL_FRAME_MIN); otherwise it was truncated and is dropped, and
 * the buffer stays posted.
 */
static inline bool petrel_rx_fits(__u32 frame_len, __u32 capacity)
{
	return frame_len <= capacity;
}

/*
 * Solo5's ring registration: the ring (sizeof(struct hvt_ring), rounded up
 * to pages) and guest memory must be page aligned, non-empty and inside
 * the caller's address space, without wrapping: 0 or -EINVAL.
 */
static inline int petrel_hvt_geometry_check(__u64 ring_addr, __u64 mem_addr,
					    __u64 mem_size, __u64 page_size,
					    __u64 addr_limit)
{
	__u64 ring_bytes = (sizeof(struct hvt_ring) + page_size - 1) &
			   ~(page_size - 1);

	if ((ring_addr & (page_size - 1)) || (mem_addr & (page_size - 1)))
		return -EINVAL;
	if (mem_size == 0)
		return -EINVAL;
	if (ring_addr + ring_bytes < ring_addr ||
	    ring_addr + ring_bytes > addr_limit)
		return -EINVAL;
	if (mem_addr + mem_size < mem_addr || mem_addr + mem_size > addr_limit)
		return -EINVAL;
	return 0;
}

/* [gpa, gpa + len) inside guest memory; overflow first. */
static inline bool petrel_hvt_range_ok(__u64 gpa, __u32 len, __u64 mem_size)
{
	return gpa <= mem_size && len <= mem_size - gpa;
}

/* A NET_WRITE entry's frame, with the verdicts of petrel's own TX ring. */
static inline enum petrel_tx_verdict
petrel_hvt_write_check(__u64 gpa, __u32 len, __u64 mem_size)
{
	if (!petrel_hvt_range_ok(gpa, len, mem_size))
		return PETREL_TX_BAD_DESC;
	if (len > PETREL_FRAME_MAX)
		return PETREL_TX_TOO_BIG;
	if (len < PETREL_FRAME_MIN)
		return PETREL_TX_TOO_SMALL;
	return PETREL_TX_OK;
}

/*
 * A NET_READ entry's buffer, with the verdicts of petrel's own RX ring: a
 * buffer that cannot hold an Ethernet header is refused (EINVAL).
 */
static inline enum petrel_rx_verdict
petrel_hvt_read_check(__u64 gpa, __u32 len, __u64 mem_size)
{
	if (!petrel_hvt_range_ok(gpa, len, mem_size))
		return PETREL_RX_BAD_DESC;
	if (len < PETREL_FRAME_MIN)
		return PETREL_RX_TOO_SMALL;
	return PETREL_RX_OK;
}

#endif /* PETREL_RING_CHECK_H */
