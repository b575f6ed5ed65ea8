// SPDX-License-Identifier: ISC
/*
 * Writes seed inputs for the fuzz targets into DIR/elf, DIR/manifest,
 * DIR/args, DIR/hypercall and DIR/ring (fuzz.sh makes the directories).
 * Binary seeds are built here from their meaning rather than committed as
 * files: the repository then holds their source, and a seed follows a
 * change of the layout it encodes. Inputs that once crashed a fuzzer are
 * kept here as regression cases (corpus/NAME/ holds the text ones).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../abi/hvt_abi.h"
#include "elfgen.h"
#include "fuzz_ring.h"

static void put(const char *dir, const char *name, const void *p, size_t n)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(p, 1, n, f) != n) {
		perror(path);
		exit(1);
	}
	fclose(f);
}

/* A fuzz_ring input being built (format at the top of fuzz_ring.c). */
struct seed {
	uint8_t b[512];
	size_t n;
};

static void le(struct seed *s, uint64_t v, unsigned int bytes)
{
	while (bytes--) {
		if (s->n == sizeof(s->b))
			abort();
		s->b[s->n++] = (uint8_t)v;
		v >>= 8;
	}
}

static void ring_hdr(struct seed *s, uint32_t ring_size, uint64_t addr,
		     uint64_t size, uint32_t tx_prod, uint32_t rx_prod)
{
	s->n = 0;
	le(s, ring_size, 4);
	le(s, addr, 8);
	le(s, size, 8);
	le(s, tx_prod, 4);
	le(s, rx_prod, 4);
}

static void post(struct seed *s, unsigned int ring, uint32_t off, uint16_t len,
		 uint8_t flags)
{
	le(s, RING_OP_POST, 1);
	le(s, ring, 1);
	le(s, off, 4);
	le(s, len, 2);
	le(s, flags, 1);
}

static void tx_pass(struct seed *s, uint8_t race, uint64_t off, uint32_t len)
{
	le(s, RING_OP_TX_PASS, 1);
	le(s, 63, 1);
	le(s, race, 1);
	le(s, off, 8);
	le(s, len, 4);
	le(s, 0, 2);
}

static void rx_pass(struct seed *s, uint8_t frames, uint16_t frame_len,
		    uint8_t step)
{
	le(s, RING_OP_RX_PASS, 1);
	le(s, 63, 1);
	le(s, frames, 1);
	le(s, frame_len, 2);
	le(s, step, 1);
	le(s, 0, 1);
	le(s, 0, 8);
	le(s, 0, 4);
	le(s, 0, 2);
}

static void hvt_reg(struct seed *s, uint64_t ring, uint64_t mem,
		    uint64_t size, uint32_t index, uint64_t handles)
{
	le(s, RING_OP_HVT_REGISTER, 1);
	le(s, ring, 8);
	le(s, mem, 8);
	le(s, size, 8);
	le(s, index, 4);
	le(s, handles, 8);
}

static void hvt_fields(struct seed *s, uint8_t op, uint8_t handle,
		       uint64_t data, uint32_t len)
{
	le(s, op, 1);
	le(s, handle, 1);
	le(s, data, 8);
	le(s, len, 4);
}

static void hvt_ent(struct seed *s, uint8_t op, uint8_t handle, uint64_t data,
		    uint32_t len)
{
	le(s, RING_OP_HVT_ENTRY, 1);
	hvt_fields(s, op, handle, data, len);
}

static void hvt_fill(struct seed *s, uint16_t n, uint8_t op, uint8_t handle,
		     uint64_t data, uint32_t len)
{
	le(s, RING_OP_HVT_FILL, 1);
	le(s, n, 2);
	hvt_fields(s, op, handle, data, len);
}

/* A worker pass: weight, race bits, frames on the taps (as rx_pass). */
static void hvt_pass(struct seed *s, uint16_t weight, uint8_t race,
		     uint8_t frames, uint16_t frame_len, uint8_t step)
{
	le(s, RING_OP_HVT_PASS, 1);
	le(s, weight, 2);
	le(s, race, 1);
	le(s, frames, 1);
	le(s, frame_len, 2);
	le(s, step, 1);
	hvt_fields(s, 1, 0, UINT64_MAX - 8, 4096);
}

