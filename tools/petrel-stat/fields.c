// SPDX-License-Identifier: ISC
#include <stdio.h>

#include "fields.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

const struct ps_field ps_net_fields[] = {
	{ PETREL_STAT_TX_PACKETS, "tx_packets" },
	{ PETREL_STAT_TX_BYTES, "tx_bytes" },
	{ PETREL_STAT_RX_PACKETS, "rx_packets" },
	{ PETREL_STAT_RX_BYTES, "rx_bytes" },
	{ PETREL_STAT_TX_DROP_BAD_DESC, "tx_drop_bad_desc_packets" },
	{ PETREL_STAT_TX_DROP_TOO_BIG, "tx_drop_too_big_packets" },
	{ PETREL_STAT_TX_DROP_TOO_SMALL, "tx_drop_too_small_packets" },
	{ PETREL_STAT_TX_DROP_TAP, "tx_drop_tap_packets" },
	{ PETREL_STAT_RX_DROP_BAD_DESC, "rx_drop_bad_desc_buffers" },
	{ PETREL_STAT_RX_DROP_TOO_BIG, "rx_drop_too_big_packets" },
	{ PETREL_STAT_RX_DROP_NO_BUFFER, "rx_drop_no_buffer_packets" },
	{ PETREL_STAT_RX_NO_BUFFER, "rx_no_buffer_events" },
	{ PETREL_STAT_RING_FULL, "ring_full_events" },
	{ PETREL_STAT_RING_ERRORS, "ring_error_events" },
	{ PETREL_STAT_DOORBELLS, "doorbell_kicks" },
	{ PETREL_STAT_WAKEUPS, "wakeup_signals" },
	{ PETREL_STAT_WORKER_RUNS, "worker_runs" },
	{ PETREL_STAT_RX_DROP_SMALL_BUF, "rx_drop_small_buffers" },
	{ PETREL_STAT_RX_DROP_TAP, "rx_drop_tap_packets" },
	{ PETREL_STAT_RX_AGAIN, "rx_again_reads" },
	{ PETREL_STAT_BAD_OP, "bad_op_entries" },
	{ PETREL_STAT_BAD_HANDLE, "bad_handle_entries" },
	{ PETREL_STAT_COMMITS_FULL, "commits_full_events" },
};
const unsigned ps_net_nfields = N(ps_net_fields);

const struct ps_field ps_tender_fields[] = {
	{ PETREL_TENDER_A_EXITS, "exits" },
	{ PETREL_TENDER_A_IO_EXITS, "io_exits" },
	{ PETREL_TENDER_A_HLT_EXITS, "hlt_exits" },
	{ PETREL_TENDER_A_MMIO_EXITS, "mmio_exits" },
	{ PETREL_TENDER_A_CONSOLE_WRITES, "console_writes" },
	{ PETREL_TENDER_A_CONSOLE_BYTES, "console_bytes" },
	{ PETREL_TENDER_A_BLK_READS, "block_reads" },
	{ PETREL_TENDER_A_BLK_READ_BYTES, "block_read_bytes" },
	{ PETREL_TENDER_A_BLK_WRITES, "block_writes" },
	{ PETREL_TENDER_A_BLK_WRITE_BYTES, "block_write_bytes" },
	{ PETREL_TENDER_A_BLK_ERRORS, "block_errors" },
	{ PETREL_TENDER_A_NET_TX_PACKETS, "guest_tx_packets" },
	{ PETREL_TENDER_A_NET_TX_BYTES, "guest_tx_bytes" },
	{ PETREL_TENDER_A_NET_RX_PACKETS, "guest_rx_packets" },
	{ PETREL_TENDER_A_NET_RX_BYTES, "guest_rx_bytes" },
	{ PETREL_TENDER_A_POLL_SLEEPS, "poll_sleeps" },
	{ PETREL_TENDER_A_POLL_SLEEP_NS, "poll_sleep_ns" },
	{ PETREL_TENDER_A_START_TIME_NS, "start_time_unix_ns" },
	{ PETREL_TENDER_A_MEM_BYTES, "memory_bytes" },
};
const unsigned ps_tender_nfields = N(ps_tender_fields);

const struct ps_field ps_kvm_fields[] = {
	{ PETREL_KVM_A_EXITS, "exits" },
	{ PETREL_KVM_A_IO_EXITS, "io_exits" },
	{ PETREL_KVM_A_MMIO_EXITS, "mmio_exits" },
	{ PETREL_KVM_A_HALT_EXITS, "halt_exits" },
	{ PETREL_KVM_A_IRQ_EXITS, "irq_exits" },
	{ PETREL_KVM_A_SIGNAL_EXITS, "signal_exits" },
	{ PETREL_KVM_A_HALT_WAKEUP, "halt_wakeups" },
	{ PETREL_KVM_A_IRQ_INJECTIONS, "irq_injections" },
	{ PETREL_KVM_A_PF_TAKEN, "pf_taken" },
	{ PETREL_KVM_A_INSN_EMULATION, "insn_emulations" },
	{ PETREL_KVM_A_HOST_STATE_RELOAD, "host_state_reloads" },
	{ PETREL_KVM_A_REMOTE_TLB_FLUSH, "remote_tlb_flushes" },
	{ PETREL_KVM_A_PAGES_4K, "pages_4k" },
	{ PETREL_KVM_A_PAGES_2M, "pages_2m" },
	{ PETREL_KVM_A_PAGES_1G, "pages_1g" },
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
