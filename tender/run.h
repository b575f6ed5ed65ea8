/* SPDX-License-Identifier: ISC */
#ifndef PETREL_RUN_H
#define PETREL_RUN_H

#include "hypercall.h"
#include "kvm_vm.h"

/*
 * Run the vCPU until the guest halts (returns its status) or faults
 * (prints one line on stderr, returns 1). Runs under the seccomp filter:
 * only the syscalls listed in seccomp_policy.c may happen here.
 */
int vcpu_run(struct vm *vm, struct hc_ctx *c);

#endif /* PETREL_RUN_H */
