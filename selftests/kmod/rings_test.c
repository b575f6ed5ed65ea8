// SPDX-License-Identifier: GPL-2.0
/*
 * Good traffic through petrel.ko: this program plays the guest with rings
 * in its own memory. TX frames must arrive on the tap byte-exact, frames
 * sent to the tap must land in the RX ring, at every size 60..1514 and in
 * bursts larger than the ring; the netlink counters must match exactly.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include "ptest.h"

#define RING 64
#define MINF 60
#define MAXF 1514
#define BURST 500	/* < the tap's queue (500 default), > RING */

static struct pt_dev dev;
static struct pt_worker worker;
static uint8_t want[65536], got[65536];
static uint64_t tx_pkts, tx_bytes, rx_pkts, rx_bytes;

static bool tx_one(uint32_t len, uint32_t seq)
{
	pt_frame(want, len, seq);
	if (!pt_tx(&dev, want, len))
		return false;
	tx_pkts++;
	tx_bytes += len;
	return true;
}

static bool host_expect(uint32_t len, uint32_t seq)
{
	uint32_t n;

	pt_frame(want, len, seq);
	if (!pt_host_recv(&dev, got, &n))
		return false;
	return CHECK_EQ(n, len) && CHECK(!memcmp(got, want, len));
}

static bool test_tx_sizes(void)
{
	uint32_t len;

	for (len = MINF; len <= MAXF; len++)
		if (!tx_one(len, len) || !host_expect(len, len))
			return false;
	return true;
}

static bool test_tx_burst(void)
{
	uint32_t i;

	for (i = 0; i < BURST; i++)
		if (!tx_one(MINF + i % (MAXF - MINF + 1), 100000 + i))
			return false;
	for (i = 0; i < BURST; i++)
		if (!host_expect(MINF + i % (MAXF - MINF + 1), 100000 + i))
			return false;
	return pt_tx_drain(&dev);
}

static bool rx_expect(uint32_t len, uint32_t seq)
{
	uint32_t n;

	pt_frame(want, len, seq);
	if (!CHECK(pt_rx(&dev, got, &n)))
		return false;
	if (!CHECK_EQ(n, len) || !CHECK(!memcmp(got, want, len)))
		return false;
	rx_pkts++;
	rx_bytes += len;
	return true;
}

static bool test_rx_sizes(void)
{
	uint32_t len;

	for (len = MINF; len <= MAXF; len++) {
		pt_frame(want, len, 200000 + len);
		if (!pt_host_send(&dev, want, len) || !rx_expect(len, 200000 + len))
			return false;
	}
	return true;
}

static bool test_rx_burst(void)
{
	uint32_t i;

	/* The ring holds RING buffers: the rest wait in the tap's queue. */
	for (i = 0; i < BURST; i++) {
		pt_frame(want, MINF + (i * 7) % (MAXF - MINF + 1), 300000 + i);
		if (!pt_host_send(&dev, want, MINF + (i * 7) % (MAXF - MINF + 1)))
			return false;
	}
	for (i = 0; i < BURST; i++)
		if (!rx_expect(MINF + (i * 7) % (MAXF - MINF + 1), 300000 + i))
			return false;
	return true;
}

