// SPDX-License-Identifier: ISC
/*
 * seccomp-dump loaded PID    the seccomp BPF a running tender has loaded
 *                            (PTRACE_SECCOMP_GET_FILTER; exactly one
 *                            filter expected)
 * seccomp-dump loaded PID N  its N-th filter in the order loaded, 0 the
 *                            first (fails if there is no such filter)
 * seccomp-dump expected PID [hypercalls|rings|choosing|hvt]
 *                            the BPF the tender's own policy code builds
 *                            for that tender's fds in that mode (default
 *                            hypercalls): the vCPU fd, taps (/dev/net/tun)
 *                            and block files found in /proc/PID/fd (fds
 *                            0-2 aside), the VM fd, /dev/petrel and the
 *                            rings' eventfds (opened in pairs per device:
 *                            kick, then wake; one more, last, is the kick
 *                            of Solo5's ring, whose presence says it is
 *                            offered; any eventfd says a thread is lent to
 *                            petrel.ko), --block-sync from its command line
 * Both print one instruction a line, "code jt jf k" in hex, so the two can
 * be compared with diff: what is loaded must be what the policy says.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../tender/seccomp_policy.h"

#define MAX_INSNS	4096

static void print_insns(const struct sock_filter *f, size_t n)
{
	for (size_t i = 0; i < n; i++)
		printf("%04x %02x %02x %08x\n", f[i].code, f[i].jt, f[i].jf,
		       f[i].k);
}

/* @index < 0: the only filter (a second one is an error). */
static int loaded(pid_t pid, long index)
{
	static struct sock_filter f[MAX_INSNS];
	long n, at = index < 0 ? 0 : index;
	int st;

	if (ptrace(PTRACE_ATTACH, pid, 0, 0) < 0 || waitpid(pid, &st, 0) < 0) {
		fprintf(stderr, "seccomp-dump: attach %d: %s\n", pid,
			strerror(errno));
		return 1;
	}
	n = ptrace(PTRACE_SECCOMP_GET_FILTER, pid, at, NULL);
	if (n > 0 && n <= MAX_INSNS)
		n = ptrace(PTRACE_SECCOMP_GET_FILTER, pid, at, f);
	if (n <= 0 || n > MAX_INSNS) {
		fprintf(stderr, "seccomp-dump: PTRACE_SECCOMP_GET_FILTER: %s\n",
			n < 0 ? strerror(errno) : "no or huge filter");
		return 1;
	}
	/* A second filter would be one more restriction than reviewed. */
	if (index < 0 && (ptrace(PTRACE_SECCOMP_GET_FILTER, pid, 1, NULL) >= 0 ||
			  errno != ENOENT)) {
		fprintf(stderr, "seccomp-dump: more than one filter loaded\n");
		return 1;
	}
	ptrace(PTRACE_DETACH, pid, 0, 0);
	print_insns(f, (size_t)n);
	return 0;
}

