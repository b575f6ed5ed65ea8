// SPDX-License-Identifier: ISC
/*
 * The real seccomp policy, armed in forked children: each child makes one
 * syscall through syscall(2) (no libc caching or vDSO in the way) and either
 * must be killed by SIGSYS or must get through and exit 0.
 */
#include <fcntl.h>
#include <linux/kvm.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../../abi/petrel.h"
#include "../../tender/seccomp_policy.h"
#include "ktest.h"

static struct policy_desc desc;
static struct policy pol;
static int vcpu_fd = -1, tap_fd, tap_peer, blk_fd, other_fd;

static void setup(bool block_sync)
{
	int sv[2];

	if (vcpu_fd < 0) {
		char path[] = "/tmp/petrel-sc-XXXXXX";

		/* Stand-ins: any fd works, the filter only compares numbers. */
		vcpu_fd = open("/dev/null", O_RDWR);
		socketpair(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0, sv);
		tap_fd = sv[0];
		tap_peer = sv[1];
		blk_fd = mkstemp(path);
		unlink(path);
		if (ftruncate(blk_fd, 8192))
			kt_failed = 1;
		other_fd = open("/dev/null", O_RDWR);
	}
	memset(&desc, 0, sizeof(desc));
	desc.vcpu_fd = vcpu_fd;
	desc.ntap = 1;
	desc.tap_fd[0] = tap_fd;
	desc.nblock = 1;
	desc.block_fd[0] = blk_fd;
	desc.block_capacity[0] = 8192;
	desc.block_sync = block_sync;
	policy_build(&desc, &pol);
}

/* Filters compiled ahead, to stack on pol (see t_choosing). */
static struct policy_prog narrowed[3];	/* hypercalls, rings, hvt */

/*
 * Run @nr(args) in a child under pol, with narrowed[@narrow] stacked on it
 * unless @narrow is -1; return its wait status.
 */
static int in_child(int narrow, long nr, long a0, long a1, long a2, long a3)
{
	struct errbuf e;
	pid_t pid;
	int st = 0;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		if (policy_load(&pol, &e))
			syscall(SYS_exit_group, 99);
		if (narrow >= 0 && policy_load_prog(&narrowed[narrow], &e))
			syscall(SYS_exit_group, 98);
		syscall(nr, a0, a1, a2, a3);
		syscall(SYS_exit_group, 0);
	}
	waitpid(pid, &st, 0);
	return st;
}

static bool killed(int st)
{
	return WIFSIGNALED(st) && WTERMSIG(st) == SIGSYS;
}

