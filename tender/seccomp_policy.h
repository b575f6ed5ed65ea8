/* SPDX-License-Identifier: ISC */
/*
 * The syscall policy of the run loop. policy_build() is a pure function from
 * a description of the fds to a list of rules; the same list is what
 * --print-policy shows and what policy_load() hands to libseccomp, so what
 * is reviewed is what is enforced.
 */
#ifndef PETREL_SECCOMP_POLICY_H
#define PETREL_SECCOMP_POLICY_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <linux/filter.h>

#include "../abi/solo5_notes.h"
#include "err.h"

struct policy_desc {
	int vcpu_fd;		/* -1: unknown, printed symbolically */
	/*
	 * Ring mode: petrel.ko moves every frame, so no tap is read or
	 * written; POLL waits on the wake eventfds.
	 */
	bool ring;
	/*
	 * The rings are offered and the guest has not yet said whether it
	 * takes them (it says so before its first exit): the rules of both
	 * modes, plus what the first exit may need before it narrows the
	 * filter to one mode: withdrawing the rings (deassign the doorbells,
	 * unregister the devices, close the eventfds), loading the mode's
	 * filter, and reporting a failure to do so. @ring is ignored.
	 */
	bool choosing;
	/*
	 * Frames on Solo5's ring (the guest kicked it): petrel.ko moves
	 * them, so no tap is read or written; POLL waits on the taps.
	 */
	bool hvt;
	/*
	 * Solo5's ring is offered: until the guest's first kick (when the
	 * guest declined petrel's rings), the hypercall mode may bind its
	 * kick port, pass that kick on and narrow the filter to @hvt.
	 */
	bool hvt_offered;
	int hvt_kick_fd;
	bool worker;		/* a thread lent to petrel.ko (PETREL_IOC_WORKER) */
	int vm_fd;
	int petrel_fd;
	int kick_fd[MFT_MAX_ENTRIES];	/* nwake of them */
	unsigned nwake;
	int wake_fd[MFT_MAX_ENTRIES];
	unsigned ntap;
	int tap_fd[MFT_MAX_ENTRIES];
	unsigned nblock;
	int block_fd[MFT_MAX_ENTRIES];
	uint64_t block_capacity[MFT_MAX_ENTRIES];
	bool block_sync;
	unsigned nstats;	/* KVM statistics fds (counters.c) */
	int stats_fd[2];
};

enum policy_op {
	POLICY_EQ,
	POLICY_LE
};

struct policy_arg {
	unsigned index;		/* syscall argument, 0..5 */
	enum policy_op op;
	uint64_t val;
	const char *label;	/* what val is, for people */
};

struct policy_rule {
	long nr;
	const char *name;
	unsigned nargs;
	struct policy_arg arg[3];
	const char *why;
};

/*
 * Fixed rules + per tap (read, write) + per block (pread, pwrite, sync) +
 * per ring (read and close the wake eventfd, close the kick eventfd).
 */
#define POLICY_MAX_RULES	(32 + 3 * MFT_MAX_ENTRIES + 3 * MFT_MAX_ENTRIES + \
				 3 * MFT_MAX_ENTRIES)
#define POLICY_MAX_INSNS	4096

struct policy {
	unsigned n;
	struct policy_rule rule[POLICY_MAX_RULES];
};

void policy_build(const struct policy_desc *d, struct policy *p);
void policy_print(const struct policy *p, FILE *f);


/*
 * Write the BPF program policy_load() would load to @fd, for comparing it
 * with the filter a running tender has (selftests/kvm/seccomp_dump.c).
 */
int policy_export_bpf(const struct policy *p, int fd, struct errbuf *e);

/*
 * A filter compiled ahead, to be loaded later with one seccomp(2) call and
 * no allocation: what the first exit loads under the "choosing" filter,
 * which allows nothing else.
 */
struct policy_prog {
	unsigned short len;
	struct sock_filter insn[POLICY_MAX_INSNS];
};

int policy_compile(const struct policy *p, struct policy_prog *out,
		   struct errbuf *e);

/*
 * Set no_new_privs and arm @prog with one seccomp(2) call: no allocation,
 * no free, so the process survives the filter it has just armed.
 */
int policy_arm(const struct policy_prog *prog, struct errbuf *e);

/*
 * Arm the filter (SCMP_ACT_KILL_PROCESS by default) on the calling process:
 * policy_compile() into a static program, then policy_arm(). Afterwards
 * only the listed syscalls are possible.
 */
int policy_load(const struct policy *p, struct errbuf *e);

/*
 * Stack @prog on the filters already loaded (the process must have
 * no_new_privs, which policy_load() sets): every syscall must then pass
 * both, so a later filter can only narrow what an earlier one allows.
 */
int policy_load_prog(const struct policy_prog *prog, struct errbuf *e);

#endif /* PETREL_SECCOMP_POLICY_H */
