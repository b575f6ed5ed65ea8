// SPDX-License-Identifier: GPL-2.0
/*
 * A hostile guest: garbage indices, descriptors outside the buffer area,
 * bad lengths and flags, and a second thread scribbling over the rings
 * while traffic flows. The host must survive, count the drops exactly
 * where they are deterministic, and carry good traffic afterwards.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/if_packet.h>
#include <linux/if_tun.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include "ptest.h"

#define RING 64
#define CHAOS_ROUNDS 2000

static struct pt_dev dev;
static struct pt_worker worker;
static uint32_t vm_id;
static uint8_t want[65536], got[65536];

static bool get_stats(struct pt_stats *out)
{
	struct pt_vm_info *vi = calloc(1, sizeof(*vi));
	bool ok;

	if (!vi)
		pt_die("out of memory");
	ok = CHECK_EQ(pt_nl_get(vm_id, NULL, vi), 0);
	*out = vi->dev[dev.dev_id];
	free(vi);
	return ok;
}

/* Good traffic both ways, byte-exact: the device still works. */
static bool good_traffic(int n)
{
	uint32_t len, i;

	for (i = 0; i < (uint32_t)n; i++) {
		len = 60 + (i * 97) % 1455;
		pt_frame(want, len, 7000 + i);
		if (!pt_tx(&dev, want, len) || !pt_host_recv(&dev, got, &len))
			return false;
		if (!CHECK_EQ(len, 60 + (i * 97) % 1455) || !CHECK(!memcmp(got, want, len)))
			return false;
	}
	for (i = 0; i < (uint32_t)n; i++) {
		len = 60 + (i * 89) % 1455;
		pt_frame(want, len, 8000 + i);
		if (!pt_host_send(&dev, want, len) || !CHECK(pt_rx(&dev, got, &len)))
			return false;
		if (!CHECK_EQ(len, 60 + (i * 89) % 1455) || !CHECK(!memcmp(got, want, len)))
			return false;
	}
	return pt_tx_drain(&dev);
}

/* Queue a raw descriptor on the TX ring, as a broken guest would. */
static void tx_raw(uint64_t off, uint32_t len, uint16_t flags)
{
	struct petrel_desc *d = &dev.tx->desc[dev.tx_prod & (RING - 1)];

	d->off = off;
	d->len = len;
	d->flags = flags;
	__atomic_store_n(&dev.tx->producer, ++dev.tx_prod, __ATOMIC_RELEASE);
}

static uint64_t buf_area(void)
{
	return dev.region_size - PETREL_BUF_OFFSET(RING);
}

static bool test_bad_tx_descs(void)
{
	struct pt_stats before, after;
	uint64_t area = buf_area();
	bool ok;

	if (!get_stats(&before))
		return false;
	tx_raw(area, 60, 0);			/* starts at the end */
	tx_raw(area - 59, 60, 0);		/* runs past the end */
	tx_raw(~0ull - 10, 100, 0);		/* off + len overflows */
	tx_raw(1ull << 40, 60, 0);		/* far outside */
	tx_raw(0, (uint32_t)area + 1, 0);	/* longer than the area */
	tx_raw(0, 60, 1);			/* reserved flag */
	tx_raw(0, 13, 0);			/* shorter than Ethernet */
	tx_raw(0, 0, 0);
	tx_raw(0, PETREL_FRAME_MAX + 1, 0);	/* inside, but too big */
	pt_kick(&dev);
	ok = pt_tx_drain(&dev) && get_stats(&after);
	ok = ok && CHECK_EQ(after.s[PETREL_STAT_TX_DROP_BAD_DESC] -
			    before.s[PETREL_STAT_TX_DROP_BAD_DESC], 6) &&
	     CHECK_EQ(after.s[PETREL_STAT_TX_DROP_TOO_SMALL] -
		      before.s[PETREL_STAT_TX_DROP_TOO_SMALL], 2) &&
	     CHECK_EQ(after.s[PETREL_STAT_TX_DROP_TOO_BIG] -
		      before.s[PETREL_STAT_TX_DROP_TOO_BIG], 1) &&
	     CHECK_EQ(after.s[PETREL_STAT_TX_PACKETS],
		      before.s[PETREL_STAT_TX_PACKETS]);
	return ok && good_traffic(20);
}

