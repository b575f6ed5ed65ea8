/* SPDX-License-Identifier: ISC */
/*
 * The benchmark's frame, shared by the guest (freestanding) and the host
 * tool: an Ethernet broadcast carrying IPv4/UDP 10.0.0.2:9000 -> 10.0.0.1
 * :9001 whose payload starts with a marker, a kind and a sequence number.
 * Broadcast, because neither end knows the other's MAC and the tap passes
 * every frame; the host side of the tap has no address, so the host's IP
 * stack drops what it sees at once. Frames are BENCH_MIN_FRAME bytes or
 * more; what follows the header is zero.
 */
#ifndef PETREL_BENCH_FRAME_H
#define PETREL_BENCH_FRAME_H

#include <stddef.h>
#include <stdint.h>

#define BENCH_MAGIC		0x5054424eU	/* "PTBN" */
#define BENCH_OFF_MAGIC		42		/* after Ethernet, IPv4, UDP */
#define BENCH_OFF_KIND		46
#define BENCH_OFF_SEQ		48
#define BENCH_MIN_FRAME		64
#define BENCH_MAX_FRAME		1514

enum bench_kind {
	BENCH_DATA = 1,		/* throughput traffic */
	BENCH_GO = 2,		/* host to guest: start transmitting */
	BENCH_PING = 3,		/* to be echoed */
	BENCH_PONG = 4,		/* an echoed ping */
};

static inline void bench_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void bench_put32(uint8_t *p, uint32_t v)
{
	bench_put16(p, (uint16_t)(v >> 16));
	bench_put16(p + 2, (uint16_t)v);
}

static inline uint32_t bench_get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static inline void bench_put_seq(uint8_t *f, uint64_t seq)
{
	bench_put32(f + BENCH_OFF_SEQ, (uint32_t)(seq >> 32));
	bench_put32(f + BENCH_OFF_SEQ + 4, (uint32_t)seq);
}

static inline uint64_t bench_get_seq(const uint8_t *f)
{
	return (uint64_t)bench_get32(f + BENCH_OFF_SEQ) << 32 |
	       bench_get32(f + BENCH_OFF_SEQ + 4);
}

/*
 * Fill @f (@len bytes, BENCH_MIN_FRAME..BENCH_MAX_FRAME, zeroed by the
 * caller) with the headers, the marker and @kind; the sequence is 0.
 */
static inline void bench_frame_init(uint8_t *f, size_t len, enum bench_kind kind)
{
	static const uint8_t src_mac[6] = { 0x02, 0x50, 0x54, 0x42, 0x4e, 0x01 };
	uint8_t *ip = f + 14, *udp = f + 34;
	uint32_t sum = 0;

	for (int i = 0; i < 6; i++) {
		f[i] = 0xff;
		f[6 + i] = src_mac[i];
	}
	bench_put16(f + 12, 0x0800);
	ip[0] = 0x45;
	bench_put16(ip + 2, (uint16_t)(len - 14));
	ip[8] = 64;
	ip[9] = 17;
	bench_put32(ip + 12, 0x0a000002);
	bench_put32(ip + 16, 0x0a000001);
	for (int i = 0; i < 20; i += 2)
		sum += (uint32_t)ip[i] << 8 | ip[i + 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	bench_put16(ip + 10, (uint16_t)~sum);
	bench_put16(udp, 9000);
	bench_put16(udp + 2, 9001);
	bench_put16(udp + 4, (uint16_t)(len - 34));
	bench_put32(f + BENCH_OFF_MAGIC, BENCH_MAGIC);
	f[BENCH_OFF_KIND] = (uint8_t)kind;
}

/* The kind of a benchmark frame of @len bytes, or 0 if it is not one. */
static inline int bench_frame_kind(const uint8_t *f, size_t len)
{
	if (len < BENCH_MIN_FRAME || f[12] != 0x08 || f[13] != 0x00 ||
	    f[23] != 17 || bench_get32(f + BENCH_OFF_MAGIC) != BENCH_MAGIC)
		return 0;
	return f[BENCH_OFF_KIND];
}

#endif /* PETREL_BENCH_FRAME_H */
