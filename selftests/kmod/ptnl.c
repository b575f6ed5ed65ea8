// SPDX-License-Identifier: GPL-2.0
/* Netlink side of the selftests: the "petrel" family through libmnl. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <sys/ioctl.h>

#include "ptest.h"

#define NL_BUF (64 * 1024)

static struct mnl_socket *nl_open(void)
{
	struct mnl_socket *nl = mnl_socket_open(NETLINK_GENERIC);

	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0)
		pt_die("netlink socket: %s", strerror(errno));
	return nl;
}

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nlattr *a;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr))
		if (mnl_attr_get_type(a) == CTRL_ATTR_FAMILY_ID)
			*(uint16_t *)data = mnl_attr_get_u16(a);
	return MNL_CB_OK;
}

/* Run one request; callback per reply message. Returns 0 or -errno. */
static int nl_talk(struct mnl_socket *nl, struct nlmsghdr *nlh,
		   mnl_cb_t cb, void *data)
{
	char *buf = malloc(NL_BUF);
	unsigned int portid = mnl_socket_get_portid(nl);
	int ret;

	if (!buf)
		pt_die("out of memory");
	nlh->nlmsg_seq = (uint32_t)time(NULL);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		pt_die("netlink send: %s", strerror(errno));
	do {
		ret = (int)mnl_socket_recvfrom(nl, buf, NL_BUF);
		if (ret <= 0)
			break;
		ret = mnl_cb_run(buf, (size_t)ret, nlh->nlmsg_seq, portid, cb, data);
	} while (ret > 0);
	free(buf);
	return ret < 0 ? -errno : 0;
}

/*
 * The family id, resolved on a socket of its own: each request then goes
 * out on a fresh socket, as its first message, as from any client that
 * keeps the id (the kernel sizes a dump's first part before the socket
 * was ever read from).
 */
static uint16_t family_id(void)
{
	struct mnl_socket *nl = nl_open();
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;
	uint16_t id = 0;

	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = CTRL_CMD_GETFAMILY;
	g->version = 1;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, PETREL_GENL_NAME);
	if (nl_talk(nl, nlh, family_cb, &id) || !id)
		pt_die("genetlink family %s not found", PETREL_GENL_NAME);
	mnl_socket_close(nl);
	return id;
}

static struct nlmsghdr *get_header(char *buf, uint16_t fam, uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;

	nlh->nlmsg_type = fam;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = PETREL_CMD_GET;
	g->version = PETREL_GENL_VERSION;
	return nlh;
}

static void parse_hist(const struct nlattr *nest, uint64_t *h)
{
	const struct nlattr *a;

	mnl_attr_for_each_nested(a, nest) {
		unsigned int t = mnl_attr_get_type(a);

		if (t >= 1 && t <= PETREL_HIST_BUCKETS)
			h[t - 1] = mnl_attr_get_u64(a);
	}
}

static void parse_stats(const struct nlattr *nest, struct pt_stats *s)
{
	const struct nlattr *a;

	mnl_attr_for_each_nested(a, nest) {
		unsigned int t = mnl_attr_get_type(a);

		if (t == PETREL_STAT_TX_BATCH)
			parse_hist(a, s->tx_batch);
		else if (t == PETREL_STAT_RX_BATCH)
			parse_hist(a, s->rx_batch);
		else if (t > PETREL_STAT_PAD && t < __PETREL_STAT_MAX)
			s->s[t] = mnl_attr_get_u64(a);
	}
}

static void parse_dev(const struct nlattr *nest, struct pt_vm_info *vi)
{
	const struct nlattr *a;
	uint32_t id = UINT32_MAX;

	mnl_attr_for_each_nested(a, nest)
		if (mnl_attr_get_type(a) == PETREL_DEV_A_ID)
			id = mnl_attr_get_u32(a);
	if (id >= PETREL_MAX_NETDEVS)
		return;
	vi->ndevs++;
	mnl_attr_for_each_nested(a, nest) {
		switch (mnl_attr_get_type(a)) {
		case PETREL_DEV_A_STATS:
			parse_stats(a, &vi->dev[id]);
			break;
		case PETREL_DEV_A_FLAGS:
			vi->dev_flags[id] = mnl_attr_get_u32(a);
			break;
		case PETREL_DEV_A_HVT_HANDLE:
			vi->dev_hvt_handle[id] = mnl_attr_get_u32(a);
			break;
		}
	}
}

