// SPDX-License-Identifier: ISC
#include <stdio.h>

#include "fields.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

const struct ps_field ps_net_fields[] = {
	{ PETREL_STAT_TX_PACKETS, "tx_packets",
	  "Frames from the guest's ring accepted by the tap.", false },
	{ PETREL_STAT_TX_BYTES, "tx_bytes", "Bytes of those frames.", false },
	{ PETREL_STAT_RX_PACKETS, "rx_packets",
	  "Frames from the tap written into the guest's ring.", false },
	{ PETREL_STAT_RX_BYTES, "rx_bytes", "Bytes of those frames.", false },
	{ PETREL_STAT_TX_DROP_BAD_DESC, "tx_drop_bad_desc_packets",
	  "TX descriptors outside the buffer area or with flags set.", false },
	{ PETREL_STAT_TX_DROP_TOO_BIG, "tx_drop_too_big_packets",
	  "TX frames longer than 65535 bytes.", false },
	{ PETREL_STAT_TX_DROP_TOO_SMALL, "tx_drop_too_small_packets",
	  "TX frames shorter than an Ethernet header.", false },
	{ PETREL_STAT_TX_DROP_TAP, "tx_drop_tap_packets",
	  "TX frames the tap refused.", false },
	{ PETREL_STAT_RX_DROP_BAD_DESC, "rx_drop_bad_desc_buffers",
	  "RX buffers outside the buffer area, returned empty.", false },
	{ PETREL_STAT_RX_DROP_TOO_BIG, "rx_drop_too_big_packets",
	  "RX frames larger than the posted buffer.", false },
	{ PETREL_STAT_RX_DROP_NO_BUFFER, "rx_drop_no_buffer_packets",
	  "RX frames dropped for lack of a buffer (rx-drop flag).", false },
	{ PETREL_STAT_RX_NO_BUFFER, "rx_no_buffer_events",
	  "Times RX stopped because no buffer was posted.", false },
	{ PETREL_STAT_RING_FULL, "ring_full_events",
	  "Times the TX ring was found full.", false },
	{ PETREL_STAT_RING_ERRORS, "ring_error_events",
	  "Producer index found more than a ring ahead.", false },
	{ PETREL_STAT_DOORBELLS, "doorbell_kicks",
	  "Guest doorbells (kick eventfd wakeups).", false },
	{ PETREL_STAT_WAKEUPS, "wakeup_signals",
	  "Wake eventfd signals to the guest.", false },
	{ PETREL_STAT_WORKER_RUNS, "worker_runs",
	  "Runs of the device's kernel worker.", false },
	{ PETREL_STAT_RX_DROP_SMALL_BUF, "rx_drop_small_buffers",
	  "RX buffers smaller than an Ethernet header, returned empty.",
	  false },
	{ PETREL_STAT_RX_DROP_TAP, "rx_drop_tap_packets",
	  "RX frames lost to an error reading the tap.", false },
};
const unsigned ps_net_nfields = N(ps_net_fields);

const struct ps_field ps_tender_fields[] = {
	{ PETREL_TENDER_A_EXITS, "exits", "VM exits seen by the tender.",
	  false },
	{ PETREL_TENDER_A_IO_EXITS, "io_exits", "Port I/O exits.", false },
	{ PETREL_TENDER_A_HLT_EXITS, "hlt_exits", "HLT exits.", false },
	{ PETREL_TENDER_A_MMIO_EXITS, "mmio_exits", "MMIO exits.", false },
	{ PETREL_TENDER_A_CONSOLE_WRITES, "console_writes",
	  "Console writes (PUTS hypercalls).", false },
	{ PETREL_TENDER_A_CONSOLE_BYTES, "console_bytes",
	  "Bytes the guest wrote to its console.", false },
	{ PETREL_TENDER_A_BLK_READS, "block_reads",
	  "Successful block reads.", false },
	{ PETREL_TENDER_A_BLK_READ_BYTES, "block_read_bytes",
	  "Bytes read from block devices.", false },
	{ PETREL_TENDER_A_BLK_WRITES, "block_writes",
	  "Successful block writes.", false },
	{ PETREL_TENDER_A_BLK_WRITE_BYTES, "block_write_bytes",
	  "Bytes written to block devices.", false },
	{ PETREL_TENDER_A_BLK_ERRORS, "block_errors",
	  "Block requests refused or failed.", false },
	{ PETREL_TENDER_A_NET_TX_PACKETS, "guest_tx_packets",
	  "Frames the guest sent through NET_WRITE.", false },
	{ PETREL_TENDER_A_NET_TX_BYTES, "guest_tx_bytes",
	  "Bytes the guest sent through NET_WRITE.", false },
	{ PETREL_TENDER_A_NET_RX_PACKETS, "guest_rx_packets",
	  "Frames the guest received through NET_READ.", false },
	{ PETREL_TENDER_A_NET_RX_BYTES, "guest_rx_bytes",
	  "Bytes the guest received through NET_READ.", false },
	{ PETREL_TENDER_A_POLL_SLEEPS, "poll_sleeps",
	  "POLL hypercalls (the guest waiting).", false },
	{ PETREL_TENDER_A_POLL_SLEEP_NS, "poll_sleep_ns",
	  "Time spent in POLL.", false },
	{ PETREL_TENDER_A_START_TIME_NS, "start_time_unix_ns",
	  "When the tender started (Unix time).", true },
	{ PETREL_TENDER_A_MEM_BYTES, "memory_bytes", "Guest memory.", true },
};
const unsigned ps_tender_nfields = N(ps_tender_fields);

