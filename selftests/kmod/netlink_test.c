// SPDX-License-Identifier: GPL-2.0
/*
 * The "petrel" genetlink family: strict attribute validation, permission
 * checks, per-namespace visibility, create/destroy events, a complete
 * multi-part dump of 200 VMs, the largest VM dumped as a socket's first
 * request, PIDs as each PID namespace sees them, and requests served while
 * a VM with 8 big regions is being released.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <poll.h>
#include <pthread.h>
#include <libmnl/libmnl.h>
#include <linux/capability.h>
#include <linux/genetlink.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "ptest.h"

#define MANY 200

/* Raw attributes, built by hand so that malformed ones can be sent. */
struct raw {
	uint8_t b[256];
	size_t len;
};

static void raw_put(struct raw *r, uint16_t type, const void *data, uint16_t n)
{
	struct nlattr *a = (struct nlattr *)(r->b + r->len);

	a->nla_type = type;
	a->nla_len = (uint16_t)(NLA_HDRLEN + n);
	memcpy(r->b + r->len + NLA_HDRLEN, data, n);
	r->len += NLA_ALIGN(a->nla_len);
}

static bool bad_get(uint16_t type, const void *data, uint16_t n, int err)
{
	struct raw r = { .len = 0 };

	raw_put(&r, type, data, n);
	return CHECK_EQ(pt_nl_raw_get(r.b, r.len, 0), -err);
}

static bool test_validation(uint32_t id)
{
	uint32_t zero = 0, big = 0x7fffffff;
	uint16_t half = 1;
	char noterm[4] = { 'a', 'b', 'c', 'd' };
	char longname[64];
	struct raw r = { .len = 0 };
	bool ok = true;

	memset(longname, 'x', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = 0;
	ok &= CHECK_EQ(pt_nl_raw_get(NULL, 0, 0), -EINVAL);	/* no key */
	ok &= bad_get(PETREL_A_VM_ID, &half, 2, EINVAL);	/* short u32 */
	ok &= bad_get(PETREL_A_VM_ID, &zero, 4, ERANGE);	/* ids start at 1 */
	ok &= bad_get(PETREL_A_VM_NAME, noterm, 4, EINVAL);	/* no NUL */
	ok &= bad_get(PETREL_A_VM_NAME, longname, sizeof(longname), EINVAL);
	ok &= bad_get(PETREL_A_VM_STATS, &zero, 4, EINVAL);	/* reply-only */
	ok &= bad_get(PETREL_A_PAD, &zero, 4, EINVAL);
	ok &= bad_get(PETREL_A_MAX + 1, &zero, 4, EINVAL);	/* unknown */
	ok &= bad_get(200, &zero, 4, EINVAL);
	ok &= bad_get(PETREL_A_VM_ID, &big, 4, ENOENT);
	ok &= bad_get(PETREL_A_VM_NAME, "nosuchvm", 9, ENOENT);
	/* id and name naming different VMs */
	raw_put(&r, PETREL_A_VM_ID, &id, 4);
	raw_put(&r, PETREL_A_VM_NAME, "many-1", 7);
	ok &= CHECK_EQ(pt_nl_raw_get(r.b, r.len, 0), -ENOENT);
	/* An unknown attribute in a dump request is refused too. */
	r.len = 0;
	raw_put(&r, 300, &zero, 4);
	ok &= CHECK_EQ(pt_nl_raw_get(r.b, r.len, NLM_F_DUMP), -EINVAL);
	return ok;
}

static void drop_caps(void)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct c[2];

	memset(c, 0, sizeof(c));
	if (syscall(SYS_capset, &h, c))
		pt_die("capset: %s", strerror(errno));
}

static bool test_unprivileged(uint32_t id)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		struct pt_vm_info vi;

		drop_caps();
		if (pt_nl_get(id, NULL, &vi) != -EPERM)
			_exit(2);
		if (pt_nl_dump(NULL, 0) != -EPERM)
			_exit(3);
		_exit(0);
	}
	if (waitpid(pid, &status, 0) != pid)
		return false;
	return CHECK(WIFEXITED(status)) && CHECK_EQ(WEXITSTATUS(status), 0);
}