static bool test_counters(uint32_t vm_id)
{
	struct pt_vm_info *vi = calloc(1, sizeof(*vi));
	struct pt_stats *s;
	bool ok;
	int ret;

	if (!vi)
		pt_die("out of memory");
	ret = pt_nl_get(vm_id, NULL, vi);
	if (!CHECK_EQ(ret, 0)) {
		free(vi);
		return false;
	}
	s = &vi->dev[dev.dev_id];
	pt_print_stats("device", s);
	ok = CHECK_EQ(vi->ndevs, 1) &&
	     CHECK_EQ(s->s[PETREL_STAT_TX_PACKETS], tx_pkts) &&
	     CHECK_EQ(s->s[PETREL_STAT_TX_BYTES], tx_bytes) &&
	     CHECK_EQ(s->s[PETREL_STAT_RX_PACKETS], rx_pkts) &&
	     CHECK_EQ(s->s[PETREL_STAT_RX_BYTES], rx_bytes) &&
	     CHECK_EQ(s->s[PETREL_STAT_TX_DROP_BAD_DESC], 0) &&
	     CHECK_EQ(s->s[PETREL_STAT_TX_DROP_TAP], 0) &&
	     CHECK_EQ(s->s[PETREL_STAT_RX_DROP_BAD_DESC], 0) &&
	     CHECK_EQ(s->s[PETREL_STAT_RX_DROP_TOO_BIG], 0) &&
	     CHECK_EQ(s->s[PETREL_STAT_RING_ERRORS], 0) &&
	     CHECK(s->s[PETREL_STAT_WORKER_RUNS] > 0) &&
	     CHECK_EQ(vi->vm.s[PETREL_STAT_TX_PACKETS], tx_pkts) &&
	     CHECK_EQ(vi->vm.s[PETREL_STAT_RX_BYTES], rx_bytes);
	if (ok) {
		uint64_t tx_b = 0, rx_b = 0;
		int i;

		for (i = 0; i < PETREL_HIST_BUCKETS; i++) {
			tx_b += s->tx_batch[i];
			rx_b += s->rx_batch[i];
		}
		kt_diag("per packet: %.3f doorbells, %.3f wakeups, %.3f worker runs",
			(double)s->s[PETREL_STAT_DOORBELLS] / (double)(tx_pkts + rx_pkts),
			(double)s->s[PETREL_STAT_WAKEUPS] / (double)(tx_pkts + rx_pkts),
			(double)s->s[PETREL_STAT_WORKER_RUNS] / (double)(tx_pkts + rx_pkts));
		kt_diag("mean batch: tx %.2f, rx %.2f frames",
			tx_b ? (double)tx_pkts / (double)tx_b : 0.0,
			rx_b ? (double)rx_pkts / (double)rx_b : 0.0);
		ok = CHECK(tx_b > 0 && rx_b > 0);
	}
	free(vi);
	return ok;
}

/* A second device in the same VM, dropping RX frames when no buffer. */
static bool test_rx_drop_mode(int fd, uint32_t vm_id)
{
	struct pt_vm_info *vi = calloc(1, sizeof(*vi));
	struct petrel_net_register r;
	struct pt_dev d2;
	uint32_t i, n = 0;
	bool ok;

	if (!vi)
		pt_die("out of memory");
	pt_dev_init(&d2, "ptr1", 8);
	pt_dev_fill_req(&d2, &r);
	r.flags = PETREL_NET_F_RX_DROP;
	ok = CHECK(ioctl(fd, PETREL_IOC_NET_REGISTER, &r) == 0);
	d2.dev_id = r.dev_id;
	for (i = 0; ok && i < 10; i++) {
		pt_frame(want, 60, 400000 + i);
		ok = pt_host_send(&d2, want, 60);
	}
	/* Nothing posted: all ten are dropped and counted, none queued. */
	for (i = 0; ok && i < 1000; i++) {
		ok = CHECK_EQ(pt_nl_get(vm_id, NULL, vi), 0);
		n = (uint32_t)vi->dev[d2.dev_id].s[PETREL_STAT_RX_DROP_NO_BUFFER];
		if (n >= 10)
			break;
		usleep(10000);
	}
	ok = ok && CHECK_EQ(n, 10) && CHECK_EQ(vi->ndevs, 2);
	pt_rx_post(&d2);
	for (i = 0; ok && i < 5; i++) {
		pt_frame(want, 100, 500000 + i);
		ok = pt_host_send(&d2, want, 100) && CHECK(pt_rx(&d2, got, &n)) &&
		     CHECK_EQ(n, 100) && CHECK(!memcmp(got, want, 100));
	}
	/* The VM's sum covers both devices. */
	ok = ok && CHECK_EQ(pt_nl_get(vm_id, NULL, vi), 0) &&
	     CHECK_EQ(vi->vm.s[PETREL_STAT_RX_PACKETS], rx_pkts + 5) &&
	     CHECK_EQ(vi->dev[d2.dev_id].s[PETREL_STAT_RX_PACKETS], 5);
	/* Unregistered devices stay in the VM's sum. */
	if (ok) {
		struct petrel_net_unregister u = { .dev_id = d2.dev_id };

		ok = CHECK(ioctl(fd, PETREL_IOC_NET_UNREGISTER, &u) == 0) &&
		     CHECK_EQ(pt_nl_get(vm_id, NULL, vi), 0) &&
		     CHECK_EQ(vi->ndevs, 1) &&
		     CHECK_EQ(vi->vm.s[PETREL_STAT_RX_PACKETS], rx_pkts + 5) &&
		     CHECK_EQ(vi->vm.s[PETREL_STAT_RX_DROP_NO_BUFFER], 10);
	}
	pt_dev_close(&d2);
	free(vi);
	return ok;
}

