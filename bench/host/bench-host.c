// SPDX-License-Identifier: ISC
/*
 * petrel-bench-host: the host side of `make bench`. Sends, sinks and
 * pings benchmark frames (bench/bench-frame.h) on one end of a tap:
 *   --packet IFACE   the host's end, raw frames through AF_PACKET
 *   --tap IFACE      the other end, the tap's file descriptor (what a
 *                    tender holds); used for the no-guest ceiling
 *
 *   send --size S --count N [--rate PPS]    N DATA frames, flat out or paced
 *   sink --count N [--go] [--wait-ms M]     count DATA frames until N, or a
 *          quiet second after the first, or M ms (default 30000) with none;
 *          --go sends GO frames until the first DATA frame (a guest in tx
 *          mode waits for one)
 *   ping --size S --count N                 one PING at a time, wait for
 *          its PONG (1 s at most); round-trip percentiles
 *   echo --count N                          send back every PING as PONG
 *   exec CMD [ARG...]                       print the wall clock, exec CMD
 *
 * Each prints one line of figures, "MODE key=value ...", on stdout.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_packet.h>
#include <linux/if_tun.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "../bench-frame.h"

#define NS		1000000000ULL
#define QUIET_NS	NS
#define PING_WAIT_MS	1000
#define SOCK_BUF	(16 << 20)

static void die(const char *fmt, ...)
{
	va_list ap;

	fputs("petrel-bench-host: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static uint64_t now_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (uint64_t)ts.tv_sec * NS + (uint64_t)ts.tv_nsec;
}

/* One end of the tap; frames go out with send(), come in with recv(). */
struct end {
	int fd;
	int is_tap;
};

static void open_packet(struct end *e, const char *ifname)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET };
	int one = 1, buf = SOCK_BUF;

	sll.sll_protocol = htons(ETH_P_ALL);
	sll.sll_ifindex = (int)if_nametoindex(ifname);
	if (!sll.sll_ifindex)
		die("no network interface %s", ifname);
	e->fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK, htons(ETH_P_ALL));
	if (e->fd < 0)
		die("AF_PACKET socket: %s", strerror(errno));
	/* Our own frames are not the other side's. */
	if (setsockopt(e->fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one,
		       sizeof(one)))
		die("PACKET_IGNORE_OUTGOING: %s", strerror(errno));
	setsockopt(e->fd, SOL_SOCKET, SO_RCVBUFFORCE, &buf, sizeof(buf));
	setsockopt(e->fd, SOL_SOCKET, SO_SNDBUFFORCE, &buf, sizeof(buf));
	if (bind(e->fd, (struct sockaddr *)&sll, sizeof(sll)))
		die("bind to %s: %s", ifname, strerror(errno));
	e->is_tap = 0;
}

static void open_tap(struct end *e, const char *ifname)
{
	struct ifreq ifr = { .ifr_flags = IFF_TAP | IFF_NO_PI };

	if (strlen(ifname) >= sizeof(ifr.ifr_name))
		die("interface name too long: %s", ifname);
	strcpy(ifr.ifr_name, ifname);
	e->fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK);
	if (e->fd < 0)
		die("/dev/net/tun: %s", strerror(errno));
	if (ioctl(e->fd, TUNSETIFF, &ifr))
		die("attach to tap %s: %s", ifname, strerror(errno));
	e->is_tap = 1;
}

/* Send one frame; a full queue is waited out, other errors are fatal. */
static void send_frame(struct end *e, const uint8_t *f, size_t len)
{
	struct pollfd p = { .fd = e->fd, .events = POLLOUT };

	for (;;) {
		ssize_t n = write(e->fd, f, len);

		if (n == (ssize_t)len)
			return;
		if (n >= 0)
			die("short write: %zd of %zu bytes", n, len);
		if (errno != EAGAIN && errno != ENOBUFS && errno != EINTR)
			die("send: %s", strerror(errno));
		poll(&p, 1, 1);
	}
}

/*
 * The next benchmark frame within @ms milliseconds (-1: forever): its
 * kind, with the frame in @f and its length in @len; 0 on timeout.
 */
