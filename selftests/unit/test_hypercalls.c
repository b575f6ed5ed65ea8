// SPDX-License-Identifier: ISC
/*
 * Hypercall handlers against a fake guest memory: every guest-supplied
 * address and length is hostile. Net handlers run on a datagram socketpair
 * standing in for the tap (frames are datagrams on both); the real tap path
 * is covered by the KVM tests.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../tender/hypercall.h"
#include "ktest.h"

#define SIZE	(4ULL << 20)
#define ARG	0x101000ULL	/* where tests put argument structs */
#define BUF	0x102000ULL	/* and data */

static uint8_t *mem;
static struct devices devs;
static struct hc_ctx c;
static int peer = -1;		/* the host side of the fake tap */
static char blk_path[] = "/tmp/petrel-hc-XXXXXX";

static void setup(void)
{
	int sv[2];

	if (mem)
		return;
	mem = calloc(1, SIZE);
	memset(&devs, 0, sizeof(devs));
	devs.n = 3;
	devs.d[0].type = MFT_RESERVED_FIRST;
	devs.d[1] = (struct device){ .type = MFT_DEV_NET_BASIC, .mtu = 1500 };
	socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
	fcntl(sv[0], F_SETFL, O_NONBLOCK);
	devs.d[1].fd = sv[0];
	peer = sv[1];
	devs.pollfd[0] = (struct pollfd){ .fd = sv[0], .events = POLLIN };
	devs.poll_handle[0] = 1;
	devs.npoll = 1;
	devs.d[2] = (struct device){ .type = MFT_DEV_BLOCK_BASIC,
		.capacity = 4096, .sector_size = 512 };
	devs.d[2].fd = mkstemp(blk_path);
	unlink(blk_path);
	if (ftruncate(devs.d[2].fd, 4096))
		kt_failed = 1;
	c = (struct hc_ctx){ .mem = { .base = mem, .size = SIZE }, .devs = &devs };
}

static enum hc_action call(unsigned nr, uint64_t gpa)
{
	const struct hypercall *h = hc_lookup(HVT_HYPERCALL_PIO(nr));

	c.fault = NULL;
	return hc_call(h, &c, gpa);
}

#define PUT(type, ...) do {						\
	type v_ = __VA_ARGS__;						\
	memcpy(mem + ARG, &v_, sizeof(v_));				\
} while (0)

static int32_t ret_at(size_t off)
{
	int32_t r;

	memcpy(&r, mem + ARG + off, sizeof(r));
	return r;
}

static void t_lookup(void)
{
	CHECK(hc_lookup(0x500) == NULL);
	CHECK(hc_lookup(0x4ff) == NULL);
	CHECK(hc_lookup(0x509) == NULL);
	CHECK(hc_lookup(0xffff) == NULL);
	CHECK(hc_lookup(0x501) == &hc_walltime);
	CHECK(hc_lookup(0x508) == &hc_halt);
	for (unsigned nr = 1; nr < HVT_HYPERCALL_MAX; nr++)
		CHECK(hc_lookup(HVT_HYPERCALL_PIO(nr))->nr == nr);
}

static void t_arg_outside(void)
{
	setup();
	CHECK(call(HVT_HYPERCALL_WALLTIME, SIZE - 4) == HC_FAULT);
	CHECK(c.fault != NULL);
	CHECK(call(HVT_HYPERCALL_HALT, SIZE) == HC_FAULT);
	CHECK(call(HVT_HYPERCALL_PUTS, 0xffffffffULL) == HC_FAULT);
	CHECK(call(HVT_HYPERCALL_WALLTIME, SIZE - 8) == HC_CONTINUE);
}

static void t_walltime(void)
{
	uint64_t ns;

	setup();
	CHECK(call(HVT_HYPERCALL_WALLTIME, ARG) == HC_CONTINUE);
	memcpy(&ns, mem + ARG, 8);
	CHECK(ns > 1600000000ULL * 1000000000ULL);	/* after 2020 */
}

