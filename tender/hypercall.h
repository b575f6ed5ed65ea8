/* SPDX-License-Identifier: ISC */
/*
 * Hypercall dispatch. Each hypercall is served by one small module (one
 * file, one `const struct hypercall`), registered by number in the table in
 * hypercall.c. A handler copies its argument struct out of guest memory once,
 * validates it, does the work, and copies back only its output fields.
 */
#ifndef PETREL_HYPERCALL_H
#define PETREL_HYPERCALL_H

#include <stdbool.h>
#include <stdint.h>

#include "../abi/hvt_abi.h"
#include "devices.h"
#include "guest_mem.h"
#include "net_ring.h"

enum hc_action {
	HC_CONTINUE,	/* re-enter the guest */
	HC_EXIT,	/* the guest halted: exit with ctx->exit_status */
	HC_FAULT	/* the guest misbehaved: ctx->fault says how */
};

struct hc_ctx {
	struct guest_mem mem;
	struct devices *devs;
	struct net_ring *ring;	/* ring->active: the net devices are on rings */
	int exit_status;
	const char *fault;	/* static string, set with HC_FAULT */
	bool out_refused;	/* hc_arg_out found its target read-only */
	/*
	 * Called once, at the guest's first exit, before it is handled: the
	 * guest has said by then whether it takes the rings, and the seccomp
	 * filter for that mode is armed here. Nonzero: stop (message shown).
	 */
	int (*first_exit)(struct hc_ctx *c);
	/*
	 * Called at the guest's first OUT to Solo5's ring kick port, while
	 * the port is unbound: the guest uses that ring. Nonzero: stop.
	 */
	int (*hvt_kick)(struct hc_ctx *c);
};

typedef enum hc_action (*hc_fn)(struct hc_ctx *c, uint64_t gpa);

struct hypercall {
	unsigned nr;		/* enum hvt_hypercall */
	const char *name;
	hc_fn fn;
};

extern const struct hypercall hc_walltime, hc_puts, hc_poll, hc_halt,
	hc_block_write, hc_block_read, hc_net_write, hc_net_read;

/* The hypercall for I/O port @port, or NULL. */
const struct hypercall *hc_lookup(uint16_t port);

/* Run @h on the argument at @gpa: its action, or HC_FAULT if refused. */
enum hc_action hc_call(const struct hypercall *h, struct hc_ctx *c,
		       uint64_t gpa);

/* Copy the argument struct at @gpa; 0, or -1 (and a fault) if outside. */
static inline int hc_arg_in(struct hc_ctx *c, uint64_t gpa, void *arg,
			    size_t size)
{
	const void *p = gmem_ptr(&c->mem, gpa, size);

	if (!p) {
		c->fault = "hypercall argument outside guest memory";
		return -1;
	}
	__builtin_memcpy(arg, p, size);
	return 0;
}

/*
 * Write @size bytes of output at offset @off of the argument at @gpa. An
 * argument in memory the guest cannot write (the low area, a read-only
 * segment) is refused: nothing is written and the hypercall becomes a
 * fault once its handler returns (the guest is stopped either way).
 */
static inline void hc_arg_out(struct hc_ctx *c, uint64_t gpa, size_t off,
			      const void *val, size_t size)
{
	/* In range: hc_arg_in checked the whole struct. */
	uint8_t *p = gmem_wptr(&c->mem, gpa, off + size);

	if (!p) {
		c->fault = "hypercall argument in read-only guest memory";
		c->out_refused = true;
		return;
	}
	__builtin_memcpy(p + off, val, size);
}

#define HC_OUT(c, gpa, type, field, val) do {				\
	__typeof__(((type *)0)->field) v_ = (val);			\
	hc_arg_out((c), (gpa), offsetof(type, field), &v_, sizeof(v_));	\
} while (0)

#endif /* PETREL_HYPERCALL_H */
