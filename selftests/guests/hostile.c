// SPDX-License-Identifier: ISC
/*
 * A hostile guest: raw hypercalls (no checks by the bindings) with
 * addresses outside guest memory, lengths that wrap around, argument
 * structs straddling the end of RAM, unknown hypercall numbers, odd port
 * accesses and bad device handles. Its command line names one case:
 *
 *   fault cases: the tender must stop the guest (exit 1, one line naming
 *   the problem). If the hypercall returns, the guest says so and exits 3.
 *
 *   "refusals": every request the tender must answer with EINVAL and
 *   carry on, in one run; one "ok:"/"FAIL:" line each, then a verdict.
 *
 *   "edge": legal requests touching the last bytes of RAM (the checks must
 *   not be off by one the other way).
 *
 *   "spin": loop forever without a hypercall (killed by the test).
 *
 *   "exit-mid-transfer": send frames and read the host's flood, then halt
 *   with status 7 in the middle of it.
 *
 * The manifest (hostile.json) has net0 (handle 1) and disk (handle 2).
 */
#include "../../bindings/hvt.h"
#include "util.h"

/* Top of guest RAM, from the boot info the tender wrote. */
static uint64_t mem_top(void)
{
	return hvt_boot_info->mem_size;
}

static void raw_out32(uint16_t port, uint32_t v)
{
	__asm__ __volatile__("outl %0, %1" : : "a"(v), "d"(port) : "memory");
}

static void hc(unsigned nr, uint64_t gpa)
{
	raw_out32((uint16_t)HVT_HYPERCALL_PIO(nr), (uint32_t)gpa);
}

static const struct { unsigned nr; size_t size; const char *name; } hcs[] = {
	{ HVT_HYPERCALL_WALLTIME, sizeof(struct hvt_hc_walltime), "walltime" },
	{ HVT_HYPERCALL_PUTS, sizeof(struct hvt_hc_puts), "puts" },
	{ HVT_HYPERCALL_POLL, sizeof(struct hvt_hc_poll), "poll" },
	{ HVT_HYPERCALL_BLOCK_WRITE, sizeof(struct hvt_hc_block_write),
	  "block-write" },
	{ HVT_HYPERCALL_BLOCK_READ, sizeof(struct hvt_hc_block_read),
	  "block-read" },
	{ HVT_HYPERCALL_NET_WRITE, sizeof(struct hvt_hc_net_write),
	  "net-write" },
	{ HVT_HYPERCALL_NET_READ, sizeof(struct hvt_hc_net_read), "net-read" },
	{ HVT_HYPERCALL_HALT, sizeof(struct hvt_hc_halt), "halt" },
};
#define NHCS (sizeof(hcs) / sizeof(hcs[0]))

static int streq(const char *a, const char *b)
{
	return strcmp(a, b) == 0;
}

/* "PREFIX-NAME": the hypercall NAME if @s starts with @prefix. */
static int hc_case(const char *s, const char *prefix, unsigned *i)
{
	size_t n = strlen(prefix);

	if (memcmp(s, prefix, n) != 0)
		return 0;
	for (*i = 0; *i < NHCS; (*i)++)
		if (streq(s + n, hcs[*i].name))
			return 1;
	return 0;
}

static struct hvt_hc_puts pa;

/* PUTS of [data, data + len) with a valid argument struct. */
static void puts_raw(uint64_t data, uint64_t len)
{
	pa.data = data;
	pa.len = len;
	hc(HVT_HYPERCALL_PUTS, (uint64_t)(uintptr_t)&pa);
}

