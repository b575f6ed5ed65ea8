// SPDX-License-Identifier: GPL-2.0
/*
 * Solo5's shared ring (struct hvt_ring, PETREL_IOC_HVT_RING) served by
 * petrel.ko, with this program as the Solo5 guest: "guest memory" and the
 * ring are its own mappings, the kick eventfd is written where the guest
 * would outl port 0x600 (only when needs_kick is set, after ent_tail++
 * and a full barrier, as Solo5's bindings do), and the worker is one of
 * its threads. Registration errors, exact traffic both ways, every hostile
 * entry and index game with exact counters, and the worker's own rules.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/if_packet.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "abi/hvt_abi.h"
#include "ptest.h"

#define MEM_SIZE	(4u << 20)
#define RING_BYTES	((sizeof(struct hvt_ring) + 4095) & ~(size_t)4095)
#define MASK		HVT_RING_MASK
/* Entry i's own buffer: 2 KiB slots from 1 MiB up, one per ring slot. */
#define SLOT_GPA(i)	(0x100000u + ((i) & MASK) * 2048u)
/* Spare guest memory above the slots, for buffers tests place by hand. */
#define SPARE_GPA	0x300000u
/* The ring's indices start just below 2^32: every burst wraps them. */
#define IDX0		0xfffffc00u
#define WAIT_MS		10000	/* failure detection only */
#define CHAOS_ROUNDS	3000

static struct {
	uint8_t *mem;
	struct hvt_ring *ring;
	int kick;
	uint32_t ent_tail, com_head, next_id;
	uint64_t kicks;			/* kick eventfd writes, all threads */
} g;

static struct pt_worker worker;
static int vm_fd;
static uint32_t vm_id;
static struct pt_dev dev0, dev1;	/* handles 0 and 5 */
#define H0 0u
#define H1 5u
static uint8_t want[65536], got[65536];
static struct pt_vm_info *vi_before, *vi_after;

