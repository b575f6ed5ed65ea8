// SPDX-License-Identifier: ISC
#include <errno.h>
#include <linux/kvm.h>
#include <seccomp.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>

#include "../abi/petrel.h"
#include "seccomp_policy.h"

static struct policy_rule *add(struct policy *p, long nr, const char *name,
			       const char *why)
{
	struct policy_rule *r = &p->rule[p->n++];

	memset(r, 0, sizeof(*r));
	r->nr = nr;
	r->name = name;
	r->why = why;
	return r;
}

static void arg(struct policy_rule *r, unsigned index, enum policy_op op,
		uint64_t val, const char *label)
{
	r->arg[r->nargs++] = (struct policy_arg){ index, op, val, label };
}

void policy_build(const struct policy_desc *d, struct policy *p)
{
	struct policy_rule *r;

	p->n = 0;

	r = add(p, SYS_ioctl, "ioctl", "enter the guest (the run loop)");
	arg(r, 0, POLICY_EQ, (uint64_t)(int64_t)d->vcpu_fd, "vcpu fd");
	arg(r, 1, POLICY_EQ, KVM_RUN, "KVM_RUN");

	r = add(p, SYS_ioctl, "ioctl",
		"read RIP for the one-line report when the guest faults");
	arg(r, 0, POLICY_EQ, (uint64_t)(int64_t)d->vcpu_fd, "vcpu fd");
	arg(r, 1, POLICY_EQ, KVM_GET_REGS, "KVM_GET_REGS");

	r = add(p, SYS_write, "write", "guest console (PUTS)");
	arg(r, 0, POLICY_EQ, 1, "stdout");

	r = add(p, SYS_write, "write", "error messages");
	arg(r, 0, POLICY_EQ, 2, "stderr");

	r = add(p, SYS_clock_gettime, "clock_gettime",
		"WALLTIME and time in POLL (counters), when the vDSO "
		"falls back to the syscall");
	arg(r, 0, POLICY_EQ, CLOCK_REALTIME, "CLOCK_REALTIME");

	if (d->ring) {
		r = add(p, SYS_ppoll, "ppoll", "POLL: wait for the rings' "
			"wake eventfds or the timeout, no signal mask");
		arg(r, 1, POLICY_EQ, d->nwake, "number of wake eventfds");
		arg(r, 3, POLICY_EQ, 0, "NULL sigmask");
	} else {
		r = add(p, SYS_ppoll, "ppoll",
			"POLL: wait for the taps or the timeout, no signal mask");
		arg(r, 1, POLICY_EQ, d->ntap, "number of taps");
		arg(r, 3, POLICY_EQ, 0, "NULL sigmask");
	}

	add(p, SYS_exit_group, "exit_group", "HALT and fatal errors");

	for (unsigned i = 0; i < d->nstats; i++) {
		r = add(p, SYS_pread64, "pread64",
			"KVM statistics into the counters (POLL, exit)");
		arg(r, 0, POLICY_EQ, (uint64_t)d->stats_fd[i],
		    "KVM stats fd");
	}

	for (unsigned i = 0; d->ring && i < d->nwake; i++) {
		r = add(p, SYS_read, "read", "POLL: reset a wake eventfd");
		arg(r, 0, POLICY_EQ, (uint64_t)d->wake_fd[i], "wake eventfd");
	}
	for (unsigned i = 0; !d->ring && i < d->ntap; i++) {
		r = add(p, SYS_read, "read", "NET_READ");
		arg(r, 0, POLICY_EQ, (uint64_t)d->tap_fd[i], "tap fd");
		r = add(p, SYS_write, "write", "NET_WRITE");
		arg(r, 0, POLICY_EQ, (uint64_t)d->tap_fd[i], "tap fd");
	}
	for (unsigned i = 0; i < d->nblock; i++) {
		r = add(p, SYS_pread64, "pread64", "BLOCK_READ");
		arg(r, 0, POLICY_EQ, (uint64_t)d->block_fd[i], "block fd");
		arg(r, 3, POLICY_LE, d->block_capacity[i], "capacity");
		r = add(p, SYS_pwrite64, "pwrite64", "BLOCK_WRITE");
		arg(r, 0, POLICY_EQ, (uint64_t)d->block_fd[i], "block fd");
		arg(r, 3, POLICY_LE, d->block_capacity[i], "capacity");
		if (d->block_sync) {
			r = add(p, SYS_fdatasync, "fdatasync",
				"BLOCK_WRITE with --block-sync");
			arg(r, 0, POLICY_EQ, (uint64_t)d->block_fd[i],
			    "block fd");
		}
	}
}