static void parse_tender(const struct nlattr *nest, struct pt_vm_info *vi)
{
	const struct nlattr *a, *h;

	mnl_attr_for_each_nested(a, nest) {
		if (mnl_attr_get_type(a) == PETREL_TENDER_A_EXITS)
			vi->exits = mnl_attr_get_u64(a);
		if (mnl_attr_get_type(a) != PETREL_TENDER_A_HYPERCALLS)
			continue;
		mnl_attr_for_each_nested(h, a) {
			unsigned int t = mnl_attr_get_type(h);

			if (t >= 1 && t <= PETREL_HYPERCALLS_MAX)
				vi->hypercalls[t - 1] = mnl_attr_get_u64(h);
		}
	}
}

static int vm_cb(const struct nlmsghdr *nlh, void *data)
{
	struct pt_vm_info *vi = data;
	const struct nlattr *a, *d;

	memset(vi, 0, sizeof(*vi));
	memset(vi->dev_hvt_handle, 0xff, sizeof(vi->dev_hvt_handle));
	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		switch (mnl_attr_get_type(a)) {
		case PETREL_A_VM_ID:
			vi->id = mnl_attr_get_u32(a);
			break;
		case PETREL_A_VM_PID:
			vi->pid = mnl_attr_get_u32(a);
			break;
		case PETREL_A_VM_NAME:
			snprintf(vi->name, sizeof(vi->name), "%s", mnl_attr_get_str(a));
			break;
		case PETREL_A_VM_STATS:
			parse_stats(a, &vi->vm);
			break;
		case PETREL_A_VM_TENDER:
			parse_tender(a, vi);
			break;
		case PETREL_A_VM_HVT_RING:
			vi->has_hvt = true;
			parse_stats(a, &vi->hvt);
			break;
		case PETREL_A_VM_DEVS:
			mnl_attr_for_each_nested(d, a)
				parse_dev(d, vi);
			break;
		}
	}
	return MNL_CB_OK;
}

int pt_nl_get(uint32_t id, const char *name, struct pt_vm_info *out)
{
	uint16_t fam = family_id();
	struct mnl_socket *nl = nl_open();
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = get_header(buf, fam, 0);
	int ret;

	if (id)
		mnl_attr_put_u32(nlh, PETREL_A_VM_ID, id);
	if (name)
		mnl_attr_put_strz(nlh, PETREL_A_VM_NAME, name);
	ret = nl_talk(nl, nlh, vm_cb, out);
	mnl_socket_close(nl);
	return ret;
}

struct dump_ctx {
	uint32_t *ids;
	struct pt_dump *vms;
	int max, n;
	struct pt_vm_info vi;
};

static int dump_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dump_ctx *c = data;

	vm_cb(nlh, &c->vi);
	if (c->n < c->max && c->ids)
		c->ids[c->n] = c->vi.id;
	if (c->n < c->max && c->vms) {
		c->vms[c->n].id = c->vi.id;
		c->vms[c->n].pid = c->vi.pid;
		c->vms[c->n].ndevs = c->vi.ndevs;
		c->vms[c->n].len = nlh->nlmsg_len;
	}
	c->n++;
	return MNL_CB_OK;
}

static int dump(uint32_t *ids, struct pt_dump *vms, int max)
{
	uint16_t fam = family_id();
	struct mnl_socket *nl = nl_open();
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = get_header(buf, fam, NLM_F_DUMP);
	struct dump_ctx *c = calloc(1, sizeof(*c));
	int ret;

	if (!c)
		pt_die("out of memory");
	c->ids = ids;
	c->vms = vms;
	c->max = max;
	ret = nl_talk(nl, nlh, dump_cb, c);
	mnl_socket_close(nl);
	if (!ret)
		ret = c->n;
	free(c);
	return ret;
}

int pt_nl_dump(uint32_t *ids, int max)
{
	return dump(ids, NULL, max);
}

int pt_nl_dump_vms(struct pt_dump *vms, int max)
{
	return dump(NULL, vms, max);
}