/* ---- the guest side of the protocol ---- */

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static uint32_t ld(const uint32_t *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static void kick(void)
{
	uint64_t one = 1;

	if (write(g.kick, &one, sizeof(one)) != sizeof(one))
		pt_die("kick: %s", strerror(errno));
	__atomic_add_fetch(&g.kicks, 1, __ATOMIC_RELAXED);
}

/* ent_tail++, full barrier, kick only if asked: Solo5's bindings. */
static void publish(void)
{
	__atomic_store_n(&g.ring->ent_tail, ++g.ent_tail, __ATOMIC_RELEASE);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (__atomic_load_n(&g.ring->needs_kick, __ATOMIC_RELAXED))
		kick();
}

/* A full ring: wait for the host to take entries (it was kicked). */
static bool wait_space(void)
{
	uint64_t end = now_ms() + WAIT_MS;

	while (g.ent_tail - ld(&g.ring->ent_head) >= HVT_RING_SIZE) {
		if (now_ms() > end)
			return CHECK(!"the ring never drained");
		sched_yield();
	}
	return true;
}

static void put_entry(uint32_t op, uint32_t handle, uint64_t gpa, uint32_t len)
{
	struct hvt_ring_entry *e = &g.ring->entries[g.ent_tail & MASK];

	e->operation = op;
	e->handle = handle;
	e->data = gpa;
	e->len = len;
	e->id = g.next_id++;
	e->reserved = 0;
}

/* Post one entry; returns its id (the next one's - 1). */
static bool post(uint32_t op, uint32_t handle, uint64_t gpa, uint32_t len)
{
	if (!wait_space())
		return false;
	put_entry(op, handle, gpa, len);
	publish();
	return true;
}

/* A frame in the entry's own slot, posted as NET_WRITE. */
static bool g_write(uint32_t handle, const void *frame, uint32_t len)
{
	if (!wait_space())
		return false;
	memcpy(g.mem + SLOT_GPA(g.ent_tail), frame, len);
	return post(HVT_RING_OP_NET_WRITE, handle, SLOT_GPA(g.ent_tail), len);
}

/* Wait for the next commit and take it (com_head++). */
static bool take_commit(struct hvt_ring_commit *c)
{
	uint64_t end = now_ms() + WAIT_MS;

	while (ld(&g.ring->com_tail) == g.com_head) {
		if (now_ms() > end)
			return CHECK(!"no commit came");
		sched_yield();
	}
	*c = g.ring->commits[g.com_head & MASK];
	__atomic_store_n(&g.ring->com_head, ++g.com_head, __ATOMIC_RELEASE);
	return true;
}

/* One synchronous NET_READ, as Solo5's solo5_net_read does it. */
static bool g_read(uint32_t handle, uint64_t gpa, uint32_t cap,
		   struct hvt_ring_commit *c)
{
	uint32_t id = g.next_id;

	return post(HVT_RING_OP_NET_READ, handle, gpa, cap) &&
	       take_commit(c) && CHECK_EQ(c->id, id);
}

/* Every entry posted has been taken by the host. */
static bool drain(void)
{
	uint64_t end = now_ms() + WAIT_MS;

	while (ld(&g.ring->ent_head) != g.ent_tail) {
		if (now_ms() > end)
			return CHECK(!"entries never taken");
		sched_yield();
	}
	return true;
}

/* ---- counters ---- */

static bool get(struct pt_vm_info *vi)
{
	return CHECK_EQ(pt_nl_get(vm_id, NULL, vi), 0) && CHECK(vi->has_hvt);
}

static bool snap(void)
{
	return get(vi_before);
}

/*
 * Wait until a counter of the ring (dev NULL) or a device reaches want_v;
 * true if it is exactly that. vi_after holds the last reply.
 */
static bool wait_stat(const struct pt_dev *d, int stat, uint64_t want_v)
{
	uint64_t end = now_ms() + WAIT_MS, v = 0;

	while (now_ms() <= end) {
		if (!get(vi_after))
			return false;
		v = d ? vi_after->dev[d->dev_id].s[stat] : vi_after->hvt.s[stat];
		if (v >= want_v)
			break;
		usleep(2000);
	}
	if (v != want_v)
		kt_diag("%s = %llu, waited for %llu", pt_stat_name[stat],
			(unsigned long long)v, (unsigned long long)want_v);
	return v == want_v;
}

/* Wait until the worker has run more often than `runs` (a kick queued it). */
static bool wait_runs(uint64_t runs)
{
	uint64_t end = now_ms() + WAIT_MS;

	while (now_ms() <= end) {
		if (!get(vi_after))
			return false;
		if (vi_after->hvt.s[PETREL_STAT_WORKER_RUNS] > runs)
			return true;
		usleep(2000);
	}
	return CHECK(!"the worker never ran");
}

/*
 * Exact deltas since snap(): every plain counter of the ring and of both
 * devices changed by what `exp` says (0 where it says nothing), except
 * worker_runs and, where `any` has its bit, the counters whose number
 * of events depends on scheduling. The ring's doorbells are the kicks
 * written since the snapshot, kicks_before.
 */
struct expect {
	uint64_t ring[__PETREL_STAT_MAX];
	uint64_t d0[__PETREL_STAT_MAX], d1[__PETREL_STAT_MAX];
	uint64_t any;		/* bit n: stat n of the ring not checked */
};

static uint64_t kicks_before;

static bool same_stats(const char *what, const struct pt_stats *b,
		       const struct pt_stats *a, const uint64_t *exp,
		       uint64_t any)
{
	bool ok = true;
	int s;

	for (s = PETREL_STAT_TX_PACKETS; s < __PETREL_STAT_MAX; s++) {
		if (!pt_stat_name[s] || s == PETREL_STAT_WORKER_RUNS ||
		    (any >> s & 1))
			continue;
		if (a->s[s] - b->s[s] != exp[s]) {
			kt_diag("%s %s: +%llu, expected +%llu", what,
				pt_stat_name[s],
				(unsigned long long)(a->s[s] - b->s[s]),
				(unsigned long long)exp[s]);
			ok = false;
		}
	}
	return ok;
}

static bool expect_deltas(struct expect *e)
{
	bool ok;

	if (!get(vi_after))
		return false;

	e->ring[PETREL_STAT_DOORBELLS] = g.kicks - kicks_before;
	/* All three compared, so that every difference is printed. */
	ok = same_stats("ring", &vi_before->hvt, &vi_after->hvt, e->ring,
			e->any);
	ok = same_stats("dev0", &vi_before->dev[dev0.dev_id],
			&vi_after->dev[dev0.dev_id], e->d0, 0) && ok;
	return same_stats("dev1", &vi_before->dev[dev1.dev_id],
			  &vi_after->dev[dev1.dev_id], e->d1, 0) && ok;
}

static bool begin(void)
{
	kicks_before = __atomic_load_n(&g.kicks, __ATOMIC_RELAXED);
	return snap();
}

/* ---- traffic helpers ---- */

static uint32_t frame_len(uint32_t i)
{
	return 60 + (i * 97) % 1455;		/* 60..1514 */
}

/* n frames out through handle h, each checked on its tap. */
static bool write_frames(struct pt_dev *d, uint32_t h, uint32_t n,
			 uint32_t seq, uint64_t *bytes)
{
	uint32_t i, len;

	for (i = 0; i < n; i++) {
		uint32_t l = frame_len(seq + i);

		pt_frame(want, l, seq + i);
		if (!g_write(h, want, l) || !pt_host_recv(d, got, &len) ||
		    !CHECK_EQ(len, l) || !CHECK(!memcmp(got, want, l)))
			return false;
		*bytes += l;
	}
	return drain();
}

/* n frames in through handle h, each read into a 2048-byte buffer. */
static bool read_frames(struct pt_dev *d, uint32_t h, uint32_t n,
			uint32_t seq, uint64_t *bytes)
{
	struct hvt_ring_commit c;
	uint32_t i;

	for (i = 0; i < n; i++) {
		uint32_t l = frame_len(seq + i), gpa = SLOT_GPA(g.ent_tail);

		pt_frame(want, l, seq + i);
		memset(g.mem + gpa, 0xa5, 2048);
		if (!pt_host_send(d, want, l) || !g_read(h, gpa, 2048, &c) ||
		    !CHECK_EQ(c.ret, HVT_RESULT_OK) || !CHECK_EQ(c.len, l) ||
		    !CHECK(!memcmp(g.mem + gpa, want, l)) ||
		    !CHECK_EQ(g.mem[gpa + l], 0xa5))
			return false;
		*bytes += l;
	}
	return true;
}

/* Traffic both ways on both devices, adding what it moved to e. */
static bool traffic(uint32_t n, uint32_t seq, struct expect *e)
{
	e->d0[PETREL_STAT_TX_PACKETS] += n;
	e->d0[PETREL_STAT_RX_PACKETS] += n;
	e->d1[PETREL_STAT_TX_PACKETS] += n;
	e->d1[PETREL_STAT_RX_PACKETS] += n;
	return write_frames(&dev0, H0, n, seq, &e->d0[PETREL_STAT_TX_BYTES]) &&
	       read_frames(&dev0, H0, n, seq + n,
			   &e->d0[PETREL_STAT_RX_BYTES]) &&
	       write_frames(&dev1, H1, n, seq + 2 * n,
			    &e->d1[PETREL_STAT_TX_BYTES]) &&
	       read_frames(&dev1, H1, n, seq + 3 * n,
			   &e->d1[PETREL_STAT_RX_BYTES]);
}

/* Good traffic both ways on both devices, with exact counters. */
static bool good_traffic(uint32_t n, uint32_t seq)
{
	struct expect e = { 0 };

	return begin() && traffic(n, seq, &e) && expect_deltas(&e);
}

static void dev_init(struct pt_dev *d, const char *name)
{
	int rcvbuf = 16 << 20, one = 1;

	pt_dev_init(d, name, PETREL_RING_MIN);
	/* send() returns once the frame is queued in the tap. */
	if (setsockopt(d->pkt, SOL_PACKET, PACKET_QDISC_BYPASS, &one,
		       sizeof(one)) ||
	    setsockopt(d->pkt, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf,
		       sizeof(rcvbuf)))
		pt_die("packet socket setup: %s", strerror(errno));
}

static void hvt_req(struct petrel_net_register *r, const struct pt_dev *d,
		    uint32_t handle)
{
	memset(r, 0, sizeof(*r));
	r->flags = PETREL_NET_F_HVT_RING;
	r->tap_fd = d->tap;
	r->kick_fd = -1;
	r->wake_fd = -1;
	r->hvt_handle = handle;
}

static int hvt_register(int fd, struct pt_dev *d, uint32_t handle)
{
	struct petrel_net_register r;

	hvt_req(&r, d, handle);
	if (ioctl(fd, PETREL_IOC_NET_REGISTER, &r))
		return -errno;
	d->dev_id = r.dev_id;
	return 0;
}

static int unregister(int fd, uint32_t id)
{
	struct petrel_net_unregister u = { .dev_id = id };

	return ioctl(fd, PETREL_IOC_NET_UNREGISTER, &u) ? -errno : 0;
}

static void ring_req(struct petrel_hvt_ring_register *r)
{
	memset(r, 0, sizeof(*r));
	r->kick_fd = g.kick;
	r->ring_addr = (uintptr_t)g.ring;
	r->mem_addr = (uintptr_t)g.mem;
	r->mem_size = MEM_SIZE;
}

static int ring_register(int fd, const struct petrel_hvt_ring_register *r)
{
	return ioctl(fd, PETREL_IOC_HVT_RING, r) ? -errno : 0;
}

/* ---- tests ---- */

static bool test_ring_register_errors(void)
{
	struct petrel_hvt_ring_register r;
	bool ok = true;
	void *ro;
	int efd;

	ring_req(&r);
	r.flags = 1;
	ok &= CHECK_EQ(ring_register(vm_fd, &r), -EINVAL);
	ring_req(&r);
	r.reserved[2] = 1;
	ok &= CHECK_EQ(ring_register(vm_fd, &r), -EINVAL);
	ring_req(&r);
	r.reserved0 = 1;
	ok &= CHECK_EQ(ring_register(vm_fd, &r), -EINVAL);
	ring_req(&r);
	r.poll_us = PETREL_HVT_POLL_US_MAX + 1;
	ok &= CHECK_EQ(ring_register(vm_fd, &r), -EINVAL);
	ring_req(&r);
	r.ring_addr += 64;
	ok &= CHECK_EQ(ring_register(vm_fd, &r), -EINVAL);
	ring_req(&r);
	r.mem_addr += 8;
	ok &= CHECK_EQ(ring_register(vm_fd, &r), -EINVAL);
	ring_req(&r);
	r.mem_size = 0;
	ok &= CHECK_EQ(ring_register(vm_fd, &r), -EINVAL);
	/* Ranges that wrap the address space, or end past it. */
	ring_req(&r);
	r.mem_addr = 0 - 4096ull;
	r.mem_size = 2 * 4096;
	ok &= CHECK_EQ(ring_register(vm_fd, &r), -EINVAL);
	ring_req(&r);
	r.mem_size = 0 - r.mem_addr;
	ok &= CHECK_EQ(ring_register(vm_fd, &r), -EINVAL);
	ring_req(&r);
	/* Past TASK_SIZE with 4- and 5-level page tables alike. */
	r.mem_size = (1ull << 63) - r.mem_addr;
	ok &= CHECK_EQ(ring_register(vm_fd, &r), -EINVAL);
	ring_req(&r);
	r.ring_addr = 0 - 4096ull;
	ok &= CHECK_EQ(ring_register(vm_fd, &r), -EINVAL);
	ring_req(&r);
	r.ring_addr = 0 - RING_BYTES;
	ok &= CHECK_EQ(ring_register(vm_fd, &r), -EINVAL);
	/* A kick that is no eventfd; one that is not open. */
	ring_req(&r);
	r.kick_fd = dev0.tap;
	ok &= CHECK_EQ(ring_register(vm_fd, &r), -EINVAL);
	efd = eventfd(0, EFD_CLOEXEC);
	close(efd);
	ring_req(&r);
	r.kick_fd = efd;
	ok &= CHECK_EQ(ring_register(vm_fd, &r), -EBADF);
	r.kick_fd = -1;
	ok &= CHECK_EQ(ring_register(vm_fd, &r), -EBADF);
	/* A ring the module cannot pin for writing. */
	ro = mmap(NULL, RING_BYTES, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
		  -1, 0);
	if (ro == MAP_FAILED)
		pt_die("mmap: %s", strerror(errno));
	ring_req(&r);
	r.ring_addr = (uintptr_t)ro;
	ok &= CHECK_EQ(ring_register(vm_fd, &r), -EFAULT);
	munmap(ro, RING_BYTES);
	ring_req(&r);
	r.ring_addr = (uintptr_t)ro;	/* now unmapped */
	ok &= CHECK_EQ(ring_register(vm_fd, &r), -EFAULT);
	/* None of those left anything behind. */
	ok &= CHECK_EQ(pt_nl_get(vm_id, NULL, vi_after), 0) &&
	      CHECK(!vi_after->has_hvt);

	ring_req(&r);
	ok &= CHECK_EQ(ring_register(vm_fd, &r), 0);
	ok &= CHECK_EQ(ring_register(vm_fd, &r), -EALREADY);
	ok &= get(vi_after);
	return ok;
}

static bool test_net_register_errors(void)
{
	struct petrel_net_register r;
	struct pt_dev d2;
	bool ok = true;
	int fd;

	/* No ring yet: ENXIO, and the tap stays free. */
	fd = pt_open_petrel();
	ok &= CHECK_EQ(hvt_register(fd, &dev0, H0), -ENXIO);
	close(fd);

	hvt_req(&r, &dev0, H0);
	r.region_addr = (uintptr_t)dev0.region;
	ok &= CHECK(ioctl(vm_fd, PETREL_IOC_NET_REGISTER, &r) < 0 &&
		    errno == EINVAL);
	hvt_req(&r, &dev0, H0);
	r.region_size = dev0.region_size;
	ok &= CHECK(ioctl(vm_fd, PETREL_IOC_NET_REGISTER, &r) < 0 &&
		    errno == EINVAL);
	hvt_req(&r, &dev0, H0);
	r.ring_size = PETREL_RING_MIN;
	ok &= CHECK(ioctl(vm_fd, PETREL_IOC_NET_REGISTER, &r) < 0 &&
		    errno == EINVAL);
	hvt_req(&r, &dev0, H0);
	r.kick_fd = dev0.kick;
	ok &= CHECK(ioctl(vm_fd, PETREL_IOC_NET_REGISTER, &r) < 0 &&
		    errno == EINVAL);
	hvt_req(&r, &dev0, H0);
	r.wake_fd = dev0.wake;
	ok &= CHECK(ioctl(vm_fd, PETREL_IOC_NET_REGISTER, &r) < 0 &&
		    errno == EINVAL);
	hvt_req(&r, &dev0, PETREL_HVT_HANDLES);
	ok &= CHECK(ioctl(vm_fd, PETREL_IOC_NET_REGISTER, &r) < 0 &&
		    errno == EINVAL);
	hvt_req(&r, &dev0, UINT32_MAX);
	ok &= CHECK(ioctl(vm_fd, PETREL_IOC_NET_REGISTER, &r) < 0 &&
		    errno == EINVAL);
	hvt_req(&r, &dev0, H0);
	r.flags |= PETREL_NET_F_RX_DROP;
	ok &= CHECK(ioctl(vm_fd, PETREL_IOC_NET_REGISTER, &r) < 0 &&
		    errno == EINVAL);
	/* A handle is for Solo5's ring only. */
	pt_dev_fill_req(&dev0, &r);
	r.hvt_handle = 1;
	ok &= CHECK(ioctl(vm_fd, PETREL_IOC_NET_REGISTER, &r) < 0 &&
		    errno == EINVAL);

	ok &= CHECK_EQ(hvt_register(vm_fd, &dev0, H0), 0);
	/* The same handle with another tap; the same tap, another handle. */
	pt_dev_init(&d2, "hvt2", PETREL_RING_MIN);
	ok &= CHECK_EQ(hvt_register(vm_fd, &d2, H0), -EBUSY);
	ok &= CHECK_EQ(hvt_register(vm_fd, &dev0, H1), -EEXIST);
	/* Nor as a petrel-ring device, in this VM or another. */
	ok &= CHECK_EQ(pt_dev_register(vm_fd, &dev0), -EEXIST);
	fd = pt_open_petrel();
	ok &= CHECK_EQ(pt_dev_register(fd, &dev0), -EEXIST);
	close(fd);
	pt_dev_close(&d2);

	ok &= CHECK_EQ(hvt_register(vm_fd, &dev1, H1), 0);
	ok &= get(vi_after) && CHECK_EQ(vi_after->ndevs, 2) &&
	      CHECK_EQ(vi_after->dev_flags[dev0.dev_id],
		       PETREL_NET_F_HVT_RING) &&
	      CHECK_EQ(vi_after->dev_hvt_handle[dev0.dev_id], H0) &&
	      CHECK_EQ(vi_after->dev_hvt_handle[dev1.dev_id], H1);
	return ok;
}

static bool test_write_exact(void)
{
	struct expect e = { 0 };
	uint64_t b = 0;
	uint32_t l, len;

	if (!begin())
		return false;
	/* Every length from 60 to 1514, in one order or another. */
	for (l = 60; l <= 1514; l += 7) {
		pt_frame(want, l, l);
		if (!g_write(H0, want, l) || !pt_host_recv(&dev0, got, &len) ||
		    !CHECK_EQ(len, l) || !CHECK(!memcmp(got, want, l)))
			return false;
		b += l;
		e.d0[PETREL_STAT_TX_PACKETS]++;
	}
	l = 1514;
	pt_frame(want, l, l);
	if (!g_write(H0, want, l) || !pt_host_recv(&dev0, got, &len) ||
	    !CHECK_EQ(len, l) || !CHECK(!memcmp(got, want, l)) || !drain())
		return false;
	e.d0[PETREL_STAT_TX_PACKETS]++;
	e.d0[PETREL_STAT_TX_BYTES] = b + l;
	/* Fire and forget: NET_WRITE commits nothing. */
	return CHECK_EQ(ld(&g.ring->com_tail), g.com_head) &&
	       expect_deltas(&e);
}

static bool test_read_exact(void)
{
	struct hvt_ring_commit c;
	struct expect e = { 0 };
	uint64_t b = 0;
	bool ok;

	if (!begin())
		return false;
	/* Nothing queued: AGAIN with length 0, the buffer untouched. */
	memset(g.mem + SPARE_GPA, 0x5a, 2048);
	ok = g_read(H0, SPARE_GPA, 2048, &c) &&
	     CHECK_EQ(c.ret, HVT_RESULT_AGAIN) && CHECK_EQ(c.len, 0) &&
	     CHECK_EQ(g.mem[SPARE_GPA], 0x5a);
	e.d0[PETREL_STAT_RX_AGAIN] = 1;
	ok = ok && read_frames(&dev0, H0, 200, 100, &b);
	e.d0[PETREL_STAT_RX_PACKETS] = 200;
	e.d0[PETREL_STAT_RX_BYTES] = b;
	/* A buffer exactly the frame's size. */
	pt_frame(want, 1514, 99);
	ok = ok && pt_host_send(&dev0, want, 1514) &&
	     g_read(H0, SPARE_GPA, 1514, &c) &&
	     CHECK_EQ(c.ret, HVT_RESULT_OK) && CHECK_EQ(c.len, 1514) &&
	     CHECK(!memcmp(g.mem + SPARE_GPA, want, 1514));
	e.d0[PETREL_STAT_RX_PACKETS]++;
	e.d0[PETREL_STAT_RX_BYTES] += 1514;
	ok = ok && g_read(H0, SPARE_GPA, 2048, &c) &&
	     CHECK_EQ(c.ret, HVT_RESULT_AGAIN) && CHECK_EQ(c.len, 0);
	e.d0[PETREL_STAT_RX_AGAIN]++;
	return ok && expect_deltas(&e);
}

/* Interleaved on the one ring, each frame to and from its own tap. */
static bool test_two_devices(void)
{
	struct hvt_ring_commit c;
	struct expect e = { 0 };
	uint32_t i, len;

	if (!begin())
		return false;
	for (i = 0; i < 100; i++) {
		uint32_t l0 = frame_len(i), l1 = frame_len(i + 500);

		pt_frame(want, l0, 3000 + i);
		pt_frame(got, l1, 4000 + i);
		if (!g_write(H0, want, l0) || !g_write(H1, got, l1))
			return false;
		e.d0[PETREL_STAT_TX_PACKETS]++;
		e.d0[PETREL_STAT_TX_BYTES] += l0;
		e.d1[PETREL_STAT_TX_PACKETS]++;
		e.d1[PETREL_STAT_TX_BYTES] += l1;
		if (!pt_host_recv(&dev0, got, &len) || !CHECK_EQ(len, l0) ||
		    !CHECK(!memcmp(got, want, l0)))
			return false;
		pt_frame(want, l1, 4000 + i);
		if (!pt_host_recv(&dev1, got, &len) || !CHECK_EQ(len, l1) ||
		    !CHECK(!memcmp(got, want, l1)))
			return false;
		/* A frame on dev1 only: dev0 has none to give. */
		pt_frame(want, l0, 5000 + i);
		if (!pt_host_send(&dev1, want, l0) ||
		    !g_read(H0, SPARE_GPA, 2048, &c) ||
		    !CHECK_EQ(c.ret, HVT_RESULT_AGAIN) ||
		    !g_read(H1, SPARE_GPA, 2048, &c) ||
		    !CHECK_EQ(c.ret, HVT_RESULT_OK) || !CHECK_EQ(c.len, l0) ||
		    !CHECK(!memcmp(g.mem + SPARE_GPA, want, l0)))
			return false;
		e.d0[PETREL_STAT_RX_AGAIN]++;
		e.d1[PETREL_STAT_RX_PACKETS]++;
		e.d1[PETREL_STAT_RX_BYTES] += l0;
	}
	return drain() && expect_deltas(&e);
}

/*
 * More than a ring's worth each way without waiting frame by frame: the
 * guest refills as the host frees slots (and the indices wrap 2^32).
 */
#define BURST_TX	3000u
#define BURST_RX	2048u
#define RX_CHUNK	256u	/* within the tap's queue (500 frames) */

static bool test_burst(void)
{
	struct hvt_ring_commit c;
	struct expect e = { 0 };
	uint32_t i, k, len, wrap_from = g.ent_tail;

	if (!begin())
		return false;
	for (i = 0; i < BURST_TX; i++) {
		uint32_t l = 60 + i % 200;

		pt_frame(want, l, 10000 + i);
		if (!g_write(H0, want, l))
			return false;
		e.d0[PETREL_STAT_TX_BYTES] += l;
	}
	e.d0[PETREL_STAT_TX_PACKETS] = BURST_TX;
	for (i = 0; i < BURST_TX; i++) {
		uint32_t l = 60 + i % 200;

		pt_frame(want, l, 10000 + i);
		if (!pt_host_recv(&dev0, got, &len) || !CHECK_EQ(len, l) ||
		    !CHECK(!memcmp(got, want, l)))
			return false;
	}
	if (!drain())
		return false;

	for (i = 0; i < BURST_RX; i += RX_CHUNK) {
		uint32_t first_id = g.next_id, first = g.ent_tail;

		for (k = 0; k < RX_CHUNK; k++) {
			pt_frame(want, 60 + (i + k) % 1455, 20000 + i + k);
			if (!pt_host_send(&dev0, want, 60 + (i + k) % 1455))
				return false;
		}
		/* A reads outstanding at once: commits wait for the guest. */
		for (k = 0; k < RX_CHUNK; k++)
			if (!post(HVT_RING_OP_NET_READ, H0, SLOT_GPA(first + k),
				  2048))
				return false;
		for (k = 0; k < RX_CHUNK; k++) {
			uint32_t l = 60 + (i + k) % 1455;

			pt_frame(want, l, 20000 + i + k);
			if (!take_commit(&c) || !CHECK_EQ(c.id, first_id + k) ||
			    !CHECK_EQ(c.ret, HVT_RESULT_OK) ||
			    !CHECK_EQ(c.len, l) ||
			    !CHECK(!memcmp(g.mem + SLOT_GPA(first + k), want,
					   l)))
				return false;
			e.d0[PETREL_STAT_RX_BYTES] += l;
		}
	}
	e.d0[PETREL_STAT_RX_PACKETS] = BURST_RX;
	/* How often the host found the ring full depends on scheduling. */
	e.any = 1ull << PETREL_STAT_RING_FULL;
	return CHECK(g.ent_tail - wrap_from > 4000) &&
	       CHECK(wrap_from > IDX0 && g.ent_tail < wrap_from) &&
	       expect_deltas(&e);
}

/* Too large for the buffer: dropped, and the read takes the next frame. */
static bool test_rx_too_big(void)
{
	struct hvt_ring_commit c;
	struct expect e = { 0 };
	uint8_t small[100];
	bool ok;

	if (!begin())
		return false;
	pt_frame(want, 200, 31);
	pt_frame(small, 100, 32);
	ok = pt_host_send(&dev0, want, 200) && pt_host_send(&dev0, want, 101) &&
	     pt_host_send(&dev0, small, 100);
	memset(g.mem + SPARE_GPA, 0, 4096);
	ok = ok && g_read(H0, SPARE_GPA, 100, &c) &&
	     CHECK_EQ(c.ret, HVT_RESULT_OK) && CHECK_EQ(c.len, 100) &&
	     CHECK(!memcmp(g.mem + SPARE_GPA, small, 100)) &&
	     CHECK_EQ(g.mem[SPARE_GPA + 100], 0);
	e.d0[PETREL_STAT_RX_DROP_TOO_BIG] = 2;
	e.d0[PETREL_STAT_RX_PACKETS] = 1;
	e.d0[PETREL_STAT_RX_BYTES] = 100;
	return ok && expect_deltas(&e);
}

/* NET_WRITEs naming memory outside the guest's, and bad lengths. */
static bool test_hostile_writes(void)
{
	static const struct {
		uint64_t gpa;
		uint32_t len;
		int stat;
	} bad[] = {
		{ MEM_SIZE, 60, PETREL_STAT_TX_DROP_BAD_DESC },
		{ MEM_SIZE - 59, 60, PETREL_STAT_TX_DROP_BAD_DESC },
		{ ~0ull - 10, 100, PETREL_STAT_TX_DROP_BAD_DESC },
		{ 0 - (uint64_t)MEM_SIZE, MEM_SIZE, PETREL_STAT_TX_DROP_BAD_DESC },
		{ 1ull << 40, 60, PETREL_STAT_TX_DROP_BAD_DESC },
		{ 0, MEM_SIZE + 1, PETREL_STAT_TX_DROP_BAD_DESC },
		{ ~0ull, 0, PETREL_STAT_TX_DROP_BAD_DESC },
		{ SPARE_GPA, 13, PETREL_STAT_TX_DROP_TOO_SMALL },
		{ SPARE_GPA, 0, PETREL_STAT_TX_DROP_TOO_SMALL },
		{ MEM_SIZE, 0, PETREL_STAT_TX_DROP_TOO_SMALL },
		{ 0, 65536, PETREL_STAT_TX_DROP_TOO_BIG },
		{ 0, MEM_SIZE, PETREL_STAT_TX_DROP_TOO_BIG },
	};
	struct expect e = { 0 };
	uint32_t i, len;

	if (!begin())
		return false;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (!post(HVT_RING_OP_NET_WRITE, i & 1 ? H1 : H0, bad[i].gpa,
			  bad[i].len))
			return false;
		(i & 1 ? e.d1 : e.d0)[bad[i].stat]++;
	}
	/* The last and first bytes of guest memory are fine. */
	pt_frame(want, 60, 41);
	memcpy(g.mem + MEM_SIZE - 60, want, 60);
	if (!post(HVT_RING_OP_NET_WRITE, H0, MEM_SIZE - 60, 60) ||
	    !pt_host_recv(&dev0, got, &len) || !CHECK_EQ(len, 60) ||
	    !CHECK(!memcmp(got, want, 60)))
		return false;
	pt_frame(want, 14, 42);
	memcpy(g.mem, want, 14);
	if (!post(HVT_RING_OP_NET_WRITE, H0, 0, 14) ||
	    !pt_host_recv(&dev0, got, &len) || !CHECK_EQ(len, 14) ||
	    !CHECK(!memcmp(got, want, 14)) || !drain())
		return false;
	e.d0[PETREL_STAT_TX_PACKETS] = 2;
	e.d0[PETREL_STAT_TX_BYTES] = 74;
	return CHECK_EQ(ld(&g.ring->com_tail), g.com_head) &&
	       expect_deltas(&e) && good_traffic(5, 40000);
}

