// SPDX-License-Identifier: ISC
/*
 * JSON output through json-c: one VM as an object (list, show, events) and
 * one watch sample. Keys are petrel-stat.schema.json's; it lets consumers
 * ignore keys added later, and PS_JSON_SCHEMA_VERSION says which keys and
 * meanings a document follows.
 */
#include <stdlib.h>

#include <json-c/json.h>

#include "fields.h"
#include "output.h"

#define T(vm, a) ((vm)->tender[PETREL_TENDER_A_##a])

/* @v NULL: JSON null (json-c's own way), else NULL is out of memory. */
static void add_or_null(json_object *o, const char *key, json_object *v)
{
	if (json_object_object_add(o, key, v)) {
		fputs("petrel-stat: out of memory\n", stderr);
		exit(PS_ERR_SYS);
	}
}

static void add(json_object *o, const char *key, json_object *v)
{
	/* json-c cannot fail here but on memory: then give up, as printf. */
	if (!v || json_object_object_add(o, key, v)) {
		fputs("petrel-stat: out of memory\n", stderr);
		exit(PS_ERR_SYS);
	}
}

static json_object *obj(void)
{
	json_object *o = json_object_new_object();

	if (!o) {
		fputs("petrel-stat: out of memory\n", stderr);
		exit(PS_ERR_SYS);
	}
	return o;
}

static json_object *arr(void)
{
	json_object *a = json_object_new_array();

	if (!a) {
		fputs("petrel-stat: out of memory\n", stderr);
		exit(PS_ERR_SYS);
	}
	return a;
}

static void push(json_object *a, json_object *v)
{
	if (!v || json_object_array_add(a, v)) {
		fputs("petrel-stat: out of memory\n", stderr);
		exit(PS_ERR_SYS);
	}
}

static void add_u64(json_object *o, const char *key, uint64_t v)
{
	add(o, key, json_object_new_uint64(v));
}

static void add_net(json_object *o, const struct ps_net *s)
{
	for (unsigned i = 0; i < ps_net_nfields; i++)
		add_u64(o, ps_net_fields[i].key, s->stat[ps_net_fields[i].idx]);
	for (unsigned d = 0; d < 2; d++) {
		const uint64_t *h = d ? s->rx_batch : s->tx_batch;
		json_object *a = arr();

		for (unsigned b = 0; b < PETREL_HIST_BUCKETS; b++)
			push(a, json_object_new_uint64(h[b]));
		add(o, d ? "rx_batch_hist" : "tx_batch_hist", a);
	}
}

static json_object *tender(const struct ps_vm *vm)
{
	json_object *t = obj(), *hc = obj(), *ex = obj(), *kvm = obj();
	char nb[16];

	for (unsigned i = 0; i < ps_tender_nfields; i++)
		if (vm->tender_has & (1ULL << ps_tender_fields[i].idx))
			add_u64(t, ps_tender_fields[i].key,
				vm->tender[ps_tender_fields[i].idx]);
	for (unsigned i = 1; i < PETREL_HYPERCALLS_MAX; i++)
		add_u64(hc, ps_hypercall_name(i, nb, sizeof(nb)),
			vm->hypercalls[i]);
	add(t, "hypercalls", hc);
	for (unsigned i = 0; i < PETREL_EXIT_REASONS_MAX; i++)
		if (vm->exit_reasons[i])
			add_u64(ex, ps_exit_reason_name(i, nb, sizeof(nb)),
				vm->exit_reasons[i]);
	add(t, "exit_reasons", ex);
	for (unsigned i = 0; i < ps_kvm_nfields; i++)
		if (vm->kvm_has & (1ULL << ps_kvm_fields[i].idx))
			add_u64(kvm, ps_kvm_fields[i].key,
				vm->kvm[ps_kvm_fields[i].idx]);
	add(t, "kvm", kvm);
	return t;
}

