// SPDX-License-Identifier: ISC
#include <errno.h>
#include <linux/kvm.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

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

/*
 * The rules of one mode: @ring, petrel's rings; @hvt, Solo5's ring; or
 * hypercalls.
 */
static void build_mode(const struct policy_desc *d, bool ring, bool hvt,
		       struct policy *p)
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

	if (ring) {
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

	if (d->worker) {
		r = add(p, SYS_ioctl, "ioctl", "the thread lent to petrel.ko: "
			"back into it, should a signal ever interrupt it");
		arg(r, 0, POLICY_EQ, (uint64_t)(int64_t)d->petrel_fd,
		    "petrel fd");
		arg(r, 1, POLICY_EQ, PETREL_IOC_WORKER, "PETREL_IOC_WORKER");
		arg(r, 2, POLICY_EQ, 0, "no argument");
	}
	if (!ring && !hvt && d->hvt_offered) {
		r = add(p, SYS_ioctl, "ioctl", "the guest's first kick of "
			"Solo5's ring: bind its port to petrel.ko");
		arg(r, 0, POLICY_EQ, (uint64_t)(int64_t)d->vm_fd, "vm fd");
		arg(r, 1, POLICY_EQ, KVM_IOEVENTFD, "KVM_IOEVENTFD");
		r = add(p, SYS_write, "write", "the guest's first kick of "
			"Solo5's ring: pass it on to petrel.ko");
		arg(r, 0, POLICY_EQ, (uint64_t)(int64_t)d->hvt_kick_fd,
		    "Solo5 ring kick eventfd");
		r = add(p, SYS_seccomp, "seccomp", "the guest's first kick of "
			"Solo5's ring: narrow the filter to frames on the ring "
			"only (stacked on this one)");
		arg(r, 0, POLICY_EQ, SECCOMP_SET_MODE_FILTER,
		    "SECCOMP_SET_MODE_FILTER");
		arg(r, 1, POLICY_EQ, SECCOMP_FILTER_FLAG_TSYNC,
		    "SECCOMP_FILTER_FLAG_TSYNC");
	}

	for (unsigned i = 0; i < d->nstats; i++) {
		r = add(p, SYS_pread64, "pread64",
			"KVM statistics into the counters (POLL, exit)");
		arg(r, 0, POLICY_EQ, (uint64_t)d->stats_fd[i],
		    "KVM stats fd");
	}

	for (unsigned i = 0; ring && i < d->nwake; i++) {
		r = add(p, SYS_read, "read", "POLL: reset a wake eventfd");
		arg(r, 0, POLICY_EQ, (uint64_t)d->wake_fd[i], "wake eventfd");
	}
	for (unsigned i = 0; !ring && !hvt && i < d->ntap; i++) {
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

static bool same_rule(const struct policy_rule *a, const struct policy_rule *b)
{
	if (a->nr != b->nr || a->nargs != b->nargs)
		return false;
	for (unsigned i = 0; i < a->nargs; i++)
		if (a->arg[i].index != b->arg[i].index ||
		    a->arg[i].op != b->arg[i].op ||
		    a->arg[i].val != b->arg[i].val)
			return false;
	return true;
}

/* The rule just added goes if an earlier one is the same (its why kept). */
static void drop_if_listed(struct policy *p)
{
	for (unsigned i = 0; i + 1 < p->n; i++)
		if (same_rule(&p->rule[i], &p->rule[p->n - 1])) {
			p->n--;
			return;
		}
}

void policy_build(const struct policy_desc *d, struct policy *p)
{
	/* Scratch for the second mode; the tender is single-threaded. */
	static struct policy other;
	struct policy_rule *r;

	build_mode(d, d->choosing || d->ring, !d->choosing && d->hvt, p);
	if (!d->choosing)
		return;
	build_mode(d, false, false, &other);
	for (unsigned i = 0; i < other.n; i++) {
		unsigned j = 0;

		while (j < p->n && !same_rule(&p->rule[j], &other.rule[i]))
			j++;
		if (j == p->n)
			p->rule[p->n++] = other.rule[i];
	}

	r = add(p, SYS_seccomp, "seccomp", "first exit: narrow the filter "
		"to the mode the guest chose (stacked on this one)");
	arg(r, 0, POLICY_EQ, SECCOMP_SET_MODE_FILTER, "SECCOMP_SET_MODE_FILTER");
	arg(r, 1, POLICY_EQ, SECCOMP_FILTER_FLAG_TSYNC,
	    "SECCOMP_FILTER_FLAG_TSYNC");
	drop_if_listed(p);

	r = add(p, SYS_ioctl, "ioctl",
		"first exit, rings declined: deassign a doorbell");
	arg(r, 0, POLICY_EQ, (uint64_t)(int64_t)d->vm_fd, "vm fd");
	arg(r, 1, POLICY_EQ, KVM_IOEVENTFD, "KVM_IOEVENTFD");
	drop_if_listed(p);

	r = add(p, SYS_ioctl, "ioctl",
		"first exit, rings declined: unregister a device");
	arg(r, 0, POLICY_EQ, (uint64_t)(int64_t)d->petrel_fd, "petrel fd");
	arg(r, 1, POLICY_EQ, PETREL_IOC_NET_UNREGISTER,
	    "PETREL_IOC_NET_UNREGISTER");

	/*
	 * Only the advice is pinned: the regions' address is the guest
	 * mapping's, chosen by mmap at each run. MADV_REMOVE frees shared
	 * memory alone: private mappings refuse it, and so do the tender's
	 * other shared ones (kvm_run, the counters page), a device's. What
	 * it can free is guest memory, which the tender writes as it likes
	 * anyway, and only until the first exit's narrowing.
	 */
	if (d->nwake) {
		r = add(p, SYS_madvise, "madvise", "first exit, rings "
			"declined: free their regions' memory (unregistered, "
			"so no longer pinned)");
		arg(r, 2, POLICY_EQ, MADV_REMOVE, "MADV_REMOVE");
	}

	if (d->hvt_offered) {
		r = add(p, SYS_ioctl, "ioctl", "first exit, rings declined: "
			"put a net device on Solo5's ring");
		arg(r, 0, POLICY_EQ, (uint64_t)(int64_t)d->petrel_fd,
		    "petrel fd");
		arg(r, 1, POLICY_EQ, PETREL_IOC_NET_REGISTER,
		    "PETREL_IOC_NET_REGISTER");
	}
	for (unsigned i = 0; i < d->nwake; i++) {
		r = add(p, SYS_close, "close",
			"first exit, rings declined: a kick eventfd");
		arg(r, 0, POLICY_EQ, (uint64_t)d->kick_fd[i], "kick eventfd");
		r = add(p, SYS_close, "close",
			"first exit, rings declined: a wake eventfd");
		arg(r, 0, POLICY_EQ, (uint64_t)d->wake_fd[i], "wake eventfd");
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
			if ((int64_t)a->val == -1 && strstr(a->label, "fd"))
				fprintf(f, "<%s, not opened>", a->label);
			else if (!strncmp(a->label, "KVM_", 4) ||
				 !strncmp(a->label, "PETREL_", 7) ||
				 !strncmp(a->label, "SECCOMP_", 8))
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

/*
 * Compiled here, armed by policy_arm(): static, so that nothing is
 * allocated, and nothing freed, once the filter is armed.
 */
static struct policy_prog armed;

int policy_load(const struct policy *p, struct errbuf *e)
{
	if (policy_compile(p, &armed, e))
		return -1;
	return policy_arm(&armed, e);
}

int policy_arm(const struct policy_prog *prog, struct errbuf *e)
{
	/*
	 * Not seccomp_load(): it frees its compiled program after arming
	 * the filter, and that free() may give memory back with brk or
	 * munmap, which the filter forbids (SIGSYS at random device
	 * counts). Here everything libseccomp allocated is already gone.
	 */
	struct sock_fprog f = {
		.len = prog->len,
		.filter = (struct sock_filter *)prog->insn,
	};

	long ret;

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return errf(e, "cannot set no_new_privs: %s", strerror(errno));
	/* TSYNC: the thread lent to petrel.ko is filtered too. */
	ret = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
		      SECCOMP_FILTER_FLAG_TSYNC, &f);
	if (ret < 0)
		return errf(e, "cannot arm the seccomp filter: %s",
			    strerror(errno));
	if (ret > 0)
		return errf(e, "cannot arm the seccomp filter: thread %ld "
			    "refused it", ret);
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

int policy_compile(const struct policy *p, struct policy_prog *out,
		   struct errbuf *e)
{
	int fd = memfd_create("petrel-bpf", MFD_CLOEXEC);
	off_t len;

	if (fd < 0)
		return errf(e, "memfd_create: %s", strerror(errno));
	if (policy_export_bpf(p, fd, e)) {
		close(fd);
		return -1;
	}
	len = lseek(fd, 0, SEEK_END);
	if (len <= 0 || len % (off_t)sizeof(out->insn[0]) ||
	    len > (off_t)sizeof(out->insn) ||
	    pread(fd, out->insn, (size_t)len, 0) != len) {
		close(fd);
		return errf(e, "seccomp filter of %lld bytes: cannot compile",
			    (long long)len);
	}
	close(fd);
	out->len = (unsigned short)(len / (off_t)sizeof(out->insn[0]));
	return 0;
}

int policy_load_prog(const struct policy_prog *prog, struct errbuf *e)
{
	struct sock_fprog f = {
		.len = prog->len,
		.filter = (struct sock_filter *)prog->insn,
	};

	long ret = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
			   SECCOMP_FILTER_FLAG_TSYNC, &f);

	if (ret < 0)
		return errf(e, "cannot narrow the seccomp filter: %s",
			    strerror(errno));
	if (ret > 0)
		return errf(e, "cannot narrow the seccomp filter: thread %ld "
			    "refused it", ret);
	return 0;
}
