// SPDX-License-Identifier: ISC
#include <inttypes.h>
#include <string.h>

#include "fields.h"
#include "output.h"

#define T(vm, a) ((vm)->tender[PETREL_TENDER_A_##a])

const char *ps_vm_label(const struct ps_vm *vm, char *buf, unsigned size)
{
	if (vm->name[0])
		return vm->name;
	snprintf(buf, size, "#%" PRIu32, vm->id);
	return buf;
}

const char *ps_pid(const struct ps_vm *vm, char *buf, unsigned size)
{
	if (!vm->pid)
		return "-";
	snprintf(buf, size, "%" PRIu32, vm->pid);
	return buf;
}

uint64_t ps_rx_packets(const struct ps_vm *vm)
{
	return vm->net.stat[PETREL_STAT_RX_PACKETS] + T(vm, NET_RX_PACKETS);
}

uint64_t ps_rx_bytes(const struct ps_vm *vm)
{
	return vm->net.stat[PETREL_STAT_RX_BYTES] + T(vm, NET_RX_BYTES);
}

uint64_t ps_tx_packets(const struct ps_vm *vm)
{
	return vm->net.stat[PETREL_STAT_TX_PACKETS] + T(vm, NET_TX_PACKETS);
}

uint64_t ps_tx_bytes(const struct ps_vm *vm)
{
	return vm->net.stat[PETREL_STAT_TX_BYTES] + T(vm, NET_TX_BYTES);
}

uint64_t ps_drops(const struct ps_vm *vm)
{
	static const unsigned drop[] = {
		PETREL_STAT_TX_DROP_BAD_DESC, PETREL_STAT_TX_DROP_TOO_BIG,
		PETREL_STAT_TX_DROP_TOO_SMALL, PETREL_STAT_TX_DROP_TAP,
		PETREL_STAT_RX_DROP_BAD_DESC, PETREL_STAT_RX_DROP_TOO_BIG,
		PETREL_STAT_RX_DROP_NO_BUFFER, PETREL_STAT_RX_DROP_SMALL_BUF,
		PETREL_STAT_RX_DROP_TAP,
	};
	uint64_t sum = 0;

	for (unsigned i = 0; i < sizeof(drop) / sizeof(drop[0]); i++)
		sum += vm->net.stat[drop[i]];
	return sum;
}

static void fmt_uptime(char *buf, size_t size, uint64_t ns)
{
	uint64_t s = ns / 1000000000U;

	if (s < 60)
		snprintf(buf, size, "%" PRIu64 "s", s);
	else if (s < 3600)
		snprintf(buf, size, "%" PRIu64 "m%02" PRIu64 "s", s / 60,
			 s % 60);
	else if (s < 86400)
		snprintf(buf, size, "%" PRIu64 "h%02" PRIu64 "m", s / 3600,
			 s / 60 % 60);
	else
		snprintf(buf, size, "%" PRIu64 "d%02" PRIu64 "h", s / 86400,
			 s / 3600 % 24);
}

void ps_print_list(FILE *f, const struct ps_vm *vms, unsigned n)
{
	fprintf(f, "%-31s %8s %8s %8s %10s %12s %10s %12s %8s %12s\n",
		"NAME", "PID", "UPTIME", "MEM_MIB", "RX_PKTS", "RX_BYTES",
		"TX_PKTS", "TX_BYTES", "DROPS", "EXITS");
	for (unsigned i = 0; i < n; i++) {
		const struct ps_vm *vm = &vms[i];
		char up[32], lb[16], pid[16];

		fmt_uptime(up, sizeof(up), vm->uptime_ns);
		fprintf(f, "%-31s %8s %8s %8" PRIu64 " %10" PRIu64
			" %12" PRIu64 " %10" PRIu64 " %12" PRIu64 " %8" PRIu64
			" %12" PRIu64 "\n",
			ps_vm_label(vm, lb, sizeof(lb)),
			ps_pid(vm, pid, sizeof(pid)), up,
			T(vm, MEM_BYTES) >> 20, ps_rx_packets(vm),
			ps_rx_bytes(vm), ps_tx_packets(vm), ps_tx_bytes(vm),
			ps_drops(vm), T(vm, EXITS));
	}
}

/* One "key value" line of `show`, keys aligned in one column. */
static void show_kv(FILE *f, const char *key, uint64_t v)
{
	fprintf(f, "  %-28s %" PRIu64 "\n", key, v);
}

