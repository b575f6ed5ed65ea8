/* SPDX-License-Identifier: ISC */
/* The output formats of petrel-stat: tables, full text, JSON, Prometheus. */
#ifndef PETREL_STAT_OUTPUT_H
#define PETREL_STAT_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>

#include "vmstat.h"

/*
 * Version of the JSON documents (petrel-stat.schema.json): raised when a
 * key changes meaning or goes away, not when one is added.
 */
#define PS_JSON_SCHEMA_VERSION 2

/* The VM's name, or "#<id>" when it has none. */
const char *ps_vm_label(const struct ps_vm *vm, char *buf, unsigned size);

/*
 * The tender's PID in our PID namespace, or "-" where it has none there
 * (the module then sends none, and events never carry one).
 */
const char *ps_pid(const struct ps_vm *vm, char *buf, unsigned size);

/* Traffic as the host saw it: petrel.ko's rings plus the tender's taps. */
uint64_t ps_rx_packets(const struct ps_vm *vm);
uint64_t ps_rx_bytes(const struct ps_vm *vm);
uint64_t ps_tx_packets(const struct ps_vm *vm);
uint64_t ps_tx_bytes(const struct ps_vm *vm);
uint64_t ps_drops(const struct ps_vm *vm);

/* What watch shows, per second, in this order. */
enum {
	PS_RATE_RX_PACKETS, PS_RATE_RX_BYTES, PS_RATE_TX_PACKETS,
	PS_RATE_TX_BYTES, PS_RATE_DROPS, PS_RATE_EXITS, PS_RATE_N
};
extern const char *const ps_rate_keys[PS_RATE_N];	/* JSON keys */
struct ps_rates {
	double v[PS_RATE_N];
};
struct ps_watch_row {
	const struct ps_vm *vm;
	struct ps_rates r;
	double sort;		/* the --sort key's rate */
};
/* Rates of @cur since @prev, @dt seconds before. */
void ps_rates(struct ps_rates *r, const struct ps_vm *cur,
	      const struct ps_vm *prev, double dt);
double ps_rate(uint64_t now, uint64_t before, double dt);

/* Now as RFC 3339 UTC with microseconds, as `ip -ts monitor` prints it. */
const char *ps_timestamp(char *buf, unsigned size);

/* The list table: @vms then a totals row. */
void ps_print_list(FILE *f, const struct ps_vm *const *vms, unsigned n);
void ps_print_show(FILE *f, const struct ps_vm *vm);
/*
 * The watch table: on a terminal (@tty) redrawn in place and cut to
 * @rows lines, else printed whole after a blank line.
 */
void ps_print_watch(FILE *f, bool tty, unsigned rows, const char *stamp,
		    double interval, const struct ps_watch_row *r, unsigned n,
		    const struct ps_rates *total);

void ps_json_init(void);
/* One object, one line; @event NULL or "new"/"del", @stamp NULL or one. */
void ps_print_json(FILE *f, const struct ps_vm *vm, const char *event,
		   const char *stamp);
/* One array, one line. */
void ps_print_json_list(FILE *f, const struct ps_vm *const *vms, unsigned n);
void ps_print_json_watch(FILE *f, const char *stamp, double interval,
			 const struct ps_watch_row *rows, unsigned n,
			 const struct ps_rates *total);

/* @now_real_ns: CLOCK_REALTIME, to turn uptimes into start times. */
void ps_print_prometheus(FILE *f, const struct ps_vm *const *vms, unsigned n,
			 uint64_t now_real_ns);

/* --sort keys: a JSON key of the VM object, its net or its tender. */
struct ps_key {
	enum { PS_K_NAME, PS_K_ID, PS_K_PID, PS_K_UPTIME, PS_K_RX_PACKETS,
	       PS_K_RX_BYTES, PS_K_TX_PACKETS, PS_K_TX_BYTES, PS_K_DROPS,
	       PS_K_NET, PS_K_TENDER } kind;
	unsigned idx;		/* PS_K_NET, PS_K_TENDER: attribute */
};
bool ps_key_parse(const char *name, struct ps_key *k);
void ps_key_names(FILE *f);
uint64_t ps_key_value(const struct ps_vm *vm, const struct ps_key *k);
/* qsort order of two VMs by @k: names and ids up, numbers down. */
int ps_key_cmp(const struct ps_vm *a, const struct ps_vm *b,
	       const struct ps_key *k);

#endif /* PETREL_STAT_OUTPUT_H */
