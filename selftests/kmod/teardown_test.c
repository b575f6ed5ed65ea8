// SPDX-License-Identifier: GPL-2.0
/*
 * Teardown with traffic in flight: closing the VM file, and killing the
 * process that owns it, while both directions are busy. Afterwards the VM
 * is gone from netlink and the tap is gone too (the module dropped its
 * file references); the calling script then checks that rmmod succeeds.
 * And a child the owner forked, outliving it, does not keep the VM.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "ptest.h"

#define RING 32

static volatile int stop;

struct flood {
	struct pt_dev *d;
	uint64_t sent;
};

/* The host side keeps the tap's queue full while the guest side sends. */
static void *host_flood(void *arg)
{
	struct flood *f = arg;
	uint8_t frame[1514];

	while (!__atomic_load_n(&stop, __ATOMIC_RELAXED)) {
		pt_frame(frame, 60 + f->sent % 1455, (uint32_t)f->sent);
		if (send(f->d->pkt, frame, 60 + f->sent % 1455, MSG_DONTWAIT) > 0)
			f->sent++;
	}
	return NULL;
}

/* Queue TX frames and post RX buffers without waiting for anything. */
static void guest_flood_step(struct pt_dev *d, uint32_t i)
{
	struct petrel_desc *desc = &d->tx->desc[d->tx_prod & (RING - 1)];

	if (d->tx_prod - __atomic_load_n(&d->tx->consumer, __ATOMIC_ACQUIRE) < RING) {
		pt_frame(d->buf + (size_t)(d->tx_prod & (RING - 1)) * PT_BUF, 1000, i);
		desc->off = (uint64_t)(d->tx_prod & (RING - 1)) * PT_BUF;
		desc->len = 1000;
		desc->flags = 0;
		__atomic_store_n(&d->tx->producer, ++d->tx_prod, __ATOMIC_RELEASE);
	}
	d->rx_cons = __atomic_load_n(&d->rx->consumer, __ATOMIC_ACQUIRE);
	pt_rx_post(d);
	pt_kick(d);
}

/* GET of VM @id: 0, or the kernel's -errno (-ENOENT: no such VM). */
static int vm_lookup(uint32_t id)
{
	struct pt_vm_info *vi = calloc(1, sizeof(*vi));
	int ret;

	if (!vi)
		pt_die("out of memory");
	ret = pt_nl_get(id, NULL, vi);
	free(vi);
	return ret;
}

static bool vm_gone(uint32_t id)
{
	return CHECK_EQ(vm_lookup(id), -ENOENT);
}

static bool tap_gone(const char *ifname)
{
	return CHECK_EQ(if_nametoindex(ifname), 0);
}

/* Keep flooding until netlink shows frames moved both ways. */
static bool busy(struct pt_dev *d, uint32_t vm_id)
{
	struct pt_vm_info *vi = calloc(1, sizeof(*vi));
	bool ok = false;
	uint32_t i, round;

	if (!vi)
		pt_die("out of memory");
	for (round = 0; !ok && round < 2000; round++) {
		for (i = 0; i < 100; i++)
			guest_flood_step(d, round * 100 + i);
		if (pt_nl_get(vm_id, NULL, vi))
			break;
		ok = vi->dev[d->dev_id].s[PETREL_STAT_TX_PACKETS] > 0 &&
		     vi->dev[d->dev_id].s[PETREL_STAT_RX_PACKETS] > 0;
		if (!ok)
			usleep(1000);
	}
	free(vi);
	return CHECK(ok);
}

/* TX and RX counters both grow while the guest and the host flood. */
static bool still_moving(struct pt_dev *d, uint32_t vm_id)
{
	struct pt_vm_info *vi = calloc(1, sizeof(*vi));
	uint64_t tx0, rx0;
	bool ok = false;
	uint32_t i, round;

	if (!vi)
		pt_die("out of memory");
	if (pt_nl_get(vm_id, NULL, vi) == 0) {
		tx0 = vi->dev[d->dev_id].s[PETREL_STAT_TX_PACKETS];
		rx0 = vi->dev[d->dev_id].s[PETREL_STAT_RX_PACKETS];
		for (round = 0; !ok && round < 2000; round++) {
			for (i = 0; i < 100; i++)
				guest_flood_step(d, round * 100 + i);
			if (pt_nl_get(vm_id, NULL, vi))
				break;
			ok = vi->dev[d->dev_id].s[PETREL_STAT_TX_PACKETS] > tx0 &&
			     vi->dev[d->dev_id].s[PETREL_STAT_RX_PACKETS] > rx0;
			if (!ok)
				usleep(1000);
		}
	}
	free(vi);
	return CHECK(ok);
}

