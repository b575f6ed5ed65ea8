/* SPDX-License-Identifier: ISC */
/* The KVM virtual machine: one memory slot, one vCPU in 64-bit mode. */
#ifndef PETREL_KVM_VM_H
#define PETREL_KVM_VM_H

#include <linux/kvm.h>
#include <stdint.h>

#include "err.h"
#include "guest_mem.h"

struct vm {
	int kvm_fd;
	int vm_fd;
	int vcpu_fd;
	struct kvm_run *run;
	size_t run_size;
	struct guest_mem mem;	/* the guest's RAM: what --mem says */
	uint64_t extra;		/* bytes mapped above it (the ring area) */
	uint64_t tsc_hz;
};

/*
 * Open /dev/kvm, create the VM, @mem_size bytes of RAM, @extra bytes
 * mapped into the guest right above it (the ring area, or 0) and the vCPU.
 */
int vm_create(struct vm *vm, uint64_t mem_size, uint64_t extra,
	      struct errbuf *e);

/*
 * Long mode, flat segments, identity paging, RIP = @entry, RSP just below
 * @stack_top (the RAM reported to the guest) (hvt-abi.md).
 */
int vm_setup_cpu(struct vm *vm, uint64_t entry, uint64_t stack_top,
		 struct errbuf *e);

#endif /* PETREL_KVM_VM_H */