static void t_puts_bounds(void)
{
	setup();
	PUT(struct hvt_hc_puts, { .data = SIZE - 2, .len = 3 });
	CHECK(call(HVT_HYPERCALL_PUTS, ARG) == HC_FAULT);
	PUT(struct hvt_hc_puts, { .data = 8, .len = UINT64_MAX });
	CHECK(call(HVT_HYPERCALL_PUTS, ARG) == HC_FAULT);
	PUT(struct hvt_hc_puts, { .data = BUF, .len = 0 });
	CHECK(call(HVT_HYPERCALL_PUTS, ARG) == HC_CONTINUE);
}

static void t_halt(void)
{
	setup();
	PUT(struct hvt_hc_halt, { .cookie = 0, .exit_status = 7 });
	CHECK(call(HVT_HYPERCALL_HALT, ARG) == HC_EXIT && c.exit_status == 7);
	PUT(struct hvt_hc_halt, { .cookie = UINT64_MAX, .exit_status = 255 });
	CHECK(call(HVT_HYPERCALL_HALT, ARG) == HC_EXIT &&
	      c.exit_status == 255);
	PUT(struct hvt_hc_halt, { .exit_status = 0x1234 });
	CHECK(call(HVT_HYPERCALL_HALT, ARG) == HC_EXIT &&
	      c.exit_status == 0x34);
	PUT(struct hvt_hc_halt, { .exit_status = -1 });
	CHECK(call(HVT_HYPERCALL_HALT, ARG) == HC_EXIT &&
	      c.exit_status == 255);
}

static void t_poll(void)
{
	struct hvt_hc_poll p;

	setup();
	PUT(struct hvt_hc_poll, { .timeout_nsecs = 0, .ready_set = ~0ULL,
				  .ret = -1 });
	CHECK(call(HVT_HYPERCALL_POLL, ARG) == HC_CONTINUE);
	memcpy(&p, mem + ARG, sizeof(p));
	CHECK(p.ready_set == 0 && p.ret == HVT_RESULT_OK);
	CHECK(write(peer, "frame", 5) == 5);
	PUT(struct hvt_hc_poll, { .timeout_nsecs = 1000000000ULL });
	CHECK(call(HVT_HYPERCALL_POLL, ARG) == HC_CONTINUE);
	memcpy(&p, mem + ARG, sizeof(p));
	CHECK(p.ready_set == 1ULL << 1 && p.ret == HVT_RESULT_OK);
}

static void t_net(void)
{
	struct hvt_hc_net_read r;
	char frame[1600];

	setup();
	/* Drain what t_poll queued, then nothing is left: AGAIN. */
	PUT(struct hvt_hc_net_read, { .handle = 1, .data = BUF, .len = 1514 });
	CHECK(call(HVT_HYPERCALL_NET_READ, ARG) == HC_CONTINUE);
	PUT(struct hvt_hc_net_read, { .handle = 1, .data = BUF, .len = 1514 });
	CHECK(call(HVT_HYPERCALL_NET_READ, ARG) == HC_CONTINUE);
	CHECK(ret_at(24) == HVT_RESULT_AGAIN);

	CHECK(write(peer, "0123456789abcdef", 16) == 16);
	PUT(struct hvt_hc_net_read, { .handle = 1, .data = BUF, .len = 2000 });
	CHECK(call(HVT_HYPERCALL_NET_READ, ARG) == HC_CONTINUE);
	memcpy(&r, mem + ARG, sizeof(r));
	CHECK(r.ret == HVT_RESULT_OK && r.len == 16);
	CHECK(!memcmp(mem + BUF, "0123456789abcdef", 16));

	/* A buffer smaller than MTU + 14 still takes frames that fit. */
	CHECK(write(peer, "small", 5) == 5);
	PUT(struct hvt_hc_net_read, { .handle = 1, .data = BUF, .len = 64 });
	CHECK(call(HVT_HYPERCALL_NET_READ, ARG) == HC_CONTINUE);
	memcpy(&r, mem + ARG, sizeof(r));
	CHECK(r.ret == HVT_RESULT_OK && r.len == 5);

	memset(mem + BUF, 'z', 1514);
	PUT(struct hvt_hc_net_write, { .handle = 1, .data = BUF, .len = 1514 });
	CHECK(call(HVT_HYPERCALL_NET_WRITE, ARG) == HC_CONTINUE);
	CHECK(ret_at(24) == HVT_RESULT_OK);
	CHECK(read(peer, frame, sizeof(frame)) == 1514);
}