const struct ps_field ps_kvm_fields[] = {
	{ PETREL_KVM_A_EXITS, "exits", "KVM: all exits.", false },
	{ PETREL_KVM_A_IO_EXITS, "io_exits", "KVM: I/O exits.", false },
	{ PETREL_KVM_A_MMIO_EXITS, "mmio_exits", "KVM: MMIO exits.", false },
	{ PETREL_KVM_A_HALT_EXITS, "halt_exits", "KVM: HLT exits.", false },
	{ PETREL_KVM_A_IRQ_EXITS, "irq_exits",
	  "KVM: exits for host interrupts.", false },
	{ PETREL_KVM_A_SIGNAL_EXITS, "signal_exits",
	  "KVM: exits for pending signals.", false },
	{ PETREL_KVM_A_HALT_WAKEUP, "halt_wakeups",
	  "KVM: wakeups from halt.", false },
	{ PETREL_KVM_A_IRQ_INJECTIONS, "irq_injections",
	  "KVM: interrupts injected.", false },
	{ PETREL_KVM_A_PF_TAKEN, "pf_taken",
	  "KVM: page faults handled.", false },
	{ PETREL_KVM_A_INSN_EMULATION, "insn_emulations",
	  "KVM: instructions emulated.", false },
	{ PETREL_KVM_A_HOST_STATE_RELOAD, "host_state_reloads",
	  "KVM: host state reloads.", false },
	{ PETREL_KVM_A_REMOTE_TLB_FLUSH, "remote_tlb_flushes",
	  "KVM: remote TLB flushes.", false },
	{ PETREL_KVM_A_PAGES_4K, "pages_4k", "KVM: 4 KiB mappings.", true },
	{ PETREL_KVM_A_PAGES_2M, "pages_2m", "KVM: 2 MiB mappings.", true },
	{ PETREL_KVM_A_PAGES_1G, "pages_1g", "KVM: 1 GiB mappings.", true },
};
const unsigned ps_kvm_nfields = N(ps_kvm_fields);

static const char *const hypercall_names[] = {
	[1] = "walltime", [2] = "puts", [3] = "poll", [4] = "block_write",
	[5] = "block_read", [6] = "net_write", [7] = "net_read", [8] = "halt",
};

const char *ps_hypercall_name(unsigned nr, char *buf, unsigned size)
{
	if (nr < N(hypercall_names) && hypercall_names[nr])
		return hypercall_names[nr];
	snprintf(buf, size, "hc%u", nr);
	return buf;
}

/* KVM_EXIT_* of <linux/kvm.h>, lower case. */
static const char *const exit_names[] = {
	"unknown", "exception", "io", "hypercall", "debug", "hlt", "mmio",
	"irq_window_open", "shutdown", "fail_entry", "intr", "set_tpr",
	"tpr_access", "s390_sieic", "s390_reset", "dcr", "nmi",
	"internal_error", "osi", "papr_hcall", "s390_ucontrol", "watchdog",
	"s390_tsch", "epr", "system_event", "s390_stsi", "ioapic_eoi",
	"hyperv", "arm_nisv", "x86_rdmsr", "x86_wrmsr", "dirty_ring_full",
	"ap_reset_hold", "x86_bus_lock", "xen", "riscv_sbi", "riscv_csr",
	"notify",
};

const char *ps_exit_reason_name(unsigned r, char *buf, unsigned size)
{
	if (r < N(exit_names))
		return exit_names[r];
	snprintf(buf, size, "reason%u", r);
	return buf;
}