/*
 * NET_READs into memory outside the guest's, or too small for an Ethernet
 * header: EINVAL, counted, and the queued frame is left for the next read.
 */
static bool test_hostile_reads(void)
{
	static const struct {
		uint64_t gpa;
		uint32_t len;
		int stat;
	} bad[] = {
		{ MEM_SIZE, 2048, PETREL_STAT_RX_DROP_BAD_DESC },
		{ MEM_SIZE - 2047, 2048, PETREL_STAT_RX_DROP_BAD_DESC },
		{ ~0ull - 100, 2048, PETREL_STAT_RX_DROP_BAD_DESC },
		{ 1ull << 40, 2048, PETREL_STAT_RX_DROP_BAD_DESC },
		{ 0, MEM_SIZE + 1, PETREL_STAT_RX_DROP_BAD_DESC },
		{ ~0ull, 0, PETREL_STAT_RX_DROP_BAD_DESC },
		{ SPARE_GPA, PETREL_FRAME_MIN - 1, PETREL_STAT_RX_DROP_SMALL_BUF },
		{ SPARE_GPA, 0, PETREL_STAT_RX_DROP_SMALL_BUF },
		{ MEM_SIZE, 0, PETREL_STAT_RX_DROP_SMALL_BUF },
	};
	struct hvt_ring_commit c;
	struct expect e = { 0 };
	uint32_t i;
	bool ok = true;

	if (!begin())
		return false;
	pt_frame(want, 300, 51);
	if (!pt_host_send(&dev0, want, 300))
		return false;
	for (i = 0; ok && i < sizeof(bad) / sizeof(bad[0]); i++) {
		ok = g_read(H0, bad[i].gpa, bad[i].len, &c) &&
		     CHECK_EQ(c.ret, HVT_RESULT_EINVAL) && CHECK_EQ(c.len, 0);
		e.d0[bad[i].stat]++;
	}
	/* A buffer ending at the last byte of guest memory takes it. */
	ok = ok && g_read(H0, MEM_SIZE - 300, 300, &c) &&
	     CHECK_EQ(c.ret, HVT_RESULT_OK) && CHECK_EQ(c.len, 300) &&
	     CHECK(!memcmp(g.mem + MEM_SIZE - 300, want, 300));
	e.d0[PETREL_STAT_RX_PACKETS] = 1;
	e.d0[PETREL_STAT_RX_BYTES] = 300;
	/* The smallest buffer accepted, with a frame that fits it. */
	pt_frame(want, PETREL_FRAME_MIN, 52);
	ok = ok && pt_host_send(&dev0, want, PETREL_FRAME_MIN) &&
	     g_read(H0, 0, PETREL_FRAME_MIN, &c) &&
	     CHECK_EQ(c.ret, HVT_RESULT_OK) &&
	     CHECK_EQ(c.len, PETREL_FRAME_MIN) &&
	     CHECK(!memcmp(g.mem, want, PETREL_FRAME_MIN));
	e.d0[PETREL_STAT_RX_PACKETS]++;
	e.d0[PETREL_STAT_RX_BYTES] += PETREL_FRAME_MIN;
	return ok && expect_deltas(&e) && good_traffic(5, 41000);
}