static bool test_garbage_index(void)
{
	struct pt_stats before, after;
	uint32_t cons;
	bool ok;

	if (!get_stats(&before))
		return false;
	/* Claims a billion frames: an index error, not a billion drops. */
	__atomic_store_n(&dev.tx->producer, dev.tx_prod + 1000000000u,
			 __ATOMIC_RELEASE);
	pt_kick(&dev);
	/* The kernel republishes its own consumer: wait for the error. */
	for (int i = 0; i < 1000; i++) {
		if (!get_stats(&after))
			return false;
		if (after.s[PETREL_STAT_RING_ERRORS] > before.s[PETREL_STAT_RING_ERRORS])
			break;
		usleep(10000);
	}
	ok = CHECK(after.s[PETREL_STAT_RING_ERRORS] > before.s[PETREL_STAT_RING_ERRORS]) &&
	     CHECK_EQ(after.s[PETREL_STAT_TX_DROP_BAD_DESC],
		      before.s[PETREL_STAT_TX_DROP_BAD_DESC]);
	/* Resynchronise like a recovering guest, then traffic must flow. */
	cons = __atomic_load_n(&dev.tx->consumer, __ATOMIC_ACQUIRE);
	ok = ok && CHECK_EQ(cons, dev.tx_prod);
	dev.tx_prod = cons;
	__atomic_store_n(&dev.tx->producer, cons, __ATOMIC_RELEASE);
	return ok && good_traffic(20);
}

static bool test_bad_rx_buffers(void)
{
	struct pt_stats before, after;
	uint32_t slot, len;
	bool ok;

	if (!get_stats(&before))
		return false;
	/* The next buffer the kernel takes points outside the area. */
	slot = dev.rx_cons & (RING - 1);
	if (!CHECK_EQ(dev.rx_prod - dev.rx_cons, RING))
		return false;
	dev.rx->desc[slot].off = buf_area();
	dev.rx->desc[(slot + 1) & (RING - 1)].len = 30;	/* too small */
	pt_frame(want, 100, 9001);
	if (!pt_host_send(&dev, want, 100))
		return false;
	/* The refused buffer comes back empty; the frame is not lost. */
	ok = CHECK(pt_rx(&dev, got, &len)) && CHECK_EQ(len, 0);
	/* The small buffer: frame dropped as too big, buffer kept. */
	ok = ok && get_stats(&after) &&
	     CHECK_EQ(after.s[PETREL_STAT_RX_DROP_BAD_DESC] -
		      before.s[PETREL_STAT_RX_DROP_BAD_DESC], 1) &&
	     CHECK_EQ(after.s[PETREL_STAT_RX_DROP_TOO_BIG] -
		      before.s[PETREL_STAT_RX_DROP_TOO_BIG], 1);
	/* The guest repairs its buffer; the next frame lands there. */
	dev.rx->desc[dev.rx_cons & (RING - 1)].len = PT_BUF;
	return ok && good_traffic(10);
}

/*
 * RX buffers that cannot hold an Ethernet header (capacity 0 and 13) are
 * handed back with len 0 and counted; the frame lands in the next buffer.
 * tun reads nothing into an empty buffer and keeps the frame, so taking
 * one stalled RX for good.
 */