/* One fault case; returns only if the tender let the guest go on. */
static int fault_case(const char *c)
{
	unsigned i;

	if (hc_case(c, "arg-outside-", &i)) {
		hc(hcs[i].nr, mem_top());
	} else if (hc_case(c, "arg-at-4g-", &i)) {
		hc(hcs[i].nr, 0xfffffff0ULL);
	} else if (hc_case(c, "arg-straddles-end-", &i)) {
		/* All but the struct's last byte inside RAM. */
		hc(hcs[i].nr, mem_top() - (hcs[i].size - 1));
	} else if (streq(c, "puts-data-outside")) {
		puts_raw(mem_top(), 1);
	} else if (streq(c, "puts-data-straddles-end")) {
		puts_raw(mem_top() - 8, 9);
	} else if (streq(c, "puts-len-wraps")) {
		/* data + len wraps to a small address inside RAM. */
		puts_raw(0x100000, ~0ULL - 0xfffff + 0x10);
	} else if (streq(c, "puts-len-max")) {
		puts_raw(0x100000, ~0ULL);
	} else if (streq(c, "hypercall-nr-0")) {
		hc(0, (uint64_t)(uintptr_t)&pa);
	} else if (streq(c, "hypercall-nr-max")) {
		hc(HVT_HYPERCALL_MAX, (uint64_t)(uintptr_t)&pa);
	} else if (streq(c, "hypercall-nr-255")) {
		hc(255, (uint64_t)(uintptr_t)&pa);
	} else if (streq(c, "port-below-base")) {
		raw_out32(HVT_HYPERCALL_PIO_BASE - 1, 0);
	} else if (streq(c, "port-0x80")) {
		raw_out32(0x80, 0);
	} else if (streq(c, "hypercall-outb")) {
		__asm__ __volatile__("outb %b0, %w1" : : "a"(0),
				     "d"(HVT_HYPERCALL_PIO(HVT_HYPERCALL_PUTS)));
	} else if (streq(c, "hypercall-outw")) {
		__asm__ __volatile__("outw %w0, %w1" : : "a"(0),
				     "d"(HVT_HYPERCALL_PIO(HVT_HYPERCALL_PUTS)));
	} else if (streq(c, "hypercall-inl")) {
		uint32_t v;

		__asm__ __volatile__("inl %w1, %0" : "=a"(v)
				     : "d"(HVT_HYPERCALL_PIO(HVT_HYPERCALL_WALLTIME)));
		(void)v;
	} else if (streq(c, "hypercall-rep-outsl")) {
		/*
		 * Two argument addresses in one string instruction: KVM
		 * exits once per element, so each must be checked; the
		 * first is a harmless PUTS, the second lies past RAM.
		 */
		static uint32_t two[2];
		const void *src = two;
		uint64_t n = 2;

		pa.data = pa.len = 0;
		two[0] = (uint32_t)(uintptr_t)&pa;
		two[1] = (uint32_t)mem_top();
		__asm__ __volatile__("rep outsl" : "+S"(src), "+c"(n)
				     : "d"(HVT_HYPERCALL_PIO(HVT_HYPERCALL_PUTS))
				     : "memory");
	} else {
		puts_("hostile: unknown case\n");
		return 2;
	}
	puts_("hostile: the tender let the guest continue after ");
	puts_(c);
	puts_("\n");
	return 3;
}

static uint8_t sector[4096] __attribute__((aligned(16)));

static int expect_einval(int32_t ret, const char *what)
{
	return check(ret == HVT_RESULT_EINVAL, what);
}

static int bw(uint64_t h, uint64_t off, uint64_t data, uint64_t len,
	      const char *what)
{
	static struct hvt_hc_block_write a;

	a = (struct hvt_hc_block_write){ h, off, data, len, -1 };
	hc(HVT_HYPERCALL_BLOCK_WRITE, (uint64_t)(uintptr_t)&a);
	return expect_einval(a.ret, what);
}

static int br(uint64_t h, uint64_t off, uint64_t data, uint64_t len,
	      const char *what)
{
	static struct hvt_hc_block_read a;

	a = (struct hvt_hc_block_read){ h, off, data, len, -1 };
	hc(HVT_HYPERCALL_BLOCK_READ, (uint64_t)(uintptr_t)&a);
	return expect_einval(a.ret, what);
}

static int nw(uint64_t h, uint64_t data, uint64_t len, const char *what)
{
	static struct hvt_hc_net_write a;

	a = (struct hvt_hc_net_write){ h, data, len, -1 };
	hc(HVT_HYPERCALL_NET_WRITE, (uint64_t)(uintptr_t)&a);
	return expect_einval(a.ret, what);
}