static bool survived(int st)
{
	return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

#define EXPECT_KILLED(...) do {						\
	int st_ = in_child(-1, __VA_ARGS__);				\
	if (!killed(st_)) {						\
		printf("# not killed by SIGSYS: %s (status %#x)\n",	\
		       #__VA_ARGS__, st_);				\
		kt_failed = 1;						\
	}								\
} while (0)

#define EXPECT_ALLOWED(...) do {					\
	int st_ = in_child(-1, __VA_ARGS__);				\
	if (!survived(st_)) {						\
		printf("# did not survive: %s (status %#x)\n",		\
		       #__VA_ARGS__, st_);				\
		kt_failed = 1;						\
	}								\
} while (0)

static bool no_seccomp(void)
{
	if (prctl(PR_GET_SECCOMP) < 0) {
		kt_skip = "kernel without seccomp";
		return true;
	}
	return false;
}

static char buf[8192];
static struct timespec ts0;
static struct pollfd pfd;

static void t_forbidden_syscalls(void)
{
	if (no_seccomp())
		return;
	setup(false);
	EXPECT_KILLED(SYS_getpid, 0, 0, 0, 0);
	EXPECT_KILLED(SYS_dup, 1, 0, 0, 0);
	EXPECT_KILLED(SYS_openat, AT_FDCWD, (long)"/etc/passwd", O_RDONLY, 0);
	EXPECT_KILLED(SYS_close, other_fd, 0, 0, 0);
	EXPECT_KILLED(SYS_mmap, 0, 4096, 3, 0x22);
	EXPECT_KILLED(SYS_socket, AF_INET, SOCK_STREAM, 0, 0);
	EXPECT_KILLED(SYS_execve, (long)"/bin/true", 0, 0, 0);
	EXPECT_KILLED(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, (long)&ts0, 0);
}

static void t_forbidden_args(void)
{
	if (no_seccomp())
		return;
	setup(false);
	EXPECT_KILLED(SYS_write, other_fd, (long)buf, 1, 0);
	EXPECT_KILLED(SYS_write, 0, (long)buf, 0, 0);
	EXPECT_KILLED(SYS_write, blk_fd, (long)buf, 1, 0);
	EXPECT_KILLED(SYS_ioctl, vcpu_fd, KVM_GET_SREGS, (long)buf, 0);
	EXPECT_KILLED(SYS_ioctl, vcpu_fd, KVM_SET_REGS, (long)buf, 0);
	EXPECT_KILLED(SYS_ioctl, other_fd, KVM_RUN, 0, 0);
	EXPECT_KILLED(SYS_ioctl, tap_fd, KVM_RUN, 0, 0);
	EXPECT_KILLED(SYS_clock_gettime, CLOCK_MONOTONIC, (long)&ts0, 0, 0);
	EXPECT_KILLED(SYS_ppoll, (long)&pfd, 2, (long)&ts0, 0);
	EXPECT_KILLED(SYS_ppoll, (long)&pfd, 1, (long)&ts0, (long)buf);
	EXPECT_KILLED(SYS_read, other_fd, (long)buf, 1, 0);
	EXPECT_KILLED(SYS_read, blk_fd, (long)buf, 1, 0);
	EXPECT_KILLED(SYS_pread64, tap_fd, (long)buf, 512, 0);
	EXPECT_KILLED(SYS_pread64, blk_fd, (long)buf, 512, 8192 + 512);
	EXPECT_KILLED(SYS_pwrite64, other_fd, (long)buf, 512, 0);
	EXPECT_KILLED(SYS_fdatasync, blk_fd, 0, 0, 0);	/* no --block-sync */
}

static void t_allowed(void)
{
	if (no_seccomp())
		return;
	setup(false);
	pfd = (struct pollfd){ .fd = tap_fd, .events = POLLIN };
	EXPECT_ALLOWED(SYS_write, 1, (long)buf, 0, 0);
	EXPECT_ALLOWED(SYS_write, 2, (long)buf, 0, 0);
	/* /dev/null answers ENOTTY: the filter let it through. */
	EXPECT_ALLOWED(SYS_ioctl, vcpu_fd, KVM_RUN, 0, 0);
	EXPECT_ALLOWED(SYS_ioctl, vcpu_fd, KVM_GET_REGS, (long)buf, 0);
	EXPECT_ALLOWED(SYS_clock_gettime, CLOCK_REALTIME, (long)&ts0, 0, 0);
	EXPECT_ALLOWED(SYS_ppoll, (long)&pfd, 1, (long)&ts0, 0);
	EXPECT_ALLOWED(SYS_read, tap_fd, (long)buf, 1514, 0);
	EXPECT_ALLOWED(SYS_write, tap_fd, (long)buf, 60, 0);
	EXPECT_ALLOWED(SYS_pread64, blk_fd, (long)buf, 512, 0);
	EXPECT_ALLOWED(SYS_pwrite64, blk_fd, (long)buf, 512, 7680);
	EXPECT_ALLOWED(SYS_exit_group, 0, 0, 0, 0);
}

static void t_block_sync(void)
{
	if (no_seccomp())
		return;
	setup(true);
	EXPECT_ALLOWED(SYS_fdatasync, blk_fd, 0, 0, 0);
	EXPECT_KILLED(SYS_fdatasync, other_fd, 0, 0, 0);
	EXPECT_KILLED(SYS_fsync, blk_fd, 0, 0, 0);
}

static void t_no_devices(void)
{
	if (no_seccomp())
		return;
	setup(false);
	desc.ntap = 0;
	desc.nblock = 0;
	policy_build(&desc, &pol);
	EXPECT_KILLED(SYS_read, tap_fd, (long)buf, 1, 0);
	EXPECT_KILLED(SYS_pread64, blk_fd, (long)buf, 512, 0);
	EXPECT_KILLED(SYS_ppoll, (long)&pfd, 1, (long)&ts0, 0);
	EXPECT_ALLOWED(SYS_ppoll, 0, 0, (long)&ts0, 0);
}

/*
 * Ring mode: the same devices, but petrel.ko moves the frames, so the tap
 * can be neither read nor written; POLL waits on the wake eventfds.
 */
static void ring_setup(int wake_fd)
{
	setup(false);
	desc.ring = true;
	desc.nwake = 1;
	desc.wake_fd[0] = wake_fd;
	policy_build(&desc, &pol);
}

static void t_ring_mode(void)
{
	int wake[2];
	struct pollfd wfd;

	if (no_seccomp())
		return;
	if (socketpair(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0, wake)) {
		kt_failed = 1;
		return;
	}
	ring_setup(wake[0]);
	wfd = (struct pollfd){ .fd = wake[0], .events = POLLIN };
	EXPECT_KILLED(SYS_read, tap_fd, (long)buf, 1514, 0);
	EXPECT_KILLED(SYS_write, tap_fd, (long)buf, 60, 0);
	EXPECT_KILLED(SYS_read, wake[1], (long)buf, 8, 0);
	EXPECT_KILLED(SYS_write, wake[0], (long)buf, 8, 0);
	EXPECT_KILLED(SYS_ppoll, (long)&wfd, 2, (long)&ts0, 0);
	EXPECT_KILLED(SYS_ioctl, other_fd, PETREL_IOC_NET_REGISTER, (long)buf,
		      0);
	EXPECT_KILLED(SYS_ioctl, vcpu_fd, PETREL_IOC_TENDER_STATS, (long)buf,
		      0);
	/* The counters go through a shared page: no reporting ioctl. */
	EXPECT_KILLED(SYS_ioctl, other_fd, PETREL_IOC_TENDER_STATS, (long)buf,
		      0);
	EXPECT_ALLOWED(SYS_read, wake[0], (long)buf, 8, 0);
	EXPECT_ALLOWED(SYS_ppoll, (long)&wfd, 1, (long)&ts0, 0);
	EXPECT_ALLOWED(SYS_pread64, blk_fd, (long)buf, 512, 0);
	EXPECT_ALLOWED(SYS_ioctl, vcpu_fd, KVM_RUN, 0, 0);
	close(wake[0]);
	close(wake[1]);
}

/*
 * Rings offered: the filter armed before the guest runs allows both modes
 * and the switch; the one stacked on it at the first exit narrows it to the
 * chosen mode, so a syscall of the other mode (or of the switch) kills.
 */
static int petrel_stand_in = -1;

#define EXPECT_STACKED(narrow, want_killed, ...) do {			\
	int st_ = in_child(narrow, __VA_ARGS__);			\
	if (want_killed ? !killed(st_) : !survived(st_)) {		\
		printf("# filter %d: %s: %s (status %#x)\n", narrow,	\
		       want_killed ? "not killed" : "did not survive",	\
		       #__VA_ARGS__, st_);				\
		kt_failed = 1;						\
	}								\
} while (0)

static void choosing_setup(int wake_fd, int kick_fd)
{
	struct errbuf e;

	if (petrel_stand_in < 0)
		petrel_stand_in = open("/dev/null", O_RDWR);
	setup(false);
	desc.nwake = 1;
	desc.wake_fd[0] = wake_fd;
	desc.kick_fd[0] = kick_fd;
	desc.vm_fd = other_fd;
	desc.petrel_fd = petrel_stand_in;
	for (int rings = 0; rings < 2; rings++) {
		desc.ring = rings;
		policy_build(&desc, &pol);
		if (policy_compile(&pol, &narrowed[rings], &e)) {
			printf("# %s\n", e.msg);
			kt_failed = 1;
		}
	}
	desc.ring = false;
	desc.choosing = true;
	policy_build(&desc, &pol);
}

static void t_choosing(void)
{
	int wake[2], kick[2];
	struct pollfd wfd;

	if (no_seccomp())
		return;
	if (socketpair(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0, wake) ||
	    socketpair(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0, kick)) {
		kt_failed = 1;
		return;
	}
	choosing_setup(wake[0], kick[0]);
	wfd = (struct pollfd){ .fd = wake[0], .events = POLLIN };
	/* Alone: either mode, the switch, nothing else. */
	EXPECT_STACKED(-1, false, SYS_ioctl, vcpu_fd, KVM_RUN, 0, 0);
	EXPECT_STACKED(-1, false, SYS_read, tap_fd, (long)buf, 1514, 0);
	EXPECT_STACKED(-1, false, SYS_read, wake[0], (long)buf, 8, 0);
	EXPECT_STACKED(-1, false, SYS_ppoll, (long)&wfd, 1, (long)&ts0, 0);
	EXPECT_STACKED(-1, false, SYS_close, kick[0], 0, 0, 0);
	EXPECT_STACKED(-1, false, SYS_ioctl, other_fd, KVM_IOEVENTFD,
		       (long)buf, 0);
	EXPECT_STACKED(-1, false, SYS_ioctl, petrel_stand_in,
		       PETREL_IOC_NET_UNREGISTER, (long)buf, 0);
	/* Giving the declined regions back: that advice alone. */
	EXPECT_STACKED(-1, false, SYS_madvise, (long)buf, 4096, MADV_REMOVE,
		       0);
	EXPECT_STACKED(-1, true, SYS_madvise, (long)buf, 4096, MADV_DONTNEED,
		       0);
	/* TSYNC: the thread lent to petrel.ko is narrowed too. */
	EXPECT_STACKED(-1, false, SYS_seccomp, SECCOMP_SET_MODE_FILTER,
		       SECCOMP_FILTER_FLAG_TSYNC, 0, 0);
	EXPECT_STACKED(-1, true, SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, 0,
		       0);
	EXPECT_STACKED(-1, true, SYS_close, tap_fd, 0, 0, 0);
	EXPECT_STACKED(-1, true, SYS_ioctl, vcpu_fd, KVM_IOEVENTFD, (long)buf,
		       0);
	EXPECT_STACKED(-1, true, SYS_ioctl, petrel_stand_in,
		       PETREL_IOC_NET_REGISTER, (long)buf, 0);
	EXPECT_STACKED(-1, true, SYS_openat, AT_FDCWD, (long)"/etc/passwd",
		       O_RDONLY, 0);
	/* Narrowed to rings: no tap, no switch. */
	EXPECT_STACKED(1, false, SYS_read, wake[0], (long)buf, 8, 0);
	EXPECT_STACKED(1, false, SYS_ioctl, vcpu_fd, KVM_RUN, 0, 0);
	EXPECT_STACKED(1, true, SYS_read, tap_fd, (long)buf, 1514, 0);
	EXPECT_STACKED(1, true, SYS_close, kick[0], 0, 0, 0);
	EXPECT_STACKED(1, true, SYS_ioctl, other_fd, KVM_IOEVENTFD, (long)buf,
		       0);
	EXPECT_STACKED(1, true, SYS_seccomp, SECCOMP_SET_MODE_FILTER,
		       SECCOMP_FILTER_FLAG_TSYNC, 0, 0);
	EXPECT_STACKED(1, true, SYS_madvise, (long)buf, 4096, MADV_REMOVE, 0);
	/* Narrowed to hypercalls: no ring, no switch. */
	EXPECT_STACKED(0, false, SYS_read, tap_fd, (long)buf, 1514, 0);
	EXPECT_STACKED(0, true, SYS_read, wake[0], (long)buf, 8, 0);
	EXPECT_STACKED(0, true, SYS_ioctl, petrel_stand_in,
		       PETREL_IOC_NET_UNREGISTER, (long)buf, 0);
	EXPECT_STACKED(0, true, SYS_seccomp, SECCOMP_SET_MODE_FILTER,
		       SECCOMP_FILTER_FLAG_TSYNC, 0, 0);
	EXPECT_STACKED(0, true, SYS_madvise, (long)buf, 4096, MADV_REMOVE, 0);
	close(wake[0]);
	close(wake[1]);
	close(kick[0]);
	close(kick[1]);
}

/* The "choosing" filter lists each rule of both modes once, and the switch. */
static void t_choosing_text(void)
{
	static struct policy modes[2];
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	choosing_setup(40, 41);
	for (int rings = 0; rings < 2; rings++) {
		desc.choosing = false;
		desc.ring = rings;
		policy_build(&desc, &modes[rings]);
	}
	desc.ring = false;
	desc.choosing = true;
	policy_build(&desc, &pol);
	f = open_memstream(&text, &len);
	policy_print(&pol, f);
	fclose(f);
	/*
	 * Hypercall rules + the ring's wake read + the switch; both modes'
	 * ppoll rule is "arg1 == 1 && arg3 == 0" here, listed once.
	 */
	CHECK(pol.n == modes[0].n + 1 + 6);
	CHECK(modes[1].n == 7 + 1 + 2);
	CHECK_MSG(text, "allow read if arg0 == 40 (wake eventfd)");
	CHECK(strstr(text, "allow ppoll") &&
	      !strstr(strstr(text, "allow ppoll") + 1, "allow ppoll"));
	CHECK_MSG(text, "allow close if arg0 == 41 (kick eventfd)");
	CHECK_MSG(text, "allow close if arg0 == 40 (wake eventfd)");
	CHECK_MSG(text, "allow seccomp if arg0 == 0x1 (SECCOMP_SET_MODE_FILTER) && arg1 == 0x1 (SECCOMP_FILTER_FLAG_TSYNC)");
	CHECK_MSG(text, "(KVM_IOEVENTFD)");
	CHECK_MSG(text, "(PETREL_IOC_NET_UNREGISTER)");
	CHECK_MSG(text, "allow madvise if arg2 == 9 (MADV_REMOVE)");
	free(text);
	desc.choosing = false;
}

/* The printed difference: ring mode lists no tap rule at all. */
static void t_ring_policy_text(void)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	ring_setup(40);
	f = open_memstream(&text, &len);
	policy_print(&pol, f);
	fclose(f);
	CHECK(!strstr(text, "(tap fd)"));
	CHECK(!strstr(text, "NET_READ") && !strstr(text, "NET_WRITE"));
	CHECK_MSG(text, "allow read if arg0 == 40 (wake eventfd)");
	CHECK_MSG(text, "allow ppoll if arg1 == 1 (number of wake eventfds)");
	CHECK(!strstr(text, "PETREL_IOC"));
	CHECK(pol.n == 7 + 1 + 2);
	free(text);
}

