// SPDX-License-Identifier: ISC
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../abi/hvt_abi.h"
#include "kvm_vm.h"

#define KVM_API_VERSION_EXPECTED	12
#define CPUID_MAX_ENTRIES		256

static int need_cap(struct vm *vm, long cap, const char *name,
		    struct errbuf *e)
{
	if (ioctl(vm->kvm_fd, KVM_CHECK_EXTENSION, cap) <= 0)
		return errf(e, "KVM lacks %s", name);
	return 0;
}

static int set_cpuid(struct vm *vm, struct errbuf *e)
{
	struct kvm_cpuid2 *c;
	size_t size = sizeof(*c) +
		      CPUID_MAX_ENTRIES * sizeof(struct kvm_cpuid_entry2);
	int ret = 0;

	c = calloc(1, size);
	if (!c)
		return errf(e, "out of memory");
	c->nent = CPUID_MAX_ENTRIES;
	if (ioctl(vm->kvm_fd, KVM_GET_SUPPORTED_CPUID, c) < 0)
		ret = errf(e, "KVM_GET_SUPPORTED_CPUID: %s", strerror(errno));
	else if (ioctl(vm->vcpu_fd, KVM_SET_CPUID2, c) < 0)
		ret = errf(e, "KVM_SET_CPUID2: %s", strerror(errno));
	free(c);
	return ret;
}

int vm_create(struct vm *vm, uint64_t mem_size, uint64_t extra,
	      struct errbuf *e)
{
	struct kvm_userspace_memory_region region;
	int n;
	long khz;
	void *mem;

	memset(vm, 0, sizeof(*vm));
	vm->vm_fd = vm->vcpu_fd = -1;
	vm->kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (vm->kvm_fd < 0)
		return errf(e, "/dev/kvm: %s", strerror(errno));
	n = ioctl(vm->kvm_fd, KVM_GET_API_VERSION, 0);
	if (n != KVM_API_VERSION_EXPECTED)
		return errf(e, "KVM API version %d, expected %d", n,
			    KVM_API_VERSION_EXPECTED);
	if (need_cap(vm, KVM_CAP_USER_MEMORY, "KVM_CAP_USER_MEMORY", e) ||
	    need_cap(vm, KVM_CAP_EXT_CPUID, "KVM_CAP_EXT_CPUID", e) ||
	    need_cap(vm, KVM_CAP_GET_TSC_KHZ, "KVM_CAP_GET_TSC_KHZ", e))
		return -1;

	vm->vm_fd = ioctl(vm->kvm_fd, KVM_CREATE_VM, 0);
	if (vm->vm_fd < 0)
		return errf(e, "KVM_CREATE_VM: %s", strerror(errno));

	/*
	 * MAP_NORESERVE: a guest gets what it touches, not what --mem says,
	 * so many small guests can share a host.
	 */
	mem = mmap(NULL, mem_size + extra, PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (mem == MAP_FAILED)
		return errf(e, "cannot map %llu MiB of guest memory: %s",
			    (unsigned long long)(mem_size >> 20),
			    strerror(errno));
	vm->mem.base = mem;
	vm->mem.size = mem_size;
	vm->extra = extra;
	region = (struct kvm_userspace_memory_region){
		.slot = 0,
		.guest_phys_addr = 0,
		.memory_size = mem_size + extra,
		.userspace_addr = (uint64_t)(uintptr_t)mem,
	};
	if (ioctl(vm->vm_fd, KVM_SET_USER_MEMORY_REGION, &region) < 0)
		return errf(e, "KVM_SET_USER_MEMORY_REGION: %s",
			    strerror(errno));

	vm->vcpu_fd = ioctl(vm->vm_fd, KVM_CREATE_VCPU, 0);
	if (vm->vcpu_fd < 0)
		return errf(e, "KVM_CREATE_VCPU: %s", strerror(errno));
	n = ioctl(vm->kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (n < (int)sizeof(struct kvm_run))
		return errf(e, "KVM_GET_VCPU_MMAP_SIZE: %s",
			    n < 0 ? strerror(errno) : "too small");
	vm->run_size = (size_t)n;
	vm->run = mmap(NULL, vm->run_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		       vm->vcpu_fd, 0);
	if (vm->run == MAP_FAILED)
		return errf(e, "cannot map kvm_run: %s", strerror(errno));

	if (set_cpuid(vm, e))
		return -1;
	khz = ioctl(vm->vcpu_fd, KVM_GET_TSC_KHZ, 0);
	if (khz <= 0)
		return errf(e, "KVM_GET_TSC_KHZ: %s",
			    khz < 0 ? strerror(errno) : "0 kHz");
	vm->tsc_hz = (uint64_t)khz * 1000;
	return 0;
}

static void flat_seg(struct kvm_segment *s, uint16_t gdt_index, uint8_t type,
		     int code)
{
	*s = (struct kvm_segment){
		.base = 0,
		.limit = 0xffffffff,
		.selector = (uint16_t)(gdt_index * 8),
		.type = type,
		.present = 1,
		.dpl = 0,
		.db = code ? 0 : 1,	/* L=1 requires D=0 */
		.s = 1,
		.l = code ? 1 : 0,
		.g = 1,
	};
}

int vm_setup_cpu(struct vm *vm, uint64_t entry, uint64_t stack_top,
		 struct errbuf *e)
{
	struct kvm_sregs sregs;
	struct kvm_regs regs;

	if (ioctl(vm->vcpu_fd, KVM_GET_SREGS, &sregs) < 0)
		return errf(e, "KVM_GET_SREGS: %s", strerror(errno));
	sregs.cr0 = HVT_CR0_INIT;
	sregs.cr3 = HVT_PML4_BASE;
	sregs.cr4 = HVT_CR4_INIT;
	sregs.efer = HVT_EFER_INIT;
	/* Types: 0xb code execute/read accessed, 0x3 data read/write. */
	flat_seg(&sregs.cs, HVT_GDT_ENTRY_CODE, 0xb, 1);
	flat_seg(&sregs.ds, HVT_GDT_ENTRY_DATA, 0x3, 0);
	sregs.es = sregs.fs = sregs.gs = sregs.ss = sregs.ds;
	sregs.gdt.base = HVT_GDT_BASE;
	sregs.gdt.limit = HVT_GDT_NUM_ENTRIES * 8 - 1;
	sregs.idt.base = 0;
	/* No IDT until the guest loads one: an early exception triple-faults. */
	sregs.idt.limit = 0;
	/*
	 * VM entry insists on a usable TR (busy 64-bit TSS) and accepts an
	 * unusable LDTR; the guest never task-switches, so neither needs a
	 * descriptor in the GDT.
	 */
	sregs.tr = (struct kvm_segment){
		.base = 0, .limit = 0xffff, .selector = 0, .type = 0xb,
		.present = 1, .s = 0,
	};
	sregs.ldt = (struct kvm_segment){ .selector = 0, .unusable = 1 };
	if (ioctl(vm->vcpu_fd, KVM_SET_SREGS, &sregs) < 0)
		return errf(e, "KVM_SET_SREGS: %s", strerror(errno));

	memset(&regs, 0, sizeof(regs));
	regs.rip = entry;
	regs.rflags = HVT_RFLAGS_INIT;
	regs.rsp = stack_top - 8;
	regs.rdi = HVT_BOOT_INFO_BASE;
	if (ioctl(vm->vcpu_fd, KVM_SET_REGS, &regs) < 0)
		return errf(e, "KVM_SET_REGS: %s", strerror(errno));
	return 0;
}
