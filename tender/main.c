// SPDX-License-Identifier: ISC
/*
 * petrel: run one Solo5 hvt unikernel on KVM.
 *
 * Everything that can fail on bad input happens first, with nothing yet
 * running: arguments, the image, the devices, the VM. Then the seccomp
 * filter is armed and the vCPU runs; nothing is opened after that.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "args.h"
#include "devices.h"
#include "elf_image.h"
#include "hypercall.h"
#include "kvm_vm.h"
#include "run.h"
#include "seccomp_policy.h"
#include "x86_boot.h"

static _Noreturn void die(const struct errbuf *e)
{
	fprintf(stderr, "petrel: %s\n", e->msg);
	exit(1);
}

/* Large, so static rather than on the stack. */
static struct petrel_args args;
static struct elf_image image;
static struct devices devs;
static struct policy policy;

static void describe_policy(const struct vm *vm, struct policy_desc *d)
{
	memset(d, 0, sizeof(*d));
	d->vcpu_fd = vm ? vm->vcpu_fd : -1;
	d->block_sync = devs.block_sync;
	for (unsigned i = 0; i < devs.n; i++) {
		const struct device *dev = &devs.d[i];

		if (dev->type == MFT_DEV_NET_BASIC) {
			d->tap_fd[d->ntap++] = dev->fd;
		} else if (dev->type == MFT_DEV_BLOCK_BASIC) {
			d->block_fd[d->nblock] = dev->fd;
			d->block_capacity[d->nblock++] = dev->capacity;
		}
	}
}

int main(int argc, char *argv[])
{
	struct policy_desc pd;
	struct boot_layout bl;
	struct hc_ctx hc;
	struct errbuf e;
	struct vm vm;
	int fd;

	if (args_parse(argc, argv, &args, &e))
		die(&e);
	if (args.help) {
		args_usage(stdout);
		return 0;
	}
	if (args.version) {
		printf("petrel %s (Solo5 hvt) ABI version %d\n", PETREL_VERSION,
		       HVT_ABI_VERSION);
		return 0;
	}

	/* O_NONBLOCK: a FIFO given as the image must not hang us. */
	fd = open(args.image, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		errf(&e, "%s: %s", args.image, strerror(errno));
		die(&e);
	}
	if (elf_image_parse(fd, args.image, args.mem_bytes, &image, &e))
		die(&e);
	if (devices_attach(&devs, elf_image_mft(&image), &args, &e))
		die(&e);

	if (vm_create(&vm, args.mem_bytes, &e)) {
		if (!args.print_policy)
			die(&e);
		/* Review without KVM: the vCPU fd is shown symbolically. */
		describe_policy(NULL, &pd);
		policy_build(&pd, &policy);
		printf("# no VM (%s): vcpu fd unknown\n", e.msg);
		policy_print(&policy, stdout);
		return 0;
	}
	if (elf_image_load(fd, args.image, &image, &vm.mem, &e))
		die(&e);
	close(fd);

	x86_write_gdt(&vm.mem);
	x86_write_page_tables(&vm.mem);
	if (x86_write_boot_info(&vm.mem, image.kernel_end, vm.tsc_hz,
				elf_image_mft(&image),
				elf_image_mft_size(&image), args.cmdline, &bl,
				&e) ||
	    vm_setup_cpu(&vm, image.entry, &e))
		die(&e);

	describe_policy(&vm, &pd);
	policy_build(&pd, &policy);
	if (args.print_policy) {
		policy_print(&policy, stdout);
		return 0;
	}

	/* A closed stdout must cost the guest its output, not its life. */
	signal(SIGPIPE, SIG_IGN);
	close(vm.kvm_fd);
	fflush(NULL);
	hc = (struct hc_ctx){ .mem = vm.mem, .devs = &devs };
	if (policy_load(&policy, &e))
		die(&e);
	_exit(vcpu_run(&vm, &hc));
}