/* Solo5's ring: 4 MiB of guest memory, devices on handles 0 and 5. */
#define HVT_MEM		(4u << 20)
#define HVT_DEVS	((1u << 0) | (1u << 5))

static void hvt_start(struct seed *s, uint32_t index)
{
	ring_hdr(s, 8, 0x10000000, 2 * 4096, 0, 0);
	hvt_reg(s, 0x20000000, 0x40000000, HVT_MEM, index, HVT_DEVS);
}

/* Seeds for Solo5's ring in fuzz_ring. */
static void hvt_seeds(const char *dir)
{
	struct seed s;

	/* Frames both ways on two devices; a read's first frame too big. */
	hvt_start(&s, 0);
	hvt_ent(&s, 1, 0, 0x100000, 60);
	hvt_ent(&s, 1, 5, 0x100800, 1514);
	hvt_ent(&s, 2, 0, 0x200000, 2048);
	hvt_ent(&s, 2, 5, 0x200800, 100);
	hvt_ent(&s, 2, 5, 0x201000, 2048);
	hvt_pass(&s, 256, 0, 3, 59, 100);
	le(&s, RING_OP_HVT_TAKE, 1);
	le(&s, 3, 2);
	put(dir, "hvt-frames", s.b, s.n);

	/* Every drop: GPAs outside or wrapping, lengths, handles, ops. */
	hvt_start(&s, 7);
	hvt_ent(&s, 1, 0, HVT_MEM, 60);
	hvt_ent(&s, 1, 0, HVT_MEM - 59, 60);
	hvt_ent(&s, 1, 0, UINT64_MAX - 10, 100);
	hvt_ent(&s, 1, 0, 1ull << 40, 60);
	hvt_ent(&s, 1, 5, 0x1000, 13);
	hvt_ent(&s, 1, 5, HVT_MEM, 0);
	hvt_ent(&s, 1, 5, 0, 65536);
	hvt_ent(&s, 1, 5, HVT_MEM - 60, 60);
	hvt_ent(&s, 2, 0, UINT64_MAX, 0);
	hvt_ent(&s, 2, 0, HVT_MEM - 2047, 2048);
	hvt_ent(&s, 2, 5, 0x1000, 13);
	hvt_ent(&s, 2, 0, HVT_MEM - 14, 14);
	hvt_ent(&s, 1, 64, 0x1000, 60);
	hvt_ent(&s, 2, 7, 0x1000, 2048);
	hvt_ent(&s, 0, 0, 0x1000, 60);
	hvt_ent(&s, 3, 5, 0x1000, 60);
	hvt_pass(&s, 256, 0, 4, 13, 1);
	put(dir, "hvt-drops", s.b, s.n);

	/* ent_tail far ahead: parked until a kick, then resynchronised. */
	hvt_start(&s, 0);
	le(&s, RING_OP_HVT_TAIL, 1);
	le(&s, 2000, 4);
	hvt_pass(&s, 256, 0, 0, 0, 0);
	hvt_pass(&s, 256, 0, 0, 0, 0);
	le(&s, RING_OP_HVT_TAIL, 1);
	le(&s, 0, 4);
	le(&s, RING_OP_HVT_KICK, 1);
	hvt_ent(&s, 1, 0, 0x100000, 60);
	hvt_pass(&s, 256, 0, 0, 0, 0);
	put(dir, "hvt-ring-error", s.b, s.n);

	/* 1024 untaken commits: the next read waits until they are taken. */
	hvt_start(&s, 0xfffffe00u);
	hvt_fill(&s, 1024, 2, 0, 0x100000, 2048);
	hvt_pass(&s, 1000, 0, 0, 0, 0);
	hvt_pass(&s, 1000, 0, 0, 0, 0);
	hvt_ent(&s, 2, 0, 0x100000, 2048);
	hvt_pass(&s, 1000, 0, 1, 99, 0);
	le(&s, RING_OP_HVT_TAKE, 1);
	le(&s, 1024, 2);
	le(&s, RING_OP_HVT_KICK, 1);
	hvt_pass(&s, 1000, 0, 1, 99, 0);
	put(dir, "hvt-commits-full", s.b, s.n);

	/* A full ring across 2^32, taken in passes of 256. */
	hvt_start(&s, 0xffffff00u);
	hvt_fill(&s, 1024, 1, 5, 0x3ff000, 4096);
	hvt_pass(&s, 256, 0, 0, 0, 0);
	hvt_fill(&s, 256, 2, 5, 0x3ff000, 4096);
	hvt_pass(&s, 1023, 0, 200, 1500, 7);
	hvt_pass(&s, 1023, 0, 200, 1500, 7);
	put(dir, "hvt-wrap", s.b, s.n);

	/* Entries rewritten after the copy; a device gone meanwhile. */
	hvt_start(&s, 0);
	hvt_ent(&s, 1, 0, 0x100000, 60);
	hvt_ent(&s, 2, 0, 0x100000, 60);
	hvt_ent(&s, 1, 5, 0x100000, 60);
	le(&s, RING_OP_HVT_UNREGISTER, 1);
	le(&s, 5, 1);
	hvt_pass(&s, 256, 0x7, 1, 59, 0);
	le(&s, RING_OP_HVT_COM_HEAD, 1);
	le(&s, 0x80000000u, 4);
	hvt_ent(&s, 2, 0, 0x100000, 60);
	hvt_pass(&s, 256, 0, 1, 59, 0);
	put(dir, "hvt-race-unregister", s.b, s.n);

	/*
	 * Refused registrations: unaligned ring and memory, no memory,
	 * memory wrapping the address space, a ring past the limit.
	 */
	ring_hdr(&s, 8, 0x10000000, 2 * 4096, 0, 0);
	hvt_reg(&s, 0x20000040, 0x40000000, HVT_MEM, 0, 1);
	hvt_reg(&s, 0x20000000, 0x40000008, HVT_MEM, 0, 1);
	hvt_reg(&s, 0x20000000, 0x40000000, 0, 0, 1);
	hvt_reg(&s, 0x20000000, 0 - 4096ull, 2 * 4096, 0, 1);
	hvt_reg(&s, (1ull << 47) - 4096, 0x40000000, HVT_MEM, 0, 1);
	hvt_reg(&s, 0x20000000, 0x40000000, (1ull << 47) - 0x40000000, 0, 1);
	put(dir, "hvt-geometry", s.b, s.n);
}