/* Another network namespace sees none of our VMs, only its own. */
static bool test_netns(uint32_t id)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		struct pt_vm_info vi;
		uint32_t ids[4];
		int fd;

		if (unshare(CLONE_NEWNET))
			_exit(2);
		if (pt_nl_dump(ids, 4) != 0 || pt_nl_get(id, NULL, &vi) != -ENOENT)
			_exit(3);
		fd = pt_open_petrel();
		/* Names are per namespace: "many-1" is free here. */
		if (pt_vm_id(fd, "many-1") == 0 || pt_nl_dump(ids, 4) != 1)
			_exit(4);
		close(fd);
		_exit(0);
	}
	if (waitpid(pid, &status, 0) != pid)
		return false;
	return CHECK(WIFEXITED(status)) && CHECK_EQ(WEXITSTATUS(status), 0);
}

static bool test_dump_many(const uint32_t *want, int n)
{
	uint32_t *got = calloc(MANY + 16, sizeof(*got));
	int i, j, count;
	bool ok;

	if (!got)
		pt_die("out of memory");
	count = pt_nl_dump(got, MANY + 16);
	ok = CHECK_EQ(count, n);
	for (i = 0; ok && i < n; i++) {
		for (j = 0; j < count && got[j] != want[i]; j++)
			;
		ok = CHECK(j < count);
	}
	for (i = 1; ok && i < count; i++)
		ok = CHECK(got[i] > got[i - 1]);	/* each VM once, in order */
	free(got);
	return ok;
}

/* ---- events ---- */
struct grp_ctx {
	uint32_t grp;
};

static int grp_attr_cb(const struct nlattr *a, void *data)
{
	struct grp_ctx *c = data;
	const struct nlattr *g, *x;
	uint32_t id = 0;
	const char *name = NULL;

	if (mnl_attr_get_type(a) != CTRL_ATTR_MCAST_GROUPS)
		return MNL_CB_OK;
	mnl_attr_for_each_nested(g, a) {
		mnl_attr_for_each_nested(x, g) {
			if (mnl_attr_get_type(x) == CTRL_ATTR_MCAST_GRP_ID)
				id = mnl_attr_get_u32(x);
			if (mnl_attr_get_type(x) == CTRL_ATTR_MCAST_GRP_NAME)
				name = mnl_attr_get_str(x);
		}
		if (name && !strcmp(name, PETREL_GENL_MCGRP_VM))
			c->grp = id;
	}
	return MNL_CB_OK;
}

static int grp_cb(const struct nlmsghdr *nlh, void *data)
{
	return mnl_attr_parse(nlh, sizeof(struct genlmsghdr), grp_attr_cb, data);
}

static uint32_t mcast_group(struct mnl_socket *nl)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;
	struct grp_ctx c = { 0 };
	int n;

	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	nlh->nlmsg_seq = 1;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = CTRL_CMD_GETFAMILY;
	g->version = 1;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, PETREL_GENL_NAME);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		pt_die("netlink send: %s", strerror(errno));
	n = (int)mnl_socket_recvfrom(nl, buf, sizeof(buf));
	if (n <= 0 || mnl_cb_run(buf, (size_t)n, 1, mnl_socket_get_portid(nl),
				 grp_cb, &c) < 0 || !c.grp)
		pt_die("no multicast group %s", PETREL_GENL_MCGRP_VM);
	return c.grp;
}

struct ev {
	uint8_t cmd;
	uint32_t id;
};

static int ev_cb(const struct nlmsghdr *nlh, void *data)
{
	struct ev *e = data;
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);
	struct nlattr *a;

	e->cmd = g->cmd;
	mnl_attr_for_each(a, nlh, sizeof(*g))
		if (mnl_attr_get_type(a) == PETREL_A_VM_ID)
			e->id = mnl_attr_get_u32(a);
	return MNL_CB_OK;
}

