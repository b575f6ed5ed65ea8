// SPDX-License-Identifier: GPL-2.0
/*
 * The "petrel" genetlink family: strict attribute validation, permission
 * checks, per-namespace visibility, create/destroy events and a complete
 * multi-part dump of 200 VMs.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libmnl/libmnl.h>
#include <linux/capability.h>
#include <linux/genetlink.h>
#include <sys/ioctl.h>
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

static bool test_events(void)
{
	struct mnl_socket *nl = mnl_socket_open(NETLINK_GENERIC);
	struct ev e;
	uint32_t grp;
	unsigned int id;
	bool ok;
	int fd;

	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0)
		pt_die("netlink socket: %s", strerror(errno));
	grp = mcast_group(nl);
	if (mnl_socket_setsockopt(nl, NETLINK_ADD_MEMBERSHIP, &grp, sizeof(grp)))
		pt_die("join group: %s", strerror(errno));
	fd = pt_open_petrel();
	ok = next_event(nl, &e) && CHECK_EQ(e.cmd, PETREL_CMD_VM_NEW);
	id = e.id;
	close(fd);
	ok = ok && next_event(nl, &e) && CHECK_EQ(e.cmd, PETREL_CMD_VM_DEL) &&
	     CHECK_EQ(e.id, id) && CHECK(id != 0);
	mnl_socket_close(nl);
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
	kt_plan(6);
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
	for (i = 0; i < MANY; i += 2)
		close(fds[i]);
	kt_result(CHECK_EQ(pt_nl_dump(NULL, 0), MANY / 2), "dump_after_half_closed");
	for (i = 1; i < MANY; i += 2)
		close(fds[i]);
	return kt_exit();
}
