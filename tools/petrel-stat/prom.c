// SPDX-License-Identifier: ISC
/*
 * The Prometheus text exposition format (0.0.4), for node_exporter's
 * textfile collector. As node_exporter does: net devices are labelled by
 * interface name (`device`), every series is there from a VM's first
 * scrape on, zeros included, so that rate() sees the first increase, and
 * each HELP text stands on its own. man/petrel-stat.8 lists every metric.
 */
#include <inttypes.h>
#include <string.h>

#include "fields.h"
#include "output.h"

#define T(vm, a) ((vm)->tender[PETREL_TENDER_A_##a])

enum unit { PLAIN, NS };

struct metric {
	unsigned idx;
	const char *name;
	const char *help;
	enum unit unit;
};

/* The tender's scalars, counters all (memory and start time apart). */
static const struct metric vm_counters[] = {
	{ PETREL_TENDER_A_EXITS, "petrel_vm_exits_total",
	  "VM exits of a petrel guest's vCPU handled by its tender, all reasons.",
	  PLAIN },
	{ PETREL_TENDER_A_CONSOLE_WRITES, "petrel_vm_console_writes_total",
	  "Console writes (PUTS hypercalls) of a petrel guest.", PLAIN },
	{ PETREL_TENDER_A_CONSOLE_BYTES, "petrel_vm_console_bytes_total",
	  "Bytes a petrel guest wrote to its console.", PLAIN },
	{ PETREL_TENDER_A_BLK_READS, "petrel_vm_block_reads_total",
	  "Successful block reads of a petrel guest.", PLAIN },
	{ PETREL_TENDER_A_BLK_READ_BYTES, "petrel_vm_block_read_bytes_total",
	  "Bytes a petrel guest read from its block devices.", PLAIN },
	{ PETREL_TENDER_A_BLK_WRITES, "petrel_vm_block_writes_total",
	  "Successful block writes of a petrel guest.", PLAIN },
	{ PETREL_TENDER_A_BLK_WRITE_BYTES, "petrel_vm_block_write_bytes_total",
	  "Bytes a petrel guest wrote to its block devices.", PLAIN },
	{ PETREL_TENDER_A_BLK_ERRORS, "petrel_vm_block_errors_total",
	  "Block requests of a petrel guest that its tender refused or that failed.",
	  PLAIN },
	{ PETREL_TENDER_A_NET_TX_PACKETS, "petrel_vm_guest_tx_packets_total",
	  "Frames a petrel guest sent through the NET_WRITE hypercall (not petrel.ko's rings).",
	  PLAIN },
	{ PETREL_TENDER_A_NET_TX_BYTES, "petrel_vm_guest_tx_bytes_total",
	  "Bytes of the frames a petrel guest sent through the NET_WRITE hypercall.",
	  PLAIN },
	{ PETREL_TENDER_A_NET_RX_PACKETS, "petrel_vm_guest_rx_packets_total",
	  "Frames a petrel guest received through the NET_READ hypercall (not petrel.ko's rings).",
	  PLAIN },
	{ PETREL_TENDER_A_NET_RX_BYTES, "petrel_vm_guest_rx_bytes_total",
	  "Bytes of the frames a petrel guest received through the NET_READ hypercall.",
	  PLAIN },
	{ PETREL_TENDER_A_POLL_SLEEPS, "petrel_vm_poll_sleeps_total",
	  "POLL hypercalls of a petrel guest (times it waited for I/O or a timer).",
	  PLAIN },
	{ PETREL_TENDER_A_POLL_SLEEP_NS, "petrel_vm_poll_sleep_seconds_total",
	  "Seconds a petrel guest spent waiting in the POLL hypercall.", NS },
};