static bool next_event(struct mnl_socket *nl, struct ev *e)
{
	char buf[16384];
	int n = (int)mnl_socket_recvfrom(nl, buf, sizeof(buf));

	memset(e, 0, sizeof(*e));
	return CHECK(n > 0) && CHECK(mnl_cb_run(buf, (size_t)n, 0, 0, ev_cb, e) >= 0);
}

/* A socket in the "vm" multicast group. */
static struct mnl_socket *events_open(void)
{
	struct mnl_socket *nl = mnl_socket_open(NETLINK_GENERIC);
	uint32_t grp;

	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0)
		pt_die("netlink socket: %s", strerror(errno));
	grp = mcast_group(nl);
	if (mnl_socket_setsockopt(nl, NETLINK_ADD_MEMBERSHIP, &grp, sizeof(grp)))
		pt_die("join group: %s", strerror(errno));
	return nl;
}

static bool test_events(void)
{
	struct mnl_socket *nl = events_open();
	struct ev e;
	unsigned int id;
	bool ok;
	int fd;

	fd = pt_open_petrel();
	ok = next_event(nl, &e) && CHECK_EQ(e.cmd, PETREL_CMD_VM_NEW);
	id = e.id;
	close(fd);
	ok = ok && next_event(nl, &e) && CHECK_EQ(e.cmd, PETREL_CMD_VM_DEL) &&
	     CHECK_EQ(e.id, id) && CHECK(id != 0);
	mnl_socket_close(nl);
	return ok;
}

/*
 * The largest VM there is: 8 devices, the longest name, the counters page
 * with every KVM statistic. Dumped as the first request of a fresh socket
 * (pt_nl_dump_vms), whose first part the kernel sizes before the socket
 * was ever read from; it must list the VM, in one message of at most the
 * 8 KiB abi/petrel.h promises.
 */
static bool test_dump_largest_vm(void)
{
	static struct pt_dev devs[PETREL_MAX_NETDEVS];
	struct petrel_counters_page *page;
	char name[PETREL_NAME_MAX];
	struct pt_dump vms[4];
	bool ok = true;
	uint32_t id;
	int fd, n, i;

	fd = pt_open_petrel();
	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = 0;
	id = pt_vm_id(fd, name);
	page = mmap(NULL, PETREL_COUNTERS_SIZE, PROT_READ | PROT_WRITE,
		    MAP_SHARED, fd, 0);
	if (page == MAP_FAILED)
		pt_die("mmap counters page: %s", strerror(errno));
	page->kvm_valid = ~0ull;
	for (i = 0; i < (int)PETREL_MAX_NETDEVS; i++) {
		char ifname[IFNAMSIZ];

		snprintf(ifname, sizeof(ifname), "pbig%d", i);
		pt_dev_init(&devs[i], ifname, 8);
		ok &= CHECK_EQ(pt_dev_register(fd, &devs[i]), 0);
	}
	n = pt_nl_dump_vms(vms, 4);
	ok &= CHECK_EQ(n, 1) && CHECK_EQ(vms[0].id, id) &&
	      CHECK_EQ(vms[0].ndevs, PETREL_MAX_NETDEVS) &&
	      CHECK(vms[0].len <= 8192);
	if (n == 1)
		kt_diag("the largest VM: one message of %u bytes", vms[0].len);
	munmap(page, PETREL_COUNTERS_SIZE);
	close(fd);
	for (i = 0; i < (int)PETREL_MAX_NETDEVS; i++)
		pt_dev_close(&devs[i]);
	return ok;
}

/* ---- PID namespaces ---- */
enum { REC_PID = 1, REC_ID };

static void send_rec(int fd, uint32_t tag, uint32_t v)
{
	uint32_t rec[2] = { tag, v };

	if (write(fd, rec, sizeof(rec)) != sizeof(rec))
		pt_die("pipe: %s", strerror(errno));
}

/*
 * The tender inside a new PID namespace, where it is PID 1: its own VM
 * shows PID 1, the VM whose tender is outside shows none, in a GET and in
 * a dump. Then it holds its VM until the outside has looked.
 */