static void show_net(FILE *f, const struct ps_net *s)
{
	for (unsigned i = 0; i < ps_net_nfields; i++)
		show_kv(f, ps_net_fields[i].key, s->stat[ps_net_fields[i].idx]);
	for (unsigned d = 0; d < 2; d++) {
		const uint64_t *h = d ? s->rx_batch : s->tx_batch;

		fprintf(f, "  %-28s", d ? "rx_batch_hist" : "tx_batch_hist");
		for (unsigned b = 0; b < PETREL_HIST_BUCKETS; b++)
			fprintf(f, " %" PRIu64, h[b]);
		fputc('\n', f);
	}
}

void ps_print_show(FILE *f, const struct ps_vm *vm)
{
	char lb[16], nb[16], pid[16];

	fprintf(f, "vm %s\n", ps_vm_label(vm, lb, sizeof(lb)));
	show_kv(f, "id", vm->id);
	fprintf(f, "  %-28s %s\n", "pid", ps_pid(vm, pid, sizeof(pid)));
	show_kv(f, "uptime_ns", vm->uptime_ns);
	fprintf(f, "net (all devices, petrel.ko rings)\n");
	show_net(f, &vm->net);
	for (unsigned d = 0; d < vm->ndev; d++) {
		const struct ps_dev *dev = &vm->dev[d];

		fprintf(f, "device %" PRIu32 "\n", dev->id);
		show_kv(f, "ring_size_descs", dev->ring_size);
		show_kv(f, "region_size_bytes", dev->region_size);
		fprintf(f, "  %-28s %#" PRIx32 "\n", "flags", dev->flags);
		show_net(f, &dev->net);
	}
	if (!vm->has_tender)
		return;
	fprintf(f, "tender\n");
	for (unsigned i = 0; i < ps_tender_nfields; i++)
		if (vm->tender_has & (1ULL << ps_tender_fields[i].idx))
			show_kv(f, ps_tender_fields[i].key,
				vm->tender[ps_tender_fields[i].idx]);
	fprintf(f, "hypercalls\n");
	for (unsigned i = 1; i < PETREL_HYPERCALLS_MAX; i++)
		if (vm->hypercalls[i])
			show_kv(f, ps_hypercall_name(i, nb, sizeof(nb)),
				vm->hypercalls[i]);
	fprintf(f, "exit reasons\n");
	for (unsigned i = 0; i < PETREL_EXIT_REASONS_MAX; i++)
		if (vm->exit_reasons[i])
			show_kv(f, ps_exit_reason_name(i, nb, sizeof(nb)),
				vm->exit_reasons[i]);
	if (!vm->kvm_has)
		return;
	fprintf(f, "kvm\n");
	for (unsigned i = 0; i < ps_kvm_nfields; i++)
		if (vm->kvm_has & (1ULL << ps_kvm_fields[i].idx))
			show_kv(f, ps_kvm_fields[i].key,
				vm->kvm[ps_kvm_fields[i].idx]);
}

/* ---- JSON ---- */

/* Names are [A-Za-z0-9._-] or "#<id>": nothing to escape. */
static void json_net(FILE *f, const struct ps_net *s)
{
	for (unsigned i = 0; i < ps_net_nfields; i++)
		fprintf(f, "%s\"%s\":%" PRIu64, i ? "," : "",
			ps_net_fields[i].key, s->stat[ps_net_fields[i].idx]);
	for (unsigned d = 0; d < 2; d++) {
		const uint64_t *h = d ? s->rx_batch : s->tx_batch;

		fprintf(f, ",\"%s\":[", d ? "rx_batch_hist" : "tx_batch_hist");
		for (unsigned b = 0; b < PETREL_HIST_BUCKETS; b++)
			fprintf(f, "%s%" PRIu64, b ? "," : "", h[b]);
		fputc(']', f);
	}
}

