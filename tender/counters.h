/* SPDX-License-Identifier: ISC */
/*
 * The tender's own counters, in the layout of abi/petrel.h's struct
 * petrel_counters_page. With petrel.ko loaded they live in the page the
 * module maps into us, and its netlink family serves them to petrel-stat;
 * without it they live in a private page nobody reads. Either way an update
 * is a plain store: no exit or hypercall costs a syscall to be counted.
 */
#ifndef PETREL_COUNTERS_H
#define PETREL_COUNTERS_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "../abi/petrel.h"
#include "err.h"
#include "kvm_vm.h"

extern struct petrel_counters_page *ctr_page;

/* Single writer; readers (the module) see whole 64-bit values. */
static inline void ctr_add64(__u64 *p, uint64_t n)
{
	__atomic_store_n(p, __atomic_load_n(p, __ATOMIC_RELAXED) + n,
			 __ATOMIC_RELAXED);
}

static inline void ctr_add(enum petrel_tender_attr a, uint64_t n)
{
	ctr_add64(&ctr_page->scalar[a], n);
}

static inline void ctr_hypercall(unsigned nr)
{
	if (nr < PETREL_HYPERCALLS_MAX)
		ctr_add64(&ctr_page->hypercalls[nr], 1);
}

/* One KVM_RUN return with @reason (KVM_EXIT_*). */
void ctr_exit(uint32_t reason);

/*
 * Set up the counters: always the start time and memory size; then, when
 * @use_petrel and /dev/petrel can be opened, register the VM under @name (or, if @name is
 * "", the file name of @image, made unique with the pid if taken) and map
 * the module's page; and KVM's statistics fds of @vm where the kernel has
 * them. Fails only for a --name that petrel.ko refuses (taken, invalid).
 */
int counters_attach(const char *name, const char *image, uint64_t mem_bytes,
		    const struct vm *vm, bool use_petrel, struct errbuf *e);

/* The /dev/petrel fd (one VM of petrel.ko), or -1 without the module. */
int counters_petrel_fd(void);

/* Without it: the errno of opening /dev/petrel (0 if not tried). */
int counters_petrel_errno(void);

/* The KVM statistics fds to read (for the seccomp policy). */
unsigned counters_stats_fds(int fd[2]);

/* Copy KVM's statistics into the page: one pread per statistics fd. */
void counters_refresh_kvm(void);

/*
 * The same from POLL, at most once per COUNTERS_KVM_PERIOD_NS of @now
 * (CLOCK_REALTIME): a guest that sleeps per frame must not pay two
 * syscalls per frame for statistics nobody reads that often.
 */
#define COUNTERS_KVM_PERIOD_NS	100000000
void counters_refresh_kvm_every(const struct timespec *now);

#endif /* PETREL_COUNTERS_H */
