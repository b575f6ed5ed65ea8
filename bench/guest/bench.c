// SPDX-License-Identifier: ISC
/*
 * The benchmark unikernel. Written against solo5.h alone, so the same
 * source builds against any Solo5-compatible bindings. One interface,
 * "service0". Command line:
 *     bench.hvt MODE SIZE COUNT [LINGER [BUDGET]]
 * (start ignores SIZE and COUNT but wants them all the same).
 *   tx     wait for a GO frame, then send COUNT frames of SIZE bytes as
 *          fast as solo5_net_write takes them, or as many as go in BUDGET
 *          seconds (0, the default: no limit), so that a path moving a
 *          frame every few milliseconds still ends a run in bounded time
 *   rx     count the benchmark frames that arrive, until COUNT or until
 *          none came for a second after the first
 *   echo   send every PING frame back as a PONG, until COUNT or a quiet
 *          second after the first
 *   start  print the wall clock on entering main (start-up time)
 * It prints "bench: ready" when it is listening, one figures line
 *   bench: MODE frames=N bytes=N ns=N errors=N
 * (ns: first to last frame, on the guest's monotonic clock), then
 * "bench: done", and stays up LINGER seconds (default 0) so that the host
 * can read the VM's counters before it goes.
 */
#include "solo5.h"
#include "../bench-frame.h"

#define NS		1000000000ULL
#define QUIET_NS	NS

/*
 * No libc calls: Solo5 bindings export solo5.h, not a libc (only the
 * memcpy, memset, memmove and memcmp that any freestanding C compiler may
 * call on its own), so the one string helper needed is here.
 */