static int nr(uint64_t h, uint64_t data, uint64_t len, const char *what)
{
	static struct hvt_hc_net_read a;

	a = (struct hvt_hc_net_read){ h, data, len, -1 };
	hc(HVT_HYPERCALL_NET_READ, (uint64_t)(uintptr_t)&a);
	return expect_einval(a.ret, what);
}

/*
 * Every bad request the tender answers with EINVAL. Afterwards a good
 * block write and read and a good frame must still work, and nothing of
 * the bad requests may have reached the file or the tap (the test checks
 * the host side).
 */
static int refusals(solo5_handle_t net, solo5_handle_t blk, uint64_t cap)
{
	uint64_t top = mem_top(), buf = (uint64_t)(uintptr_t)sector;
	uint64_t huge = ~0ULL - 511;	/* sector-aligned, wraps if added */
	int f = 0;

	memset(sector, 0xab, sizeof(sector));
	/* Handles: reserved entry, the other type, past the end, huge. */
	f += bw(0, 0, buf, 512, "block-write handle 0 (reserved)");
	f += bw(net, 0, buf, 512, "block-write on the net handle");
	f += bw(MFT_MAX_ENTRIES, 0, buf, 512, "block-write handle past end");
	f += bw(~0ULL, 0, buf, 512, "block-write handle 2^64-1");
	f += br(net, 0, buf, 512, "block-read on the net handle");
	f += br(1ULL << 32 | blk, 0, buf, 512, "block-read handle 2^32+blk");
	f += nw(0, buf, 60, "net-write handle 0 (reserved)");
	f += nw(blk, buf, 60, "net-write on the block handle");
	f += nw(~0ULL, buf, 60, "net-write handle 2^64-1");
	f += nr(blk, buf, 1514, "net-read on the block handle");
	f += nr(1ULL << 32 | net, buf, 1514, "net-read handle 2^32+net");
	/* Block ranges: past capacity, wrapping offset + len. */
	f += bw(blk, cap, buf, 512, "block-write at capacity");
	f += bw(blk, cap - 512, buf, 1024, "block-write straddling capacity");
	f += bw(blk, huge, buf, 512, "block-write offset 2^64-512");
	f += bw(blk, 512, buf, huge, "block-write len 2^64-512");
	f += br(blk, huge, buf, 512, "block-read offset 2^64-512");
	f += br(blk, 0, buf, huge, "block-read len 2^64-512");
	/* Data buffers outside RAM, straddling its end, wrapping. */
	f += bw(blk, 0, top, 512, "block-write data at end of RAM");
	f += bw(blk, 0, top - 256, 512, "block-write data straddling end");
	f += bw(blk, 0, ~0ULL - 255, 512, "block-write data wraps");
	f += br(blk, 0, top - 256, 512, "block-read data straddling end");
	f += br(blk, 0, 0xfffffe00ULL, 512, "block-read data at 4 GiB - 512");
	f += br(blk, 0, ~0ULL - 255, 512, "block-read data wraps");
	f += nw(net, top - 30, 60, "net-write data straddling end");
	f += nw(net, ~0ULL - 29, 60, "net-write data wraps");
	f += nw(net, buf, ~0ULL, "net-write len 2^64-1");
	f += nw(net, buf, 0, "net-write len 0");
	f += nw(net, buf, 1515, "net-write len over MTU + 14");
	f += nr(net, top - 100, 1514, "net-read data straddling end");
	f += nr(net, ~0ULL - 99, 1514, "net-read data wraps");
	f += nr(net, buf, ~0ULL, "net-read len 2^64-1");
	f += nr(net, buf, 0, "net-read len 0");

	/* The devices still work for a good request. */
	{
		static struct hvt_hc_block_read a;
		static struct hvt_hc_block_write w;

		w = (struct hvt_hc_block_write){ blk, cap - 512, buf, 512, -1 };
		hc(HVT_HYPERCALL_BLOCK_WRITE, (uint64_t)(uintptr_t)&w);
		f += check(w.ret == HVT_RESULT_OK, "good block-write at the end");
		memset(sector, 0, 512);
		a = (struct hvt_hc_block_read){ blk, cap - 512, buf, 512, -1 };
		hc(HVT_HYPERCALL_BLOCK_READ, (uint64_t)(uintptr_t)&a);
		f += check(a.ret == HVT_RESULT_OK && sector[0] == 0xab &&
			   sector[511] == 0xab, "good block-read at the end");
	}
	puts_(f ? "hostile: refusals FAILED\n" : "hostile: refusals PASSED\n");
	return f ? 1 : 0;
}

