/* SPDX-License-Identifier: ISC */
/*
 * The opcodes of fuzz_ring's input, shared with fuzz_seeds, which writes
 * its seeds. The input format and each operation's fields are described at
 * the top of fuzz_ring.c.
 */
#ifndef PETREL_FUZZ_RING_H
#define PETREL_FUZZ_RING_H

enum ring_op {
	RING_OP_SET_PROD,
	RING_OP_ADVANCE,
	RING_OP_WRITE_DESC,
	RING_OP_POST,
	RING_OP_KICK,
	RING_OP_TX_PASS,
	RING_OP_RX_PASS,
	RING_OP_RESYNC,
	RING_OP_REREGISTER,
	/* Solo5's ring (struct hvt_ring), beside petrel's own. */
	RING_OP_HVT_REGISTER,
	RING_OP_HVT_ENTRY,
	RING_OP_HVT_FILL,
	RING_OP_HVT_TAIL,
	RING_OP_HVT_TAKE,
	RING_OP_HVT_COM_HEAD,
	RING_OP_HVT_UNREGISTER,
	RING_OP_HVT_KICK,
	RING_OP_HVT_PASS,
	RING_OP_COUNT,
};

#endif