/* Seeds for fuzz_ring: each reaches a different verdict or ring state. */
static void ring_seeds(const char *dir)
{
	struct seed s;
	unsigned int i;

	/* Smallest ring, one page of buffers; frames both ways. */
	ring_hdr(&s, 8, 0x10000000, 2 * 4096, 0, 0);
	post(&s, 0, 0, 60, 0);
	post(&s, 0, 100, 1514, 0);
	tx_pass(&s, 0, 0, 0);
	post(&s, 1, 0, 2048, 0);
	post(&s, 1, 2048, 2048, 0);
	rx_pass(&s, 2, 59, 200);
	put(dir, "frames", s.b, s.n);

	/* Each TX drop: bad flags, outside the area, too big, too small. */
	ring_hdr(&s, 8, 0x10000000, 32 * 4096, 0, 0);
	post(&s, 0, 0, 60, 1);
	post(&s, 0, 31 * 4096 - 10, 60, 0);
	le(&s, RING_OP_WRITE_DESC, 1);
	le(&s, 0, 1);
	le(&s, 2, 2);
	le(&s, 0, 8);
	le(&s, 65536, 4);
	le(&s, 0, 2);
	le(&s, RING_OP_ADVANCE, 1);
	le(&s, 0, 1);
	le(&s, 1, 1);
	post(&s, 0, 0, 13, 0);
	tx_pass(&s, 0, 0, 0);
	put(dir, "tx-drops", s.b, s.n);

	/* Indices about to wrap past 2^32, a full ring each way. */
	ring_hdr(&s, 16, 0x7ffff0000000, 16 * 4096, 0xfffffff8u, 0xfffffffau);
	for (i = 0; i < 16; i++)
		post(&s, 0, i * 1600, 1500, 0);
	tx_pass(&s, 0, 0, 0);
	for (i = 0; i < 16; i++)
		post(&s, 1, i * 1600, 1600, 0);
	rx_pass(&s, 20, 1000, 50);
	put(dir, "wrap", s.b, s.n);

	/* A producer too far ahead: parked, resynchronised, kicked. */
	ring_hdr(&s, 8, 0x10000000, 2 * 4096, 0, 0);
	le(&s, RING_OP_SET_PROD, 1);
	le(&s, 0, 1);
	le(&s, 9, 4);
	tx_pass(&s, 0, 0, 0);
	post(&s, 0, 0, 60, 0);
	tx_pass(&s, 0, 0, 0);
	le(&s, RING_OP_RESYNC, 1);
	le(&s, 0, 1);
	le(&s, RING_OP_KICK, 1);
	post(&s, 0, 0, 60, 0);
	tx_pass(&s, 0, 0, 0);
	put(dir, "corrupt-resync", s.b, s.n);

	/* The guest rewrites a slot right after the copy: the copy rules. */
	ring_hdr(&s, 8, 0x10000000, 2 * 4096, 0, 0);
	post(&s, 0, 0, 60, 0);
	post(&s, 0, 64, 60, 0);
	tx_pass(&s, 3, UINT64_MAX - 8, 4096);
	/* RX: the first frame is too big, so the slot is copied again. */
	post(&s, 1, 0, 100, 0);
	le(&s, RING_OP_RX_PASS, 1);
	le(&s, 63, 1);
	le(&s, 2, 1);
	le(&s, 149, 2);
	le(&s, 0, 1);
	le(&s, 1, 1);
	le(&s, 4096, 8);
	le(&s, 0xffffffffu, 4);
	le(&s, 0, 2);
	put(dir, "race", s.b, s.n);

	/*
	 * RX: a refused buffer, a frame that just fits, one larger than the
	 * next buffer, then a small one for it.
	 */
	ring_hdr(&s, 8, 0x10000000, 2 * 4096, 5, 5);
	post(&s, 1, 4096, 1, 0);
	post(&s, 1, 0, 100, 0);
	post(&s, 1, 100, 300, 0);
	rx_pass(&s, 2, 99, 255);
	rx_pass(&s, 1, 49, 0);
	put(dir, "rx-refused-too-big", s.b, s.n);

	/* RX buffers of capacity 0 and 13 are refused, 14 is filled. */
	ring_hdr(&s, 8, 0x10000000, 2 * 4096, 0, 0);
	post(&s, 1, 0, 0, 0);
	post(&s, 1, 64, 13, 0);
	post(&s, 1, 128, 14, 0);
	rx_pass(&s, 1, 13, 0);
	put(dir, "rx-small-buffers", s.b, s.n);

	/*
	 * TX frames posted, the device re-registered before a pass: they
	 * are sent; then a re-registration after the guest wrote a consumer
	 * a whole ring behind, then one far ahead (a ring error).
	 */
	ring_hdr(&s, 8, 0x10000000, 2 * 4096, 0, 0);
	post(&s, 0, 0, 60, 0);
	post(&s, 0, 64, 60, 0);
	le(&s, RING_OP_REREGISTER, 1);
	le(&s, 0, 1);
	le(&s, 1, 1);
	le(&s, 0, 4);
	tx_pass(&s, 0, 0, 0);
	le(&s, RING_OP_REREGISTER, 1);
	le(&s, 0, 1);
	le(&s, 0, 1);
	le(&s, 2 - 8, 4);
	tx_pass(&s, 0, 0, 0);
	le(&s, RING_OP_REREGISTER, 1);
	le(&s, 0, 1);
	le(&s, 0, 1);
	le(&s, 1000, 4);
	tx_pass(&s, 0, 0, 0);
	put(dir, "reregister", s.b, s.n);

	/* The largest ring and region, ending at the address limit. */
	ring_hdr(&s, 4096, (1ull << 47) - 4096 - (64u << 20), 64u << 20, 0, 0);
	post(&s, 0, 0, 65535, 0);
	post(&s, 1, 65536, 65535, 0);
	tx_pass(&s, 0, 0, 0);
	rx_pass(&s, 1, 65534, 0);
	put(dir, "largest", s.b, s.n);

	/*
	 * Refused geometries: a ring size that is no power of two, a region
	 * too small for the rings, one past the limit, one wrapping the
	 * address space, one too big.
	 */
	ring_hdr(&s, 24, 0x10000000, 2 * 4096, 0, 0);
	put(dir, "geometry-ring-size", s.b, s.n);
	ring_hdr(&s, 256, 0x10000000, 2 * 4096, 0, 0);
	put(dir, "geometry-too-small", s.b, s.n);
	ring_hdr(&s, 8, (1ull << 47) - 4096, 2 * 4096, 0, 0);
	put(dir, "geometry-limit", s.b, s.n);
	ring_hdr(&s, 8, 0 - 4096ull, 2 * 4096, 0, 0);
	put(dir, "geometry-wrap", s.b, s.n);
	ring_hdr(&s, 8, 0x10000000, (64u << 20) + 4096, 0, 0);
	put(dir, "geometry-e2big", s.b, s.n);
	hvt_seeds(dir);
}