static void t_policy_text(void)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	setup(false);
	policy_print(&pol, f);
	fclose(f);
	CHECK_MSG(text, "default KILL_PROCESS");
	CHECK_MSG(text, "allow ioctl if arg0 == ");
	CHECK_MSG(text, "(KVM_RUN)");
	CHECK_MSG(text, "allow write if arg0 == 1 (stdout)");
	CHECK_MSG(text, "allow clock_gettime if arg0 == 0 (CLOCK_REALTIME)");
	CHECK_MSG(text, "allow pread64 if arg0 == ");
	CHECK(pol.n == 7 + 2 + 2);
	free(text);
	/* KVM statistics fds: pread64 on exactly those. */
	desc.nstats = 2;
	desc.stats_fd[0] = 41;
	desc.stats_fd[1] = 42;
	policy_build(&desc, &pol);
	f = open_memstream(&text, &len);
	policy_print(&pol, f);
	fclose(f);
	CHECK(pol.n == 7 + 2 + 2 + 2);
	CHECK_MSG(text, "allow pread64 if arg0 == 41 (KVM stats fd)");
	CHECK_MSG(text, "allow pread64 if arg0 == 42 (KVM stats fd)");
	free(text);
	desc.nstats = 0;
	desc.vcpu_fd = -1;
	policy_build(&desc, &pol);
	f = open_memstream(&text, &len);
	policy_print(&pol, f);
	fclose(f);
	CHECK_MSG(text, "<vcpu fd, not opened>");
	free(text);
}