static int expected(pid_t pid, const char *mode)
{
	static struct policy pol;
	struct policy_desc d = { .vcpu_fd = -1, .vm_fd = -1, .petrel_fd = -1,
				 .hvt_kick_fd = -1 };
	unsigned nevent = 0;
	char path[64], link[PATH_MAX], cmd[65536];
	struct errbuf e;
	struct stat sb;
	ssize_t n;
	FILE *f;
	int fd, memfd;
	int stats_fd[2] = { -1, -1 };	/* the vCPU's, the VM's */

	/* fds are dense and small: walk them in order (manifest order). */
	for (fd = 3; fd < 1024; fd++) {
		snprintf(path, sizeof(path), "/proc/%d/fd/%d", pid, fd);
		n = readlink(path, link, sizeof(link) - 1);
		if (n < 0)
			continue;
		link[n] = '\0';
		/* The stats fds first: "kvm-vcpu" is a prefix of theirs. */
		if (!strncmp(link, "anon_inode:kvm-vcpu-stats", 25))
			stats_fd[0] = fd;
		else if (!strncmp(link, "anon_inode:kvm-vm-stats", 23))
			stats_fd[1] = fd;
		else if (!strncmp(link, "anon_inode:kvm-vcpu", 19))
			d.vcpu_fd = fd;
		else if (!strcmp(link, "anon_inode:kvm-vm"))
			d.vm_fd = fd;
		else if (!strcmp(link, "/dev/petrel"))
			d.petrel_fd = fd;
		else if (!strcmp(link, "anon_inode:[eventfd]") &&
			 nevent < 2 * MFT_MAX_ENTRIES) {
			if (nevent++ % 2 == 0)
				d.kick_fd[d.nwake] = fd;
			else
				d.wake_fd[d.nwake++] = fd;
		}
		else if (!strcmp(link, "/dev/net/tun"))
			d.tap_fd[d.ntap++] = fd;
		else if (link[0] == '/' && stat(path, &sb) == 0 &&
			 (S_ISREG(sb.st_mode) || S_ISBLK(sb.st_mode))) {
			int bfd = open(path, O_RDONLY);
			off_t size = bfd < 0 ? -1 : lseek(bfd, 0, SEEK_END);

			if (bfd >= 0)
				close(bfd);
			d.block_fd[d.nblock] = fd;
			d.block_capacity[d.nblock++] = (uint64_t)size;
		}
	}
	snprintf(path, sizeof(path), "/proc/%d/cmdline", pid);
	f = fopen(path, "rb");
	n = f ? (ssize_t)fread(cmd, 1, sizeof(cmd) - 1, f) : -1;
	if (f)
		fclose(f);
	for (ssize_t i = 0; i < n; i += (ssize_t)strlen(cmd + i) + 1) {
		cmd[n] = '\0';
		if (!strcmp(cmd + i, "--block-sync"))
			d.block_sync = true;
	}
	/* An odd one out: Solo5's ring's kick, opened after the pairs. */
	if (nevent % 2) {
		d.hvt_offered = true;
		d.hvt_kick_fd = d.kick_fd[d.nwake];
	}
	d.worker = nevent > 0;
	/* In counters_stats_fds()'s order: the vCPU's, then the VM's. */
	for (unsigned i = 0; i < 2; i++)
		if (stats_fd[i] >= 0)
			d.stats_fd[d.nstats++] = stats_fd[i];
	d.ring = !strcmp(mode, "rings");
	d.hvt = !strcmp(mode, "hvt");
	d.choosing = !strcmp(mode, "choosing");
	policy_build(&d, &pol);
	memfd = memfd_create("bpf", 0);
	if (memfd < 0 || policy_export_bpf(&pol, memfd, &e)) {
		fprintf(stderr, "seccomp-dump: %s\n",
			memfd < 0 ? strerror(errno) : e.msg);
		return 1;
	}
	{
		static struct sock_filter insns[MAX_INSNS];
		off_t len = lseek(memfd, 0, SEEK_END);

		if (len <= 0 || len > (off_t)sizeof(insns) ||
		    pread(memfd, insns, (size_t)len, 0) != len) {
			fprintf(stderr, "seccomp-dump: bad exported filter\n");
			return 1;
		}
		print_insns(insns, (size_t)len / sizeof(insns[0]));
	}
	return 0;
}

int main(int argc, char *argv[])
{
	pid_t pid;

	if (argc == 3 && !strcmp(argv[1], "loaded"))
		return loaded((pid_t)atoi(argv[2]), -1);
	if (argc == 4 && !strcmp(argv[1], "loaded"))
		return loaded((pid_t)atoi(argv[2]), atol(argv[3]));
	if ((argc == 3 || argc == 4) && !strcmp(argv[1], "expected")) {
		const char *mode = argc == 4 ? argv[3] : "hypercalls";

		if (strcmp(mode, "hypercalls") && strcmp(mode, "rings") &&
		    strcmp(mode, "choosing") && strcmp(mode, "hvt")) {
			fprintf(stderr, "seccomp-dump: unknown mode %s\n", mode);
			return 2;
		}
		pid = (pid_t)atoi(argv[2]);
		return expected(pid, mode);
	}
	fprintf(stderr, "usage: seccomp-dump loaded PID [N] | "
		"seccomp-dump expected PID [hypercalls|rings|choosing|hvt]\n");
	return 2;
}
