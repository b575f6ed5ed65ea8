// SPDX-License-Identifier: ISC
/*
 * petrel: run one Solo5 hvt unikernel on KVM.
 *
 * Everything that can fail on bad input happens first, with nothing yet
 * running: arguments, the image, the devices, the VM, the net rings. Then
 * the seccomp filter is armed and the vCPU runs; nothing is opened after
 * that. When petrel.ko's rings are offered, the final filter depends on
 * whether the guest takes them, which it says in the boot info before its
 * first exit. Then the filter armed before the vCPU runs allows both
 * modes and the switch between them; at the first exit, before anything
 * is done for the guest, a second filter compiled in advance narrows it to
 * the mode chosen (filters stack: a syscall must pass both).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "args.h"
#include "counters.h"
#include "devices.h"
#include "elf_image.h"
#include "guest_protect.h"
#include "hypercall.h"
#include "kvm_vm.h"
#include "net_ring.h"
#include "run.h"
#include "say.h"
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
static struct policy_prog narrowed[2];	/* by "the guest took the rings" */
static struct policy_prog hvt_narrowed;	/* the guest kicked Solo5's ring */
static struct net_ring ring;
static struct vm vm;

static void describe_policy(const struct vm *v, bool rings, bool hvt,
			    bool choosing, struct policy_desc *d)
{
	memset(d, 0, sizeof(*d));
	d->vcpu_fd = v ? v->vcpu_fd : -1;
	d->vm_fd = v ? v->vm_fd : -1;
	d->petrel_fd = ring.fd;
	d->choosing = choosing;
	d->hvt = hvt;
	d->hvt_offered = ring.hvt_offered;
	d->hvt_kick_fd = ring.hvt_kick;
	d->worker = ring.worker;
	d->block_sync = devs.block_sync;
	d->nstats = counters_stats_fds(d->stats_fd);
	d->ring = rings;
	d->nwake = ring.n;
	for (unsigned i = 0; i < ring.n; i++) {
		d->wake_fd[i] = ring.wake[i].fd;
		d->kick_fd[i] = ring.kick[i];
	}
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

/*
 * At the guest's first exit: did it take the rings (in the announcement:
 * the boot info is read-only to the guest)? Read once; withdraw
 * them if not, then narrow the filter to that mode.
 */
static int hvt_kick(struct hc_ctx *c);

static int first_exit(struct hc_ctx *c)
{
	struct errbuf e;

	if (net_ring_accepted(&ring, &vm)) {
		ring.active = true;
	} else {
		net_ring_withdraw(&ring, &vm);
		if (ring.hvt_offered) {
			if (net_ring_hvt_attach(&ring, &devs, &e))
				goto fail;
			c->hvt_kick = hvt_kick;
		}
	}
	c->ring = &ring;
	if (policy_load_prog(&narrowed[ring.active], &e))
		goto fail;
	return 0;
fail:
	say("petrel: %s", e.msg);
	return 1;
}

/*
 * The guest's first kick of Solo5's ring: it uses the ring, so from now
 * on petrel.ko takes the kicks and the frames, and the filter forbids the
 * taps' reads and writes.
 */
static int hvt_kick(struct hc_ctx *c)
{
	struct errbuf e;

	c->hvt_kick = NULL;
	if (net_ring_hvt_activate(&ring, &vm, &e) ||
	    policy_load_prog(&hvt_narrowed, &e)) {
		say("petrel: %s", e.msg);
		return 1;
	}
	return 0;
}

/* What --print-policy shows: all three filters when the rings are offered. */
static void print_policies(const struct vm *v)
{
	struct policy_desc pd;

	if (ring.fallback.msg[0])
		printf("# %s\n", ring.fallback.msg);
	if (ring.offered) {
		printf("# until the guest's first exit, while it chooses "
		       "(one of the two below is then stacked on it):\n");
		describe_policy(v, false, false, true, &pd);
		policy_build(&pd, &policy);
		policy_print(&policy, stdout);
		printf("# if the guest accepts the net rings (petrel.ko moves "
		       "the frames):\n");
		describe_policy(v, true, false, false, &pd);
		policy_build(&pd, &policy);
		policy_print(&policy, stdout);
		printf("# if the guest declines them (hypercalls):\n");
	}
	describe_policy(v, false, false, false, &pd);
	policy_build(&pd, &policy);
	policy_print(&policy, stdout);
	if (ring.hvt_offered) {
		printf("# stacked on the one above if the guest then kicks "
		       "Solo5's ring (petrel.ko moves the frames):\n");
		describe_policy(v, false, true, false, &pd);
		policy_build(&pd, &policy);
		policy_print(&policy, stdout);
	}
}

int main(int argc, char *argv[])
{
	struct policy_desc pd;
	struct boot_layout bl;
	struct hc_ctx hc;
	struct errbuf e;
	int fd, status;

	if (args_parse(argc, argv, &args, &e))
		die(&e);
	if (args.help) {
		args_usage(stdout);
		return 0;
	}
	if (args.version) {
		/* albatross accepts a tender with a line exactly this. */
		printf("petrel %s, a Solo5 hvt tender\nABI version %d\n",
		       PETREL_VERSION, HVT_ABI_VERSION);
		return 0;
	}
	signals_install();

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

	/* The ring area goes above --mem: the guest's mem_size is --mem. */
	if (net_ring_plan(&ring, args.net_ring, &devs, args.mem_bytes, &e))
		die(&e);
	if (vm_create(&vm, args.mem_bytes, ring.area, &e)) {
		if (!args.print_policy)
			die(&e);
		/* Review without KVM: the vCPU fd is shown symbolically. */
		describe_policy(NULL, false, false, false, &pd);
		policy_build(&pd, &policy);
		printf("# no VM (%s): vcpu fd unknown\n", e.msg);
		policy_print(&policy, stdout);
		return 0;
	}
	if (elf_image_load(fd, args.image, &image, &vm.mem, &e) ||
	    guest_protect(&image, &vm.mem, &e))
		die(&e);
	close(fd);

	/*
	 * The counters open the VM's /dev/petrel file (the one VM petrel.ko
	 * lists for this tender); the rings register on the same file.
	 */
	if (counters_attach(args.name, args.image, args.mem_bytes, &vm,
			    args.net_ring != NET_RING_OFF || !args.print_policy,
			    &e))
		die(&e);
	if (net_ring_setup(&ring, args.net_ring, counters_petrel_fd(),
			   counters_petrel_errno(), &devs, &vm, &e))
		die(&e);
	/* One line for a run; --print-policy shows it with the policy. */
	if (ring.fallback.msg[0] && !args.print_policy)
		fprintf(stderr, "petrel: %s\n", ring.fallback.msg);

	x86_write_gdt(&vm.mem);
	x86_write_page_tables(&vm.mem);
	if (x86_write_boot_info(&vm.mem, image.kernel_end, vm.tsc_hz,
				elf_image_mft(&image),
				elf_image_mft_size(&image), args.cmdline, &bl,
				&e) ||
	    vm_setup_cpu(&vm, image.entry, vm.mem.size, &e))
		die(&e);
	if (ring.offered)
		x86_write_ring_ext(&vm.mem, net_ring_ext_host(&ring, &vm),
				   &ring.ext);
	if (ring.hvt_offered)
		x86_offer_hvt_ring(&vm.mem, net_ring_hvt_offer(&ring));

	if (args.print_policy) {
		print_policies(&vm);
		return 0;
	}

	/* A closed stdout must cost the guest its output, not its life. */
	signal(SIGPIPE, SIG_IGN);
	close(vm.kvm_fd);
	fflush(NULL);
	hc = (struct hc_ctx){ .mem = vm.mem, .devs = &devs, .ring = &ring };
	if (ring.offered) {
		/* Both narrowed filters now: the first exit can only load. */
		for (int rings = 0; rings < 2; rings++) {
			describe_policy(&vm, rings, false, false, &pd);
			policy_build(&pd, &policy);
			if (policy_compile(&policy, &narrowed[rings], &e))
				die(&e);
		}
		if (ring.hvt_offered) {
			describe_policy(&vm, false, true, false, &pd);
			policy_build(&pd, &policy);
			if (policy_compile(&policy, &hvt_narrowed, &e))
				die(&e);
		}
		hc.first_exit = first_exit;
	}
	describe_policy(&vm, false, false, ring.offered, &pd);
	policy_build(&pd, &policy);
	if (policy_load(&policy, &e))
		die(&e);
	status = vcpu_run(&vm, &hc);
	/* The module's VM_DEL event carries these: make them final. */
	counters_refresh_kvm();
	_exit(status);
}
