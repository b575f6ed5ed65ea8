// SPDX-License-Identifier: ISC
/*
 * seccomp_arm KIND N SYNC: arm the tender's real filter the way main()
 * does, for N devices (KIND block, net or mixed; SYNC sync or nosync for
 * --block-sync), then make the run loop's first syscall (KVM_RUN on a
 * stand-in fd) and exit 0. Run by test_seccomp.c for every device count.
 * SYNC free-after (the control) frees memory after arming, as
 * seccomp_load() did: that must die of SIGSYS.
 *
 * A free() after arming kills the tender only when it happens to give
 * memory back to the kernel (brk or munmap), which depends on the heap's
 * layout: that is how it killed petrel at some device counts only. Here
 * every free() first makes a syscall the filter forbids, so any free()
 * after arming is fatal, whatever the layout. Built without sanitizers,
 * whose allocators replace free().
 */
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "../../tender/seccomp_policy.h"

void __libc_free(void *p);

/* Interposed on libc's, also for libseccomp's calls. */
void free(void *p)
{
	if (p)
		prctl(PR_GET_SECCOMP);	/* forbidden once the filter is armed */
	__libc_free(p);
}

static struct policy_desc desc;
static struct policy pol;

static int stand_in(void)
{
	int fd = open("/dev/null", O_RDWR | O_CLOEXEC);

	if (fd < 0) {
		perror("seccomp_arm: /dev/null");
		exit(2);
	}
	return fd;
}

int main(int argc, char **argv)
{
	struct errbuf e;
	unsigned n;

	if (argc != 4 || (n = (unsigned)atoi(argv[2])) < 1 ||
	    n >= MFT_MAX_ENTRIES) {
		fprintf(stderr, "usage: seccomp_arm block|net|mixed N "
			"sync|nosync (N from 1 to %d)\n", MFT_MAX_ENTRIES - 1);
		return 2;
	}
	desc.vcpu_fd = stand_in();
	desc.vm_fd = stand_in();
	desc.petrel_fd = -1;
	desc.nstats = 2;
	desc.stats_fd[0] = stand_in();
	desc.stats_fd[1] = stand_in();
	desc.block_sync = !strcmp(argv[3], "sync");
	for (unsigned i = 0; i < n; i++) {
		bool net = !strcmp(argv[1], "net") ||
			   (!strcmp(argv[1], "mixed") && i % 2);

		if (net)
			desc.tap_fd[desc.ntap++] = stand_in();
		else {
			desc.block_capacity[desc.nblock] = 4096ULL << i % 20;
			desc.block_fd[desc.nblock++] = stand_in();
		}
	}
	policy_build(&desc, &pol);
	if (policy_load(&pol, &e)) {
		fprintf(stderr, "seccomp_arm: %s\n", e.msg);
		return 3;
	}
	if (!strcmp(argv[3], "free-after"))
		free(strdup(argv[1]));
	/* Where main() hands over to the run loop: its first syscall. */
	ioctl(desc.vcpu_fd, KVM_RUN, 0);
	_exit(0);
}
