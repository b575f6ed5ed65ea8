// SPDX-License-Identifier: ISC
/*
 * libFuzzer target: the hypercall handlers, i.e. the validation of every
 * guest-supplied address, length, offset and handle, against a guest RAM
 * that is an exact-size heap block (ASan reports any byte touched outside
 * it). The input is a sequence of records
 *     u8 port offset, u32 argument GPA, u8 n, n bytes
 * each storing its n bytes at the GPA (the part that fits in RAM) and then
 * issuing the hypercall. The devices are a datagram socketpair standing in
 * for a tap (handle 1) and a 4 KiB memfd block device (handle 2), as in
 * test_hypercalls.c. POLL's timeout is cleared first so a run never sleeps.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../../tender/hypercall.h"

#define MEM_SIZE	(64 * 1024)
#define BLK_SIZE	4096

static uint8_t *mem;
static struct devices devs;
static int peer;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	int sv[2], null = open("/dev/null", O_WRONLY);

	(void)argc;
	(void)argv;
	/* PUTS writes to stdout: keep the fuzzer's output readable. */
	if (null < 0 || dup2(null, STDOUT_FILENO) < 0)
		abort();
	close(null);
	mem = malloc(MEM_SIZE);
	if (!mem || socketpair(AF_UNIX, SOCK_DGRAM, 0, sv))
		abort();
	fcntl(sv[0], F_SETFL, O_NONBLOCK);
	fcntl(sv[1], F_SETFL, O_NONBLOCK);
	peer = sv[1];
	devs.n = 3;
	devs.d[0].type = MFT_RESERVED_FIRST;
	devs.d[0].fd = -1;
	devs.d[1] = (struct device){ .type = MFT_DEV_NET_BASIC, .fd = sv[0],
				     .mtu = PETREL_NET_MTU };
	devs.pollfd[0] = (struct pollfd){ .fd = sv[0], .events = POLLIN };
	devs.poll_handle[0] = 1;
	devs.npoll = 1;
	devs.d[2] = (struct device){ .type = MFT_DEV_BLOCK_BASIC,
				     .capacity = BLK_SIZE, .sector_size = 512 };
	devs.d[2].fd = memfd_create("fuzz-blk", 0);
	if (devs.d[2].fd < 0 || ftruncate(devs.d[2].fd, BLK_SIZE))
		abort();
	return 0;
}

/* Drain what NET_WRITE sent, and queue one frame for NET_READ. */
static void tap_reset(void)
{
	static uint8_t frame[2048];

	while (recv(peer, frame, sizeof(frame), 0) > 0)
		;
	memset(frame, 0x42, 60);
	send(peer, frame, 60, 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hc_ctx c = { .mem = { .base = mem, .size = MEM_SIZE }, .devs = &devs };

	memset(mem, 0, MEM_SIZE);
	tap_reset();
	while (size >= 6) {
		uint16_t port = (uint16_t)(HVT_HYPERCALL_PIO_BASE + data[0]);
		const struct hypercall *h = hc_lookup(port);
		uint32_t gpa;
		size_t n;

		memcpy(&gpa, data + 1, 4);
		n = data[5];
		data += 6;
		size -= 6;
		if (n > size)
			n = size;
		if (gpa < MEM_SIZE)
			memcpy(mem + gpa, data,
			       n < MEM_SIZE - gpa ? n : MEM_SIZE - gpa);
		data += n;
		size -= n;
		if (!h)
			continue;
		if (h->nr == HVT_HYPERCALL_POLL && gpa <= MEM_SIZE - 8)
			memset(mem + gpa, 0, 8);
		c.fault = NULL;
		switch (h->fn(&c, gpa)) {
		case HC_FAULT:
			if (!c.fault)
				abort();	/* a fault must say why */
			return 0;
		case HC_EXIT:
			return 0;
		case HC_CONTINUE:
			break;
		}
	}
	return 0;
}
