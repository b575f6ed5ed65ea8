/* SPDX-License-Identifier: ISC */
/* The output formats of petrel-stat: table, full text, JSON, Prometheus. */
#ifndef PETREL_STAT_OUTPUT_H
#define PETREL_STAT_OUTPUT_H

#include <stdio.h>

#include "vmstat.h"

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

void ps_print_list(FILE *f, const struct ps_vm *vms, unsigned n);
void ps_print_show(FILE *f, const struct ps_vm *vm);
/* One object, one line; @event is NULL or "new"/"del". */
void ps_print_json(FILE *f, const struct ps_vm *vm, const char *event);
void ps_print_prometheus(FILE *f, const struct ps_vm *vms, unsigned n);

#endif /* PETREL_STAT_OUTPUT_H */
