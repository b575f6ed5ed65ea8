// SPDX-License-Identifier: ISC
#include <inttypes.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

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

#define LIST_HDR "%-31s %8s %8s %8s %10s %12s %10s %12s %8s %12s\n"
#define LIST_ROW "%-31s %8s %8s %8" PRIu64 " %10" PRIu64 " %12" PRIu64 \
		 " %10" PRIu64 " %12" PRIu64 " %8" PRIu64 " %12" PRIu64 "\n"

void ps_print_list(FILE *f, const struct ps_vm *const *vms, unsigned n)
{
	uint64_t mem = 0, rxp = 0, rxb = 0, txp = 0, txb = 0, drops = 0;
	uint64_t exits = 0;

	fprintf(f, LIST_HDR, "NAME", "PID", "UPTIME", "MEM_MIB", "RX_PKTS",
		"RX_BYTES", "TX_PKTS", "TX_BYTES", "DROPS", "EXITS");
	for (unsigned i = 0; i < n; i++) {
		const struct ps_vm *vm = vms[i];
		char up[32], lb[16], pid[16];

		fmt_uptime(up, sizeof(up), vm->uptime_ns);
		fprintf(f, LIST_ROW, ps_vm_label(vm, lb, sizeof(lb)),
			ps_pid(vm, pid, sizeof(pid)), up,
			T(vm, MEM_BYTES) >> 20, ps_rx_packets(vm),
			ps_rx_bytes(vm), ps_tx_packets(vm), ps_tx_bytes(vm),
			ps_drops(vm), T(vm, EXITS));
		/* Wrapping needs 2^64 bytes: sums as the counters are. */
		mem += T(vm, MEM_BYTES);
		rxp += ps_rx_packets(vm);
		rxb += ps_rx_bytes(vm);
		txp += ps_tx_packets(vm);
		txb += ps_tx_bytes(vm);
		drops += ps_drops(vm);
		exits += T(vm, EXITS);
	}
	/* "(total)" cannot be a VM's name: '(' is not allowed in one. */
	fprintf(f, LIST_ROW, "(total)", "-", "-", mem >> 20, rxp, rxb, txp,
		txb, drops, exits);
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
		fprintf(f, "  %-28s %s\n", "ifname",
			dev->ifindex ? dev->ifname : "-");
		if (dev->ifindex)
			show_kv(f, "ifindex", dev->ifindex);
		else
			fprintf(f, "  %-28s -\n", "ifindex");
		fprintf(f, "  %-28s %s\n", "ring", ps_ring_kind(dev));
		if (dev->flags & PETREL_NET_F_HVT_RING)
			show_kv(f, "solo5_handle", dev->hvt_handle);
		show_kv(f, "ring_size_descs", dev->ring_size);
		show_kv(f, "region_size_bytes", dev->region_size);
		fprintf(f, "  %-28s %#" PRIx32 "\n", "flags", dev->flags);
		show_net(f, &dev->net);
	}
	if (vm->has_hvt_ring) {
		fprintf(f, "solo5 ring (kicks, runs, entries no device took)\n");
		show_net(f, &vm->hvt_ring);
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

/* ---- watch ---- */

const char *const ps_rate_keys[PS_RATE_N] = {
	"rx_packets_per_second", "rx_bytes_per_second",
	"tx_packets_per_second", "tx_bytes_per_second",
	"drop_packets_per_second", "exits_per_second",
};

double ps_rate(uint64_t now, uint64_t before, double dt)
{
	/* A counter that went back (never expected): no rate. */
	return now >= before && dt > 0 ? (double)(now - before) / dt : 0.0;
}

void ps_rates(struct ps_rates *r, const struct ps_vm *c,
	      const struct ps_vm *p, double dt)
{
	r->v[PS_RATE_RX_PACKETS] = ps_rate(ps_rx_packets(c), ps_rx_packets(p),
					   dt);
	r->v[PS_RATE_RX_BYTES] = ps_rate(ps_rx_bytes(c), ps_rx_bytes(p), dt);
	r->v[PS_RATE_TX_PACKETS] = ps_rate(ps_tx_packets(c), ps_tx_packets(p),
					   dt);
	r->v[PS_RATE_TX_BYTES] = ps_rate(ps_tx_bytes(c), ps_tx_bytes(p), dt);
	r->v[PS_RATE_DROPS] = ps_rate(ps_drops(c), ps_drops(p), dt);
	r->v[PS_RATE_EXITS] = ps_rate(T(c, EXITS), T(p, EXITS), dt);
}

const char *ps_timestamp(char *buf, unsigned size)
{
	struct timeval tv;
	struct tm tm;
	char s[32];

	gettimeofday(&tv, NULL);
	gmtime_r(&tv.tv_sec, &tm);
	strftime(s, sizeof(s), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf, size, "%s.%06ldZ", s, (long)tv.tv_usec);
	return buf;
}

#define WATCH_HDR "%-31s %10s %12s %10s %12s %8s %10s"
#define WATCH_ROW "%-31s %10.1f %12.1f %10.1f %12.1f %8.1f %10.1f"

static void watch_row(FILE *f, const char *eol, const char *name,
		      const struct ps_rates *r)
{
	fprintf(f, WATCH_ROW "%s", name, r->v[0], r->v[1], r->v[2], r->v[3],
		r->v[4], r->v[5], eol);
}

void ps_print_watch(FILE *f, bool tty, unsigned rows, const char *stamp,
		    double interval, const struct ps_watch_row *r, unsigned n,
		    const struct ps_rates *total)
{
	/*
	 * On a terminal, as top: home, each line cleared to its end, the
	 * rest of the screen cleared, so nothing scrolls and nothing is
	 * left of a longer frame before.
	 */
	const char *eol = tty ? "\033[K\n" : "\n";
	unsigned shown = n;
	char lb[16];

	if (tty) {
		fputs("\033[H", f);
		/* Header, column names, totals and the line the cursor is on. */
		if (rows < 5)
			rows = 5;
		if (shown > rows - 4)
			shown = rows - 4;
	} else {
		fputc('\n', f);
	}
	fprintf(f, "%s  every %.2fs  %u VMs%s", stamp, interval, n, eol);
	fprintf(f, WATCH_HDR "%s", "NAME", "RX_PKT/S", "RX_BYTE/S", "TX_PKT/S",
		"TX_BYTE/S", "DROP/S", "EXITS/S", eol);
	for (unsigned i = 0; i < shown; i++)
		watch_row(f, eol, ps_vm_label(r[i].vm, lb, sizeof(lb)), &r[i].r);
	watch_row(f, eol, "(total)", total);
	if (tty)
		fputs("\033[J", f);
	fflush(f);
}

/* ---- --sort keys ---- */

static const struct {
	const char *name;
	int kind;
} top_keys[] = {
	{ "name", PS_K_NAME }, { "id", PS_K_ID }, { "pid", PS_K_PID },
	{ "uptime_ns", PS_K_UPTIME }, { "rx_packets", PS_K_RX_PACKETS },
	{ "rx_bytes", PS_K_RX_BYTES }, { "tx_packets", PS_K_TX_PACKETS },
	{ "tx_bytes", PS_K_TX_BYTES }, { "drop_packets", PS_K_DROPS },
};

bool ps_key_parse(const char *name, struct ps_key *k)
{
	for (unsigned i = 0; i < sizeof(top_keys) / sizeof(top_keys[0]); i++)
		if (!strcmp(name, top_keys[i].name)) {
			k->kind = top_keys[i].kind;
			k->idx = 0;
			return true;
		}
	for (unsigned i = 0; i < ps_tender_nfields; i++)
		if (!strcmp(name, ps_tender_fields[i].key)) {
			k->kind = PS_K_TENDER;
			k->idx = ps_tender_fields[i].idx;
			return true;
		}
	for (unsigned i = 0; i < ps_net_nfields; i++)
		if (!strcmp(name, ps_net_fields[i].key)) {
			k->kind = PS_K_NET;
			k->idx = ps_net_fields[i].idx;
			return true;
		}
	return false;
}

void ps_key_names(FILE *f)
{
	for (unsigned i = 0; i < sizeof(top_keys) / sizeof(top_keys[0]); i++)
		fprintf(f, "%s%s", i ? " " : "", top_keys[i].name);
	for (unsigned i = 0; i < ps_tender_nfields; i++)
		fprintf(f, " %s", ps_tender_fields[i].key);
	for (unsigned i = 0; i < ps_net_nfields; i++) {
		struct ps_key k;

		/* rx_packets and the like: the VM's, above, shadow these. */
		if (ps_key_parse(ps_net_fields[i].key, &k) &&
		    k.kind == PS_K_NET)
			fprintf(f, " %s", ps_net_fields[i].key);
	}
}

uint64_t ps_key_value(const struct ps_vm *vm, const struct ps_key *k)
{
	switch (k->kind) {
	case PS_K_NAME:
		return 0;	/* no number: ps_key_cmp() compares labels */
	case PS_K_ID:
		return vm->id;
	case PS_K_PID:
		return vm->pid;
	case PS_K_UPTIME:
		return vm->uptime_ns;
	case PS_K_RX_PACKETS:
		return ps_rx_packets(vm);
	case PS_K_RX_BYTES:
		return ps_rx_bytes(vm);
	case PS_K_TX_PACKETS:
		return ps_tx_packets(vm);
	case PS_K_TX_BYTES:
		return ps_tx_bytes(vm);
	case PS_K_DROPS:
		return ps_drops(vm);
	case PS_K_NET:
		return vm->net.stat[k->idx];
	case PS_K_TENDER:
		return vm->tender[k->idx];
	}
	return 0;
}

int ps_key_cmp(const struct ps_vm *a, const struct ps_vm *b,
	       const struct ps_key *k)
{
	char la[16], lbuf[16];
	uint64_t x, y;
	int c;

	switch (k->kind) {
	case PS_K_NAME:
		c = strcmp(ps_vm_label(a, la, sizeof(la)),
			   ps_vm_label(b, lbuf, sizeof(lbuf)));
		if (c)
			return c;
		break;
	case PS_K_ID:
		break;
	default:
		x = ps_key_value(a, k);
		y = ps_key_value(b, k);
		if (x != y)
			return x > y ? -1 : 1;
	}
	return a->id < b->id ? -1 : a->id > b->id;
}
