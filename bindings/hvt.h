/* SPDX-License-Identifier: ISC */
/* Internals of the hvt bindings: shared by the runtime's files, not apps. */
#ifndef PETREL_BINDINGS_HVT_H
#define PETREL_BINDINGS_HVT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../abi/hvt_abi.h"
#include "../abi/solo5_notes.h"
#include "solo5.h"

/*
 * A hypercall: the 32-bit GPA of @arg goes to port 0x500 + @nr. The tender
 * reads and writes *@arg before the guest resumes, hence the clobber.
 */
static inline void hvt_hypercall(unsigned int nr, volatile void *arg)
{
	__asm__ __volatile__("outl %0, %1"
			     :
			     : "a"((uint32_t)(uintptr_t)arg),
			       "d"((uint16_t)HVT_HYPERCALL_PIO(nr))
			     : "memory");
}

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

extern const struct hvt_boot_info *hvt_boot_info;

/* Start-up steps, in the order boot.c runs them. */
void gdt_init(void);
void pagetables_init(uint64_t mem_size);
void traps_init(void);
void ssp_init(void);
void clock_init(const struct hvt_boot_info *bi);

/* Halt with @status; @cookie (or NULL) is crash state for the tender. */
void hvt_halt(int status, const void *cookie) __attribute__((noreturn));

/* Identity-map [start, end) too (2 MiB pages): RAM past mem_size. */
void pagetables_map(uint64_t start, uint64_t end);

/*
 * The net ring driver (net_ring.c). net_ring_init runs before the first
 * exit; the others serve the handles net_ring_is() says are on rings.
 */
void net_ring_init(const struct hvt_boot_info *bi);
bool net_ring_is(solo5_handle_t h);
bool net_ring_all(void);
solo5_result_t net_ring_write(solo5_handle_t h, const uint8_t *buf,
			      size_t size);
solo5_result_t net_ring_read(solo5_handle_t h, uint8_t *buf, size_t size,
			     size_t *read_size);
/* Before halting: let the kernel send what is queued (bounded wait). */
void net_ring_flush(void);
/* Ready set of the ring devices, sleeping up to @timeout ns for one. */
uint64_t net_ring_yield(uint64_t timeout);

/* Console helpers for the runtime's own messages. */
void console_puts(const char *s);
void console_put_hex(uint64_t v);
void console_put_dec(uint64_t v);

/* The manifest entry named @name of @type, or NULL; *@index is its handle. */
const struct mft_entry *mft_lookup(const char *name, uint32_t type,
				   solo5_handle_t *index);

size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);

#endif /* PETREL_BINDINGS_HVT_H */
