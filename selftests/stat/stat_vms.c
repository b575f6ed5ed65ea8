// SPDX-License-Identifier: GPL-2.0
/*
 * VMs for the petrel-stat tests, held open until stdin closes:
 *   stat_vms traffic NAME NTX TXLEN NRX RXLEN
 *     one named VM with one device in a fresh network namespace; as its
 *     guest, sends NTX frames of TXLEN bytes to the tap and receives NRX
 *     frames of RXLEN bytes from it, each checked on the other side, so
 *     the module's counters are known exactly.
 *   stat_vms many N PREFIX
 *     N named VMs PREFIX000.. (no devices) in the caller's namespace.
 *   stat_vms fleet N PREFIX NDEV
 *     N named VMs PREFIX0.. in a fresh network namespace, each with NDEV
 *     devices on taps PREFIX<vm>t<dev>; device d of VM v sends (v+1)(d+1)
 *     frames of 100 bytes to its tap and receives 2(d+1) of 200 bytes.
 *   stat_vms page NAME
 *     one named VM whose counters page (checked to map only as documented)
 *     holds known values: scalar slot n = 1000 + n, hypercall n = 2000 + n,
 *     exit reason n = 3000 + n for n < 4, KVM statistic n = 4000 + n for
 *     the odd n only (the others not offered).
 * Prints "ready" when done; the caller reads the counters meanwhile (in
 * the namespace of this process for `traffic`).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../kmod/ptest.h"

static uint8_t want[2048], got[2048];

static void set_name(int fd, const char *name)
{
	struct petrel_vm_name req = { 0 };

	snprintf(req.name, sizeof(req.name), "%s", name);
	if (ioctl(fd, PETREL_IOC_SET_NAME, &req))
		pt_die("naming %s: %s", name, strerror(errno));
}

static unsigned long num(const char *s, unsigned long max)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);

	if (*s == '\0' || *end || v > max)
		pt_die("bad number: %s", s);
	return v;
}

static void traffic(char **argv)
{
	static struct pt_dev dev;
	static struct pt_worker worker;
	unsigned long ntx = num(argv[1], 100000), txlen = num(argv[2], 1514);
	unsigned long nrx = num(argv[3], 100000), rxlen = num(argv[4], 1514);
	uint32_t n;
	int fd, ret;

	if (txlen < 60 || rxlen < 60)
		pt_die("frames are at least 60 bytes");
	pt_enter_netns();
	fd = pt_open_worked(&worker);
	set_name(fd, argv[0]);
	pt_dev_init(&dev, "stap0", 64);
	ret = pt_dev_register(fd, &dev);
	if (ret)
		pt_die("register: %s", strerror(-ret));
	for (unsigned long i = 0; i < ntx; i++) {
		pt_frame(want, (uint32_t)txlen, (uint32_t)i);
		if (!pt_tx(&dev, want, (uint32_t)txlen) ||
		    !pt_host_recv(&dev, got, &n) || n != txlen ||
		    memcmp(got, want, txlen))
			pt_die("TX frame %lu did not arrive intact", i);
	}
	if (!pt_tx_drain(&dev))
		pt_die("TX ring not drained");
	pt_rx_post(&dev);
	for (unsigned long i = 0; i < nrx; i++) {
		pt_frame(want, (uint32_t)rxlen, (uint32_t)(1000000 + i));
		if (!pt_host_send(&dev, want, (uint32_t)rxlen) ||
		    !pt_rx(&dev, got, &n) || n != rxlen ||
		    memcmp(got, want, rxlen))
			pt_die("RX frame %lu did not arrive intact", i);
	}
}

/* Exchange frames as the guest of @d, each checked on the other side. */
static void exchange(struct pt_dev *d, unsigned long ntx, uint32_t txlen,
		     unsigned long nrx, uint32_t rxlen)
{
	uint32_t n;

	for (unsigned long i = 0; i < ntx; i++) {
		pt_frame(want, txlen, (uint32_t)i);
		if (!pt_tx(d, want, txlen) || !pt_host_recv(d, got, &n) ||
		    n != txlen || memcmp(got, want, txlen))
			pt_die("%s: TX frame %lu did not arrive intact",
			       d->ifname, i);
	}
	if (!pt_tx_drain(d))
		pt_die("%s: TX ring not drained", d->ifname);
	pt_rx_post(d);
	for (unsigned long i = 0; i < nrx; i++) {
		pt_frame(want, rxlen, (uint32_t)(1000000 + i));
		if (!pt_host_send(d, want, rxlen) || !pt_rx(d, got, &n) ||
		    n != rxlen || memcmp(got, want, rxlen))
			pt_die("%s: RX frame %lu did not arrive intact",
			       d->ifname, i);
	}
}

