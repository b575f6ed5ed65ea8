// SPDX-License-Identifier: ISC
/*
 * petrel-bench-counters PID: petrel.ko's counters for the VMs the process
 * PID opened, summed, as one line on stdout:
 *   counters vms=N doorbells=N wakeups=N worker_runs=N tx_packets=N
 *            rx_packets=N
 * Read over the "petrel" generic netlink family, in the caller's network
 * namespace (run it in the tender's). Exit status 1 with a line on stderr
 * when the family is not there (petrel.ko not loaded).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>

#include "abi/petrel.h"

struct totals {
	uint32_t pid;
	uint64_t vms, s[__PETREL_STAT_MAX];
};

static void die(const char *what)
{
	fprintf(stderr, "petrel-bench-counters: %s\n", what);
	exit(1);
}

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nlattr *a;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr))
		if (mnl_attr_get_type(a) == CTRL_ATTR_FAMILY_ID)
			*(uint16_t *)data = mnl_attr_get_u16(a);
	return MNL_CB_OK;
}

static int vm_cb(const struct nlmsghdr *nlh, void *data)
{
	struct totals *t = data;
	const struct nlattr *a, *s, *stats = NULL;
	uint32_t pid = 0;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(a) == PETREL_A_VM_PID)
			pid = mnl_attr_get_u32(a);
		else if (mnl_attr_get_type(a) == PETREL_A_VM_STATS)
			stats = a;
	}
	if (pid != t->pid || !stats)
		return MNL_CB_OK;
	t->vms++;
	mnl_attr_for_each_nested(s, stats) {
		unsigned int type = mnl_attr_get_type(s);

		if (type > PETREL_STAT_PAD && type < __PETREL_STAT_MAX &&
		    mnl_attr_get_payload_len(s) == sizeof(uint64_t))
			t->s[type] += mnl_attr_get_u64(s);
	}
	return MNL_CB_OK;
}

/* Send @nlh and run @cb over every reply; 0 or -1. */
static int talk(struct mnl_socket *nl, struct nlmsghdr *nlh, mnl_cb_t cb,
		void *data)
{
	static char buf[64 * 1024];
	unsigned int portid = mnl_socket_get_portid(nl);
	ssize_t n;
	int ret;

	nlh->nlmsg_seq = (uint32_t)time(NULL);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -1;
	do {
		n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		if (n <= 0)
			return -1;
		ret = mnl_cb_run(buf, (size_t)n, nlh->nlmsg_seq, portid, cb, data);
	} while (ret > 0);
	return ret < 0 ? -1 : 0;
}

int main(int argc, char **argv)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct totals t = { 0 };
	struct mnl_socket *nl;
	struct nlmsghdr *nlh;
	struct genlmsghdr *g;
	uint16_t fam = 0;
	char *end;
	long pid;

	if (argc != 2)
		die("usage: petrel-bench-counters PID");
	errno = 0;
	pid = strtol(argv[1], &end, 10);
	if (errno || *end || pid <= 0 || pid > UINT32_MAX)
		die("PID must be a process id");
	t.pid = (uint32_t)pid;
	nl = mnl_socket_open(NETLINK_GENERIC);
	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0)
		die("cannot open a generic netlink socket");

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = CTRL_CMD_GETFAMILY;
	g->version = 1;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, PETREL_GENL_NAME);
	if (talk(nl, nlh, family_cb, &fam) || !fam)
		die("no generic netlink family \"petrel\" (is petrel.ko loaded?)");

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = fam;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_DUMP;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = PETREL_CMD_GET;
	g->version = PETREL_GENL_VERSION;
	if (talk(nl, nlh, vm_cb, &t))
		die("the petrel VM dump failed");
	mnl_socket_close(nl);
	printf("counters vms=%llu doorbells=%llu wakeups=%llu worker_runs=%llu"
	       " tx_packets=%llu rx_packets=%llu\n",
	       (unsigned long long)t.vms,
	       (unsigned long long)t.s[PETREL_STAT_DOORBELLS],
	       (unsigned long long)t.s[PETREL_STAT_WAKEUPS],
	       (unsigned long long)t.s[PETREL_STAT_WORKER_RUNS],
	       (unsigned long long)t.s[PETREL_STAT_TX_PACKETS],
	       (unsigned long long)t.s[PETREL_STAT_RX_PACKETS]);
	return 0;
}