/*
 * fuzz_args seeds: argument vectors, each argument ending in NUL but the
 * last (the fuzzer splits its input at NUL bytes). Arguments may hold
 * any byte; a NULL ends the list.
 */
static void args_seed(const char *dir, const char *name, const char *const *argv)
{
	char buf[1024];
	size_t n = 0;

	for (size_t i = 0; argv[i]; i++) {
		size_t len = strlen(argv[i]);

		if (len + 1 > sizeof(buf) - n)
			abort();
		memcpy(buf + n, argv[i], len);
		n += len;
		if (argv[i + 1])
			buf[n++] = '\0';
	}
	put(dir, name, buf, n);
}

static void args_seeds(const char *dir)
{
	args_seed(dir, "help", (const char *const[]){ "--help", NULL });
	args_seed(dir, "version", (const char *const[]){ "--version", NULL });
	args_seed(dir, "full", (const char *const[]){
		"--mem=64", "--net:service0=tap0",
		"--net-mac:service0=02:00:00:00:00:01", "--block:disk=/tmp/x.img",
		"--block-sector-size:disk=4096", "--block-sync", "--",
		"image.hvt", "arg1", "arg two", NULL });
	args_seed(dir, "fd-tap", (const char *const[]){
		"--net:n=@3", "--print-policy", "img", NULL });
	args_seed(dir, "mac-before-net", (const char *const[]){
		"--net-mac:a=aa:bb:cc:dd:ee:fe", "--net:a=tap1", "--mem=4096",
		"x", NULL });
	args_seed(dir, "two-devices", (const char *const[]){
		"--block:b=/dev/null", "--net:n=t", "--", "-image", "--mem=2",
		NULL });
	args_seed(dir, "name-and-ring", (const char *const[]){
		"--name=web-1.a_b", "--net-ring=on", "--net:n=tap0", "img", NULL });
	/* Once made an error message with a newline in it. */
	args_seed(dir, "regress-newline-in-error", (const char *const[]){
		"--mem=64", "--net:servi\xff\xff--\n\xffnet:n=@3", "-", NULL });
}