int pt_nl_raw_get(const void *attrs, size_t len, uint16_t flags)
{
	uint16_t fam = family_id();
	struct mnl_socket *nl = nl_open();
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = get_header(buf, fam, flags);
	struct pt_vm_info *vi = calloc(1, sizeof(*vi));
	int ret;

	if (!vi)
		pt_die("out of memory");
	if (len)
		memcpy(mnl_nlmsg_get_payload_tail(nlh), attrs, len);
	nlh->nlmsg_len += MNL_ALIGN(len);
	ret = nl_talk(nl, nlh, vm_cb, vi);
	mnl_socket_close(nl);
	free(vi);
	return ret;
}

uint32_t pt_vm_id(int fd, const char *name)
{
	struct petrel_vm_name n = { 0 };
	struct pt_vm_info *vi = calloc(1, sizeof(*vi));
	uint32_t id;
	int ret;

	if (!vi)
		pt_die("out of memory");
	snprintf(n.name, sizeof(n.name), "%s", name);
	if (ioctl(fd, PETREL_IOC_SET_NAME, &n))
		pt_die("PETREL_IOC_SET_NAME %s: %s", name, strerror(errno));
	ret = pt_nl_get(0, name, vi);
	if (ret)
		pt_die("netlink GET %s: %s", name, strerror(-ret));
	id = vi->id;
	free(vi);
	return id;
}

const char *const pt_stat_name[__PETREL_STAT_MAX] = {
	[PETREL_STAT_TX_PACKETS] = "tx_packets",
	[PETREL_STAT_TX_BYTES] = "tx_bytes",
	[PETREL_STAT_RX_PACKETS] = "rx_packets",
	[PETREL_STAT_RX_BYTES] = "rx_bytes",
	[PETREL_STAT_TX_DROP_BAD_DESC] = "tx_drop_bad_desc",
	[PETREL_STAT_TX_DROP_TOO_BIG] = "tx_drop_too_big",
	[PETREL_STAT_TX_DROP_TOO_SMALL] = "tx_drop_too_small",
	[PETREL_STAT_TX_DROP_TAP] = "tx_drop_tap",
	[PETREL_STAT_RX_DROP_BAD_DESC] = "rx_drop_bad_desc",
	[PETREL_STAT_RX_DROP_TOO_BIG] = "rx_drop_too_big",
	[PETREL_STAT_RX_DROP_NO_BUFFER] = "rx_drop_no_buffer",
	[PETREL_STAT_RX_NO_BUFFER] = "rx_no_buffer",
	[PETREL_STAT_RING_FULL] = "ring_full",
	[PETREL_STAT_RING_ERRORS] = "ring_errors",
	[PETREL_STAT_DOORBELLS] = "doorbells",
	[PETREL_STAT_WAKEUPS] = "wakeups",
	[PETREL_STAT_WORKER_RUNS] = "worker_runs",
	[PETREL_STAT_RX_DROP_SMALL_BUF] = "rx_drop_small_buf",
	[PETREL_STAT_RX_DROP_TAP] = "rx_drop_tap",
	[PETREL_STAT_RX_AGAIN] = "rx_again",
	[PETREL_STAT_BAD_OP] = "bad_op",
	[PETREL_STAT_BAD_HANDLE] = "bad_handle",
	[PETREL_STAT_COMMITS_FULL] = "commits_full",
};

void pt_print_stats(const char *what, const struct pt_stats *s)
{
	const char *const *names = pt_stat_name;
	char line[1024];
	int i, n = 0;

	for (i = PETREL_STAT_TX_PACKETS; i < __PETREL_STAT_MAX; i++)
		if (names[i])
			n += snprintf(line + n, sizeof(line) - (size_t)n,
				      " %s=%llu", names[i],
				      (unsigned long long)s->s[i]);
	kt_diag("%s:%s", what, line);
	n = 0;
	for (i = 0; i < PETREL_HIST_BUCKETS; i++)
		n += snprintf(line + n, sizeof(line) - (size_t)n, " [%u+]=%llu/%llu",
			      1u << i, (unsigned long long)s->tx_batch[i],
			      (unsigned long long)s->rx_batch[i]);
	kt_diag("%s batch sizes tx/rx:%s", what, line);
}