static bool test_rx_small_buffers(void)
{
	struct pt_stats before, after;
	uint32_t slot, len;
	bool ok;

	if (!get_stats(&before) || !CHECK_EQ(dev.rx_prod - dev.rx_cons, RING))
		return false;
	slot = dev.rx_cons & (RING - 1);
	dev.rx->desc[slot].len = 0;
	dev.rx->desc[(slot + 1) & (RING - 1)].len = PETREL_FRAME_MIN - 1;
	pt_frame(want, 100, 9101);
	if (!pt_host_send(&dev, want, 100))
		return false;
	ok = CHECK(pt_rx(&dev, got, &len)) && CHECK_EQ(len, 0) &&
	     CHECK(pt_rx(&dev, got, &len)) && CHECK_EQ(len, 0) &&
	     CHECK(pt_rx(&dev, got, &len)) && CHECK_EQ(len, 100) &&
	     CHECK(!memcmp(got, want, 100));
	ok = ok && get_stats(&after) &&
	     CHECK_EQ(after.s[PETREL_STAT_RX_DROP_SMALL_BUF] -
		      before.s[PETREL_STAT_RX_DROP_SMALL_BUF], 2) &&
	     CHECK_EQ(after.s[PETREL_STAT_RX_DROP_BAD_DESC],
		      before.s[PETREL_STAT_RX_DROP_BAD_DESC]) &&
	     CHECK_EQ(after.s[PETREL_STAT_RX_PACKETS] -
		      before.s[PETREL_STAT_RX_PACKETS], 1);
	return ok && good_traffic(10);
}

/*
 * A tap whose reads fail: with IFF_VNET_HDR and a header larger than the
 * buffers, tun refuses (and frees) each frame. Five frames wait in the
 * tap before any buffer is posted; one doorbell must count all five as
 * rx_drop_tap, not stop at the first and leave the rest queued. Buffers
 * stay posted, and frames flow once the header fits.
 */
static bool test_rx_tap_errors(int fd)
{
	struct petrel_net_unregister u;
	struct pt_vm_info *vi = calloc(1, sizeof(*vi));
	int one = 1, hdr = 2 * PT_BUF, i;
	struct pt_dev d;
	uint64_t n = 0;
	uint32_t len;
	bool ok;

	if (!vi)
		pt_die("out of memory");
	pt_dev_init_flags(&d, "pth1", 8, IFF_TAP | IFF_NO_PI | IFF_VNET_HDR);
	/* send() returns once the frame is in the tap's queue. */
	if (setsockopt(d.pkt, SOL_PACKET, PACKET_QDISC_BYPASS, &one,
		       sizeof(one)) ||
	    ioctl(d.tap, TUNSETVNETHDRSZ, &hdr))
		pt_die("tap setup: %s", strerror(errno));
	ok = CHECK_EQ(pt_dev_register(fd, &d), 0);
	for (i = 0; ok && i < 5; i++) {
		pt_frame(want, 60, 9200 + i);
		ok = pt_host_send(&d, want, 60);
	}
	if (ok)
		pt_rx_post(&d);
	pt_kick(&d);
	for (i = 0; ok && i < 1000; i++) {
		ok = CHECK_EQ(pt_nl_get(vm_id, NULL, vi), 0);
		n = vi->dev[d.dev_id].s[PETREL_STAT_RX_DROP_TAP];
		if (n >= 5)
			break;
		usleep(10000);
	}
	ok = ok && CHECK_EQ(n, 5) &&
	     CHECK_EQ(vi->dev[d.dev_id].s[PETREL_STAT_RX_PACKETS], 0) &&
	     CHECK_EQ(__atomic_load_n(&d.rx->consumer, __ATOMIC_ACQUIRE),
		      d.rx_cons);
	hdr = 10;	/* struct virtio_net_hdr */
	if (ok && ioctl(d.tap, TUNSETVNETHDRSZ, &hdr))
		pt_die("TUNSETVNETHDRSZ: %s", strerror(errno));
	pt_frame(want, 100, 9300);
	ok = ok && pt_host_send(&d, want, 100) && CHECK(pt_rx(&d, got, &len)) &&
	     CHECK_EQ(len, 10 + 100) && CHECK(!memcmp(got + 10, want, 100));
	memset(&u, 0, sizeof(u));
	u.dev_id = d.dev_id;
	ok = CHECK(ioctl(fd, PETREL_IOC_NET_UNREGISTER, &u) == 0) && ok;
	pt_dev_close(&d);
	free(vi);
	return ok;
}

/*
 * Re-registration resumes at the consumer index in the region, which the
 * guest can rewrite while the device is away: one far from the producer
 * is a ring error like any other (counted, republished), and a guest that
 * resynchronises gets traffic again.
 */