/*
 * fuzz_hypercall seeds: records (format at the top of fuzz_hypercall.c),
 * each storing bytes at a GPA of its 64 KiB guest RAM and then making
 * hypercall NR there; NR 0 is no hypercall, so it only stores. Net
 * handle 1 and block handle 2 are its devices.
 */
struct hc_seed {
	uint8_t b[1024];
	size_t n;
};

static void hc(struct hc_seed *s, uint8_t nr, uint32_t gpa, const void *p,
	       uint8_t len)
{
	if (sizeof(s->b) - s->n < 6u + len)
		abort();
	s->b[s->n++] = nr;
	for (int i = 0; i < 4; i++)
		s->b[s->n++] = (uint8_t)(gpa >> (8 * i));
	s->b[s->n++] = len;
	memcpy(s->b + s->n, p, len);
	s->n += len;
}

#define HC(s, nr, gpa, v)	hc(s, nr, gpa, &(v), (uint8_t)sizeof(v))
#define ARG_GPA		0x100	/* where the hypercall's struct goes */
#define DATA_GPA	0x1000	/* its buffers */

static void hypercall_seeds(const char *dir)
{
	struct hvt_hc_walltime wt = { 0 };
	struct hvt_hc_puts puts = { .data = DATA_GPA, .len = 5 };
	struct hvt_hc_poll poll = { 0 };
	struct hvt_hc_block_write bw = { .handle = 2, .offset = 512,
					 .data = DATA_GPA, .len = 512 };
	struct hvt_hc_block_read br = { .handle = 2, .offset = 512,
					.data = DATA_GPA + 2048, .len = 512 };
	struct hvt_hc_net_write nw = { .handle = 1, .data = DATA_GPA, .len = 60 };
	struct hvt_hc_net_read nr = { .handle = 1, .data = DATA_GPA + 2048,
				      .len = 1514 };
	struct hvt_hc_halt halt = { .cookie = 0, .exit_status = 3 };
	struct hc_seed s;

	s.n = 0;
	HC(&s, HVT_HYPERCALL_WALLTIME, ARG_GPA, wt);
	put(dir, "walltime", s.b, s.n);

	s.n = 0;
	hc(&s, 0, DATA_GPA, "hello", 5);
	HC(&s, HVT_HYPERCALL_PUTS, ARG_GPA, puts);
	put(dir, "puts", s.b, s.n);

	s.n = 0;
	HC(&s, HVT_HYPERCALL_POLL, ARG_GPA, poll);
	put(dir, "poll", s.b, s.n);

	/* A sector written, then read back elsewhere. */
	s.n = 0;
	HC(&s, HVT_HYPERCALL_BLOCK_WRITE, ARG_GPA, bw);
	HC(&s, HVT_HYPERCALL_BLOCK_READ, ARG_GPA, br);
	put(dir, "block-write-read", s.b, s.n);

	/* A frame sent, then the one the fuzzer queued received. */
	s.n = 0;
	HC(&s, HVT_HYPERCALL_NET_WRITE, ARG_GPA, nw);
	HC(&s, HVT_HYPERCALL_NET_READ, ARG_GPA, nr);
	put(dir, "net-write-read", s.b, s.n);

	s.n = 0;
	HC(&s, HVT_HYPERCALL_HALT, ARG_GPA, halt);
	put(dir, "halt", s.b, s.n);

	/* The argument struct runs past the end of guest RAM: a fault. */
	s.n = 0;
	hc(&s, HVT_HYPERCALL_PUTS, 64 * 1024 - 8, &puts, 8);
	put(dir, "arg-straddles-end", s.b, s.n);
}