/* Handles no device has, and operations that do not exist. */
static bool test_bad_handles_and_ops(void)
{
	static const uint32_t handles[] = { 1, 4, 6, 63, 64, 1000, UINT32_MAX };
	static const uint32_t ops[] = { 0, 3, 4, 0x100, 0x80000001u, UINT32_MAX };
	struct hvt_ring_commit c;
	struct expect e = { 0 };
	uint32_t i;
	bool ok = true;

	if (!begin())
		return false;
	/* A frame waits on each tap: no bad entry may take it. */
	pt_frame(want, 64, 61);
	ok = pt_host_send(&dev0, want, 64) && pt_host_send(&dev1, want, 64);
	pt_frame(want, 64, 62);
	memcpy(g.mem + SPARE_GPA, want, 64);
	for (i = 0; ok && i < sizeof(handles) / sizeof(handles[0]); i++) {
		ok = post(HVT_RING_OP_NET_WRITE, handles[i], SPARE_GPA, 64) &&
		     g_read(handles[i], SPARE_GPA + 4096, 2048, &c) &&
		     CHECK_EQ(c.ret, HVT_RESULT_EINVAL) && CHECK_EQ(c.len, 0);
		e.ring[PETREL_STAT_BAD_HANDLE] += 2;
	}
	for (i = 0; ok && i < sizeof(ops) / sizeof(ops[0]); i++) {
		ok = post(ops[i], H0, SPARE_GPA, 64) &&
		     post(ops[i], 77, ~0ull, 0);
		e.ring[PETREL_STAT_BAD_OP] += 2;
	}
	/* Nothing committed for those, nothing sent. */
	ok = ok && drain() && CHECK_EQ(ld(&g.ring->com_tail), g.com_head);
	pt_frame(want, 64, 61);
	ok = ok && g_read(H0, SPARE_GPA + 4096, 2048, &c) &&
	     CHECK_EQ(c.ret, HVT_RESULT_OK) && CHECK_EQ(c.len, 64) &&
	     CHECK(!memcmp(g.mem + SPARE_GPA + 4096, want, 64)) &&
	     g_read(H1, SPARE_GPA + 4096, 2048, &c) &&
	     CHECK_EQ(c.ret, HVT_RESULT_OK) && CHECK_EQ(c.len, 64);
	e.d0[PETREL_STAT_RX_PACKETS] = 1;
	e.d0[PETREL_STAT_RX_BYTES] = 64;
	e.d1[PETREL_STAT_RX_PACKETS] = 1;
	e.d1[PETREL_STAT_RX_BYTES] = 64;
	return ok && expect_deltas(&e) && good_traffic(5, 42000);
}