static int recv_frame(struct end *e, uint8_t *f, size_t cap, size_t *len,
		      int ms)
{
	uint64_t end = now_ns(CLOCK_MONOTONIC) + (uint64_t)ms * 1000000;
	struct pollfd p = { .fd = e->fd, .events = POLLIN };

	for (;;) {
		ssize_t n = read(e->fd, f, cap);
		int kind, left;

		if (n >= 0) {
			kind = bench_frame_kind(f, (size_t)n);
			if (kind) {
				*len = (size_t)n;
				return kind;
			}
			continue;
		}
		if (errno != EAGAIN && errno != EINTR)
			die("receive: %s", strerror(errno));
		left = ms < 0 ? -1 :
		       (int)(((int64_t)(end - now_ns(CLOCK_MONOTONIC)) +
			      999999) / 1000000);
		if (ms >= 0 && left <= 0)
			return 0;
		poll(&p, 1, left);
	}
}

struct opts {
	const char *mode;
	struct end end;
	int have_end;
	unsigned long size, count, rate, wait_ms;
	int go;
};

static unsigned long number(const char *opt, const char *v)
{
	char *e;
	unsigned long n;

	errno = 0;
	n = strtoul(v ? v : "", &e, 10);
	if (!v || !*v || *e || errno || *v == '-')
		die("%s needs a number, not '%s'", opt, v ? v : "");
	return n;
}

static void parse(int argc, char **argv, struct opts *o)
{
	o->mode = argv[1];
	o->size = BENCH_MIN_FRAME;
	o->wait_ms = 30000;
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--go")) {
			o->go = 1;
			continue;
		}
		if (!v)
			die("%s needs a value", a);
		i++;
		if (!strcmp(a, "--packet") || !strcmp(a, "--tap")) {
			if (o->have_end)
				die("one of --packet and --tap, once");
			if (a[2] == 'p')
				open_packet(&o->end, v);
			else
				open_tap(&o->end, v);
			o->have_end = 1;
		} else if (!strcmp(a, "--size")) {
			o->size = number(a, v);
		} else if (!strcmp(a, "--count")) {
			o->count = number(a, v);
		} else if (!strcmp(a, "--rate")) {
			o->rate = number(a, v);
		} else if (!strcmp(a, "--wait-ms")) {
			o->wait_ms = number(a, v);
		} else {
			die("unknown option %s", a);
		}
	}
	if (!o->have_end)
		die("%s needs --packet IFACE or --tap IFACE", o->mode);
	if (o->size < BENCH_MIN_FRAME || o->size > BENCH_MAX_FRAME)
		die("--size must be %d to %d", BENCH_MIN_FRAME, BENCH_MAX_FRAME);
	if (o->wait_ms > 3600000)
		die("--wait-ms must be at most an hour");
}

static uint8_t frame[BENCH_MAX_FRAME + 64];

static void do_send(struct opts *o)
{
	uint64_t t0, next, gap = o->rate ? NS / o->rate : 0;

	bench_frame_init(frame, o->size, BENCH_DATA);
	t0 = next = now_ns(CLOCK_MONOTONIC);
	for (unsigned long seq = 0; seq < o->count; seq++) {
		if (gap) {
			while (now_ns(CLOCK_MONOTONIC) < next)
				;
			next += gap;
		}
		bench_put_seq(frame, seq);
		send_frame(&o->end, frame, o->size);
	}
	printf("send frames=%lu bytes=%lu ns=%llu\n", o->count,
	       o->count * o->size,
	       (unsigned long long)(now_ns(CLOCK_MONOTONIC) - t0));
}