static bool test_reregister_rewritten_consumer(int fd)
{
	struct petrel_net_unregister u = { .dev_id = dev.dev_id };
	struct pt_stats after;
	uint32_t cons;
	bool ok;
	int i;

	ok = pt_tx_drain(&dev) &&
	     CHECK(ioctl(fd, PETREL_IOC_NET_UNREGISTER, &u) == 0);
	__atomic_store_n(&dev.tx->consumer, dev.tx_prod + 1000u,
			 __ATOMIC_RELEASE);
	ok = ok && CHECK_EQ(pt_dev_register(fd, &dev), 0);
	memset(&after, 0, sizeof(after));
	for (i = 0; ok && i < 1000; i++) {
		ok = get_stats(&after);
		if (after.s[PETREL_STAT_RING_ERRORS])
			break;
		usleep(10000);
	}
	ok = ok && CHECK(after.s[PETREL_STAT_RING_ERRORS] > 0) &&
	     CHECK_EQ(after.s[PETREL_STAT_TX_PACKETS], 0);
	cons = __atomic_load_n(&dev.tx->consumer, __ATOMIC_ACQUIRE);
	ok = ok && CHECK_EQ(cons, dev.tx_prod + 1000u);
	dev.tx_prod = cons;
	__atomic_store_n(&dev.tx->producer, cons, __ATOMIC_RELEASE);
	pt_kick(&dev);
	return ok && good_traffic(20);
}

static volatile int chaos_stop;

static void *chaos(void *arg)
{
	uint32_t x = 12345;
	(void)arg;

	while (!__atomic_load_n(&chaos_stop, __ATOMIC_RELAXED)) {
		struct petrel_ring *r = (x & 1) ? dev.tx : dev.rx;
		uint32_t *w = (uint32_t *)r;
		size_t words = PETREL_RING_BYTES(RING) / 4;

		x = x * 1103515245u + 12345u;
		__atomic_store_n(&w[(x >> 8) % words], x * 2654435761u,
				 __ATOMIC_RELAXED);
		if ((x & 0xff) == 0)
			pt_kick(&dev);
	}
	return NULL;
}

static struct pt_stats chaos_before;

/* Frames from the chaos may still be queued: skip up to a marker frame. */
static bool flush_until_marker(void)
{
	uint32_t len, i;

	pt_frame(want, 99, 0xfeed);
	if (!pt_tx(&dev, want, 99))
		return false;
	for (i = 0; i < 100000; i++) {
		if (!pt_host_recv(&dev, got, &len))
			return false;
		if (len == 99 && !memcmp(got, want, 99))
			break;
	}
	if (!pt_host_send(&dev, want, 99))
		return false;
	for (i = 0; i < 100000; i++) {
		if (!CHECK(pt_rx(&dev, got, &len)))
			return false;
		if (len == 99 && !memcmp(got, want, 99))
			return true;
	}
	return CHECK(!"marker frame never arrived");
}

static bool resync_and_flush(uint32_t tx_cons, uint32_t rx_cons)
{
	struct pt_stats after;
	uint64_t drops;

	dev.tx_prod = tx_cons;
	dev.rx_cons = rx_cons;
	dev.rx_prod = rx_cons;
	__atomic_store_n(&dev.tx->consumer, tx_cons, __ATOMIC_RELAXED);
	__atomic_store_n(&dev.rx->consumer, rx_cons, __ATOMIC_RELAXED);
	__atomic_store_n(&dev.tx->producer, dev.tx_prod, __ATOMIC_RELEASE);
	__atomic_store_n(&dev.rx->producer, dev.rx_prod, __ATOMIC_RELEASE);
	pt_rx_post(&dev);
	pt_kick(&dev);
	if (!flush_until_marker() || !get_stats(&after))
		return false;
	drops = after.s[PETREL_STAT_RING_ERRORS] - chaos_before.s[PETREL_STAT_RING_ERRORS] +
		after.s[PETREL_STAT_TX_DROP_BAD_DESC] - chaos_before.s[PETREL_STAT_TX_DROP_BAD_DESC] +
		after.s[PETREL_STAT_RX_DROP_BAD_DESC] - chaos_before.s[PETREL_STAT_RX_DROP_BAD_DESC];
	pt_print_stats("after chaos", &after);
	return CHECK(drops > 0) && good_traffic(50);
}

