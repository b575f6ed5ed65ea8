// SPDX-License-Identifier: ISC
/*
 * Matching the command line against the manifest, and opening block files.
 * Taps need a kernel with tun and privileges: they are tested on real taps
 * in the KVM tests, here only the refusals that need no tap.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../tender/devices.h"
#include "ktest.h"

static _Alignas(8) uint8_t mbuf[sizeof(struct mft) +
				4 * sizeof(struct mft_entry)];
static struct mft *const m = (struct mft *)(void *)mbuf;
static struct petrel_args a;
static struct errbuf err;

static void manifest(void)
{
	memset(mbuf, 0, sizeof(mbuf));
	m->version = 1;
	m->entries = 3;
	m->e[0].type = MFT_RESERVED_FIRST;
	strcpy(m->e[1].name, "net0");
	m->e[1].type = MFT_DEV_NET_BASIC;
	strcpy(m->e[2].name, "disk");
	m->e[2].type = MFT_DEV_BLOCK_BASIC;
}

static int args(const char *o1, const char *o2)
{
	char *argv[] = { "petrel", (char *)o1, (char *)o2, "img", NULL };
	struct errbuf e;

	if (args_parse(4, argv, &a, &e)) {
		printf("# args: %s\n", e.msg);
		return -1;
	}
	return 0;
}

static void t_all_attached(void)
{
	manifest();
	CHECK(args("--net:net0=tap0", "--block:disk=/f") == 0);
	CHECK(devices_match(m, &a, &err) == 0);
}

static void t_missing_device(void)
{
	manifest();
	CHECK(args("--net:net0=tap0", "--mem=8") == 0);
	CHECK(devices_match(m, &a, &err) == -1);
	CHECK_MSG(err.msg, "device 'disk' (BLOCK_BASIC) declared by the image "
		  "is not attached");
}

static void t_unknown_device(void)
{
	manifest();
	CHECK(args("--net:net0=tap0", "--block:dsk=/f") == 0);
	CHECK(devices_match(m, &a, &err) == -1);
	CHECK_MSG(err.msg, "--block:dsk: the image declares no device 'dsk'");
}

static void t_wrong_type(void)
{
	manifest();
	CHECK(args("--net:disk=tap0", "--block:net0=/f") == 0);
	CHECK(devices_match(m, &a, &err) == -1);
	CHECK_MSG(err.msg, "is a BLOCK_BASIC device");
}

static void t_mac_without_net(void)
{
	manifest();
	CHECK(args("--net-mac:net0=02:00:00:00:00:01", "--block:disk=/f") ==
	      0);
	CHECK(devices_match(m, &a, &err) == -1);
	CHECK_MSG(err.msg, "'net0' has options but is not attached");
}

static void t_reserved_not_attachable(void)
{
	manifest();
	/* The reserved entry has an empty name; no option can name it. */
	m->entries = 1;
	CHECK(args("--mem=8", "--mem=8") == 0);
	CHECK(devices_match(m, &a, &err) == 0);
}

static struct dev_request blk(const char *path)
{
	return (struct dev_request){ .name = "disk", .path = path };
}

static void t_block_file(void)
{
	char path[] = "/tmp/petrel-blk-XXXXXX";
	int fd = mkstemp(path), bfd;
	struct dev_request r = blk(path);
	uint64_t cap = 0;

	CHECK(ftruncate(fd, 8192) == 0);
	CHECK(block_file_open(&r, 512, &bfd, &cap, &err) == 0);
	CHECK(cap == 8192);
	close(bfd);
	CHECK(block_file_open(&r, 4096, &bfd, &cap, &err) == 0);
	close(bfd);
	CHECK(ftruncate(fd, 8192 + 512) == 0);
	CHECK(block_file_open(&r, 4096, &bfd, &cap, &err) == -1);
	CHECK_MSG(err.msg, "not a multiple of the sector size 4096");
	CHECK_MSG(err.msg, "Backing storage size must be block aligned");
	CHECK_MSG(err.msg, path);
	/* Smaller than one sector, empty included: nothing to serve. */
	CHECK(ftruncate(fd, 2048) == 0);
	CHECK(block_file_open(&r, 4096, &bfd, &cap, &err) == -1);
	CHECK_MSG(err.msg, "Backing storage must be at least 1 block (4096 "
		  "bytes) in size, it has 2048");
	CHECK(ftruncate(fd, 0) == 0);
	CHECK(block_file_open(&r, 512, &bfd, &cap, &err) == -1);
	CHECK_MSG(err.msg, "at least 1 block (512 bytes)");
	close(fd);
	unlink(path);
	CHECK(block_file_open(&r, 512, &bfd, &cap, &err) == -1);
	CHECK_MSG(err.msg, "No such file or directory");
	r = blk("/tmp");
	CHECK(block_file_open(&r, 512, &bfd, &cap, &err) == -1);
}