/*
 * ent_tail more than a ring ahead: one ring error, ent_head republished,
 * and the ring parked: a worker run without a kick (a registration queues
 * one) takes nothing. The next kick unparks it and traffic flows again.
 * The worker is stopped while the index is broken, so that exactly one
 * pass sees it.
 */
static bool test_tail_far_ahead(void)
{
	struct hvt_ring_commit c;
	struct expect e = { 0 };
	struct pt_dev d3;
	uint32_t head, len;
	uint64_t runs;
	bool ok;

	if (!drain() || !begin())
		return false;
	pt_worker_stop(&worker);
	__atomic_store_n(&g.ring->ent_head, 12345, __ATOMIC_RELAXED);
	__atomic_store_n(&g.ring->ent_tail, g.ent_tail + 5000,
			 __ATOMIC_RELEASE);
	kick();
	pt_worker_start(&worker, vm_fd);
	ok = wait_stat(NULL, PETREL_STAT_RING_ERRORS,
		       vi_before->hvt.s[PETREL_STAT_RING_ERRORS] + 1);
	head = ld(&g.ring->ent_head);
	ok = ok && CHECK_EQ(head, g.ent_tail) &&
	     CHECK_EQ(ld(&g.ring->needs_kick), 1);
	e.ring[PETREL_STAT_RING_ERRORS] = 1;

	/* A good entry, published without a kick: parked, not taken. */
	pt_frame(want, 80, 71);
	memcpy(g.mem + SLOT_GPA(g.ent_tail), want, 80);
	put_entry(HVT_RING_OP_NET_WRITE, H0, SLOT_GPA(g.ent_tail), 80);
	__atomic_store_n(&g.ring->ent_tail, ++g.ent_tail, __ATOMIC_RELEASE);
	runs = vi_after->hvt.s[PETREL_STAT_WORKER_RUNS];
	dev_init(&d3, "hvt3");
	ok = ok && CHECK_EQ(hvt_register(vm_fd, &d3, 9), 0) && wait_runs(runs);
	/* Joined: the run that registration queued is over. */
	pt_worker_stop(&worker);
	ok = ok && CHECK_EQ(ld(&g.ring->ent_head), head) && get(vi_after) &&
	     CHECK_EQ(vi_after->dev[dev0.dev_id].s[PETREL_STAT_TX_PACKETS],
		      vi_before->dev[dev0.dev_id].s[PETREL_STAT_TX_PACKETS]);
	ok = ok && CHECK_EQ(unregister(vm_fd, d3.dev_id), 0);
	pt_dev_close(&d3);
	pt_worker_start(&worker, vm_fd);
	kick();
	ok = ok && pt_host_recv(&dev0, got, &len) && CHECK_EQ(len, 80) &&
	     CHECK(!memcmp(got, want, 80)) && drain();
	e.d0[PETREL_STAT_TX_PACKETS] = 1;
	e.d0[PETREL_STAT_TX_BYTES] = 80;
	/* A read after the resync, through the normal protocol. */
	ok = ok && g_read(H0, SPARE_GPA, 2048, &c) &&
	     CHECK_EQ(c.ret, HVT_RESULT_AGAIN);
	e.d0[PETREL_STAT_RX_AGAIN] = 1;
	return ok && expect_deltas(&e) && good_traffic(5, 43000);
}

