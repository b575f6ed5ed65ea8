// SPDX-License-Identifier: ISC
/*
 * A network responder: on each of its interfaces (service0, service1, as
 * its manifest declares them) it answers ARP requests, ICMP echo requests
 * and UDP datagrams to port 7 (echoed back byte for byte) for the IPv4
 * address given on its command line, one address per interface, in order:
 *     net.hvt 10.0.0.2 [10.0.1.2] [forever]
 * With "forever" it sleeps in solo5_yield with no deadline, so a wakeup
 * that never comes hangs it instead of costing a second.
 * It prints "net: ready" once every interface is acquired, then serves
 * until the tender is killed. Frames are parsed defensively: anything short
 * or malformed is ignored.
 */
#include "util.h"

#define MAX_IFS		2
#define ETH_HLEN	14
#define ETHERTYPE_ARP	0x0806
#define ETHERTYPE_IP	0x0800
#define IPPROTO_ICMP	1
#define IPPROTO_UDP	17
#define ECHO_PORT	7

struct iface {
	solo5_handle_t h;
	struct solo5_net_info info;
	uint8_t ip[4];
};

static struct iface ifs[MAX_IFS];
static unsigned nifs;
static uint8_t frame[ETH_HLEN + 9000];

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static uint16_t csum(const uint8_t *p, size_t n)
{
	uint32_t s = 0;

	for (; n > 1; p += 2, n -= 2)
		s += get16(p);
	if (n)
		s += (uint32_t)p[0] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

static int parse_ip(const char *s, uint8_t ip[4], const char **end)
{
	for (int i = 0; i < 4; i++) {
		const char *e;
		uint64_t v = parse_u64(s, &e);

		if (e == s || v > 255 || (i < 3 && *e != '.'))
			return -1;
		ip[i] = (uint8_t)v;
		s = i < 3 ? e + 1 : e;
	}
	*end = s;
	return 0;
}

/* Swap Ethernet addresses so the frame goes back where it came from. */
static void eth_reply(struct iface *f, uint8_t *p)
{
	memcpy(p, p + 6, 6);
	memcpy(p + 6, f->info.mac_address, 6);
}

static void arp(struct iface *f, uint8_t *p, size_t len)
{
	uint8_t *a = p + ETH_HLEN;

	if (len < ETH_HLEN + 28 || get16(a) != 1 || get16(a + 2) != 0x0800 ||
	    a[4] != 6 || a[5] != 4 || get16(a + 6) != 1 ||
	    memcmp(a + 24, f->ip, 4))
		return;
	put16(a + 6, 2);			/* reply */
	memcpy(a + 18, a + 8, 10);		/* target = sender */
	memcpy(a + 8, f->info.mac_address, 6);
	memcpy(a + 14, f->ip, 4);
	eth_reply(f, p);
	solo5_net_write(f->h, p, ETH_HLEN + 28);
}

static void ipv4(struct iface *f, uint8_t *p, size_t len)
{
	uint8_t *ip = p + ETH_HLEN, *l4;
	size_t ihl, tot, l4len;
	uint8_t tmp[4];

	if (len < ETH_HLEN + 20 || (ip[0] >> 4) != 4)
		return;
	ihl = (size_t)(ip[0] & 0xf) * 4;
	tot = get16(ip + 2);
	if (ihl < 20 || tot < ihl || tot > len - ETH_HLEN ||
	    memcmp(ip + 16, f->ip, 4) || (get16(ip + 6) & 0x3fff))
		return;			/* not ours, or a fragment */
	l4 = ip + ihl;
	l4len = tot - ihl;

	if (ip[9] == IPPROTO_ICMP) {
		if (l4len < 8 || l4[0] != 8)
			return;
		l4[0] = 0;		/* echo reply */
		put16(l4 + 2, 0);
		put16(l4 + 2, csum(l4, l4len));
	} else if (ip[9] == IPPROTO_UDP) {
		uint16_t sport;

		if (l4len < 8 || get16(l4 + 2) != ECHO_PORT ||
		    get16(l4 + 4) != l4len)
			return;
		sport = get16(l4);
		put16(l4, ECHO_PORT);
		put16(l4 + 2, sport);
		put16(l4 + 6, 0);	/* no UDP checksum: allowed on IPv4 */
	} else {
		return;
	}
	memcpy(tmp, ip + 12, 4);
	memcpy(ip + 12, ip + 16, 4);
	memcpy(ip + 16, tmp, 4);
	ip[8] = 64;
	put16(ip + 10, 0);
	put16(ip + 10, csum(ip, ihl));
	eth_reply(f, p);
	solo5_net_write(f->h, p, ETH_HLEN + tot);
}

static void serve(struct iface *f)
{
	size_t len;

	while (solo5_net_read(f->h, frame, sizeof(frame), &len) ==
	       SOLO5_R_OK) {
		if (len < ETH_HLEN)
			continue;
		if (get16(frame + 12) == ETHERTYPE_ARP)
			arp(f, frame, len);
		else if (get16(frame + 12) == ETHERTYPE_IP)
			ipv4(f, frame, len);
	}
}

int solo5_app_main(const struct solo5_start_info *si)
{
	static const char *const names[MAX_IFS] = { "service0", "service1" };
	const char *s = si->cmdline;
	int forever = 0;

	for (unsigned i = 0; i < MAX_IFS; i++) {
		struct iface *f = &ifs[nifs];

		if (solo5_net_acquire(names[i], &f->h, &f->info) != SOLO5_R_OK)
			continue;
		while (*s == ' ')
			s++;
		if (parse_ip(s, f->ip, &s) < 0) {
			puts_("net: usage: net.hvt IPV4 [IPV4]\n");
			return 1;
		}
		nifs++;
	}
	if (nifs == 0) {
		puts_("net: no network interface\n");
		return 1;
	}
	while (*s == ' ')
		s++;
	if (!memcmp(s, "forever", 8))
		forever = 1;
	puts_("net: ready\n");
	for (;;) {
		solo5_handle_set_t ready = 0;

		solo5_yield(forever ? UINT64_MAX :
			    solo5_clock_monotonic() + 1000000000ULL, &ready);
		for (unsigned i = 0; i < nifs; i++)
			if (ready & (1ULL << ifs[i].h))
				serve(&ifs[i]);
	}
}