static size_t len_of(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

static uint8_t frame[BENCH_MAX_FRAME + 64];
static uint8_t tx_frame[BENCH_MAX_FRAME];	/* zero but for the headers */
static solo5_handle_t h;

static void puts_(const char *s)
{
	solo5_console_write(s, len_of(s));
}

static void put_u64(uint64_t v)
{
	char buf[20];
	int i = sizeof(buf);

	do {
		buf[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	solo5_console_write(buf + i, sizeof(buf) - (size_t)i);
}

static void put_field(const char *name, uint64_t v)
{
	puts_(" ");
	puts_(name);
	puts_("=");
	put_u64(v);
}

static const char *word(const char *s, const char **end)
{
	while (*s == ' ')
		s++;
	*end = s;
	while (**end && **end != ' ')
		(*end)++;
	return s;
}

static int number(const char **s, uint64_t *v)
{
	const char *w = word(*s, s);

	if (w == *s)
		return -1;
	*v = 0;
	for (; w < *s; w++) {
		if (*w < '0' || *w > '9' || *v > (UINT64_MAX - 9) / 10)
			return -1;
		*v = *v * 10 + (uint64_t)(*w - '0');
	}
	return 0;
}

static int is_word(const char *w, const char *end, const char *lit)
{
	for (; w < end; w++, lit++)
		if (*w != *lit)
			return 0;
	return !*lit;
}

/* Wait until a frame may be there or @deadline passes. */
static void wait_input(solo5_time_t deadline)
{
	solo5_handle_set_t ready = 0;

	solo5_yield(deadline, &ready);
}

struct figures {
	uint64_t frames, bytes, errors;
	solo5_time_t first, last;
};

static void report(const char *mode, const struct figures *f)
{
	puts_("bench: ");
	puts_(mode);
	put_field("frames", f->frames);
	put_field("bytes", f->bytes);
	put_field("ns", f->frames ? f->last - f->first : 0);
	put_field("errors", f->errors);
	puts_("\nbench: done\n");
}

static void count(struct figures *f, size_t len)
{
	solo5_time_t now = solo5_clock_monotonic();

	if (!f->frames)
		f->first = now;
	f->last = now;
	f->frames++;
	f->bytes += len;
}

static void tx(uint64_t size, uint64_t n, uint64_t budget, struct figures *f)
{
	solo5_time_t stop = 0;
	size_t len;

	for (;;) {
		wait_input(solo5_clock_monotonic() + NS);
		if (solo5_net_read(h, frame, sizeof(frame), &len) == SOLO5_R_OK &&
		    bench_frame_kind(frame, len) == BENCH_GO)
			break;
	}
	bench_frame_init(tx_frame, size, BENCH_DATA);
	if (budget)
		stop = solo5_clock_monotonic() + budget * NS;
	for (uint64_t seq = 0; seq < n; seq++) {
		solo5_result_t r;

		/* count() reads the clock for every frame already. */
		if (stop && f->frames && f->last >= stop)
			break;
		bench_put_seq(tx_frame, seq);
		while ((r = solo5_net_write(h, tx_frame, size)) == SOLO5_R_AGAIN)
			f->errors++;
		if (r != SOLO5_R_OK)
			f->errors++;
		else
			count(f, size);
	}
}

/* rx and echo: take frames until @n of them, or a quiet second. */
static void rx(uint64_t n, int echo, struct figures *f)
{
	size_t len;

	while (f->frames < n) {
		solo5_time_t now = solo5_clock_monotonic();
		solo5_result_t r;

		if (f->frames && now - f->last >= QUIET_NS)
			break;
		r = solo5_net_read(h, frame, sizeof(frame), &len);
		if (r == SOLO5_R_AGAIN) {
			wait_input(now + QUIET_NS);
			continue;
		}
		if (r != SOLO5_R_OK) {
			f->errors++;
			continue;
		}
		switch (bench_frame_kind(frame, len)) {
		case BENCH_DATA:
			if (!echo)
				count(f, len);
			break;
		case BENCH_PING:
			if (!echo)
				break;
			frame[BENCH_OFF_KIND] = BENCH_PONG;
			if (solo5_net_write(h, frame, len) == SOLO5_R_OK)
				count(f, len);
			else
				f->errors++;
			break;
		}
	}
}

int solo5_app_main(const struct solo5_start_info *si)
{
	solo5_time_t wall = solo5_clock_wall();
	struct solo5_net_info info;
	static struct figures f;
	uint64_t size = 0, n = 0, linger = 0, budget = 0;
	const char *s, *end, *mode = word(si->cmdline, &s), *mode_end = s;

	if (number(&s, &size) || number(&s, &n) || size < BENCH_MIN_FRAME ||
	    size > BENCH_MAX_FRAME || (*word(s, &end) && number(&s, &linger)) ||
	    (*word(s, &end) && number(&s, &budget)) || budget > UINT32_MAX) {
		puts_("bench: usage: bench.hvt tx|rx|echo|start SIZE COUNT"
		      " [LINGER [BUDGET]] (SIZE 64..1514)\n");
		return 1;
	}
	if (solo5_net_acquire("service0", &h, &info) != SOLO5_R_OK) {
		puts_("bench: no network interface service0\n");
		return 1;
	}
	puts_("bench: ready\n");
	if (is_word(mode, mode_end, "start")) {
		puts_("bench: start");
		put_field("main_wall_ns", wall);
		puts_("\nbench: done\n");
	} else if (is_word(mode, mode_end, "tx")) {
		tx(size, n, budget, &f);
		report("tx", &f);
	} else if (is_word(mode, mode_end, "rx")) {
		rx(n, 0, &f);
		report("rx", &f);
	} else if (is_word(mode, mode_end, "echo")) {
		rx(n, 1, &f);
		report("echo", &f);
	} else {
		puts_("bench: unknown mode (tx, rx, echo or start)\n");
		return 1;
	}
	/* Not "end": Solo5's toolchain flags build with -Wshadow. */
	for (solo5_time_t stop = solo5_clock_monotonic() + linger * NS;
	     solo5_clock_monotonic() < stop;) {
		size_t len;

		while (solo5_net_read(h, frame, sizeof(frame), &len) == SOLO5_R_OK)
			;
		wait_input(stop);
	}
	return 0;
}