/*
 * A guest that never takes its commits: HVT_RING_SIZE of them wait, and
 * the next NET_READ waits too (commits_full, once, the ring parked with
 * the entry still the guest's). Once the guest has taken them, its next
 * entry kicks and both reads go through. The last read is posted while
 * the worker is stopped, so that exactly one pass meets the full commits.
 */
static bool test_commits_untaken(void)
{
	struct hvt_ring_commit c;
	struct expect e = { 0 };
	uint32_t i, first_id = g.next_id;
	bool ok = true;

	if (!begin())
		return false;
	for (i = 0; ok && i < HVT_RING_SIZE; i++)
		ok = post(HVT_RING_OP_NET_READ, H1, SPARE_GPA, 2048);
	ok = ok && drain() &&
	     CHECK_EQ(ld(&g.ring->com_tail), g.com_head + HVT_RING_SIZE);
	pt_worker_stop(&worker);
	ok = ok && post(HVT_RING_OP_NET_READ, H1, SPARE_GPA + 4096, 2048);
	pt_worker_start(&worker, vm_fd);
	ok = ok && wait_stat(NULL, PETREL_STAT_COMMITS_FULL,
			     vi_before->hvt.s[PETREL_STAT_COMMITS_FULL] + 1);
	ok = ok && CHECK_EQ(ld(&g.ring->ent_head), g.ent_tail - 1) &&
	     CHECK_EQ(ld(&g.ring->com_tail), g.com_head + HVT_RING_SIZE) &&
	     CHECK_EQ(ld(&g.ring->needs_kick), 1);
	e.ring[PETREL_STAT_COMMITS_FULL] = 1;
	for (i = 0; ok && i < HVT_RING_SIZE; i++)
		ok = take_commit(&c) && CHECK_EQ(c.id, first_id + i) &&
		     CHECK_EQ(c.ret, HVT_RESULT_AGAIN) && CHECK_EQ(c.len, 0);
	pt_frame(want, 70, 81);
	ok = ok && pt_host_send(&dev1, want, 70) &&
	     post(HVT_RING_OP_NET_READ, H1, SPARE_GPA, 2048) &&
	     take_commit(&c) && CHECK_EQ(c.id, first_id + HVT_RING_SIZE) &&
	     CHECK_EQ(c.ret, HVT_RESULT_OK) && CHECK_EQ(c.len, 70) &&
	     CHECK(!memcmp(g.mem + SPARE_GPA + 4096, want, 70)) &&
	     take_commit(&c) &&
	     CHECK_EQ(c.id, first_id + HVT_RING_SIZE + 1) &&
	     CHECK_EQ(c.ret, HVT_RESULT_AGAIN);
	e.d1[PETREL_STAT_RX_AGAIN] = HVT_RING_SIZE + 1;
	e.d1[PETREL_STAT_RX_PACKETS] = 1;
	e.d1[PETREL_STAT_RX_BYTES] = 70;
	return ok && expect_deltas(&e) && good_traffic(5, 44000);
}

/*
 * Guest memory the tender made read-only: a NET_READ into it fails the
 * copy, which is counted as a bad buffer and committed EINVAL; the frame
 * is gone (tun freed it), the next one lands in writable memory.
 */
static bool test_read_only_memory(void)
{
	struct hvt_ring_commit c;
	struct expect e = { 0 };
	uint32_t len;
	bool ok;

	if (!begin())
		return false;
	if (mprotect(g.mem + SPARE_GPA, 4096, PROT_READ))
		pt_die("mprotect: %s", strerror(errno));
	pt_frame(want, 400, 91);
	ok = pt_host_send(&dev0, want, 400) &&
	     g_read(H0, SPARE_GPA, 2048, &c) &&
	     CHECK_EQ(c.ret, HVT_RESULT_EINVAL) && CHECK_EQ(c.len, 0);
	e.d0[PETREL_STAT_RX_DROP_BAD_DESC] = 1;
	/* Reading from it is fine: NET_WRITE still works there. */
	if (mprotect(g.mem + SPARE_GPA, 4096, PROT_READ | PROT_WRITE))
		pt_die("mprotect: %s", strerror(errno));
	pt_frame(want, 400, 92);
	memcpy(g.mem + SPARE_GPA, want, 400);
	if (mprotect(g.mem + SPARE_GPA, 4096, PROT_READ))
		pt_die("mprotect: %s", strerror(errno));
	ok = ok && post(HVT_RING_OP_NET_WRITE, H0, SPARE_GPA, 400) &&
	     pt_host_recv(&dev0, got, &len) && CHECK_EQ(len, 400) &&
	     CHECK(!memcmp(got, want, 400)) && drain();
	e.d0[PETREL_STAT_TX_PACKETS] = 1;
	e.d0[PETREL_STAT_TX_BYTES] = 400;
	/* Memory the tender unmapped: nothing to read a frame from. */
	if (mprotect(g.mem + SPARE_GPA, 4096, PROT_NONE))
		pt_die("mprotect: %s", strerror(errno));
	ok = ok && post(HVT_RING_OP_NET_WRITE, H0, SPARE_GPA, 400) && drain();
	e.d0[PETREL_STAT_TX_DROP_BAD_DESC] = 1;
	if (mprotect(g.mem + SPARE_GPA, 4096, PROT_READ | PROT_WRITE))
		pt_die("mprotect: %s", strerror(errno));
	return ok && expect_deltas(&e) && good_traffic(5, 45000);
}

/*
 * A device unregistered with entries for it still queued (the worker is
 * stopped meanwhile): they are bad handles once it is gone, the other
 * device's entries go through, and the handle can be registered again.
 */