static bool vm_present(uint32_t id)
{
	return CHECK_EQ(vm_lookup(id), 0);
}

/*
 * The worker's call holds the VM file: closing the last descriptor while
 * it runs leaves the VM up and moving frames; stopping the worker then
 * tears it down, with both directions still flooding.
 */
static bool test_close_in_flight(void)
{
	struct pt_worker w;
	struct pt_dev d;
	struct flood f = { .d = &d };
	pthread_t t;
	uint32_t id, i;
	bool ok;
	int fd;

	fd = pt_open_worked(&w);
	id = pt_vm_id(fd, "closing");
	pt_dev_init(&d, "ptc0", RING);
	if (!CHECK_EQ(pt_dev_register(fd, &d), 0))
		return false;
	__atomic_store_n(&stop, 0, __ATOMIC_RELAXED);
	if (pthread_create(&t, NULL, host_flood, &f))
		pt_die("pthread_create failed");
	ok = busy(&d, id);
	close(fd);
	ok = still_moving(&d, id) && vm_present(id) && ok;
	/* Stop the worker while both directions are still moving. */
	pt_worker_stop(&w);
	ok = CHECK_EQ(w.err, EINTR) && ok;
	for (i = 0; i < 1000; i++)
		guest_flood_step(&d, i);
	__atomic_store_n(&stop, 1, __ATOMIC_RELAXED);
	pthread_join(t, NULL);
	ok = ok && vm_gone(id);
	pt_dev_close(&d);
	return ok && tap_gone("ptc0");
}

static bool test_kill_in_flight(void)
{
	int pipefd[2], status;
	uint32_t id = 0;
	pid_t pid;
	bool ok;

	if (pipe(pipefd))
		pt_die("pipe: %s", strerror(errno));
	pid = fork();
	if (pid == 0) {
		struct pt_worker w;
		struct pt_dev d;
		struct flood f = { .d = &d };
		pthread_t t;
		uint32_t i;
		int fd = pt_open_worked(&w);

		id = pt_vm_id(fd, "killed");
		pt_dev_init(&d, "ptk0", RING);
		if (pt_dev_register(fd, &d))
			_exit(2);
		__atomic_store_n(&stop, 0, __ATOMIC_RELAXED);
		if (pthread_create(&t, NULL, host_flood, &f))
			_exit(3);
		if (!busy(&d, id))
			_exit(4);
		if (write(pipefd[1], &id, sizeof(id)) != sizeof(id))
			_exit(5);
		for (i = 0;; i++)
			guest_flood_step(&d, i);
	}
	close(pipefd[1]);
	if (read(pipefd[0], &id, sizeof(id)) != sizeof(id)) {
		waitpid(pid, &status, 0);
		return CHECK(!"the traffic child failed before the kill");
	}
	kill(pid, SIGKILL);
	ok = CHECK_EQ(waitpid(pid, &status, 0), pid) &&
	     CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	close(pipefd[0]);
	return ok && vm_gone(id) && tap_gone("ptk0");
}

/* PID's address space maps no file named /dev/petrel. */
static bool maps_no_petrel(pid_t pid)
{
	char path[64], line[512];
	bool found = false;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return CHECK(!"cannot read the child's maps");
	while (fgets(line, sizeof(line), f))
		if (strstr(line, PETREL_DEVICE_PATH)) {
			kt_diag("child still maps: %s", line);
			found = true;
		}
	fclose(f);
	return CHECK(!found);
}

