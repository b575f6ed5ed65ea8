/* SPDX-License-Identifier: ISC */
/*
 * The Solo5 application API, as petrel's bindings provide it. Source
 * compatible with Solo5 0.12's solo5.h: an application written against it
 * builds unchanged against either.
 */
#ifndef SOLO5_H
#define SOLO5_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum {
	SOLO5_R_OK,		/* success */
	SOLO5_R_AGAIN,		/* try again later (nothing to read) */
	SOLO5_R_EINVAL,		/* bad argument */
	SOLO5_R_EUNSPEC		/* any other error */
} solo5_result_t;

/* Entry point the application defines; its return value is the status. */
struct solo5_start_info {
	const char *cmdline;
	uintptr_t heap_start;
	size_t heap_size;
};

int solo5_app_main(const struct solo5_start_info *info);

#define SOLO5_EXIT_SUCCESS	0
#define SOLO5_EXIT_FAILURE	1
#define SOLO5_EXIT_ABORT	255

void solo5_exit(int status) __attribute__((noreturn));
void solo5_abort(void) __attribute__((noreturn));

/* Sets the FS base (TLS); EINVAL for a non-canonical address. */
solo5_result_t solo5_set_tls_base(uintptr_t base);

typedef uint64_t solo5_time_t;

/* Nanoseconds since an arbitrary point, never going backwards. */
solo5_time_t solo5_clock_monotonic(void);
/* Nanoseconds since the Unix epoch. */
solo5_time_t solo5_clock_wall(void);

typedef uint64_t solo5_handle_t;
typedef uint64_t solo5_handle_set_t;

/*
 * Sleep until @deadline (monotonic) or until a network device has input;
 * on return *@ready_set (if given) has bit h set for each ready handle h.
 */
void solo5_yield(solo5_time_t deadline, solo5_handle_set_t *ready_set);

void solo5_console_write(const char *buf, size_t size);

#define SOLO5_NET_ALEN		6
#define SOLO5_NET_HLEN		14

struct solo5_net_info {
	uint8_t mac_address[SOLO5_NET_ALEN];
	size_t mtu;		/* payload bytes, without the Ethernet header */
};

solo5_result_t solo5_net_acquire(const char *name, solo5_handle_t *handle,
				 struct solo5_net_info *info);
solo5_result_t solo5_net_write(solo5_handle_t handle, const uint8_t *buf,
			       size_t size);
/* AGAIN when no frame is queued; *read_size is the frame's length. */
solo5_result_t solo5_net_read(solo5_handle_t handle, uint8_t *buf,
			      size_t size, size_t *read_size);

typedef uint64_t solo5_off_t;

struct solo5_block_info {
	solo5_off_t capacity;	/* bytes */
	solo5_off_t block_size;	/* bytes; the unit of every transfer */
};

solo5_result_t solo5_block_acquire(const char *name, solo5_handle_t *handle,
				   struct solo5_block_info *info);
/* @offset and @size are multiples of block_size, within capacity. */
solo5_result_t solo5_block_write(solo5_handle_t handle, solo5_off_t offset,
				 const uint8_t *buf, size_t size);
solo5_result_t solo5_block_read(solo5_handle_t handle, solo5_off_t offset,
				uint8_t *buf, size_t size);

#endif /* SOLO5_H */
