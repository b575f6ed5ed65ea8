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

#include "../abi/solo5_notes.h"
#include "err.h"

struct policy_desc {
	int vcpu_fd;		/* -1: unknown, printed symbolically */
	/*
	 * Ring mode: petrel.ko moves every frame, so no tap is read or
	 * written; POLL waits on the wake eventfds.
	 */
	bool ring;
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

/* Fixed rules + per tap (read, write) + per block (pread, pwrite, sync). */
#define POLICY_MAX_RULES	(16 + 3 * MFT_MAX_ENTRIES + 3 * MFT_MAX_ENTRIES)

struct policy {
	unsigned n;
	struct policy_rule rule[POLICY_MAX_RULES];
};

void policy_build(const struct policy_desc *d, struct policy *p);
void policy_print(const struct policy *p, FILE *f);

/*
 * Arm the filter (SCMP_ACT_KILL_PROCESS by default) on the calling process.
 * Afterwards only the listed syscalls are possible.
 */
int policy_load(const struct policy *p, struct errbuf *e);

/*
 * Write the BPF program policy_load() would load to @fd, for comparing it
 * with the filter a running tender has (selftests/kvm/seccomp_dump.c).
 */
int policy_export_bpf(const struct policy *p, int fd, struct errbuf *e);

#endif /* PETREL_SECCOMP_POLICY_H */