static void do_sink(struct opts *o)
{
	uint8_t go[BENCH_MIN_FRAME] = { 0 };
	uint64_t frames = 0, bytes = 0, first = 0, last = 0, t0;
	uint64_t next_go = 0, expect = 0, gaps = 0;
	size_t len;

	bench_frame_init(go, sizeof(go), BENCH_GO);
	t0 = now_ns(CLOCK_MONOTONIC);
	while (frames < o->count) {
		uint64_t now = now_ns(CLOCK_MONOTONIC);
		int kind;

		if (frames && now - last >= QUIET_NS)
			break;
		if (!frames && now - t0 >= o->wait_ms * 1000000ULL)
			break;
		if (o->go && !frames && now >= next_go) {
			send_frame(&o->end, go, sizeof(go));
			next_go = now + 200000000ULL;
		}
		kind = recv_frame(&o->end, frame, sizeof(frame), &len, 100);
		if (kind != BENCH_DATA)
			continue;
		last = now_ns(CLOCK_MONOTONIC);
		if (!frames)
			first = last;
		if (bench_get_seq(frame) != expect)
			gaps++;
		expect = bench_get_seq(frame) + 1;
		frames++;
		bytes += len;
	}
	printf("sink frames=%llu bytes=%llu ns=%llu gaps=%llu\n",
	       (unsigned long long)frames, (unsigned long long)bytes,
	       (unsigned long long)(last - first), (unsigned long long)gaps);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* The q-quantile (q in thousandths) of sorted @v, nearest rank. */
static uint64_t quantile(const uint64_t *v, size_t n, unsigned q)
{
	size_t rank = (n * q + 999) / 1000;

	return n ? v[rank ? rank - 1 : 0] : 0;
}

static void do_ping(struct opts *o)
{
	uint64_t *rtt = calloc(o->count ? o->count : 1, sizeof(*rtt));
	uint8_t ping[BENCH_MAX_FRAME] = { 0 };
	size_t got = 0, len;

	if (!rtt)
		die("out of memory");
	bench_frame_init(ping, o->size, BENCH_PING);
	for (unsigned long seq = 0; seq < o->count; seq++) {
		uint64_t t0 = now_ns(CLOCK_MONOTONIC), left;

		bench_put_seq(ping, seq);
		send_frame(&o->end, ping, o->size);
		for (;;) {
			uint64_t waited = now_ns(CLOCK_MONOTONIC) - t0;

			if (waited >= PING_WAIT_MS * 1000000ULL)
				break;
			left = PING_WAIT_MS - waited / 1000000;
			if (recv_frame(&o->end, frame, sizeof(frame), &len,
				       (int)left) == BENCH_PONG &&
			    bench_get_seq(frame) == seq) {
				rtt[got++] = now_ns(CLOCK_MONOTONIC) - t0;
				break;
			}
		}
	}
	qsort(rtt, got, sizeof(*rtt), cmp_u64);
	printf("ping sent=%lu received=%zu p50_ns=%llu p99_ns=%llu p999_ns=%llu"
	       " min_ns=%llu max_ns=%llu\n", o->count, got,
	       (unsigned long long)quantile(rtt, got, 500),
	       (unsigned long long)quantile(rtt, got, 990),
	       (unsigned long long)quantile(rtt, got, 999),
	       (unsigned long long)(got ? rtt[0] : 0),
	       (unsigned long long)(got ? rtt[got - 1] : 0));
	free(rtt);
}

static void do_echo(struct opts *o)
{
	uint64_t frames = 0, last = 0, t0 = now_ns(CLOCK_MONOTONIC);
	size_t len;

	while (frames < o->count) {
		uint64_t now = now_ns(CLOCK_MONOTONIC);

		if (frames && now - last >= QUIET_NS)
			break;
		if (!frames && now - t0 >= o->wait_ms * 1000000ULL)
			break;
		if (recv_frame(&o->end, frame, sizeof(frame), &len, 100) !=
		    BENCH_PING)
			continue;
		frame[BENCH_OFF_KIND] = BENCH_PONG;
		send_frame(&o->end, frame, len);
		last = now_ns(CLOCK_MONOTONIC);
		frames++;
	}
	printf("echo frames=%llu\n", (unsigned long long)frames);
}

int main(int argc, char **argv)
{
	struct opts o = { 0 };

	if (argc < 2)
		die("usage: petrel-bench-host send|sink|ping|echo|exec ... "
		    "(see the comment at the top of bench/host/bench-host.c)");
	if (!strcmp(argv[1], "exec")) {
		if (argc < 3)
			die("exec needs a command");
		/* The line must be out before exec replaces the buffers. */
		fprintf(stderr, "exec wall_ns=%llu\n",
			(unsigned long long)now_ns(CLOCK_REALTIME));
		execvp(argv[2], argv + 2);
		die("exec %s: %s", argv[2], strerror(errno));
	}
	parse(argc, argv, &o);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(o.mode, "send"))
		do_send(&o);
	else if (!strcmp(o.mode, "sink"))
		do_sink(&o);
	else if (!strcmp(o.mode, "ping"))
		do_ping(&o);
	else if (!strcmp(o.mode, "echo"))
		do_echo(&o);
	else
		die("unknown mode %s (send, sink, ping, echo or exec)", o.mode);
	return 0;
}
