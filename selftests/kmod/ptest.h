/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared helpers for the petrel.ko selftests: a KTAP emitter, a tap in a
 * private network namespace with a packet socket on its host side, a
 * "guest" that drives the rings in its own memory, and netlink queries.
 */
#ifndef PTEST_H
#define PTEST_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <net/if.h>

#include "abi/petrel.h"

/* ---- KTAP ---- */
void kt_plan(int n);
void kt_result(bool ok, const char *name);
void kt_skip(const char *name, const char *reason);
void kt_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int kt_exit(void);	/* prints totals, returns the process exit status */
/* A failed check: prints a diagnostic with the location, returns false. */
#define CHECK(c) ((c) ? true : (kt_diag("%s:%d: check failed: %s", \
					__FILE__, __LINE__, #c), false))
#define CHECK_EQ(a, b) kt_check_eq((uint64_t)(a), (uint64_t)(b), #a, #b, \
				   __FILE__, __LINE__)
bool kt_check_eq(uint64_t a, uint64_t b, const char *as, const char *bs,
		 const char *file, int line);

/* ---- environment ---- */
void pt_die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
void pt_enter_netns(void);		/* fresh netns, IPv6 off */
int pt_open_petrel(void);

/*
 * The VM's worker (PETREL_IOC_WORKER): a thread of this process that lends
 * itself to petrel.ko, as the tender's does. Nothing moves without one.
 * While it runs it holds the VM file: stop it before a close() that must
 * tear the VM down. err: the errno its last call ended with.
 */
struct pt_worker {
	pthread_t thread;
	int fd, err;
	volatile int stop, done;
};
void pt_worker_start(struct pt_worker *w, int fd);
void pt_worker_stop(struct pt_worker *w);
/* pt_open_petrel with a worker started on it; pt_close stops it first. */
int pt_open_worked(struct pt_worker *w);
void pt_close_worked(struct pt_worker *w);

/* ---- one net device driven by the test as its guest ---- */
#define PT_BUF 2048u			/* bytes per buffer slot */

struct pt_dev {
	char ifname[IFNAMSIZ];
	int ifindex;
	int tap, kick, wake, pkt;	/* pkt: AF_PACKET on the tap */
	uint8_t *region;
	size_t region_size;
	uint32_t ring_size, dev_id;
	struct petrel_ring *tx, *rx;
	uint8_t *buf;
	uint32_t tx_prod;		/* guest cursors */
	uint32_t rx_prod, rx_cons;
};

/* Creates the tap (up), eventfds, packet socket and region (not registered). */
void pt_dev_init(struct pt_dev *d, const char *ifname, uint32_t ring_size);
/* The same with other TUNSETIFF flags than IFF_TAP | IFF_NO_PI. */
void pt_dev_init_flags(struct pt_dev *d, const char *ifname,
		       uint32_t ring_size, short tun_flags);
void pt_dev_fill_req(const struct pt_dev *d, struct petrel_net_register *r);
int pt_dev_register(int fd, struct pt_dev *d);	/* returns -errno or 0 */
void pt_dev_close(struct pt_dev *d);

/* Guest TX: queue one frame (waits for a free slot); kicks if asked. */
bool pt_tx(struct pt_dev *d, const void *frame, uint32_t len);
/* Wait until the kernel consumed every TX descriptor. */
bool pt_tx_drain(struct pt_dev *d);
/* Guest RX: post buffers in every free slot; kicks if asked. */
void pt_rx_post(struct pt_dev *d);
/* Next received frame (copied into out, *len set), waiting up to a bound. */
bool pt_rx(struct pt_dev *d, void *out, uint32_t *len);
/* Host side of the tap. */
bool pt_host_send(struct pt_dev *d, const void *frame, uint32_t len);
bool pt_host_recv(struct pt_dev *d, void *out, uint32_t *len);
/* A test frame: broadcast, ethertype 0x88b5, payload from seq. */
void pt_frame(uint8_t *f, uint32_t len, uint32_t seq);
void pt_kick(struct pt_dev *d);

/* ---- netlink ---- */
struct pt_stats {
	uint64_t s[__PETREL_STAT_MAX];
	uint64_t tx_batch[PETREL_HIST_BUCKETS], rx_batch[PETREL_HIST_BUCKETS];
};

struct pt_vm_info {
	uint32_t id, pid, ndevs;	/* pid 0: the reply had none */
	char name[PETREL_NAME_MAX];
	struct pt_stats vm;
	struct pt_stats dev[PETREL_MAX_NETDEVS];
	uint32_t dev_flags[PETREL_MAX_NETDEVS];
	/* PETREL_DEV_A_HVT_HANDLE, UINT32_MAX where the reply had none. */
	uint32_t dev_hvt_handle[PETREL_MAX_NETDEVS];
	bool has_hvt;			/* PETREL_A_VM_HVT_RING present */
	struct pt_stats hvt;		/* the Solo5 ring's own counters */
	uint64_t exits, hypercalls[PETREL_HYPERCALLS_MAX];
};

/* GET by id (name NULL) or name: 0, or -errno from the kernel. */
int pt_nl_get(uint32_t id, const char *name, struct pt_vm_info *out);
/*
 * Each request below goes out as the first message of a fresh socket (the
 * family id resolved on another one).
 * DUMP: number of VMs (ids stored in ids[] up to max), or -errno.
 */
int pt_nl_dump(uint32_t *ids, int max);
/* One VM of a dump: pid 0 when the reply had none; len: message bytes. */
struct pt_dump {
	uint32_t id, pid, ndevs, len;
};
int pt_nl_dump_vms(struct pt_dump *vms, int max);
/* Send a raw GET with caller-built attributes; returns -errno or 0. */
int pt_nl_raw_get(const void *attrs, size_t len, uint16_t flags);
/* The VM id of an open /dev/petrel file: found by name after naming it. */
uint32_t pt_vm_id(int fd, const char *name);
/* Counter names as the tests print them (NULL: not a plain counter). */
extern const char *const pt_stat_name[__PETREL_STAT_MAX];
void pt_print_stats(const char *what, const struct pt_stats *s);

#endif /* PTEST_H */