/*
 * The real filter armed as main() arms it, for every device count 1..63:
 * block, net and mixed, with and without --block-sync. seccomp_arm (next
 * to this binary, built without sanitizers) makes any free() after arming
 * fatal and must get to the run loop's first KVM_RUN and exit 0; as a
 * control, a free() after arming (what seccomp_load() did) must be killed.
 */
static int run_arm(const char *helper, const char *kind, unsigned n,
		   const char *sync)
{
	char num[8];
	pid_t pid;
	int st = -1;

	snprintf(num, sizeof(num), "%u", n);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		execl(helper, helper, kind, num, sync, (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return -1;
	return st;
}

static void t_arm_every_device_count(void)
{
	static const char *const kinds[] = { "block", "net", "mixed" };
	static const char *const syncs[] = { "nosync", "sync" };
	char helper[4096];
	ssize_t len;
	unsigned runs = 0;

	if (no_seccomp())
		return;
	len = readlink("/proc/self/exe", helper, sizeof(helper) - 32);
	if (len <= 0) {
		kt_failed = 1;
		return;
	}
	helper[len] = '\0';
	strcpy(strrchr(helper, '/') + 1, "seccomp_arm");
	for (unsigned k = 0; k < 3; k++)
		for (unsigned y = 0; y < 2; y++)
			for (unsigned n = 1; n < MFT_MAX_ENTRIES; n++) {
				int st = run_arm(helper, kinds[k], n, syncs[y]);

				runs++;
				if (!survived(st)) {
					printf("# %s %u devices, %s: status "
					       "%#x%s\n", kinds[k], n, syncs[y],
					       st, killed(st) ? " (SIGSYS)" : "");
					kt_failed = 1;
				}
			}
	printf("# armed and reached KVM_RUN in %u runs\n", runs);
	/* The control: a free() after arming is caught. */
	if (!killed(run_arm(helper, "block", 21, "free-after"))) {
		printf("# a free() after arming was not caught\n");
		kt_failed = 1;
	}
}

/*
 * Both rings offered, petrel's declined: the hypercall mode plus the lent
 * thread and the switch at the first kick of Solo5's ring (bind the port,
 * pass the kick on, narrow); stacked on it at that kick, the hvt mode,
 * where no tap is read or written and no switch is left.
 */
static void t_hvt_mode(void)
{
	struct errbuf e;
	int kick[2];

	if (no_seccomp())
		return;
	if (petrel_stand_in < 0)
		petrel_stand_in = open("/dev/null", O_RDWR);
	if (socketpair(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0, kick)) {
		kt_failed = 1;
		return;
	}
	setup(false);
	desc.vm_fd = other_fd;
	desc.petrel_fd = petrel_stand_in;
	desc.worker = true;
	desc.hvt_offered = true;
	desc.hvt_kick_fd = kick[0];
	desc.hvt = true;
	policy_build(&desc, &pol);
	if (policy_compile(&pol, &narrowed[2], &e)) {
		printf("# %s\n", e.msg);
		kt_failed = 1;
	}
	desc.hvt = false;
	policy_build(&desc, &pol);
	/* Before the kick: hypercalls, the worker, the switch. */
	EXPECT_STACKED(-1, false, SYS_read, tap_fd, (long)buf, 1514, 0);
	EXPECT_STACKED(-1, false, SYS_write, kick[0], (long)buf, 8, 0);
	EXPECT_STACKED(-1, false, SYS_ioctl, other_fd, KVM_IOEVENTFD,
		       (long)buf, 0);
	EXPECT_STACKED(-1, false, SYS_ioctl, petrel_stand_in,
		       PETREL_IOC_WORKER, 0, 0);
	EXPECT_STACKED(-1, false, SYS_seccomp, SECCOMP_SET_MODE_FILTER,
		       SECCOMP_FILTER_FLAG_TSYNC, 0, 0);
	EXPECT_STACKED(-1, true, SYS_ioctl, petrel_stand_in,
		       PETREL_IOC_WORKER, 1, 0);
	EXPECT_STACKED(-1, true, SYS_write, kick[1], (long)buf, 8, 0);
	EXPECT_STACKED(-1, true, SYS_ioctl, petrel_stand_in,
		       PETREL_IOC_NET_REGISTER, (long)buf, 0);
	/* After it: frames on the ring only. */
	EXPECT_STACKED(2, true, SYS_read, tap_fd, (long)buf, 1514, 0);
	EXPECT_STACKED(2, true, SYS_write, tap_fd, (long)buf, 60, 0);
	EXPECT_STACKED(2, true, SYS_write, kick[0], (long)buf, 8, 0);
	EXPECT_STACKED(2, true, SYS_ioctl, other_fd, KVM_IOEVENTFD,
		       (long)buf, 0);
	EXPECT_STACKED(2, true, SYS_seccomp, SECCOMP_SET_MODE_FILTER,
		       SECCOMP_FILTER_FLAG_TSYNC, 0, 0);
	EXPECT_STACKED(2, false, SYS_ppoll, (long)&pfd, 1, (long)&ts0, 0);
	EXPECT_STACKED(2, false, SYS_ioctl, petrel_stand_in,
		       PETREL_IOC_WORKER, 0, 0);
	EXPECT_STACKED(2, false, SYS_ioctl, vcpu_fd, KVM_RUN, 0, 0);
	memset(&desc, 0, sizeof(desc));
	close(kick[0]);
	close(kick[1]);
}

static const struct ktest tests[] = {
	{ "seccomp.forbidden_syscalls_kill", t_forbidden_syscalls },
	{ "seccomp.forbidden_arguments_kill", t_forbidden_args },
	{ "seccomp.run_loop_syscalls_allowed", t_allowed },
	{ "seccomp.fdatasync_only_with_block_sync", t_block_sync },
	{ "seccomp.no_devices_no_device_syscalls", t_no_devices },
	{ "seccomp.printed_policy", t_policy_text },
	{ "seccomp.ring_mode_no_tap_io", t_ring_mode },
	{ "seccomp.ring_mode_printed_policy", t_ring_policy_text },
	{ "seccomp.rings_offered_then_narrowed", t_choosing },
	{ "seccomp.rings_offered_printed_policy", t_choosing_text },
	{ "seccomp.solo5_ring_switch_then_no_tap_io", t_hvt_mode },
	{ "seccomp.armed_for_every_device_count", t_arm_every_device_count },
};

KTEST_MAIN(tests)
