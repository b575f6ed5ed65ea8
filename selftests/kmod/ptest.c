// SPDX-License-Identifier: GPL-2.0
/* KTAP output, the test environment and the test's "guest" ring driver. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <linux/if_tun.h>
#include <linux/if_ether.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>

#include "ptest.h"

/* Failure detection only: long enough that a slow TCG VM never hits it. */
#define PT_WAIT_MS 10000

static int kt_n, kt_pass, kt_fail, kt_skipped;

void kt_plan(int n)
{
	printf("KTAP version 1\n1..%d\n", n);
	fflush(stdout);
}

void kt_result(bool ok, const char *name)
{
	printf("%sok %d %s\n", ok ? "" : "not ", ++kt_n, name);
	fflush(stdout);
	if (ok)
		kt_pass++;
	else
		kt_fail++;
}

void kt_skip(const char *name, const char *reason)
{
	printf("ok %d %s # SKIP %s\n", ++kt_n, name, reason);
	fflush(stdout);
	kt_skipped++;
}

void kt_diag(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
	fflush(stdout);
}

bool kt_check_eq(uint64_t a, uint64_t b, const char *as, const char *bs,
		 const char *file, int line)
{
	if (a == b)
		return true;
	kt_diag("%s:%d: %s = %llu (%lld), expected %s = %llu", file, line, as,
		(unsigned long long)a, (long long)a, bs, (unsigned long long)b);
	return false;
}

int kt_exit(void)
{
	printf("# %d passed, %d failed, %d skipped\n", kt_pass, kt_fail,
	       kt_skipped);
	return kt_fail ? 1 : 0;
}

void pt_die(const char *fmt, ...)
{
	va_list ap;

	fputs("error: ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
	exit(1);
}

static void write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);

	if (fd < 0)
		return;	/* no IPv6 in this kernel: nothing to turn off */
	if (write(fd, s, strlen(s)) < 0)
		pt_die("write %s: %s", path, strerror(errno));
	close(fd);
}

void pt_enter_netns(void)
{
	if (unshare(CLONE_NEWNET))
		pt_die("unshare(CLONE_NEWNET): %s", strerror(errno));
	/* Keep the stack quiet on the tap: exact counters need it. */
	write_file("/proc/sys/net/ipv6/conf/default/disable_ipv6", "1");
	write_file("/proc/sys/net/ipv6/conf/all/disable_ipv6", "1");
}

int pt_open_petrel(void)
{
	int fd = open(PETREL_DEVICE_PATH, O_RDWR | O_CLOEXEC);

	if (fd < 0)
		pt_die("open %s: %s", PETREL_DEVICE_PATH, strerror(errno));
	return fd;
}

/* Only interrupts the worker's call: no SA_RESTART. */
static void pt_worker_signal(int sig)
{
	(void)sig;
}

static void *pt_worker_main(void *arg)
{
	struct pt_worker *w = arg;

	while (ioctl(w->fd, PETREL_IOC_WORKER, 0) < 0 && errno == EINTR &&
	       !w->stop)
		;
	w->err = errno;
	w->done = 1;
	return NULL;
}

void pt_worker_start(struct pt_worker *w, int fd)
{
	struct sigaction sa = { .sa_handler = pt_worker_signal };
	int ret;

	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGUSR2, &sa, NULL))
		pt_die("sigaction: %s", strerror(errno));
	w->fd = fd;
	w->stop = 0;
	w->done = 0;
	w->err = 0;
	ret = pthread_create(&w->thread, NULL, pt_worker_main, w);
	if (ret)
		pt_die("pthread_create: %s", strerror(ret));
}

void pt_worker_stop(struct pt_worker *w)
{
	w->stop = 1;
	/* A signal that lands just before the call is lost: repeat it. */
	while (!w->done) {
		pthread_kill(w->thread, SIGUSR2);
		usleep(1000);
	}
	pthread_join(w->thread, NULL);
}

int pt_open_worked(struct pt_worker *w)
{
	int fd = pt_open_petrel();

	pt_worker_start(w, fd);
	return fd;
}

void pt_close_worked(struct pt_worker *w)
{
	pt_worker_stop(w);
	close(w->fd);
}