/*
 * Re-registration on a running guest (abi/petrel.h): while registered, the
 * tap is taken; unregistered and registered again, the rings resume at the
 * consumer index the module left. TX frames posted while the device was
 * away are sent, not skipped; the RX buffers posted before stay posted
 * (none comes back unfilled) and take the next frames.
 */
static bool test_reregister(int fd)
{
	struct petrel_net_unregister u = { .dev_id = dev.dev_id };
	uint32_t i;
	bool ok;

	ok = CHECK_EQ(pt_dev_register(fd, &dev), -EEXIST) &&
	     pt_tx_drain(&dev) &&
	     CHECK(ioctl(fd, PETREL_IOC_NET_UNREGISTER, &u) == 0) &&
	     CHECK_EQ(dev.rx_prod - dev.rx_cons, RING);
	/* The guest runs on, posting frames nobody takes yet. */
	for (i = 0; ok && i < 5; i++)
		ok = tx_one(MINF + i, 600000 + i);
	ok = ok && CHECK_EQ(pt_dev_register(fd, &dev), 0) &&
	     CHECK_EQ(__atomic_load_n(&dev.rx->consumer, __ATOMIC_ACQUIRE),
		      dev.rx_cons);
	for (i = 0; ok && i < 5; i++)
		ok = host_expect(MINF + i, 600000 + i);
	ok = ok && pt_tx_drain(&dev) &&
	     CHECK_EQ(__atomic_load_n(&dev.rx->consumer, __ATOMIC_ACQUIRE),
		      dev.rx_cons);
	for (i = 0; ok && i < 5; i++) {
		pt_frame(want, 100 + i, 700000 + i);
		ok = pt_host_send(&dev, want, 100 + i) &&
		     rx_expect(100 + i, 700000 + i);
	}
	return ok;
}

int main(void)
{
	int rcvbuf = 8 << 20;
	uint32_t vm_id;
	int fd;

	setvbuf(stdout, NULL, _IOLBF, 0);
	pt_enter_netns();
	kt_plan(8);
	fd = pt_open_worked(&worker);
	vm_id = pt_vm_id(fd, "rings");
	pt_dev_init(&dev, "ptr0", RING);
	setsockopt(dev.pkt, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf));
	kt_result(CHECK_EQ(pt_dev_register(fd, &dev), 0), "register");
	pt_rx_post(&dev);

	kt_result(test_tx_sizes(), "tx_sizes_60_1514_byte_exact");
	kt_result(test_tx_burst(), "tx_burst_larger_than_ring");
	kt_result(test_rx_sizes(), "rx_sizes_60_1514_byte_exact");
	kt_result(test_rx_burst(), "rx_burst_larger_than_ring");
	kt_result(test_counters(vm_id), "netlink_counters_exact");
	kt_result(test_rx_drop_mode(fd, vm_id), "rx_drop_mode_and_vm_sums");
	kt_result(test_reregister(fd), "reregister_resumes_at_consumer");

	pt_close_worked(&worker);
	pt_dev_close(&dev);
	return kt_exit();
}