static const struct metric kvm_counters[] = {
	{ PETREL_KVM_A_EXITS, "petrel_vm_kvm_exits_total",
	  "VM exits of a petrel guest as KVM counts them (0 where the kernel does not offer it).",
	  PLAIN },
	{ PETREL_KVM_A_IO_EXITS, "petrel_vm_kvm_io_exits_total",
	  "Port I/O exits of a petrel guest as KVM counts them.", PLAIN },
	{ PETREL_KVM_A_MMIO_EXITS, "petrel_vm_kvm_mmio_exits_total",
	  "MMIO exits of a petrel guest as KVM counts them.", PLAIN },
	{ PETREL_KVM_A_HALT_EXITS, "petrel_vm_kvm_halt_exits_total",
	  "HLT exits of a petrel guest as KVM counts them.", PLAIN },
	{ PETREL_KVM_A_IRQ_EXITS, "petrel_vm_kvm_irq_exits_total",
	  "Exits of a petrel guest for host interrupts, as KVM counts them.",
	  PLAIN },
	{ PETREL_KVM_A_SIGNAL_EXITS, "petrel_vm_kvm_signal_exits_total",
	  "Exits of a petrel guest for pending signals, as KVM counts them.",
	  PLAIN },
	{ PETREL_KVM_A_HALT_WAKEUP, "petrel_vm_kvm_halt_wakeups_total",
	  "Wakeups of a petrel guest's vCPU from halt, as KVM counts them.",
	  PLAIN },
	{ PETREL_KVM_A_IRQ_INJECTIONS, "petrel_vm_kvm_irq_injections_total",
	  "Interrupts KVM injected into a petrel guest.", PLAIN },
	{ PETREL_KVM_A_PF_TAKEN, "petrel_vm_kvm_page_faults_total",
	  "Page faults of a petrel guest that KVM handled.", PLAIN },
	{ PETREL_KVM_A_INSN_EMULATION, "petrel_vm_kvm_insn_emulations_total",
	  "Instructions of a petrel guest that KVM emulated.", PLAIN },
	{ PETREL_KVM_A_HOST_STATE_RELOAD,
	  "petrel_vm_kvm_host_state_reloads_total",
	  "Host state reloads KVM did for a petrel guest's vCPU.", PLAIN },
	{ PETREL_KVM_A_REMOTE_TLB_FLUSH,
	  "petrel_vm_kvm_remote_tlb_flushes_total",
	  "Remote TLB flushes KVM did for a petrel guest.", PLAIN },
};

static const struct { unsigned idx; const char *size; } kvm_pages[] = {
	{ PETREL_KVM_A_PAGES_4K, "4k" },
	{ PETREL_KVM_A_PAGES_2M, "2m" },
	{ PETREL_KVM_A_PAGES_1G, "1g" },
};

/* petrel.ko's per-device counters besides the drops. */
static const struct metric net_counters[] = {
	{ PETREL_STAT_TX_PACKETS, "petrel_net_tx_packets_total",
	  "Frames a petrel guest sent that its tap accepted, through petrel.ko's rings (the tap's RX in ip -s link).",
	  PLAIN },
	{ PETREL_STAT_TX_BYTES, "petrel_net_tx_bytes_total",
	  "Bytes of the frames a petrel guest sent that its tap accepted, through petrel.ko's rings.",
	  PLAIN },
	{ PETREL_STAT_RX_PACKETS, "petrel_net_rx_packets_total",
	  "Frames from the tap that petrel.ko wrote into a petrel guest's ring (the tap's TX in ip -s link).",
	  PLAIN },
	{ PETREL_STAT_RX_BYTES, "petrel_net_rx_bytes_total",
	  "Bytes of the frames from the tap that petrel.ko wrote into a petrel guest's ring.",
	  PLAIN },
	{ PETREL_STAT_RX_NO_BUFFER, "petrel_net_rx_no_buffer_total",
	  "Times petrel.ko stopped receiving for a petrel guest because it had posted no RX buffer.",
	  PLAIN },
	{ PETREL_STAT_RING_FULL, "petrel_net_ring_full_total",
	  "Times petrel.ko found a petrel guest's TX ring full.", PLAIN },
	{ PETREL_STAT_RING_ERRORS, "petrel_net_ring_errors_total",
	  "Times petrel.ko found a petrel guest's ring producer index more than a ring ahead.",
	  PLAIN },
	{ PETREL_STAT_DOORBELLS, "petrel_net_doorbells_total",
	  "Doorbells (kick eventfd wakeups) a petrel guest rang for petrel.ko.",
	  PLAIN },
	{ PETREL_STAT_WAKEUPS, "petrel_net_wakeups_total",
	  "Times petrel.ko woke a petrel guest (wake eventfd signals).", PLAIN },
	{ PETREL_STAT_WORKER_RUNS, "petrel_net_worker_runs_total",
	  "Runs of petrel.ko's worker for a petrel guest's net device.", PLAIN },
};

