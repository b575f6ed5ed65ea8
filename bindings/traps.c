// SPDX-License-Identifier: ISC
/*
 * CPU exceptions: there is nothing a unikernel can resume after one, so
 * every vector reports itself on the console (vector, error code, RIP, and
 * CR2 for page faults) and the guest aborts with status 255.
 */
#include "hvt.h"

struct trap_frame {
	uint64_t vector;
	uint64_t error;
	uint64_t rip;
	uint64_t cs;
	uint64_t rflags;
	uint64_t rsp;
	uint64_t ss;
};

struct idt_gate {
	uint16_t off_lo;
	uint16_t selector;
	uint8_t ist;
	uint8_t type;
	uint16_t off_mid;
	uint32_t off_hi;
	uint32_t zero;
};

_Static_assert(sizeof(struct idt_gate) == 16, "idt gate");

#define NR_TRAPS	32
#define GATE_INTR	0x8e	/* present, DPL 0, 64-bit interrupt gate */

extern const uint64_t trap_stubs[NR_TRAPS];
static struct idt_gate idt[NR_TRAPS] __attribute__((aligned(16)));

static const char *const trap_names[NR_TRAPS] = {
	"#DE divide error", "#DB debug", "NMI", "#BP breakpoint",
	"#OF overflow", "#BR bound range", "#UD invalid opcode",
	"#NM device not available", "#DF double fault", "coprocessor overrun",
	"#TS invalid TSS", "#NP segment not present", "#SS stack fault",
	"#GP general protection", "#PF page fault", "reserved",
	"#MF x87 error", "#AC alignment check", "#MC machine check",
	"#XM SIMD error", "#VE virtualization", "#CP control protection",
	"reserved", "reserved", "reserved", "reserved", "reserved",
	"reserved", "#HV", "#VC", "#SX security", "reserved",
};

void traps_report(const struct trap_frame *f) __attribute__((noreturn));

void traps_report(const struct trap_frame *f)
{
	uint64_t v = f->vector < NR_TRAPS ? f->vector : NR_TRAPS - 1;

	console_puts("\npetrel bindings: guest exception: vector ");
	console_put_dec(f->vector);
	console_puts(" (");
	console_puts(trap_names[v]);
	console_puts("), error code ");
	console_put_hex(f->error);
	console_puts(", RIP ");
	console_put_hex(f->rip);
	if (f->vector == 14) {
		uint64_t cr2;

		__asm__ __volatile__("mov %%cr2, %0" : "=r"(cr2));
		console_puts(", CR2 ");
		console_put_hex(cr2);
	}
	console_puts("\n");
	hvt_halt(SOLO5_EXIT_ABORT, NULL);
}

void traps_init(void)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) idtr = {
		.limit = sizeof(idt) - 1,
		.base = (uint64_t)(uintptr_t)idt,
	};
	int i;

	for (i = 0; i < NR_TRAPS; i++) {
		uint64_t a = trap_stubs[i];

		idt[i] = (struct idt_gate){
			.off_lo = (uint16_t)a,
			.selector = HVT_GDT_ENTRY_CODE * 8,
			.type = GATE_INTR,
			.off_mid = (uint16_t)(a >> 16),
			.off_hi = (uint32_t)(a >> 32),
		};
	}
	__asm__ __volatile__("lidt %0" : : "m"(idtr));
}