static int pidns_tender(uint32_t outer_id, int up, int down)
{
	struct pt_dump *vms = calloc(MANY + 16, sizeof(*vms));
	struct pt_vm_info vi;
	uint32_t id;
	int fd, n, i;
	char c;

	if (!vms || getpid() != 1)
		return 3;
	fd = pt_open_petrel();
	id = pt_vm_id(fd, "pidns-tender");
	if (!CHECK_EQ(pt_nl_get(id, NULL, &vi), 0) || !CHECK_EQ(vi.pid, 1))
		return 4;
	if (!CHECK_EQ(pt_nl_get(outer_id, NULL, &vi), 0) ||
	    !CHECK_EQ(vi.id, outer_id) || !CHECK_EQ(vi.pid, 0))
		return 5;
	n = pt_nl_dump_vms(vms, MANY + 16);
	if (!CHECK_EQ(n, MANY + 1))
		return 6;
	for (i = 0; i < n; i++)
		if (!CHECK_EQ(vms[i].pid, vms[i].id == id ? 1 : 0))
			return 7;
	send_rec(up, REC_ID, id);
	if (read(down, &c, 1) != 0)	/* until the outside closes it */
		return 8;
	close(fd);
	free(vms);
	return 0;
}

static bool test_pid_namespace(uint32_t outer_id)
{
	uint32_t rec[2], inner_pid = 0, inner_id = 0;
	struct pt_dump *vms = calloc(MANY + 16, sizeof(*vms));
	int up[2], down[2], status, n, i;
	struct pt_vm_info vi;
	bool ok = true, seen = false;
	pid_t child;

	if (!vms || pipe(up) || pipe(down))
		pt_die("pipe: %s", strerror(errno));
	child = fork();
	if (child == 0) {
		pid_t inner;

		close(up[0]);
		close(down[1]);
		if (unshare(CLONE_NEWPID))
			_exit(2);
		inner = fork();
		if (inner == 0)
			_exit(pidns_tender(outer_id, up[1], down[0]));
		/* Its PID here, in the parent namespace: the test's. */
		send_rec(up[1], REC_PID, (uint32_t)inner);
		if (inner < 0 || waitpid(inner, &status, 0) != inner)
			_exit(9);
		_exit(WIFEXITED(status) ? WEXITSTATUS(status) : 10);
	}
	close(up[1]);
	close(down[0]);
	while ((!inner_pid || !inner_id) &&
	       read(up[0], rec, sizeof(rec)) == sizeof(rec)) {
		if (rec[0] == REC_PID)
			inner_pid = rec[1];
		else if (rec[0] == REC_ID)
			inner_id = rec[1];
	}
	/* Seen from here, the namespace above: its real PID. */
	if (CHECK(inner_pid) && CHECK(inner_id)) {
		ok &= CHECK_EQ(pt_nl_get(inner_id, NULL, &vi), 0) &&
		      CHECK_EQ(vi.pid, inner_pid);
		n = pt_nl_dump_vms(vms, MANY + 16);
		for (i = 0; i < n && i < MANY + 16; i++)
			if (vms[i].id == inner_id)
				seen = CHECK_EQ(vms[i].pid, inner_pid);
		ok &= CHECK(seen);
	} else {
		ok = false;
	}
	close(down[1]);
	close(up[0]);
	if (waitpid(child, &status, 0) != child)
		return false;
	free(vms);
	return ok && CHECK(WIFEXITED(status)) && CHECK_EQ(WEXITSTATUS(status), 0);
}

/* ---- requests while a big VM is released ---- */
static void *release_vm(void *arg)
{
	close(*(int *)arg);
	return NULL;
}

/* Reads every queued event; true once VM_DEL for @id was among them. */
static bool drain_events(struct mnl_socket *nl, uint32_t id)
{
	char buf[16384];
	bool gone = false;
	struct ev e;
	ssize_t n;

	while ((n = recv(mnl_socket_get_fd(nl), buf, sizeof(buf),
			 MSG_DONTWAIT)) > 0) {
		memset(&e, 0, sizeof(e));
		if (mnl_cb_run(buf, (size_t)n, 0, 0, ev_cb, &e) >= 0 &&
		    e.cmd == PETREL_CMD_VM_DEL && e.id == id)
			gone = true;
	}
	if (n < 0 && errno != EAGAIN)
		pt_die("events: %s", strerror(errno));
	return gone;
}

