// SPDX-License-Identifier: GPL-2.0
/*
 * Host side of the KVM suite's ring transfers (selftests/kvm/6x-ring-*):
 *   ring_xfer stats PID
 *       the petrel.ko counters of the VM whose tender is PID, one
 *       "name value" pair a line (device 0 unless prefixed "devN.")
 *   ring_xfer count
 *       how many VMs petrel.ko has (in this network namespace)
 *   ring_xfer send IFNAME N PID WINDOW
 *       send N 60-byte frames (ethertype 0x88b5, sequence 0..N-1) into the
 *       tap IFNAME, never more than WINDOW ahead of what petrel.ko has
 *       delivered to that VM (its rx_packets), so the tap never overflows;
 *       PID 0: no VM to ask (hypercall path), pause 1 ms every WINDOW
 *       frames instead. Bursts go out as SCHED_FIFO (see burst_policy).
 * Run in the tender's network namespace: netlink shows only its VMs.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "ptest.h"

static struct pt_vm_info vi;

/* The VM of tender @pid; exits if there is none. */
static void find_vm(uint32_t pid)
{
	uint32_t ids[256];
	int n = pt_nl_dump(ids, 256);

	for (int i = 0; i < n && i < 256; i++)
		if (!pt_nl_get(ids[i], NULL, &vi) && vi.pid == pid)
			return;
	pt_die("no petrel VM with pid %u", pid);
}

static void stats(uint32_t pid)
{
	find_vm(pid);
	for (uint32_t d = 0; d < vi.ndevs && d < PETREL_MAX_NETDEVS; d++)
		for (int s = 0; s < __PETREL_STAT_MAX; s++)
			if (pt_stat_name[s])
				printf("%s%.0u%s%s %llu\n", d ? "dev" : "", d,
				       d ? "." : "", pt_stat_name[s],
				       (unsigned long long)vi.dev[d].s[s]);
	printf("tender_exits %llu\n", (unsigned long long)vi.exits);
	for (int h = 0; h < PETREL_HYPERCALLS_MAX; h++)
		if (vi.hypercalls[h])
			printf("tender_hypercall_%d %llu\n", h,
			       (unsigned long long)vi.hypercalls[h]);
}

static uint64_t delivered(uint32_t pid)
{
	uint64_t n = 0;

	find_vm(pid);
	for (uint32_t d = 0; d < PETREL_MAX_NETDEVS; d++)
		n += vi.dev[d].s[PETREL_STAT_RX_PACKETS];
	return n;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/*
 * Each frame written to the tap wakes petrel.ko's worker (the tap's
 * data-ready callback queues it). In the one-CPU test VM, Linux 6.1's CFS
 * lets that freshly woken worker preempt the sender at once, so it ran
 * about once per frame (996,822 runs for 1,000,000 frames); 6.12's EEVDF
 * lets the sender run on, about 17 frames a run. So frames are written in
 * bursts as SCHED_FIFO, which the worker cannot preempt, and the worker
 * then moves a whole burst in one run on either kernel, as it would for a
 * real sender's burst (one softirq's worth of frames). Between bursts the
 * sender is an ordinary task again, so its polling of the delivery count
 * never keeps the guest from running. PETREL_XFER_SCHED=other leaves the
 * scheduling alone (to compare); without CAP_SYS_NICE it is left alone too.
 */
static void burst_policy(int policy)
{
	struct sched_param sp = { .sched_priority = policy == SCHED_FIFO };
	const char *e = getenv("PETREL_XFER_SCHED");
	static int refused;

	if (refused || (e && !strcmp(e, "other")))
		return;
	if (sched_setscheduler(0, policy, &sp)) {
		fprintf(stderr, "ring_xfer: not SCHED_FIFO: %s\n",
			strerror(errno));
		refused = 1;
	}
}

/* Frame @seq into @f, then into the tap; 0 when the tap took it. */
static int send_one(int s, uint8_t *f, size_t len, uint64_t seq)
{
	f[14] = (uint8_t)(seq >> 24);
	f[15] = (uint8_t)(seq >> 16);
	f[16] = (uint8_t)(seq >> 8);
	f[17] = (uint8_t)seq;
	if (send(s, f, len, 0) == (ssize_t)len)
		return 0;
	if (errno != ENOBUFS && errno != EAGAIN)
		pt_die("send: %s", strerror(errno));
	return -1;
}

/*
 * With a VM to ask: wait until at most half of @window is undelivered
 * (so bursts are at least half a window), and return how many are.
 */
static uint64_t wait_room(uint32_t pid, uint64_t base, uint64_t sent,
			  uint64_t window)
{
	uint64_t done = delivered(pid) - base, last = done;
	long idle = 0;

	while (sent - done > window / 2) {
		sleep_ms(1);
		done = delivered(pid) - base;
		if (done != last) {
			last = done;
			idle = 0;
		} else if (++idle > 300000) {
			/* Failure detection only: nothing moved for 300 s. */
			pt_die("stuck: %llu sent, %llu delivered",
			       (unsigned long long)sent,
			       (unsigned long long)done);
		}
	}
	return sent - done;
}

static void send_frames(const char *ifname, uint64_t n, uint32_t pid,
			uint64_t window)
{
	struct sockaddr_ll sll = { 0 };
	uint64_t base = pid ? delivered(pid) : 0, sent = 0;
	uint8_t f[60] = { 0 };
	int s = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL));

	if (s < 0)
		pt_die("AF_PACKET socket: %s", strerror(errno));
	if (window == 0)
		pt_die("a window of 0 frames");
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_ALL);
	sll.sll_ifindex = (int)if_nametoindex(ifname);
	if (!sll.sll_ifindex)
		pt_die("no interface %s", ifname);
	if (bind(s, (struct sockaddr *)&sll, sizeof(sll)))
		pt_die("bind %s: %s", ifname, strerror(errno));
	memset(f, 0xff, 6);
	f[6] = 0x02;
	f[11] = 0x01;
	f[12] = 0x88;
	f[13] = 0xb5;
	while (sent < n) {
		uint64_t burst = window;

		if (pid)
			burst = window - wait_room(pid, base, sent, window);
		else if (sent)
			sleep_ms(1);	/* no count to ask: a pause a window */
		if (burst > n - sent)
			burst = n - sent;
		burst_policy(SCHED_FIFO);
		while (burst) {
			if (send_one(s, f, sizeof(f), sent)) {
				sleep_ms(1);	/* the tap is full */
				continue;
			}
			sent++;
			burst--;
		}
		burst_policy(SCHED_OTHER);
	}
	printf("sent %llu frames\n", (unsigned long long)sent);
	close(s);
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "stats")) {
		stats((uint32_t)strtoul(argv[2], NULL, 10));
		return 0;
	}
	if (argc == 2 && !strcmp(argv[1], "count")) {
		uint32_t ids[256];
		int n = pt_nl_dump(ids, 256);

		if (n < 0)
			pt_die("netlink dump: %s", strerror(-n));
		printf("%d\n", n);
		return 0;
	}
	if (argc == 6 && !strcmp(argv[1], "send")) {
		send_frames(argv[2], strtoull(argv[3], NULL, 10),
			    (uint32_t)strtoul(argv[4], NULL, 10),
			    strtoull(argv[5], NULL, 10));
		return 0;
	}
	fprintf(stderr, "usage: ring_xfer stats PID | ring_xfer count | "
		"ring_xfer send IFNAME N PID WINDOW\n");
	return 1;
}
