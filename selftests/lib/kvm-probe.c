// SPDX-License-Identifier: GPL-2.0-only
/*
 * kvm-probe: prove that /dev/kvm can run a guest before any petrel test
 * relies on it. A missing or half-working KVM (module not loaded, nested
 * SVM not emulated, wrong API version) would otherwise show up as dozens
 * of confusing tender failures; this turns it into one clear line.
 *
 * The guest is four bytes of real-mode code: write 0x42 to port 0x10, then
 * hlt. Seeing exactly that I/O exit followed by a HLT exit means memory
 * slots, vCPU state and KVM_RUN all work.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#define GUEST_MEM	0x10000UL
#define GUEST_ENTRY	0x1000UL
#define PROBE_PORT	0x10
#define PROBE_VALUE	0x42

static int fail(const char *what)
{
	printf("kvm-probe: %s: %s\n", what, errno ? strerror(errno) : "unexpected result");
	return 1;
}

int main(void)
{
	static const uint8_t code[] = {
		0xb0, PROBE_VALUE,	/* mov $0x42, %al */
		0xe6, PROBE_PORT,	/* out %al, $0x10 */
		0xf4,			/* hlt */
	};
	struct kvm_userspace_memory_region region;
	struct kvm_sregs sregs;
	struct kvm_regs regs;
	struct kvm_run *run;
	int kvm, vm, vcpu, api, run_size;
	uint8_t *mem;

	kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm < 0)
		return fail("open /dev/kvm");
	errno = 0;
	api = ioctl(kvm, KVM_GET_API_VERSION, 0);
	if (api != KVM_API_VERSION)
		return fail("KVM_GET_API_VERSION");
	vm = ioctl(kvm, KVM_CREATE_VM, 0);
	if (vm < 0)
		return fail("KVM_CREATE_VM");

	mem = mmap(NULL, GUEST_MEM, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		return fail("mmap guest memory");
	memcpy(mem + GUEST_ENTRY, code, sizeof(code));
	memset(&region, 0, sizeof(region));
	region.guest_phys_addr = 0;
	region.memory_size = GUEST_MEM;
	region.userspace_addr = (uintptr_t)mem;
	if (ioctl(vm, KVM_SET_USER_MEMORY_REGION, &region) < 0)
		return fail("KVM_SET_USER_MEMORY_REGION");

	vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
	if (vcpu < 0)
		return fail("KVM_CREATE_VCPU");
	run_size = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (run_size < (int)sizeof(*run))
		return fail("KVM_GET_VCPU_MMAP_SIZE");
	run = mmap(NULL, (size_t)run_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		   vcpu, 0);
	if (run == MAP_FAILED)
		return fail("mmap kvm_run");

	if (ioctl(vcpu, KVM_GET_SREGS, &sregs) < 0)
		return fail("KVM_GET_SREGS");
	sregs.cs.base = 0;
	sregs.cs.selector = 0;
	if (ioctl(vcpu, KVM_SET_SREGS, &sregs) < 0)
		return fail("KVM_SET_SREGS");
	memset(&regs, 0, sizeof(regs));
	regs.rip = GUEST_ENTRY;
	regs.rflags = 0x2;
	if (ioctl(vcpu, KVM_SET_REGS, &regs) < 0)
		return fail("KVM_SET_REGS");

	errno = 0;
	if (ioctl(vcpu, KVM_RUN, 0) < 0)
		return fail("first KVM_RUN");
	if (run->exit_reason != KVM_EXIT_IO ||
	    run->io.direction != KVM_EXIT_IO_OUT ||
	    run->io.port != PROBE_PORT || run->io.size != 1 ||
	    run->io.count != 1 ||
	    run->io.data_offset > (uint64_t)run_size - 1 ||
	    ((uint8_t *)run)[run->io.data_offset] != PROBE_VALUE) {
		printf("kvm-probe: expected OUT 0x%x to port 0x%x, got exit reason %u\n",
		       PROBE_VALUE, PROBE_PORT, run->exit_reason);
		return 1;
	}
	if (ioctl(vcpu, KVM_RUN, 0) < 0)
		return fail("second KVM_RUN");
	if (run->exit_reason != KVM_EXIT_HLT) {
		printf("kvm-probe: expected HLT exit, got exit reason %u\n",
		       run->exit_reason);
		return 1;
	}
	printf("kvm-probe: KVM API %d, guest ran: port I/O and HLT exits seen\n", api);
	return 0;
}