static void fleet(char **argv)
{
	static struct pt_dev devs[8][PETREL_MAX_NETDEVS];
	static struct pt_worker workers[8];
	unsigned long n = num(argv[0], 8);
	unsigned long ndev = num(argv[2], PETREL_MAX_NETDEVS);

	pt_enter_netns();
	for (unsigned long v = 0; v < n; v++) {
		char name[PETREL_NAME_MAX];
		/* Frames move below: each VM lends a worker, as a tender. */
		int fd = pt_open_worked(&workers[v]);

		snprintf(name, sizeof(name), "%.8s%c", argv[1],
			 (char)('0' + v));
		set_name(fd, name);
		for (unsigned long d = 0; d < ndev; d++) {
			char ifname[IFNAMSIZ];
			int ret;

			/* v and d are single digits: IFNAMSIZ holds it. */
			snprintf(ifname, sizeof(ifname), "%.8s%ct%c",
				 argv[1], (char)('0' + v), (char)('0' + d));
			pt_dev_init(&devs[v][d], ifname, 64);
			ret = pt_dev_register(fd, &devs[v][d]);
			if (ret)
				pt_die("register %s: %s", ifname,
				       strerror(-ret));
			exchange(&devs[v][d], (v + 1) * (d + 1), 100,
				 2 * (d + 1), 200);
		}
	}
}

/* mmap that must fail with EINVAL. */
static void map_refused(int fd, size_t len, int flags, off_t off,
			const char *what)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, flags, fd, off);

	if (p != MAP_FAILED)
		pt_die("mmap %s: mapped", what);
	if (errno != EINVAL)
		pt_die("mmap %s: %s, expected EINVAL", what, strerror(errno));
}

static void page(char **argv)
{
	struct petrel_counters_page *p, *again;
	int fd = pt_open_petrel();

	set_name(fd, argv[0]);
	map_refused(fd, PETREL_COUNTERS_SIZE, MAP_PRIVATE, 0, "private");
	map_refused(fd, 2 * PETREL_COUNTERS_SIZE, MAP_SHARED, 0, "two pages");
	map_refused(fd, PETREL_COUNTERS_SIZE, MAP_SHARED,
		    PETREL_COUNTERS_SIZE, "at offset 4096");
	p = mmap(NULL, PETREL_COUNTERS_SIZE, PROT_READ | PROT_WRITE,
		 MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		pt_die("mmap: %s", strerror(errno));
	for (unsigned i = 0; i < PETREL_COUNTERS_SIZE / 8; i++)
		if (((uint64_t *)p)[i])
			pt_die("the page is not zeroed at word %u", i);
	for (unsigned n = 0; n < 32; n++)
		p->scalar[n] = 1000 + n;
	for (unsigned n = 0; n < PETREL_HYPERCALLS_MAX; n++)
		p->hypercalls[n] = 2000 + n;
	for (unsigned n = 0; n < 4; n++)
		p->exit_reasons[n] = 3000 + n;
	for (unsigned n = 0; n < PETREL_KVM_STATS_MAX; n++)
		p->kvm[n] = 4000 + n;
	p->kvm_valid = 0xaaaaaaaaaaaaaaaaULL;
	/* A second mapping shows the same page. */
	again = mmap(NULL, PETREL_COUNTERS_SIZE, PROT_READ, MAP_SHARED, fd, 0);
	if (again == MAP_FAILED || again->scalar[5] != 1005)
		pt_die("second mapping: not the same page");
	munmap(again, PETREL_COUNTERS_SIZE);
}

static void many(char **argv)
{
	unsigned long n = num(argv[0], 1000);

	for (unsigned long i = 0; i < n; i++) {
		char name[PETREL_NAME_MAX];

		snprintf(name, sizeof(name), "%.20s%03u", argv[1], (unsigned)i);
		set_name(pt_open_petrel(), name);
	}
}

int main(int argc, char **argv)
{
	char c;

	if (argc == 7 && !strcmp(argv[1], "traffic"))
		traffic(argv + 2);
	else if (argc == 4 && !strcmp(argv[1], "many"))
		many(argv + 2);
	else if (argc == 3 && !strcmp(argv[1], "page"))
		page(argv + 2);
	else if (argc == 5 && !strcmp(argv[1], "fleet"))
		fleet(argv + 2);
	else
		pt_die("usage: stat_vms traffic NAME NTX TXLEN NRX RXLEN | "
		       "many N PREFIX | page NAME | fleet N PREFIX NDEV");
	printf("ready\n");
	fflush(stdout);
	while (read(0, &c, 1) > 0)
		;
	return 0;
}