static void json_tender(FILE *f, const struct ps_vm *vm)
{
	const char *sep = "";
	char nb[16];

	fprintf(f, ",\"tender\":{");
	for (unsigned i = 0; i < ps_tender_nfields; i++) {
		if (!(vm->tender_has & (1ULL << ps_tender_fields[i].idx)))
			continue;
		fprintf(f, "%s\"%s\":%" PRIu64, sep, ps_tender_fields[i].key,
			vm->tender[ps_tender_fields[i].idx]);
		sep = ",";
	}
	fprintf(f, "%s\"hypercalls\":{", sep);
	for (unsigned i = 1; i < PETREL_HYPERCALLS_MAX; i++)
		fprintf(f, "%s\"%s\":%" PRIu64, i > 1 ? "," : "",
			ps_hypercall_name(i, nb, sizeof(nb)),
			vm->hypercalls[i]);
	fprintf(f, "},\"exit_reasons\":{");
	sep = "";
	for (unsigned i = 0; i < PETREL_EXIT_REASONS_MAX; i++) {
		if (!vm->exit_reasons[i])
			continue;
		fprintf(f, "%s\"%s\":%" PRIu64, sep,
			ps_exit_reason_name(i, nb, sizeof(nb)),
			vm->exit_reasons[i]);
		sep = ",";
	}
	fprintf(f, "},\"kvm\":{");
	sep = "";
	for (unsigned i = 0; i < ps_kvm_nfields; i++) {
		if (!(vm->kvm_has & (1ULL << ps_kvm_fields[i].idx)))
			continue;
		fprintf(f, "%s\"%s\":%" PRIu64, sep, ps_kvm_fields[i].key,
			vm->kvm[ps_kvm_fields[i].idx]);
		sep = ",";
	}
	fprintf(f, "}}");
}

void ps_print_json(FILE *f, const struct ps_vm *vm, const char *event)
{
	fputc('{', f);
	if (event)
		fprintf(f, "\"event\":\"%s\",", event);
	fprintf(f, "\"id\":%" PRIu32 ",\"name\":", vm->id);
	if (vm->name[0])
		fprintf(f, "\"%s\"", vm->name);
	else
		fprintf(f, "null");
	if (vm->pid)
		fprintf(f, ",\"pid\":%" PRIu32, vm->pid);
	else
		fprintf(f, ",\"pid\":null");
	fprintf(f, ",\"uptime_ns\":%" PRIu64 ",\"memory_bytes\":%" PRIu64,
		vm->uptime_ns, T(vm, MEM_BYTES));
	fprintf(f, ",\"rx_packets\":%" PRIu64 ",\"rx_bytes\":%" PRIu64
		",\"tx_packets\":%" PRIu64 ",\"tx_bytes\":%" PRIu64
		",\"drop_packets\":%" PRIu64, ps_rx_packets(vm),
		ps_rx_bytes(vm), ps_tx_packets(vm), ps_tx_bytes(vm),
		ps_drops(vm));
	fprintf(f, ",\"net\":{");
	json_net(f, &vm->net);
	fprintf(f, "},\"devices\":[");
	for (unsigned d = 0; d < vm->ndev; d++) {
		const struct ps_dev *dev = &vm->dev[d];

		fprintf(f, "%s{\"device\":%" PRIu32 ",\"ring_size_descs\":%"
			PRIu32 ",\"region_size_bytes\":%" PRIu64
			",\"flags\":%" PRIu32 ",", d ? "," : "", dev->id,
			dev->ring_size, dev->region_size, dev->flags);
		json_net(f, &dev->net);
		fputc('}', f);
	}
	fputc(']', f);
	if (vm->has_tender)
		json_tender(f, vm);
	fprintf(f, "}\n");
}

/* ---- Prometheus text exposition format 0.0.4 ---- */

static void prom_family(FILE *f, const char *name, const char *help,
			bool gauge)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name,
		gauge ? "gauge" : "counter");
}

/* petrel_<key>[_total], with a trailing _ns become _seconds. */
static void prom_name(char *buf, size_t size, const char *prefix,
		      const char *key, bool gauge)
{
	size_t n = strlen(key);
	bool ns = n > 3 && !strcmp(key + n - 3, "_ns");

	snprintf(buf, size, "petrel_%s%.*s%s%s", prefix,
		 (int)(ns ? n - 3 : n), key, ns ? "_seconds" : "",
		 gauge ? "" : "_total");
}

static void prom_value(FILE *f, uint64_t v, bool ns)
{
	if (ns)
		fprintf(f, "%" PRIu64 ".%09" PRIu64 "\n",
			(uint64_t)(v / 1000000000U), (uint64_t)(v % 1000000000U));
	else
		fprintf(f, "%" PRIu64 "\n", v);
}

static bool key_ns(const char *key)
{
	size_t n = strlen(key);

	return n > 3 && !strcmp(key + n - 3, "_ns");
}