static void t_net_invalid(void)
{
	setup();
	/* MTU + 14 + 1 */
	PUT(struct hvt_hc_net_write, { .handle = 1, .data = BUF, .len = 1515 });
	CHECK(call(HVT_HYPERCALL_NET_WRITE, ARG) == HC_CONTINUE);
	CHECK(ret_at(24) == HVT_RESULT_EINVAL);
	PUT(struct hvt_hc_net_write, { .handle = 2, .data = BUF, .len = 60 });
	CHECK(call(HVT_HYPERCALL_NET_WRITE, ARG) == HC_CONTINUE);
	CHECK(ret_at(24) == HVT_RESULT_EINVAL);	/* block handle */
	PUT(struct hvt_hc_net_write, { .handle = 0, .data = BUF, .len = 60 });
	call(HVT_HYPERCALL_NET_WRITE, ARG);
	CHECK(ret_at(24) == HVT_RESULT_EINVAL);	/* reserved entry */
	PUT(struct hvt_hc_net_write, { .handle = 1ULL << 40, .data = BUF,
				       .len = 60 });
	call(HVT_HYPERCALL_NET_WRITE, ARG);
	CHECK(ret_at(24) == HVT_RESULT_EINVAL);
	PUT(struct hvt_hc_net_write, { .handle = 1, .data = SIZE - 10,
				       .len = 60 });
	CHECK(call(HVT_HYPERCALL_NET_WRITE, ARG) == HC_CONTINUE);
	CHECK(ret_at(24) == HVT_RESULT_EINVAL);
	PUT(struct hvt_hc_net_read, { .handle = 1, .data = BUF, .len = 0 });
	call(HVT_HYPERCALL_NET_READ, ARG);
	CHECK(ret_at(24) == HVT_RESULT_EINVAL);
	PUT(struct hvt_hc_net_read, { .handle = 2, .data = BUF, .len = 1514 });
	call(HVT_HYPERCALL_NET_READ, ARG);
	CHECK(ret_at(24) == HVT_RESULT_EINVAL);	/* block handle */
	PUT(struct hvt_hc_net_read, { .handle = 1, .data = SIZE - 100,
				      .len = 1514 });
	call(HVT_HYPERCALL_NET_READ, ARG);
	CHECK(ret_at(24) == HVT_RESULT_EINVAL);
}

static void t_block(void)
{
	setup();
	memset(mem + BUF, 0x5a, 1024);
	PUT(struct hvt_hc_block_write, { .handle = 2, .offset = 3072,
					 .data = BUF, .len = 1024 });
	CHECK(call(HVT_HYPERCALL_BLOCK_WRITE, ARG) == HC_CONTINUE);
	CHECK(ret_at(32) == HVT_RESULT_OK);
	memset(mem + BUF, 0, 1024);
	PUT(struct hvt_hc_block_read, { .handle = 2, .offset = 3072,
					.data = BUF, .len = 1024 });
	CHECK(call(HVT_HYPERCALL_BLOCK_READ, ARG) == HC_CONTINUE);
	CHECK(ret_at(32) == HVT_RESULT_OK);
	CHECK(mem[BUF] == 0x5a && mem[BUF + 1023] == 0x5a);
}

static void block_einval(unsigned nr, uint64_t handle, uint64_t off,
			 uint64_t data, uint64_t len)
{
	PUT(struct hvt_hc_block_read, { .handle = handle, .offset = off,
					.data = data, .len = len });
	CHECK(call(nr, ARG) == HC_CONTINUE);
	if (ret_at(32) != HVT_RESULT_EINVAL) {
		printf("# nr %u handle %llu off %llu len %llu: ret %d\n", nr,
		       (unsigned long long)handle, (unsigned long long)off,
		       (unsigned long long)len, ret_at(32));
		kt_failed = 1;
	}
}