static bool test_unregister_with_entries(void)
{
	struct hvt_ring_commit c;
	struct expect e = { 0 };
	uint32_t i, len;
	uint64_t b = 0;
	bool ok = true;

	if (!drain() || !begin())
		return false;
	pt_worker_stop(&worker);
	for (i = 0; ok && i < 20; i++) {
		pt_frame(want, frame_len(i), 50000 + i);
		ok = g_write(i & 1 ? H1 : H0, want, frame_len(i));
		if (i & 1)
			b += frame_len(i);
	}
	ok = ok && post(HVT_RING_OP_NET_READ, H0, SPARE_GPA, 2048);
	ok = ok && CHECK_EQ(unregister(vm_fd, dev0.dev_id), 0);
	e.ring[PETREL_STAT_DOORBELLS] = g.kicks - kicks_before;
	pt_worker_start(&worker, vm_fd);
	for (i = 1; ok && i < 20; i += 2) {
		pt_frame(want, frame_len(i), 50000 + i);
		ok = pt_host_recv(&dev1, got, &len) &&
		     CHECK_EQ(len, frame_len(i)) &&
		     CHECK(!memcmp(got, want, len));
	}
	ok = ok && drain() && take_commit(&c) &&
	     CHECK_EQ(c.ret, HVT_RESULT_EINVAL);
	e.ring[PETREL_STAT_BAD_HANDLE] = 11;
	e.d1[PETREL_STAT_TX_PACKETS] = 10;
	e.d1[PETREL_STAT_TX_BYTES] = b;
	/* dev0's counters are the retired ones now: compare without it. */
	ok = ok && get(vi_after) &&
	     same_stats("ring", &vi_before->hvt, &vi_after->hvt, e.ring, 0) &&
	     same_stats("dev1", &vi_before->dev[dev1.dev_id],
			&vi_after->dev[dev1.dev_id], e.d1, 0);
	ok = ok && CHECK_EQ(hvt_register(vm_fd, &dev0, H0), 0);
	return ok && good_traffic(5, 46000);
}

/* Make sure the worker is inside its call: a kick makes it run. */
static bool worker_running(void)
{
	if (!get(vi_after))
		return false;
	kick();
	return wait_runs(vi_after->hvt.s[PETREL_STAT_WORKER_RUNS]);
}

static void *second_worker(void *arg)
{
	int *err = arg;

	*err = ioctl(vm_fd, PETREL_IOC_WORKER, 0) ? errno : 0;
	return NULL;
}

static bool test_worker_rules(void)
{
	pthread_t t;
	int err = -1, status;
	pid_t pid;
	bool ok;

	ok = worker_running();
	if (pthread_create(&t, NULL, second_worker, &err))
		pt_die("pthread_create failed");
	pthread_join(t, NULL);
	ok = ok && CHECK_EQ(err, EBUSY);
	ok = ok && CHECK(ioctl(vm_fd, PETREL_IOC_WORKER, 1) < 0) &&
	     CHECK_EQ(errno, EINVAL);
	/* A child shares the file, not the address space guest memory is in. */
	pid = fork();
	if (pid < 0)
		pt_die("fork: %s", strerror(errno));
	if (pid == 0)
		_exit(ioctl(vm_fd, PETREL_IOC_WORKER, 0) ? errno : 0);
	ok = ok && CHECK_EQ(waitpid(pid, &status, 0), pid) &&
	     CHECK(WIFEXITED(status)) && CHECK_EQ(WEXITSTATUS(status), EPERM);
	return ok && good_traffic(3, 47000);
}

/*
 * A signal ends the worker's call with EINTR. Until it is called again
 * nothing moves: kicks are counted but no pass runs. Then every entry
 * queued meanwhile is taken, none lost.
 */
static bool test_worker_signal(void)
{
	struct hvt_ring_commit c;
	struct expect e = { 0 };
	uint32_t i, len, head;
	uint64_t runs;
	bool ok;

	if (!drain() || !begin())
		return false;
	pt_worker_stop(&worker);
	ok = CHECK_EQ(worker.err, EINTR) && get(vi_after);
	runs = vi_after->hvt.s[PETREL_STAT_WORKER_RUNS];
	head = ld(&g.ring->ent_head);
	for (i = 0; ok && i < 50; i++) {
		pt_frame(want, frame_len(i), 60000 + i);
		ok = g_write(H0, want, frame_len(i)) && pt_host_send(&dev1, want, 60);
		e.d0[PETREL_STAT_TX_BYTES] += frame_len(i);
	}
	ok = ok && post(HVT_RING_OP_NET_READ, H1, SPARE_GPA, 2048);
	kick();
	ok = ok && get(vi_after) &&
	     CHECK_EQ(vi_after->hvt.s[PETREL_STAT_WORKER_RUNS], runs) &&
	     CHECK_EQ(vi_after->hvt.s[PETREL_STAT_DOORBELLS] -
		      vi_before->hvt.s[PETREL_STAT_DOORBELLS],
		      g.kicks - kicks_before) &&
	     CHECK_EQ(ld(&g.ring->ent_head), head) &&
	     CHECK_EQ(ld(&g.ring->com_tail), g.com_head);
	pt_worker_start(&worker, vm_fd);
	for (i = 0; ok && i < 50; i++) {
		pt_frame(want, frame_len(i), 60000 + i);
		ok = pt_host_recv(&dev0, got, &len) &&
		     CHECK_EQ(len, frame_len(i)) &&
		     CHECK(!memcmp(got, want, len));
	}
	pt_frame(want, frame_len(0), 60000);
	ok = ok && take_commit(&c) && CHECK_EQ(c.ret, HVT_RESULT_OK) &&
	     CHECK_EQ(c.len, 60) && CHECK(!memcmp(g.mem + SPARE_GPA, want, 60));
	for (i = 1; ok && i < 50; i++) {
		pt_frame(want, frame_len(i), 60000 + i);
		ok = g_read(H1, SPARE_GPA, 2048, &c) &&
		     CHECK_EQ(c.ret, HVT_RESULT_OK) && CHECK_EQ(c.len, 60) &&
		     CHECK(!memcmp(g.mem + SPARE_GPA, want, 60));
	}
	e.d0[PETREL_STAT_TX_PACKETS] = 50;
	e.d1[PETREL_STAT_RX_PACKETS] = 50;
	e.d1[PETREL_STAT_RX_BYTES] = 50 * 60;
	return ok && drain() && expect_deltas(&e);
}

static volatile int flood_stop;

static void *flood(void *arg)
{
	(void)arg;
	while (!__atomic_load_n(&flood_stop, __ATOMIC_RELAXED))
		kick();
	return NULL;
}

/*
 * A kick storm beside normal traffic: no frame lost or changed, and once
 * it is over, every kick counted as one doorbell.
 */
static bool test_kick_flood(void)
{
	struct expect e = { 0 };
	pthread_t t;
	bool ok;

	if (!begin())
		return false;
	flood_stop = 0;
	if (pthread_create(&t, NULL, flood, NULL))
		pt_die("pthread_create failed");
	/* The storm is on before the traffic starts. */
	ok = true;
	for (uint64_t end = now_ms() + WAIT_MS;
	     ok && __atomic_load_n(&g.kicks, __ATOMIC_RELAXED) -
		   kicks_before < 1000;)
		ok = CHECK(now_ms() <= end);
	ok = ok && traffic(100, 70000, &e);
	__atomic_store_n(&flood_stop, 1, __ATOMIC_RELAXED);
	pthread_join(t, NULL);
	kt_diag("%llu kicks",
		(unsigned long long)(g.kicks - kicks_before));
	return ok && expect_deltas(&e);
}

static volatile int chaos_stop;

/*
 * Scribbles over everything the guest may write: its indices, the
 * entries, and the commits (which the host never reads). The host's own
 * cache line is left alone, so that the guest can find the host's
 * com_tail afterwards; the host never reads it back anyway.
 */