/*
 * Legal requests ending exactly at the top of RAM. The stack starts 16
 * bytes below it (start.S aligns it down), so those 16 bytes are free.
 */
static int edge(solo5_handle_t net)
{
	volatile uint8_t *end = (volatile uint8_t *)(uintptr_t)(mem_top() - 8);
	static const char msg[8] = "[edge]\n";
	static struct hvt_hc_net_read a;
	int f = 0;

	for (int i = 0; i < 8; i++)
		end[i] = (uint8_t)msg[i];
	puts_raw(mem_top() - 8, 7);
	hc(HVT_HYPERCALL_WALLTIME, mem_top() - 8);
	f += check(*(volatile uint64_t *)end != 0,
		   "walltime in the last 8 bytes");
	a = (struct hvt_hc_net_read){ net, mem_top() - 16, 16, -1 };
	hc(HVT_HYPERCALL_NET_READ, (uint64_t)(uintptr_t)&a);
	f += check(a.ret == HVT_RESULT_AGAIN || a.ret == HVT_RESULT_OK,
		   "net-read into the last 16 bytes");
	puts_(f ? "hostile: edge FAILED\n" : "hostile: edge PASSED\n");
	return f ? 1 : 0;
}

static uint8_t frame[1514];

/*
 * Send broadcast frames and read what the host sends; after @n frames
 * read, halt with status 7 at once, with traffic still flowing both ways.
 */
static int exit_mid_transfer(solo5_handle_t net,
			     const struct solo5_net_info *info, uint64_t n)
{
	size_t len;
	uint64_t got = 0;

	memset(frame, 0xff, 6);
	memcpy(frame + 6, info->mac_address, 6);
	frame[12] = 0x88;	/* local experimental ethertype 0x88b5 */
	frame[13] = 0xb5;
	memset(frame + 14, 0x5a, sizeof(frame) - 14);
	puts_("hostile: transferring\n");
	for (;;) {
		solo5_handle_set_t ready = 0;

		solo5_net_write(net, frame, sizeof(frame));
		while (solo5_net_read(net, frame + 14, sizeof(frame) - 14,
				      &len) == SOLO5_R_OK)
			if (++got == n)
				solo5_exit(7);
		solo5_yield(solo5_clock_monotonic() + 1000000ULL, &ready);
	}
}

int solo5_app_main(const struct solo5_start_info *si)
{
	struct solo5_block_info binfo;
	struct solo5_net_info ninfo;
	solo5_handle_t net, blk;
	const char *c = si->cmdline;

	if (solo5_net_acquire("net0", &net, &ninfo) != SOLO5_R_OK ||
	    solo5_block_acquire("disk", &blk, &binfo) != SOLO5_R_OK) {
		puts_("hostile: cannot acquire net0 and disk\n");
		return 2;
	}
	if (streq(c, "refusals"))
		return refusals(net, blk, binfo.capacity);
	if (streq(c, "edge"))
		return edge(net);
	if (streq(c, "spin")) {
		puts_("hostile: spinning\n");
		for (;;)
			__asm__ __volatile__("pause");
	}
	if (memcmp(c, "exit-mid-transfer ", 18) == 0)
		return exit_mid_transfer(net, &ninfo,
					 parse_u64(c + 18, NULL));
	return fault_case(c);
}