static const struct {
	unsigned idx;
	const char *direction, *reason;
} drops[] = {
	{ PETREL_STAT_TX_DROP_BAD_DESC, "tx", "bad_descriptor" },
	{ PETREL_STAT_TX_DROP_TOO_BIG, "tx", "too_big" },
	{ PETREL_STAT_TX_DROP_TOO_SMALL, "tx", "too_small" },
	{ PETREL_STAT_TX_DROP_TAP, "tx", "tap_error" },
	{ PETREL_STAT_RX_DROP_BAD_DESC, "rx", "bad_descriptor" },
	{ PETREL_STAT_RX_DROP_TOO_BIG, "rx", "too_big" },
	{ PETREL_STAT_RX_DROP_NO_BUFFER, "rx", "no_buffer" },
	{ PETREL_STAT_RX_DROP_SMALL_BUF, "rx", "small_buffer" },
	{ PETREL_STAT_RX_DROP_TAP, "rx", "tap_error" },
};

/* Exit reasons always present: those a petrel guest meets on x86. */
static const unsigned exit_reasons[] = {
	0 /* unknown */, 1 /* exception */, 2 /* io */, 5 /* hlt */,
	6 /* mmio */, 8 /* shutdown */, 9 /* fail_entry */, 10 /* intr */,
	17 /* internal_error */,
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void family(FILE *f, const char *name, const char *help,
		   const char *type)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* A label value: backslash, double quote and newline escaped. */
static void label(FILE *f, const char *sep, const char *name, const char *v)
{
	fprintf(f, "%s%s=\"", sep, name);
	for (; *v; v++) {
		if (*v == '\\' || *v == '"')
			fputc('\\', f);
		if (*v == '\n')
			fputs("\\n", f);
		else
			fputc(*v, f);
	}
	fputc('"', f);
}

static void vm_labels(FILE *f, const char *name, const struct ps_vm *vm)
{
	char lb[16];

	fprintf(f, "%s{", name);
	label(f, "", "vm", ps_vm_label(vm, lb, sizeof(lb)));
}

static void value(FILE *f, uint64_t v, enum unit u)
{
	if (u == NS)
		fprintf(f, "} %" PRIu64 ".%09" PRIu64 "\n", v / 1000000000U,
			v % 1000000000U);
	else
		fprintf(f, "} %" PRIu64 "\n", v);
}

/* The interface name, or where the module did not say, "slot<n>". */
static const char *dev_name(const struct ps_dev *d, char *buf, size_t size)
{
	if (d->ifindex)
		return d->ifname;
	snprintf(buf, size, "slot%" PRIu32, d->id);
	return buf;
}

static void dev_labels(FILE *f, const char *name, const struct ps_vm *vm,
		       const struct ps_dev *d)
{
	char db[24];

	vm_labels(f, name, vm);
	label(f, ",", "device", dev_name(d, db, sizeof(db)));
}

static void print_vms(FILE *f, const struct ps_vm *const *v, unsigned n,
		      uint64_t now_real_ns)
{
	char nb[24];

	family(f, "petrel_vm_info",
	       "A petrel VM, with its id in petrel.ko and its tender's PID; always 1.",
	       "gauge");
	for (unsigned i = 0; i < n; i++) {
		vm_labels(f, "petrel_vm_info", v[i]);
		snprintf(nb, sizeof(nb), "%" PRIu32, v[i]->id);
		label(f, ",", "id", nb);
		/* No label where the tender has no PID in our namespace. */
		if (v[i]->pid) {
			snprintf(nb, sizeof(nb), "%" PRIu32, v[i]->pid);
			label(f, ",", "pid", nb);
		}
		value(f, 1, PLAIN);
	}
	family(f, "petrel_vm_start_time_seconds",
	       "Start time of a petrel VM since the Unix epoch in seconds.",
	       "gauge");
	for (unsigned i = 0; i < n; i++) {
		uint64_t start = T(v[i], START_TIME_NS);

		/* A tender without a counters page: from the module. */
		if (!start)
			start = now_real_ns > v[i]->uptime_ns ?
				now_real_ns - v[i]->uptime_ns : 0;
		vm_labels(f, "petrel_vm_start_time_seconds", v[i]);
		value(f, start, NS);
	}
	family(f, "petrel_vm_memory_bytes",
	       "Guest memory of a petrel VM in bytes.", "gauge");
	for (unsigned i = 0; i < n; i++) {
		vm_labels(f, "petrel_vm_memory_bytes", v[i]);
		value(f, T(v[i], MEM_BYTES), PLAIN);
	}
	for (unsigned k = 0; k < N(vm_counters); k++) {
		const struct metric *m = &vm_counters[k];

		family(f, m->name, m->help, "counter");
		for (unsigned i = 0; i < n; i++) {
			vm_labels(f, m->name, v[i]);
			value(f, v[i]->tender[m->idx], m->unit);
		}
	}
	family(f, "petrel_vm_exit_reasons_total",
	       "VM exits of a petrel guest's vCPU by KVM exit reason (KVM_EXIT_* in lower case).",
	       "counter");
	for (unsigned i = 0; i < n; i++)
		for (unsigned r = 0; r < PETREL_EXIT_REASONS_MAX; r++) {
			bool always = false;

			for (unsigned a = 0; a < N(exit_reasons); a++)
				always |= exit_reasons[a] == r;
			if (!always && !v[i]->exit_reasons[r])
				continue;
			vm_labels(f, "petrel_vm_exit_reasons_total", v[i]);
			label(f, ",", "reason",
			      ps_exit_reason_name(r, nb, sizeof(nb)));
			value(f, v[i]->exit_reasons[r], PLAIN);
		}
	family(f, "petrel_vm_hypercalls_total",
	       "Hypercalls of a petrel guest by Solo5 hvt hypercall.",
	       "counter");
	for (unsigned i = 0; i < n; i++)
		for (unsigned h = 1; h < PETREL_HYPERCALLS_MAX; h++) {
			vm_labels(f, "petrel_vm_hypercalls_total", v[i]);
			label(f, ",", "hypercall",
			      ps_hypercall_name(h, nb, sizeof(nb)));
			value(f, v[i]->hypercalls[h], PLAIN);
		}
	for (unsigned k = 0; k < N(kvm_counters); k++) {
		const struct metric *m = &kvm_counters[k];

		family(f, m->name, m->help, "counter");
		for (unsigned i = 0; i < n; i++) {
			vm_labels(f, m->name, v[i]);
			value(f, v[i]->kvm[m->idx], m->unit);
		}
	}
	family(f, "petrel_vm_kvm_pages",
	       "Mappings of a petrel guest's memory in KVM's page tables, by page size.",
	       "gauge");
	for (unsigned i = 0; i < n; i++)
		for (unsigned p = 0; p < N(kvm_pages); p++) {
			vm_labels(f, "petrel_vm_kvm_pages", v[i]);
			label(f, ",", "size", kvm_pages[p].size);
			value(f, v[i]->kvm[kvm_pages[p].idx], PLAIN);
		}
}

static void print_devs(FILE *f, const struct ps_vm *const *v, unsigned n)
{
	char nb[16];

	family(f, "petrel_net_device_info",
	       "A net device of a petrel VM: its tap's interface index, petrel.ko's slot and the ring it is on (petrel or solo5); always 1.",
	       "gauge");
	for (unsigned i = 0; i < n; i++)
		for (unsigned d = 0; d < v[i]->ndev; d++) {
			const struct ps_dev *dev = &v[i]->dev[d];

			dev_labels(f, "petrel_net_device_info", v[i], dev);
			if (dev->ifindex) {
				snprintf(nb, sizeof(nb), "%" PRIu32,
					 dev->ifindex);
				label(f, ",", "ifindex", nb);
			}
			snprintf(nb, sizeof(nb), "%" PRIu32, dev->id);
			label(f, ",", "slot", nb);
			label(f, ",", "ring", ps_ring_kind(dev));
			value(f, 1, PLAIN);
		}
	for (unsigned k = 0; k < N(net_counters); k++) {
		const struct metric *m = &net_counters[k];

		family(f, m->name, m->help, "counter");
		for (unsigned i = 0; i < n; i++)
			for (unsigned d = 0; d < v[i]->ndev; d++) {
				dev_labels(f, m->name, v[i], &v[i]->dev[d]);
				value(f, v[i]->dev[d].net.stat[m->idx], m->unit);
			}
	}
	family(f, "petrel_net_drops_total",
	       "Frames (or RX buffers) of a petrel guest that petrel.ko dropped, by direction (tx: guest to tap) and reason.",
	       "counter");
	for (unsigned i = 0; i < n; i++)
		for (unsigned d = 0; d < v[i]->ndev; d++)
			for (unsigned k = 0; k < N(drops); k++) {
				dev_labels(f, "petrel_net_drops_total", v[i],
					   &v[i]->dev[d]);
				label(f, ",", "direction", drops[k].direction);
				label(f, ",", "reason", drops[k].reason);
				value(f, v[i]->dev[d].net.stat[drops[k].idx],
				      PLAIN);
			}
}

void ps_print_prometheus(FILE *f, const struct ps_vm *const *vms, unsigned n,
			 uint64_t now_real_ns)
{
	print_vms(f, vms, n, now_real_ns);
	print_devs(f, vms, n);
}
