// SPDX-License-Identifier: ISC
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "counters.h"
#include "run.h"

/* Where x86 starts after a reset (CS base 0xffff0000 + IP 0xfff0). */
#define X86_RESET_RIP	0xfff0

/* snprintf + write: stdio's stderr might allocate, the filter forbids it. */
static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n > sizeof(buf) - 2)
		n = sizeof(buf) - 2;
	buf[n++] = '\n';
	if (write(STDERR_FILENO, buf, (size_t)n) < 0)
		return;
}

/* One line: what happened, its datum, where. @hc names a hypercall. */
static int fault_report(struct vm *vm, const char *hc, const char *what,
			unsigned long long d)
{
	struct kvm_regs regs;

	char rip[64];

	if (ioctl(vm->vcpu_fd, KVM_GET_REGS, &regs) < 0)
		snprintf(rip, sizeof(rip), "RIP unknown (KVM_GET_REGS: %s)",
			 strerrorname_np(errno));
	else if (vm->run->exit_reason == KVM_EXIT_SHUTDOWN &&
		 regs.rip == X86_RESET_RIP)
		/* AMD SVM resets the vCPU on shutdown: the RIP is gone. */
		snprintf(rip, sizeof(rip), "RIP unknown (KVM reset the vCPU)");
	else
		snprintf(rip, sizeof(rip), "RIP %#llx",
			 (unsigned long long)regs.rip);
	say("petrel: guest fault: %s%s%s (%#llx) at %s", hc ? hc : "",
	    hc ? " hypercall: " : "", what, d, rip);
	return 1;
}

/*
 * KVM_RUN's EFAULT: KVM could not map a guest page the way the guest used
 * it, the host mapping being read-only (the image's read-only segments,
 * guest_protect.c): the guest wrote to its own code or constants. Solo5's
 * phrase, so that what greps for it finds it. Kernels with
 * KVM_EXIT_MEMORY_FAULT say where.
 */
static int translation_fault(struct vm *vm)
{
	struct kvm_regs regs;
	char where[96] = "";
	int n = 0;

#ifdef KVM_EXIT_MEMORY_FAULT
	if (vm->run->exit_reason == KVM_EXIT_MEMORY_FAULT)
		n = snprintf(where, sizeof(where), " at GPA %#llx",
			     (unsigned long long)vm->run->memory_fault.gpa);
#endif
	if (n >= 0 && (size_t)n < sizeof(where) &&
	    ioctl(vm->vcpu_fd, KVM_GET_REGS, &regs) == 0)
		snprintf(where + n, sizeof(where) - (size_t)n, ", RIP %#llx",
			 (unsigned long long)regs.rip);
	say("petrel: host/guest translation fault: guest wrote to read-only "
	    "memory%s", where);
	return 1;
}

static int guest_fault(struct vm *vm, const char *what, unsigned long long d)
{
	return fault_report(vm, NULL, what, d);
}

static int io_exit(struct vm *vm, struct hc_ctx *c)
{
	struct kvm_run *run = vm->run;
	const struct hypercall *hc = hc_lookup(run->io.port);
	uint32_t value;

	if (run->io.port == HVT_RING_KICK_PIO_BASE && c->hvt_kick) {
		if (run->io.direction != KVM_EXIT_IO_OUT ||
		    run->io.size != 4 || run->io.count != 1)
			return guest_fault(vm, "Solo5 ring kick port accessed "
					   "other than by one 32-bit OUT",
					   run->io.port);
		return c->hvt_kick(c) ? 1 : -1;
	}
	if (!hc)
		return guest_fault(vm, "I/O to unknown port", run->io.port);
	ctr_hypercall(hc->nr);
	if (run->io.direction != KVM_EXIT_IO_OUT || run->io.size != 4 ||
	    run->io.count != 1)
		return guest_fault(vm, "hypercall port accessed other than "
				   "by one 32-bit OUT", run->io.port);
	if (run->io.data_offset > vm->run_size - sizeof(value))
		return guest_fault(vm, "bad KVM I/O data offset",
				   run->io.data_offset);
	memcpy(&value, (uint8_t *)run + run->io.data_offset, sizeof(value));

	switch (hc_call(hc, c, value)) {
	case HC_CONTINUE:
		return -1;
	case HC_EXIT:
		return c->exit_status;
	case HC_FAULT:
	default:
		return fault_report(vm, hc->name, c->fault, value);
	}
}

int vcpu_run(struct vm *vm, struct hc_ctx *c)
{
	struct kvm_run *run = vm->run;
	int status;

	for (;;) {
		if (ioctl(vm->vcpu_fd, KVM_RUN, 0) < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			if (errno == EFAULT)
				return translation_fault(vm);
			say("petrel: KVM_RUN failed: %s",
			    strerrorname_np(errno));
			return 1;
		}
		if (c->first_exit) {
			int (*fn)(struct hc_ctx *) = c->first_exit;

			c->first_exit = NULL;
			if (fn(c))
				return 1;
		}
		ctr_exit(run->exit_reason);
		switch (run->exit_reason) {
		case KVM_EXIT_IO:
			status = io_exit(vm, c);
			if (status >= 0)
				return status;
			break;
		case KVM_EXIT_SHUTDOWN:
			return guest_fault(vm, "KVM_EXIT_SHUTDOWN, triple fault",
					   KVM_EXIT_SHUTDOWN);
		case KVM_EXIT_FAIL_ENTRY:
			return guest_fault(vm, "KVM_EXIT_FAIL_ENTRY, reason",
				run->fail_entry.hardware_entry_failure_reason);
		case KVM_EXIT_INTERNAL_ERROR:
			return guest_fault(vm, "KVM_EXIT_INTERNAL_ERROR, "
					   "suberror", run->internal.suberror);
		case KVM_EXIT_HLT:
			return guest_fault(vm, "KVM_EXIT_HLT, CPU halted "
					   "without the HALT hypercall",
					   KVM_EXIT_HLT);
		case KVM_EXIT_MMIO:
			return guest_fault(vm, "KVM_EXIT_MMIO, access outside "
					   "guest memory at",
					   run->mmio.phys_addr);
		default:
			return guest_fault(vm, "unhandled KVM exit reason",
					   run->exit_reason);
		}
	}
}
