/* SPDX-License-Identifier: ISC */
/*
 * The input format of fuzz_ring (petrel.ko's ring checks, fuzz_ring.c),
 * shared with fuzz_seeds. Integers are little-endian; fields past the end
 * of the input read as zero, so every input decodes.
 *
 * Header, what the tender asks for and what the guest left in the region
 * before registration:
 *     u32 ring_size, u64 region_addr, u64 region_size,
 *     u32 TX producer, u32 RX producer
 * Then operations, each a u8 opcode (taken modulo RING_OP_COUNT) followed
 * by the fields listed below. "ring" is 0 for TX, 1 for RX (low bit).
 * "race" (passes): bit k set means the guest rewrites the pass's k-th
 * descriptor slot (k < 8) with the (off, len, flags) that follow, after the
 * kernel copied it and before the kernel uses the copy.
 */
#ifndef PETREL_FUZZ_RING_H
#define PETREL_FUZZ_RING_H

#define RING_HDR_BYTES	28

enum ring_op {
	RING_OP_SET_PROD,	/* u8 ring, u32 producer */
	RING_OP_ADVANCE,	/* u8 ring, u8 n: producer += n */
	RING_OP_WRITE_DESC,	/* u8 ring, u16 slot, u64 off, u32 len,
				 * u16 flags: any slot, any field */
	RING_OP_POST,		/* u8 ring, u32 off, u16 len, u8 flags: the
				 * slot at producer, then producer++ */
	RING_OP_KICK,		/* doorbell: both rings unparked */
	RING_OP_TX_PASS,	/* u8 budget, u8 race, u64 off, u32 len,
				 * u16 flags */
	RING_OP_RX_PASS,	/* u8 budget, u8 frames, u16 frame_len,
				 * u8 step, u8 race, u64 off, u32 len,
				 * u16 flags: frame k is 1 + (u16)(frame_len
				 * + k * step) bytes long */
	RING_OP_RESYNC,		/* u8 ring: producer = consumer, how a
				 * guest recovers from a ring error */
	RING_OP_COUNT,
};

#endif