static void t_block_invalid(void)
{
	setup();
	for (unsigned nr = HVT_HYPERCALL_BLOCK_WRITE;
	     nr <= HVT_HYPERCALL_BLOCK_READ; nr++) {
		block_einval(nr, 2, 100, BUF, 512);	/* unaligned offset */
		block_einval(nr, 2, 0, BUF, 100);	/* unaligned length */
		block_einval(nr, 2, 3584, BUF, 1024);	/* past capacity */
		block_einval(nr, 2, 4096, BUF, 512);
		block_einval(nr, 2, UINT64_MAX - 511, BUF, 1024);
		block_einval(nr, 2, 512, BUF, UINT64_MAX - 511);
		block_einval(nr, 1, 0, BUF, 512);	/* net handle */
		block_einval(nr, 3, 0, BUF, 512);	/* no such handle */
		block_einval(nr, 2, 0, SIZE - 256, 512);	/* guest range */
	}
}

/*
 * Where the host must write for the guest, memory the guest cannot write
 * is refused: an argument struct there is a fault (nothing written), a
 * data buffer there EINVAL. Reading from it stays allowed.
 */
static void t_read_only(void)
{
	const uint64_t ro = 0x200000;	/* a read-only segment's page */
	uint64_t before;

	setup();
	c.mem.nro = 1;
	c.mem.ro[0] = (struct gmem_range){ ro, ro + 0x1000 };
	memset(mem + ro, 0, 8);
	CHECK(call(HVT_HYPERCALL_WALLTIME, ro) == HC_FAULT);
	memcpy(&before, mem + ro, 8);
	CHECK(before == 0);
	CHECK(c.fault && strstr(c.fault, "read-only"));
	/* The boot info's page: read-only to the guest too. */
	CHECK(call(HVT_HYPERCALL_WALLTIME, HVT_BOOT_INFO_BASE) == HC_FAULT);
	/* A read into a read-only buffer: EINVAL, buffer untouched. */
	CHECK(write(peer, "0123456789abcdef", 16) == 16);
	PUT(struct hvt_hc_net_read, { .handle = 1, .data = ro, .len = 1514 });
	CHECK(call(HVT_HYPERCALL_NET_READ, ARG) == HC_CONTINUE);
	CHECK(ret_at(24) == HVT_RESULT_EINVAL);
	CHECK(mem[ro] == 0);
	PUT(struct hvt_hc_block_read, { .handle = 2, .offset = 0,
					.data = ro, .len = 512 });
	CHECK(call(HVT_HYPERCALL_BLOCK_READ, ARG) == HC_CONTINUE);
	CHECK(ret_at(32) == HVT_RESULT_EINVAL);
	/* Output from read-only memory is fine. */
	memcpy(mem + ro, "hi\n", 3);
	PUT(struct hvt_hc_puts, { .data = ro, .len = 3 });
	CHECK(call(HVT_HYPERCALL_PUTS, ARG) == HC_CONTINUE);
	/* Drain the frame left in the tap for the tests after this one. */
	c.mem.nro = 0;
	PUT(struct hvt_hc_net_read, { .handle = 1, .data = BUF, .len = 1514 });
	CHECK(call(HVT_HYPERCALL_NET_READ, ARG) == HC_CONTINUE);
}

/* Jumbo frames: MTU + 14 bytes pass both ways, one more is refused. */
static void t_net_mtu_9000(void)
{
	static char frame[9100];

	setup();
	devs.d[1].mtu = 9000;
	memset(mem + BUF, 'j', 9015);
	PUT(struct hvt_hc_net_write, { .handle = 1, .data = BUF, .len = 9014 });
	CHECK(call(HVT_HYPERCALL_NET_WRITE, ARG) == HC_CONTINUE);
	CHECK(ret_at(24) == HVT_RESULT_OK);
	CHECK(read(peer, frame, sizeof(frame)) == 9014);
	PUT(struct hvt_hc_net_write, { .handle = 1, .data = BUF, .len = 9015 });
	call(HVT_HYPERCALL_NET_WRITE, ARG);
	CHECK(ret_at(24) == HVT_RESULT_EINVAL);
	/* Shorter than an Ethernet header: the tap would refuse it. */
	PUT(struct hvt_hc_net_write, { .handle = 1, .data = BUF, .len = 13 });
	call(HVT_HYPERCALL_NET_WRITE, ARG);
	CHECK(ret_at(24) == HVT_RESULT_EINVAL);
	memset(frame, 'k', 9014);
	CHECK(write(peer, frame, 9014) == 9014);
	PUT(struct hvt_hc_net_read, { .handle = 1, .data = BUF, .len = 9014 });
	CHECK(call(HVT_HYPERCALL_NET_READ, ARG) == HC_CONTINUE);
	CHECK(ret_at(24) == HVT_RESULT_OK);
	CHECK(!memcmp(mem + BUF, frame, 9014));
	devs.d[1].mtu = 1500;
}