/* Write @im as seed @name: img_write makes a temp file, read it back. */
static void put_img(const char *dir, const char *name, const struct img *im)
{
	const char *path = img_write(im);
	FILE *f = fopen(path, "rb");
	char *buf;
	long len;

	if (!f || fseek(f, 0, SEEK_END) || (len = ftell(f)) < 0)
		exit(1);
	rewind(f);
	buf = malloc((size_t)len);
	if (!buf || fread(buf, 1, (size_t)len, f) != (size_t)len)
		exit(1);
	fclose(f);
	remove(path);
	put(dir, name, buf, (size_t)len);
	free(buf);
}

int main(int argc, char *argv[])
{
	static struct img im;
	static uint8_t desc[SOLO5_MFT_DESC_MAX];
	struct mft_entry e[3] = {
		{ .name = "", .type = MFT_RESERVED_FIRST },
		{ .name = "net0", .type = MFT_DEV_NET_BASIC },
		{ .name = "disk", .type = MFT_DEV_BLOCK_BASIC },
	};
	char dir[4096];
	size_t n;

	if (argc != 2) {
		fprintf(stderr, "usage: fuzz_seeds DIR\n");
		return 1;
	}
	snprintf(dir, sizeof(dir), "%s/elf", argv[1]);
	img_default(&im);
	img_set_mft(&im, e, 3);
	put_img(dir, "valid-3-devices", &im);
	/* What Solo5's own toolchain links: interpreter, empty segments... */
	img_solo5_shape(&im);
	put_img(dir, "solo5-toolchain-shape", &im);
	n = mft_desc_build(desc, e, 3);
	snprintf(dir, sizeof(dir), "%s/manifest", argv[1]);
	put(dir, "valid-3-devices", desc, n);
	snprintf(dir, sizeof(dir), "%s/ring", argv[1]);
	ring_seeds(dir);
	snprintf(dir, sizeof(dir), "%s/args", argv[1]);
	args_seeds(dir);
	snprintf(dir, sizeof(dir), "%s/hypercall", argv[1]);
	hypercall_seeds(dir);
	return 0;
}