void ps_print_prometheus(FILE *f, const struct ps_vm *vms, unsigned n)
{
	char name[96], lb[16], nb[16];

	prom_family(f, "petrel_vm_info", "A petrel VM (value 1).", true);
	for (unsigned i = 0; i < n; i++) {
		fprintf(f, "petrel_vm_info{vm=\"%s\",id=\"%" PRIu32 "\"",
			ps_vm_label(&vms[i], lb, sizeof(lb)), vms[i].id);
		/* No label where the tender has no PID in our namespace. */
		if (vms[i].pid)
			fprintf(f, ",pid=\"%" PRIu32 "\"", vms[i].pid);
		fprintf(f, "} 1\n");
	}
	prom_family(f, "petrel_uptime_seconds",
		    "Time since the VM was created.", true);
	for (unsigned i = 0; i < n; i++) {
		fprintf(f, "petrel_uptime_seconds{vm=\"%s\"} ",
			ps_vm_label(&vms[i], lb, sizeof(lb)));
		prom_value(f, vms[i].uptime_ns, true);
	}

	/* Net: per device (a VM's total would double every sum). */
	for (unsigned k = 0; k < ps_net_nfields; k++) {
		const struct ps_field *fl = &ps_net_fields[k];

		prom_name(name, sizeof(name), "net_", fl->key, fl->gauge);
		prom_family(f, name, fl->help, fl->gauge);
		for (unsigned i = 0; i < n; i++)
			for (unsigned d = 0; d < vms[i].ndev; d++)
				fprintf(f, "%s{vm=\"%s\",device=\"%" PRIu32
					"\"} %" PRIu64 "\n", name,
					ps_vm_label(&vms[i], lb, sizeof(lb)),
					vms[i].dev[d].id,
					vms[i].dev[d].net.stat[fl->idx]);
	}

	for (unsigned k = 0; k < ps_tender_nfields; k++) {
		const struct ps_field *fl = &ps_tender_fields[k];

		prom_name(name, sizeof(name), "", fl->key, fl->gauge);
		prom_family(f, name, fl->help, fl->gauge);
		for (unsigned i = 0; i < n; i++) {
			if (!(vms[i].tender_has & (1ULL << fl->idx)))
				continue;
			fprintf(f, "%s{vm=\"%s\"} ", name,
				ps_vm_label(&vms[i], lb, sizeof(lb)));
			prom_value(f, vms[i].tender[fl->idx], key_ns(fl->key));
		}
	}

	prom_family(f, "petrel_hypercalls_total",
		    "Hypercalls by hvt hypercall.", false);
	for (unsigned i = 0; i < n; i++)
		for (unsigned h = 1; vms[i].has_tender &&
		     h < PETREL_HYPERCALLS_MAX; h++)
			if (vms[i].hypercalls[h])
				fprintf(f, "petrel_hypercalls_total{vm=\"%s\","
					"hypercall=\"%s\"} %" PRIu64 "\n",
					ps_vm_label(&vms[i], lb, sizeof(lb)),
					ps_hypercall_name(h, nb, sizeof(nb)),
					vms[i].hypercalls[h]);
	prom_family(f, "petrel_exit_reasons_total",
		    "VM exits by KVM exit reason.", false);
	for (unsigned i = 0; i < n; i++)
		for (unsigned r = 0; r < PETREL_EXIT_REASONS_MAX; r++)
			if (vms[i].exit_reasons[r])
				fprintf(f, "petrel_exit_reasons_total{vm=\"%s\","
					"reason=\"%s\"} %" PRIu64 "\n",
					ps_vm_label(&vms[i], lb, sizeof(lb)),
					ps_exit_reason_name(r, nb, sizeof(nb)),
					vms[i].exit_reasons[r]);

	for (unsigned k = 0; k < ps_kvm_nfields; k++) {
		const struct ps_field *fl = &ps_kvm_fields[k];

		prom_name(name, sizeof(name), "kvm_", fl->key, fl->gauge);
		prom_family(f, name, fl->help, fl->gauge);
		for (unsigned i = 0; i < n; i++)
			if (vms[i].kvm_has & (1ULL << fl->idx))
				fprintf(f, "%s{vm=\"%s\"} %" PRIu64 "\n", name,
					ps_vm_label(&vms[i], lb, sizeof(lb)),
					vms[i].kvm[fl->idx]);
	}
}