/*
 * A host I/O error on a valid request ends the tender: exit 1 and one
 * "petrel: " line naming the device. Run in a child, whose device fd is
 * swapped for one that fails (opened for the other direction: EBADF).
 */
static void host_error(unsigned nr, unsigned dev, int flags, uint64_t off,
		       const char *want)
{
	char path[] = "/tmp/petrel-hcerr-XXXXXX";
	int out = mkstemp(path), st = 0;
	char msg[512] = "";
	pid_t pid;

	unlink(path);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		dup2(out, STDERR_FILENO);
		devs.d[dev].fd = open("/dev/null", flags);
		if (nr == HVT_HYPERCALL_NET_WRITE)
			PUT(struct hvt_hc_net_write, { .handle = dev,
				.data = BUF, .len = 60 });
		else if (nr == HVT_HYPERCALL_NET_READ)
			PUT(struct hvt_hc_net_read, { .handle = dev,
				.data = BUF, .len = 1514 });
		else if (nr == HVT_HYPERCALL_BLOCK_WRITE)
			PUT(struct hvt_hc_block_write, { .handle = dev,
				.offset = off, .data = BUF, .len = 512 });
		else
			PUT(struct hvt_hc_block_read, { .handle = dev,
				.offset = off, .data = BUF, .len = 512 });
		call(nr, ARG);
		_exit(0);
	}
	waitpid(pid, &st, 0);
	CHECK(pread(out, msg, sizeof(msg) - 1, 0) > 0);
	close(out);
	if (!(WIFEXITED(st) && WEXITSTATUS(st) == 1)) {
		printf("# hypercall %u: status %#x, expected exit 1\n", nr, st);
		kt_failed = 1;
	}
	CHECK(!strncmp(msg, "petrel: ", 8) && strchr(msg, '\n') ==
	      msg + strlen(msg) - 1);
	CHECK_MSG(msg, want);
}

static void t_host_io_errors_exit_1(void)
{
	setup();
	devs.d[1].name = "service0";
	devs.d[2].name = "storage";
	host_error(HVT_HYPERCALL_NET_WRITE, 1, O_RDONLY,
		   0, "net device 'service0': writing to the tap failed: EBADF");
	host_error(HVT_HYPERCALL_NET_READ, 1, O_WRONLY,
		   0, "net device 'service0': reading from the tap failed: EBADF");
	host_error(HVT_HYPERCALL_BLOCK_WRITE, 2, O_RDONLY,
		   512, "block device 'storage': writing 512 bytes at offset 512 failed: EBADF");
	host_error(HVT_HYPERCALL_BLOCK_READ, 2, O_WRONLY,
		   0, "block device 'storage': reading 512 bytes at offset 0 failed: EBADF");
	/* /dev/null reads as empty: the file shrank under the device. */
	host_error(HVT_HYPERCALL_BLOCK_READ, 2, O_RDONLY,
		   1024, "block device 'storage': reading at offset 1024: end of file");
}

static const struct ktest tests[] = {
	{ "hypercall.table_by_port", t_lookup },
	{ "hypercall.argument_outside_memory_faults", t_arg_outside },
	{ "hypercall.walltime", t_walltime },
	{ "hypercall.puts_bounds", t_puts_bounds },
	{ "hypercall.halt_status", t_halt },
	{ "hypercall.poll_timeout_and_ready_set", t_poll },
	{ "hypercall.net_read_write", t_net },
	{ "hypercall.net_rejects_bad_args", t_net_invalid },
	{ "hypercall.block_roundtrip", t_block },
	{ "hypercall.block_rejects_bad_args", t_block_invalid },
	{ "hypercall.read_only_memory_refused", t_read_only },
	{ "hypercall.net_frames_of_mtu_9000", t_net_mtu_9000 },
	{ "hypercall.host_io_errors_exit_1", t_host_io_errors_exit_1 },
};

KTEST_MAIN(tests)