static void if_up(const char *name)
{
	struct ifreq ifr = { 0 };
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (s < 0)
		pt_die("socket: %s", strerror(errno));
	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", name);
	if (ioctl(s, SIOCGIFFLAGS, &ifr))
		pt_die("SIOCGIFFLAGS %s: %s", name, strerror(errno));
	ifr.ifr_flags |= IFF_UP | IFF_NOARP;
	if (ioctl(s, SIOCSIFFLAGS, &ifr))
		pt_die("SIOCSIFFLAGS %s: %s", name, strerror(errno));
	close(s);
}

void pt_dev_init(struct pt_dev *d, const char *ifname, uint32_t ring_size)
{
	pt_dev_init_flags(d, ifname, ring_size, IFF_TAP | IFF_NO_PI);
}

void pt_dev_init_flags(struct pt_dev *d, const char *ifname,
		       uint32_t ring_size, short tun_flags)
{
	struct sockaddr_ll sll = { 0 };
	struct ifreq ifr = { 0 };
	int one = 1;

	memset(d, 0, sizeof(*d));
	snprintf(d->ifname, sizeof(d->ifname), "%s", ifname);
	d->tap = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
	if (d->tap < 0)
		pt_die("open /dev/net/tun: %s", strerror(errno));
	ifr.ifr_flags = tun_flags;
	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", ifname);
	if (ioctl(d->tap, TUNSETIFF, &ifr))
		pt_die("TUNSETIFF %s: %s", ifname, strerror(errno));
	if_up(ifname);
	d->ifindex = (int)if_nametoindex(ifname);

	d->pkt = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL));
	if (d->pkt < 0)
		pt_die("AF_PACKET socket: %s", strerror(errno));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_ALL);
	sll.sll_ifindex = d->ifindex;
	if (bind(d->pkt, (struct sockaddr *)&sll, sizeof(sll)))
		pt_die("bind AF_PACKET: %s", strerror(errno));
	/* Only frames the tap received (guest TX), not our own sends. */
	setsockopt(d->pkt, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one));

	d->kick = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	d->wake = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (d->kick < 0 || d->wake < 0)
		pt_die("eventfd: %s", strerror(errno));

	d->ring_size = ring_size;
	d->region_size = PETREL_BUF_OFFSET(ring_size) + 2 * ring_size * PT_BUF;
	d->region_size = (d->region_size + 4095) & ~(size_t)4095;
	d->region = mmap(NULL, d->region_size, PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (d->region == MAP_FAILED)
		pt_die("mmap: %s", strerror(errno));
	d->tx = (struct petrel_ring *)(d->region + PETREL_TX_RING_OFFSET(ring_size));
	d->rx = (struct petrel_ring *)(d->region + PETREL_RX_RING_OFFSET(ring_size));
	d->buf = d->region + PETREL_BUF_OFFSET(ring_size);
}

void pt_dev_fill_req(const struct pt_dev *d, struct petrel_net_register *r)
{
	memset(r, 0, sizeof(*r));
	r->tap_fd = d->tap;
	r->kick_fd = d->kick;
	r->wake_fd = d->wake;
	r->region_addr = (uintptr_t)d->region;
	r->region_size = d->region_size;
	r->ring_size = d->ring_size;
}

int pt_dev_register(int fd, struct pt_dev *d)
{
	struct petrel_net_register r;

	pt_dev_fill_req(d, &r);
	if (ioctl(fd, PETREL_IOC_NET_REGISTER, &r))
		return -errno;
	d->dev_id = r.dev_id;
	return 0;
}

void pt_dev_close(struct pt_dev *d)
{
	close(d->pkt);
	close(d->kick);
	close(d->wake);
	close(d->tap);
	munmap(d->region, d->region_size);
}