static bool test_chaos(void)
{
	struct pt_stats mid, after;
	uint32_t tx_cons, rx_cons;
	pthread_t t;
	uint32_t i;
	bool ok = true;

	if (!get_stats(&chaos_before))
		return false;
	if (pthread_create(&t, NULL, chaos, NULL))
		pt_die("pthread_create failed");
	/* Traffic both ways while the rings are being scribbled over. */
	for (i = 0; i < CHAOS_ROUNDS; i++) {
		uint32_t len = 60 + i % 1455;
		struct petrel_desc *d = &dev.tx->desc[dev.tx_prod & (RING - 1)];

		pt_frame(want, len, i);
		memcpy(dev.buf + (size_t)(dev.tx_prod & (RING - 1)) * PT_BUF, want, len);
		d->off = (uint64_t)(dev.tx_prod & (RING - 1)) * PT_BUF;
		d->len = len;
		d->flags = 0;
		__atomic_store_n(&dev.tx->producer, ++dev.tx_prod, __ATOMIC_RELEASE);
		pt_kick(&dev);
		send(dev.pkt, want, len, MSG_DONTWAIT);
		if (i % 64 == 0)
			usleep(1000);
	}
	__atomic_store_n(&chaos_stop, 1, __ATOMIC_RELAXED);
	pthread_join(t, NULL);

	/*
	 * Recover like a guest resetting its driver: garbage producers and a
	 * doorbell make the kernel report ring errors on both rings and
	 * republish its own consumer indices, which the guest adopts.
	 */
	if (!get_stats(&mid))
		return false;
	__atomic_store_n(&dev.tx->producer, dev.tx_prod + 0x80000000u, __ATOMIC_RELEASE);
	__atomic_store_n(&dev.rx->producer, dev.rx_prod + 0x80000000u, __ATOMIC_RELEASE);
	for (i = 0; i < 1000; i++) {
		pt_kick(&dev);
		usleep(10000);
		if (!get_stats(&after))
			return false;
		if (after.s[PETREL_STAT_RING_ERRORS] >= mid.s[PETREL_STAT_RING_ERRORS] + 2)
			break;
	}
	ok = CHECK(after.s[PETREL_STAT_RING_ERRORS] >= mid.s[PETREL_STAT_RING_ERRORS] + 2);
	tx_cons = __atomic_load_n(&dev.tx->consumer, __ATOMIC_ACQUIRE);
	rx_cons = __atomic_load_n(&dev.rx->consumer, __ATOMIC_ACQUIRE);
	memset(dev.tx, 0, PETREL_RING_HDR_BYTES);
	memset(dev.rx, 0, PETREL_RING_HDR_BYTES);
	return ok && resync_and_flush(tx_cons, rx_cons);
}

int main(void)
{
	int rcvbuf = 8 << 20;
	int fd;

	setvbuf(stdout, NULL, _IOLBF, 0);
	pt_enter_netns();
	kt_plan(8);
	fd = pt_open_worked(&worker);
	vm_id = pt_vm_id(fd, "hostile");
	pt_dev_init(&dev, "pth0", RING);
	setsockopt(dev.pkt, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf));
	kt_result(CHECK_EQ(pt_dev_register(fd, &dev), 0) && (pt_rx_post(&dev), 1) &&
		  good_traffic(10), "register_and_good_traffic");
	kt_result(test_bad_tx_descs(), "tx_descriptors_outside_and_bad_lengths");
	kt_result(test_garbage_index(), "garbage_producer_index");
	kt_result(test_bad_rx_buffers(), "rx_buffers_outside_and_too_small");
	kt_result(test_rx_small_buffers(), "rx_buffers_below_frame_min_refused");
	kt_result(test_rx_tap_errors(fd), "rx_tap_read_errors_counted_and_passed");
	kt_result(test_reregister_rewritten_consumer(fd),
		  "reregister_with_rewritten_consumer");
	kt_result(test_chaos(), "rewrites_during_processing");
	pt_close_worked(&worker);
	pt_dev_close(&dev);
	return kt_exit();
}
