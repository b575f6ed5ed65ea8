/* SPDX-License-Identifier: ISC */
/*
 * The names of every counter, shared by the text and JSON outputs and
 * --sort so that they always agree (Prometheus names its own, prom.c). A
 * key carries its unit (…_bytes, …_packets, …_ns); these keys are a stable
 * interface.
 */
#ifndef PETREL_STAT_FIELDS_H
#define PETREL_STAT_FIELDS_H

#include <stdbool.h>

#include "vmstat.h"

struct ps_field {
	unsigned idx;		/* attribute number */
	const char *key;
};

/* By enum petrel_stat (module, per device and per VM). */
extern const struct ps_field ps_net_fields[];
extern const unsigned ps_net_nfields;

/* By enum petrel_tender_attr (u64 scalars only). */
extern const struct ps_field ps_tender_fields[];
extern const unsigned ps_tender_nfields;

/* By enum petrel_kvm_attr. */
extern const struct ps_field ps_kvm_fields[];
extern const unsigned ps_kvm_nfields;

/* "puts" for hvt hypercall 2; "hc<n>" for numbers without a name. */
const char *ps_hypercall_name(unsigned nr, char *buf, unsigned size);

/* "io" for KVM_EXIT_IO; "reason<n>" for numbers without a name. */
const char *ps_exit_reason_name(unsigned r, char *buf, unsigned size);

#endif /* PETREL_STAT_FIELDS_H */