static void *chaos(void *arg)
{
	uint32_t x = 12345;
	uint32_t *w = (uint32_t *)g.ring;
	size_t words = sizeof(struct hvt_ring) / 4;

	(void)arg;
	while (!__atomic_load_n(&chaos_stop, __ATOMIC_RELAXED)) {
		size_t i;

		x = x * 1103515245u + 12345u;
		i = (x >> 8) % words;
		if (i >= 16 && i < 32)
			continue;
		switch (x & 3) {
		case 0:	/* an index just ahead, so the host takes entries */
			__atomic_store_n(&g.ring->ent_tail,
					 ld(&g.ring->ent_head) + (x >> 22),
					 __ATOMIC_RELEASE);
			break;
		case 1:	/* an entry that names real devices and memory */
			w[i] = (x >> 16) % 4 == 0 ? (x >> 4) % MEM_SIZE :
						      (x >> 10) % 8;
			break;
		default:
			w[i] = x * 2654435761u;
		}
		if ((x & 0xff) == 0)
			kick();
	}
	return NULL;
}

/*
 * Every entry the host took is counted exactly once: a frame sent or
 * dropped by cause, a read's outcome, a bad handle or a bad operation.
 */
static uint64_t entries_counted(const struct pt_vm_info *vi)
{
	static const int per_dev[] = {
		PETREL_STAT_TX_PACKETS, PETREL_STAT_TX_DROP_BAD_DESC,
		PETREL_STAT_TX_DROP_TOO_BIG, PETREL_STAT_TX_DROP_TOO_SMALL,
		PETREL_STAT_TX_DROP_TAP, PETREL_STAT_RX_PACKETS,
		PETREL_STAT_RX_AGAIN, PETREL_STAT_RX_DROP_BAD_DESC,
		PETREL_STAT_RX_DROP_SMALL_BUF,
	};
	uint64_t n = vi->hvt.s[PETREL_STAT_BAD_HANDLE] +
		     vi->hvt.s[PETREL_STAT_BAD_OP];
	size_t i;

	/* The VM totals include the devices unregistered earlier. */
	for (i = 0; i < sizeof(per_dev) / sizeof(per_dev[0]); i++)
		n += vi->vm.s[per_dev[i]];
	return n;
}

static bool test_chaos(void)
{
	uint32_t head0, head, i, ct;
	uint64_t errors;
	pthread_t t;
	bool ok;

	if (!drain() || !get(vi_before))
		return false;
	head0 = g.ent_tail;
	chaos_stop = 0;
	if (pthread_create(&t, NULL, chaos, NULL))
		pt_die("pthread_create failed");
	/* The guest goes on posting and sending meanwhile. */
	for (i = 0; i < CHAOS_ROUNDS; i++) {
		uint32_t l = 60 + i % 1455, slot = ld(&g.ring->ent_tail);

		pt_frame(want, l, i);
		memcpy(g.mem + SLOT_GPA(slot), want, l);
		g.ring->entries[slot & MASK] = (struct hvt_ring_entry){
			.operation = 1 + (i & 1), .handle = (i & 2) ? H1 : H0,
			.data = SLOT_GPA(slot), .len = l, .id = i,
		};
		__atomic_store_n(&g.ring->ent_tail, slot + 1, __ATOMIC_RELEASE);
		kick();
		send((i & 2) ? dev1.pkt : dev0.pkt, want, l, MSG_DONTWAIT);
		if (i % 64 == 0)
			usleep(1000);
	}
	__atomic_store_n(&chaos_stop, 1, __ATOMIC_RELAXED);
	pthread_join(t, NULL);

	/*
	 * Recover like a guest resetting its driver: an index far ahead of
	 * anything the host took, one kick, one ring error, and the host's
	 * ent_head republished. The worker is stopped meanwhile so that the
	 * pass that sees it is the last one.
	 */
	pt_worker_stop(&worker);
	if (!get(vi_after))
		return false;
	errors = vi_after->hvt.s[PETREL_STAT_RING_ERRORS];
	__atomic_store_n(&g.ring->ent_tail, head0 + 0x80000000u,
			 __ATOMIC_RELEASE);
	kick();
	pt_worker_start(&worker, vm_fd);
	ok = wait_stat(NULL, PETREL_STAT_RING_ERRORS, errors + 1);
	/* Counted before that error, so all in the next reply. */
	ok = get(vi_after) && ok;
	head = ld(&g.ring->ent_head);
	ct = ld(&g.ring->com_tail);
	kt_diag("chaos: %u entries taken, %u commits",
		head - head0, ct - g.com_head);
	pt_print_stats("ring after chaos", &vi_after->hvt);
	ok = ok && CHECK_EQ(entries_counted(vi_after) -
			    entries_counted(vi_before), head - head0);
	g.ent_tail = head;
	g.com_head = ct;
	__atomic_store_n(&g.ring->com_head, ct, __ATOMIC_RELEASE);
	__atomic_store_n(&g.ring->ent_tail, head, __ATOMIC_RELEASE);
	/* Frames from the chaos may still wait in the taps and sockets. */
	for (i = 0; i < 2; i++) {
		struct pt_dev *d = i ? &dev1 : &dev0;
		struct hvt_ring_commit c;

		while (recv(d->pkt, got, sizeof(got), MSG_DONTWAIT) > 0)
			;
		do {
			ok = ok && g_read(i ? H1 : H0, SPARE_GPA, 2048, &c);
		} while (ok && c.ret == HVT_RESULT_OK);
		ok = ok && CHECK_EQ(c.ret, HVT_RESULT_AGAIN);
	}
	return ok && good_traffic(50, 80000);
}

int main(void)
{
	void *p;

	setvbuf(stdout, NULL, _IOLBF, 0);
	pt_enter_netns();
	kt_plan(18);
	vi_before = calloc(1, sizeof(*vi_before));
	vi_after = calloc(1, sizeof(*vi_after));
	if (!vi_before || !vi_after)
		pt_die("out of memory");

	/* Guest memory, and the ring as the tender sets it up. */
	g.mem = mmap(NULL, MEM_SIZE, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	p = mmap(NULL, RING_BYTES, PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (g.mem == MAP_FAILED || p == MAP_FAILED)
		pt_die("mmap: %s", strerror(errno));
	g.ring = p;
	g.ring->ent_head = g.ring->ent_tail = IDX0;
	g.ring->com_head = g.ring->com_tail = IDX0;
	g.ring->needs_kick = 1;
	g.ent_tail = g.com_head = IDX0;
	g.kick = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (g.kick < 0)
		pt_die("eventfd: %s", strerror(errno));

	vm_fd = pt_open_worked(&worker);
	vm_id = pt_vm_id(vm_fd, "hvt");
	dev_init(&dev0, "hvt0");
	dev_init(&dev1, "hvt1");

	kt_result(test_ring_register_errors(), "hvt_ring_register_errors");
	kt_result(test_net_register_errors(), "net_register_hvt_errors");
	kt_result(test_write_exact(), "net_write_60_to_1514_exact");
	kt_result(test_read_exact(), "net_read_exact_commits_and_again");
	kt_result(test_two_devices(), "two_devices_by_handle");
	kt_result(test_burst(), "bursts_beyond_ring_size_nothing_lost");
	kt_result(test_rx_too_big(), "read_frame_too_big_dropped_next_taken");
	kt_result(test_hostile_writes(), "hostile_write_gpas_and_lengths");
	kt_result(test_hostile_reads(), "hostile_read_gpas_and_lengths");
	kt_result(test_bad_handles_and_ops(), "unknown_handles_and_operations");
	kt_result(test_tail_far_ahead(), "ent_tail_far_ahead_parks_until_kick");
	kt_result(test_commits_untaken(), "untaken_commits_park_reads");
	kt_result(test_read_only_memory(), "read_only_and_unmapped_guest_memory");
	kt_result(test_unregister_with_entries(),
		  "unregister_with_entries_queued");
	kt_result(test_worker_rules(), "worker_ebusy_eperm_einval");
	kt_result(test_worker_signal(), "worker_signal_stops_then_resumes");
	kt_result(test_kick_flood(), "kick_flood_traffic_exact");
	kt_result(test_chaos(), "rewrites_during_processing");

	pt_close_worked(&worker);
	pt_dev_close(&dev0);
	pt_dev_close(&dev1);
	return kt_exit();
}