static uint32_t ld_acq(const uint32_t *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static void st_rel(uint32_t *p, uint32_t v)
{
	__atomic_store_n(p, v, __ATOMIC_RELEASE);
}

void pt_kick(struct pt_dev *d)
{
	uint64_t one = 1;

	if (write(d->kick, &one, sizeof(one)) != sizeof(one))
		pt_die("kick: %s", strerror(errno));
}

/* Producer side of the doorbell protocol (see abi/petrel.h). */
static void publish(struct pt_dev *d, struct petrel_ring *r, uint32_t prod)
{
	st_rel(&r->producer, prod);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (__atomic_load_n(&r->kflags, __ATOMIC_RELAXED) & PETREL_RING_NEED_KICK)
		pt_kick(d);
}

/*
 * Sleep until the kernel moves the ring's consumer past `seen`: the
 * consumer side of the wakeup protocol. False after PT_WAIT_MS.
 */
static bool wait_consumer(struct pt_dev *d, struct petrel_ring *r, uint32_t seen)
{
	struct pollfd p = { .fd = d->wake, .events = POLLIN };
	int waited = 0;
	uint64_t v;
	bool ok = false;

	while (waited < PT_WAIT_MS) {
		__atomic_store_n(&r->gflags, PETREL_RING_NEED_WAKEUP, __ATOMIC_RELAXED);
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		if (ld_acq(&r->consumer) != seen) {
			ok = true;
			break;
		}
		poll(&p, 1, 100);
		waited += 100;
		if (read(d->wake, &v, sizeof(v)) < 0 && errno != EAGAIN)
			pt_die("read wake: %s", strerror(errno));
	}
	__atomic_store_n(&r->gflags, 0, __ATOMIC_RELAXED);
	return ok;
}

bool pt_tx(struct pt_dev *d, const void *frame, uint32_t len)
{
	uint32_t mask = d->ring_size - 1, slot;
	struct petrel_desc *desc;
	uint32_t cons;

	while ((cons = ld_acq(&d->tx->consumer)), d->tx_prod - cons >= d->ring_size)
		if (!wait_consumer(d, d->tx, cons))
			return CHECK(!"TX ring never drained");
	slot = d->tx_prod & mask;
	memcpy(d->buf + (size_t)slot * PT_BUF, frame, len);
	desc = &d->tx->desc[slot];
	desc->off = (uint64_t)slot * PT_BUF;
	desc->len = len;
	desc->flags = 0;
	desc->cookie = (uint16_t)slot;
	publish(d, d->tx, ++d->tx_prod);
	return true;
}

bool pt_tx_drain(struct pt_dev *d)
{
	uint32_t cons;

	while ((cons = ld_acq(&d->tx->consumer)) != d->tx_prod)
		if (!wait_consumer(d, d->tx, cons))
			return CHECK(!"TX ring never drained");
	return true;
}

void pt_rx_post(struct pt_dev *d)
{
	uint32_t mask = d->ring_size - 1;
	size_t base = (size_t)d->ring_size * PT_BUF;
	bool any = false;

	while (d->rx_prod - d->rx_cons < d->ring_size) {
		uint32_t slot = d->rx_prod & mask;
		struct petrel_desc *desc = &d->rx->desc[slot];

		desc->off = base + (size_t)slot * PT_BUF;
		desc->len = PT_BUF;
		desc->flags = 0;
		desc->cookie = (uint16_t)slot;
		d->rx_prod++;
		any = true;
	}
	if (any)
		publish(d, d->rx, d->rx_prod);
}

bool pt_rx(struct pt_dev *d, void *out, uint32_t *len)
{
	uint32_t mask = d->ring_size - 1;
	struct petrel_desc desc;

	while (ld_acq(&d->rx->consumer) == d->rx_cons)
		if (!wait_consumer(d, d->rx, d->rx_cons))
			return false;
	desc = d->rx->desc[d->rx_cons & mask];
	if (!CHECK(desc.len <= PT_BUF))
		return false;
	memcpy(out, d->buf + desc.off, desc.len);
	*len = desc.len;
	d->rx_cons++;
	pt_rx_post(d);
	return true;
}

bool pt_host_send(struct pt_dev *d, const void *frame, uint32_t len)
{
	return CHECK(send(d->pkt, frame, len, 0) == (ssize_t)len);
}

bool pt_host_recv(struct pt_dev *d, void *out, uint32_t *len)
{
	struct pollfd p = { .fd = d->pkt, .events = POLLIN };
	ssize_t n;

	if (poll(&p, 1, PT_WAIT_MS) != 1)
		return CHECK(!"no frame on the tap");
	n = recv(d->pkt, out, 65536, 0);
	if (!CHECK(n > 0))
		return false;
	*len = (uint32_t)n;
	return true;
}

void pt_frame(uint8_t *f, uint32_t len, uint32_t seq)
{
	static const uint8_t src[6] = { 0x02, 0x50, 0x54, 0x52, 0x4c, 0x01 };
	uint32_t i, x = seq * 2654435761u + len;

	memset(f, 0xff, 6);
	memcpy(f + 6, src, 6);
	f[12] = 0x88;
	f[13] = 0xb5;
	for (i = 14; i < len; i++) {
		x = x * 1103515245u + 12345u;
		f[i] = (uint8_t)(x >> 16);
	}
	if (len >= 18)
		memcpy(f + 14, &seq, 4);
}