static json_object *vm_object(const struct ps_vm *vm, const char *event,
			      const char *stamp)
{
	json_object *o = obj(), *net = obj(), *devs = arr();

	add(o, "schema_version", json_object_new_int(PS_JSON_SCHEMA_VERSION));
	if (event)
		add(o, "event", json_object_new_string(event));
	if (stamp)
		add(o, "timestamp", json_object_new_string(stamp));
	add(o, "id", json_object_new_uint64(vm->id));
	if (vm->name[0])
		add(o, "name", json_object_new_string(vm->name));
	else
		add_or_null(o, "name", NULL);
	if (vm->pid)
		add(o, "pid", json_object_new_uint64(vm->pid));
	else
		add_or_null(o, "pid", NULL);
	add_u64(o, "uptime_ns", vm->uptime_ns);
	add_u64(o, "memory_bytes", T(vm, MEM_BYTES));
	add_u64(o, "rx_packets", ps_rx_packets(vm));
	add_u64(o, "rx_bytes", ps_rx_bytes(vm));
	add_u64(o, "tx_packets", ps_tx_packets(vm));
	add_u64(o, "tx_bytes", ps_tx_bytes(vm));
	add_u64(o, "drop_packets", ps_drops(vm));
	add_net(net, &vm->net);
	add(o, "net", net);
	for (unsigned d = 0; d < vm->ndev; d++) {
		const struct ps_dev *dev = &vm->dev[d];
		json_object *j = obj();

		add_u64(j, "device", dev->id);
		if (dev->ifindex) {
			add(j, "ifindex", json_object_new_uint64(dev->ifindex));
			add(j, "ifname", json_object_new_string(dev->ifname));
		} else {
			add_or_null(j, "ifindex", NULL);
			add_or_null(j, "ifname", NULL);
		}
		add(j, "ring", json_object_new_string(ps_ring_kind(dev)));
		if (dev->flags & PETREL_NET_F_HVT_RING)
			add_u64(j, "solo5_handle", dev->hvt_handle);
		add_u64(j, "ring_size_descs", dev->ring_size);
		add_u64(j, "region_size_bytes", dev->region_size);
		add_u64(j, "flags", dev->flags);
		add_net(j, &dev->net);
		push(devs, j);
	}
	add(o, "devices", devs);
	if (vm->has_hvt_ring) {
		json_object *r = obj();

		add_net(r, &vm->hvt_ring);
		add(o, "solo5_ring", r);
	}
	if (vm->has_tender)
		add(o, "tender", tender(vm));
	return o;
}

/* One line: the document and a newline; frees @o. */
static void emit(FILE *f, json_object *o)
{
	fprintf(f, "%s\n", json_object_to_json_string_ext(o,
		JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
}

void ps_print_json(FILE *f, const struct ps_vm *vm, const char *event,
		   const char *stamp)
{
	emit(f, vm_object(vm, event, stamp));
}

void ps_print_json_list(FILE *f, const struct ps_vm *const *vms, unsigned n)
{
	json_object *a = arr();

	for (unsigned i = 0; i < n; i++)
		push(a, vm_object(vms[i], NULL, NULL));
	emit(f, a);
}

static json_object *rates(json_object *o, const struct ps_rates *r)
{
	for (unsigned k = 0; k < PS_RATE_N; k++)
		add(o, ps_rate_keys[k], json_object_new_double(r->v[k]));
	return o;
}

void ps_print_json_watch(FILE *f, const char *stamp, double interval,
			 const struct ps_watch_row *rows, unsigned n,
			 const struct ps_rates *total)
{
	json_object *o = obj(), *a = arr();

	add(o, "schema_version", json_object_new_int(PS_JSON_SCHEMA_VERSION));
	add(o, "timestamp", json_object_new_string(stamp));
	add(o, "interval_seconds", json_object_new_double(interval));
	for (unsigned i = 0; i < n; i++) {
		json_object *v = obj();

		add(v, "id", json_object_new_uint64(rows[i].vm->id));
		if (rows[i].vm->name[0])
			add(v, "name", json_object_new_string(rows[i].vm->name));
		else
			add_or_null(v, "name", NULL);
		push(a, rates(v, &rows[i].r));
	}
	add(o, "vms", a);
	add(o, "total", rates(obj(), total));
	emit(f, o);
}

void ps_json_init(void)
{
	/* Rates: fixed point, not 17 digits of binary noise. */
	json_c_set_serialization_double_format("%.3f", JSON_C_OPTION_GLOBAL);
}
