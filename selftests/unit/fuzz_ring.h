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
	RING_OP_COUNT,
};

#endif
