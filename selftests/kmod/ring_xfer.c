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
 *       frames instead
 * Run in the tender's network namespace: netlink shows only its VMs.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
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

static void send_frames(const char *ifname, uint64_t n, uint32_t pid,
			uint64_t window)
{
	struct sockaddr_ll sll = { 0 };
	uint64_t base = pid ? delivered(pid) : 0, sent = 0, done = 0;
	uint8_t f[60] = { 0 };
	int s = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL));
	int idle = 0;

	if (s < 0)
		pt_die("AF_PACKET socket: %s", strerror(errno));
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
		if (!pid && sent && sent % window == 0 && done != sent) {
			done = sent;
			sleep_ms(1);
		}
		if (pid && sent - done >= window) {
			uint64_t now = delivered(pid) - base;

			/* Failure detection only: nothing moved for 30 s. */
			if (now == done && ++idle > 30000)
				pt_die("stuck: %llu sent, %llu delivered",
				       (unsigned long long)sent,
				       (unsigned long long)done);
			if (now == done)
				sleep_ms(1);
			else
				idle = 0;
			done = now;
			continue;
		}
		f[14] = (uint8_t)(sent >> 24);
		f[15] = (uint8_t)(sent >> 16);
		f[16] = (uint8_t)(sent >> 8);
		f[17] = (uint8_t)sent;
		if (send(s, f, sizeof(f), 0) != (ssize_t)sizeof(f)) {
			if (errno != ENOBUFS && errno != EAGAIN)
				pt_die("send: %s", strerror(errno));
			sleep_ms(1);
			continue;
		}
		sent++;
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