/* PID holds no descriptor of /dev/petrel, within 30 s. */
static bool fds_no_petrel(pid_t pid)
{
	char path[64], link[256];
	struct dirent *e;
	int tries;

	for (tries = 0; tries < 30000; tries++) {
		bool found = false;
		DIR *d;

		snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
		d = opendir(path);
		if (!d)
			return CHECK(!"cannot list the child's descriptors");
		while ((e = readdir(d))) {
			char fd[sizeof(path) + sizeof(e->d_name) + 1];
			ssize_t n;

			snprintf(fd, sizeof(fd), "%s/%s", path, e->d_name);
			n = readlink(fd, link, sizeof(link) - 1);
			if (n > 0) {
				link[n] = '\0';
				found |= !strcmp(link, PETREL_DEVICE_PATH);
			}
		}
		closedir(d);
		if (!found)
			return true;
		usleep(1000);
	}
	return CHECK(!"the child still holds /dev/petrel after 30 s");
}

struct forked {
	uint32_t id;
	pid_t child;
};

/*
 * The tender's process: a VM with its counters page mapped and a device
 * registered; then it forks a child that closes every descriptor it
 * inherited (as a helper or a daemon would) but the pipe it waits on,
 * tells the test both, and exits.
 */
static void fork_owner(int ready, int hold)
{
	struct forked msg;
	struct pt_dev d;
	void *page;
	int fd;

	fd = pt_open_petrel();
	msg.id = pt_vm_id(fd, "forked");
	page = mmap(NULL, PETREL_COUNTERS_SIZE, PROT_READ | PROT_WRITE,
		    MAP_SHARED, fd, 0);
	if (page == MAP_FAILED)
		_exit(2);
	pt_dev_init(&d, "ptf0", RING);
	if (pt_dev_register(fd, &d))
		_exit(3);
	msg.child = fork();
	if (msg.child < 0)
		_exit(4);
	if (msg.child == 0) {
		char c;

		if ((hold > 3 && close_range(3, (unsigned int)hold - 1, 0)) ||
		    close_range((unsigned int)hold + 1, ~0u, 0))
			_exit(5);
		/* Until the test closes its end. */
		while (read(hold, &c, 1) > 0)
			;
		_exit(0);
	}
	if (write(ready, &msg, sizeof(msg)) != sizeof(msg))
		_exit(6);
	_exit(0);
}

/*
 * A child forked by the tender outlives it: once the tender is gone, so
 * are its VM and tap, while the child still runs; the child's copy of the
 * address space has no mapping of /dev/petrel (a mapping holds the file,
 * and with it the VM, its pinned pages and its tap).
 */
static bool test_fork_child_outlives_owner(void)
{
	int ready[2], hold[2], status;
	struct forked msg;
	pid_t owner;
	bool ok;

	/* The orphaned child is reparented to us, to be reaped. */
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) || pipe(ready) || pipe(hold))
		pt_die("prctl/pipe: %s", strerror(errno));
	owner = fork();
	if (owner < 0)
		pt_die("fork: %s", strerror(errno));
	if (owner == 0) {
		close(ready[0]);
		close(hold[1]);
		fork_owner(ready[1], hold[0]);
	}
	close(ready[1]);
	close(hold[0]);
	ok = CHECK_EQ(read(ready[0], &msg, sizeof(msg)), sizeof(msg));
	close(ready[0]);
	ok = CHECK_EQ(waitpid(owner, &status, 0), owner) &&
	     CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0) && ok;
	if (!ok) {
		close(hold[1]);
		return false;
	}
	/*
	 * The owner told us before its child ran close_range(): wait for
	 * the child to drop its inherited copy (the wait only catches a
	 * hang), then the VM must be gone at once.
	 */
	ok = CHECK_EQ(kill(msg.child, 0), 0) && fds_no_petrel(msg.child) &&
	     maps_no_petrel(msg.child);
	ok = vm_gone(msg.id) && tap_gone("ptf0") && ok;
	/* Still running after all that: it really outlived the VM. */
	ok = CHECK_EQ(kill(msg.child, 0), 0) && ok;
	close(hold[1]);
	return CHECK_EQ(waitpid(msg.child, &status, 0), msg.child) &&
	       CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0) && ok;
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	pt_enter_netns();
	kt_plan(3);
	kt_result(test_close_in_flight(), "close_with_traffic_in_flight");
	kt_result(test_kill_in_flight(), "kill_with_traffic_in_flight");
	kt_result(test_fork_child_outlives_owner(), "fork_child_outlives_owner");
	return kt_exit();
}