/*
 * One thread releases a VM with 8 devices of 16 MiB pinned regions (32 Ki
 * pages in all) while this one keeps using the module: GET another VM,
 * register and unregister a device there, open and close a VM, until the
 * VM_DEL event of the released VM arrives. Every request must succeed.
 * The module tears devices down without its global lock, so these
 * requests are served meanwhile; how many rounds fit into the release
 * depends on scheduling (it is printed, not judged).
 */
static bool test_release_concurrent(void)
{
	static struct pt_dev big[PETREL_MAX_NETDEVS];
	struct mnl_socket *ev = events_open();
	struct pt_vm_info vi;
	struct pt_dev other;
	int fd, fd2, rounds = 0, i, x;
	uint32_t id, id2;
	bool ok = true, gone = false;
	pthread_t t;

	fd = pt_open_petrel();
	fd2 = pt_open_petrel();
	id = pt_vm_id(fd, "releasing");
	id2 = pt_vm_id(fd2, "bystander");
	for (i = 0; i < (int)PETREL_MAX_NETDEVS; i++) {
		char ifname[IFNAMSIZ];

		snprintf(ifname, sizeof(ifname), "prel%d", i);
		pt_dev_init(&big[i], ifname, PETREL_RING_MAX);
		ok &= CHECK_EQ(pt_dev_register(fd, &big[i]), 0);
	}
	pt_dev_init(&other, "prelx", 8);
	drain_events(ev, id);
	if (!ok || pthread_create(&t, NULL, release_vm, &fd))
		pt_die("cannot set up the release");
	while (ok && !gone) {
		struct petrel_net_unregister u = { 0 };

		ok &= CHECK_EQ(pt_nl_get(id2, NULL, &vi), 0) &&
		      CHECK_EQ(vi.id, id2);
		ok &= CHECK_EQ(pt_dev_register(fd2, &other), 0);
		u.dev_id = other.dev_id;
		ok &= CHECK_EQ(ioctl(fd2, PETREL_IOC_NET_UNREGISTER, &u), 0);
		x = pt_open_petrel();
		close(x);
		rounds++;
		gone = drain_events(ev, id);
	}
	pthread_join(t, NULL);
	kt_diag("%d rounds of requests until the VM_DEL event", rounds);
	ok &= CHECK_EQ(pt_nl_get(id, NULL, &vi), -ENOENT);
	close(fd2);
	mnl_socket_close(ev);
	pt_dev_close(&other);
	for (i = 0; i < (int)PETREL_MAX_NETDEVS; i++)
		pt_dev_close(&big[i]);
	return ok;
}

int main(void)
{
	static int fds[MANY];
	static uint32_t ids[MANY];
	char name[32];
	int i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	pt_enter_netns();
	kt_plan(9);
	/* Alone in this namespace: the first VM of the dump is the big one. */
	kt_result(test_dump_largest_vm(), "dump_largest_vm_fresh_socket");
	kt_result(test_release_concurrent(), "requests_during_release_of_8_devices");
	for (i = 0; i < MANY; i++) {
		fds[i] = pt_open_petrel();
		snprintf(name, sizeof(name), "many-%d", i);
		ids[i] = pt_vm_id(fds[i], name);
	}
	kt_result(test_dump_many(ids, MANY), "dump_200_vms_complete");
	kt_result(test_validation(ids[0]), "malformed_and_unknown_attributes");
	kt_result(test_unprivileged(ids[0]), "unprivileged_refused");
	kt_result(test_netns(ids[1]), "per_netns_visibility");
	kt_result(test_events(), "create_destroy_events");
	kt_result(test_pid_namespace(ids[0]), "pid_as_each_pid_namespace_sees_it");
	for (i = 0; i < MANY; i += 2)
		close(fds[i]);
	kt_result(CHECK_EQ(pt_nl_dump(NULL, 0), MANY / 2), "dump_after_half_closed");
	for (i = 1; i < MANY; i += 2)
		close(fds[i]);
	return kt_exit();
}