void policy_print(const struct policy *p, FILE *f)
{
	fprintf(f, "# petrel seccomp policy: %u rules, any other syscall or "
		"argument kills the process\n", p->n);
	fprintf(f, "default KILL_PROCESS\n");
	for (unsigned i = 0; i < p->n; i++) {
		const struct policy_rule *r = &p->rule[i];

		fprintf(f, "allow %s", r->name);
		for (unsigned j = 0; j < r->nargs; j++) {
			const struct policy_arg *a = &r->arg[j];

			fprintf(f, "%s arg%u %s ", j ? " &&" : " if",
				a->index, a->op == POLICY_EQ ? "==" : "<=");
			if ((int64_t)a->val == -1 && !strcmp(a->label,
							      "vcpu fd"))
				fprintf(f, "<%s, not opened>", a->label);
			else if (!strncmp(a->label, "KVM_", 4) ||
				 !strncmp(a->label, "PETREL_", 7))
				fprintf(f, "%#llx (%s)",
					(unsigned long long)a->val, a->label);
			else
				fprintf(f, "%llu (%s)",
					(unsigned long long)a->val, a->label);
		}
		fprintf(f, "  # %s\n", r->why);
	}
}

/* The libseccomp filter for @p, not loaded; NULL (and @e) on error. */
static scmp_filter_ctx policy_filter(const struct policy *p, struct errbuf *e)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_KILL_PROCESS);
	int rc;

	if (!ctx) {
		errf(e, "seccomp_init failed");
		return NULL;
	}
	rc = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH,
			      SCMP_ACT_KILL_PROCESS);
	if (rc) {
		errf(e, "seccomp_attr_set: %s", strerror(-rc));
		return NULL;
	}
	for (unsigned i = 0; i < p->n; i++) {
		const struct policy_rule *r = &p->rule[i];
		struct scmp_arg_cmp cmp[3];

		for (unsigned j = 0; j < r->nargs; j++)
			cmp[j] = (struct scmp_arg_cmp){
				.arg = r->arg[j].index,
				.op = r->arg[j].op == POLICY_EQ ?
				      SCMP_CMP_EQ : SCMP_CMP_LE,
				.datum_a = r->arg[j].val,
			};
		rc = seccomp_rule_add_exact_array(ctx, SCMP_ACT_ALLOW,
						  (int)r->nr, r->nargs, cmp);
		if (rc) {
			errf(e, "seccomp rule %u (%s): %s", i, r->name,
			     strerror(-rc));
			return NULL;
		}
	}
	return ctx;
}

int policy_load(const struct policy *p, struct errbuf *e)
{
	scmp_filter_ctx ctx = policy_filter(p, e);
	int rc;

	if (!ctx)
		return -1;
	rc = seccomp_load(ctx);
	if (rc)
		return errf(e, "cannot arm seccomp filter: %s", strerror(-rc));
	/*
	 * ctx is deliberately not released: freeing it could return memory
	 * to the kernel (munmap/brk), which the filter now forbids. It lives
	 * as long as the process, which is what it describes.
	 */
	return 0;
}

int policy_export_bpf(const struct policy *p, int fd, struct errbuf *e)
{
	scmp_filter_ctx ctx = policy_filter(p, e);
	int rc;

	if (!ctx)
		return -1;
	rc = seccomp_export_bpf(ctx, fd);
	seccomp_release(ctx);
	if (rc)
		return errf(e, "seccomp_export_bpf: %s", strerror(-rc));
	return 0;
}