/* One file, one device of one VM: a second open is refused until closed. */
static void t_block_file_exclusive(void)
{
	char path[] = "/tmp/petrel-blk-XXXXXX";
	char fifo[] = "/tmp/petrel-fifo-XXXXXX";
	int fd = mkstemp(path), a, b;
	struct dev_request r = blk(path);
	uint64_t cap = 0;

	CHECK(ftruncate(fd, 4096) == 0);
	CHECK(block_file_open(&r, 512, &a, &cap, &err) == 0);
	CHECK(block_file_open(&r, 512, &b, &cap, &err) == -1);
	CHECK_MSG(err.msg, "file in use");
	CHECK_MSG(err.msg, path);
	close(a);
	CHECK(block_file_open(&r, 512, &b, &cap, &err) == 0);
	close(b);
	close(fd);
	unlink(path);
	/* A FIFO is refused at once, not waited on. */
	CHECK(mkstemp(fifo) >= 0 && unlink(fifo) == 0 &&
	      mkfifo(fifo, 0600) == 0);
	r = blk(fifo);
	CHECK(block_file_open(&r, 512, &b, &cap, &err) == -1);
	CHECK_MSG(err.msg, "not a regular file or block device");
	unlink(fifo);
}

static void t_tap_fd_not_tap(void)
{
	struct dev_request r = { .name = "net0", .tap_fd = -1 };
	uint16_t mtu;
	int sv[2], fd;

	CHECK(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv) == 0);
	r.tap_fd = sv[0];
	CHECK(net_tap_open(&r, &fd, &mtu, &err) == -1);
	CHECK_MSG(err.msg, "not an attached tap device");
	close(sv[0]);
	close(sv[1]);
	r.tap_fd = 1000;
	CHECK(net_tap_open(&r, &fd, &mtu, &err) == -1);
	CHECK_MSG(err.msg, "Bad file descriptor");
}

static void t_tap_missing(void)
{
	struct dev_request r = { .name = "net0", .iface = "petrelnotap0",
				 .tap_fd = -1 };
	uint16_t mtu;
	int fd;

	CHECK(net_tap_open(&r, &fd, &mtu, &err) == -1);
	CHECK_MSG(err.msg, "no interface named 'petrelnotap0'");
}

static void t_tap_not_tap(void)
{
	struct dev_request r = { .name = "net0", .iface = "lo", .tap_fd = -1 };
	uint16_t mtu;
	int fd;

	if (access("/dev/net/tun", R_OK | W_OK)) {
		kt_skip = "/dev/net/tun not available";
		return;
	}
	CHECK(net_tap_open(&r, &fd, &mtu, &err) == -1);
	CHECK_MSG(err.msg, "'lo' is not a tap interface");
}

static const struct ktest tests[] = {
	{ "devices.all_attached", t_all_attached },
	{ "devices.rejects_unattached_device", t_missing_device },
	{ "devices.rejects_option_for_unknown_device", t_unknown_device },
	{ "devices.rejects_wrong_type", t_wrong_type },
	{ "devices.rejects_mac_without_net", t_mac_without_net },
	{ "devices.reserved_entry_needs_nothing", t_reserved_not_attachable },
	{ "devices.block_file_size_and_errors", t_block_file },
	{ "devices.rejects_fd_that_is_not_a_tap", t_tap_fd_not_tap },
	{ "devices.rejects_missing_interface", t_tap_missing },
	{ "devices.block_file_is_exclusive", t_block_file_exclusive },
	{ "devices.rejects_non_tap_interface", t_tap_not_tap },
};

KTEST_MAIN(tests)
