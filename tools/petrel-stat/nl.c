// SPDX-License-Identifier: ISC
/* The "petrel" generic netlink family through libmnl: requests and parsing. */
#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>

#include "vmstat.h"

#define NL_BUF	(64 * 1024)	/* well above one VM message */

struct ps_nl {
	struct mnl_socket *sock;
	uint16_t family;
	uint32_t mcgrp;			/* 0: not found */
	uint32_t ctrl_grp;		/* nlctrl's "notify"; 0: not joined */
	bool gone;			/* the family went away since */
	uint32_t seq;
	char buf[NL_BUF];
};

/* Growing array for dumps. */
struct vm_list {
	struct ps_vm *v;
	unsigned n, cap;
	bool oom;
};

static enum ps_err sys_err(const char *what)
{
	warn("%s", what);
	return PS_ERR_SYS;
}

/* A u64 attribute, or 0 if it is not one (never trust a length). */
static uint64_t get_u64(const struct nlattr *a)
{
	return mnl_attr_get_payload_len(a) == sizeof(uint64_t) ?
	       mnl_attr_get_u64(a) : 0;
}

static uint32_t get_u32(const struct nlattr *a)
{
	return mnl_attr_get_payload_len(a) == sizeof(uint32_t) ?
	       mnl_attr_get_u32(a) : 0;
}

/* Nest of u64s numbered 1..n into v[0..n-1]. */
static void parse_array(const struct nlattr *nest, uint64_t *v, unsigned n)
{
	const struct nlattr *a;

	mnl_attr_for_each_nested(a, nest) {
		unsigned t = mnl_attr_get_type(a);

		if (t >= 1 && t <= n)
			v[t - 1] = get_u64(a);
	}
}

static void parse_net(const struct nlattr *nest, struct ps_net *s)
{
	const struct nlattr *a;

	mnl_attr_for_each_nested(a, nest) {
		unsigned t = mnl_attr_get_type(a);

		if (t == PETREL_STAT_TX_BATCH)
			parse_array(a, s->tx_batch, PETREL_HIST_BUCKETS);
		else if (t == PETREL_STAT_RX_BATCH)
			parse_array(a, s->rx_batch, PETREL_HIST_BUCKETS);
		else if (t > PETREL_STAT_PAD && t <= PETREL_STAT_MAX)
			s->stat[t] = get_u64(a);
	}
}

static void parse_kvm(const struct nlattr *nest, struct ps_vm *vm)
{
	const struct nlattr *a;

	mnl_attr_for_each_nested(a, nest) {
		unsigned t = mnl_attr_get_type(a);

		if (t > PETREL_KVM_A_PAD && t <= PETREL_KVM_A_MAX) {
			vm->kvm[t] = get_u64(a);
			vm->kvm_has |= 1ULL << t;
		}
	}
}

static void parse_tender(const struct nlattr *nest, struct ps_vm *vm)
{
	const struct nlattr *a;

	vm->has_tender = true;
	mnl_attr_for_each_nested(a, nest) {
		unsigned t = mnl_attr_get_type(a);

		switch (t) {
		case PETREL_TENDER_A_HYPERCALLS:
			parse_array(a, vm->hypercalls, PETREL_HYPERCALLS_MAX);
			break;
		case PETREL_TENDER_A_EXIT_REASONS:
			parse_array(a, vm->exit_reasons,
				    PETREL_EXIT_REASONS_MAX);
			break;
		case PETREL_TENDER_A_KVM:
			parse_kvm(a, vm);
			break;
		default:
			if (t > PETREL_TENDER_A_PAD &&
			    t <= PETREL_TENDER_A_MAX) {
				vm->tender[t] = get_u64(a);
				vm->tender_has |= 1ULL << t;
			}
		}
	}
}

static void parse_dev(const struct nlattr *nest, struct ps_vm *vm)
{
	struct ps_dev *d;
	const struct nlattr *a;

	if (vm->ndev == PETREL_MAX_NETDEVS)
		return;
	d = &vm->dev[vm->ndev++];
	memset(d, 0, sizeof(*d));
	mnl_attr_for_each_nested(a, nest) {
		switch (mnl_attr_get_type(a)) {
		case PETREL_DEV_A_ID:
			d->id = get_u32(a);
			break;
		case PETREL_DEV_A_RING_SIZE:
			d->ring_size = get_u32(a);
			break;
		case PETREL_DEV_A_FLAGS:
			d->flags = get_u32(a);
			break;
		case PETREL_DEV_A_REGION_SIZE:
			d->region_size = get_u64(a);
			break;
		case PETREL_DEV_A_STATS:
			parse_net(a, &d->net);
			break;
		case PETREL_DEV_A_HVT_HANDLE:
			d->hvt_handle = get_u32(a);
			break;
		case PETREL_DEV_A_IFINDEX:
			d->ifindex = get_u32(a);
			break;
		case PETREL_DEV_A_IFNAME:
			snprintf(d->ifname, sizeof(d->ifname), "%.*s",
				 (int)strnlen(mnl_attr_get_str(a),
					      mnl_attr_get_payload_len(a)),
				 mnl_attr_get_str(a));
			break;
		}
	}
	/* The two come together; one alone is not trusted. */
	if (!d->ifindex || !d->ifname[0]) {
		d->ifindex = 0;
		d->ifname[0] = '\0';
	}
}

static void parse_vm(const struct nlmsghdr *nlh, struct ps_vm *vm)
{
	const struct nlattr *a, *d;

	memset(vm, 0, sizeof(*vm));
	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		switch (mnl_attr_get_type(a)) {
		case PETREL_A_VM_ID:
			vm->id = get_u32(a);
			break;
		case PETREL_A_VM_PID:
			vm->pid = get_u32(a);
			break;
		case PETREL_A_VM_NAME:
			snprintf(vm->name, sizeof(vm->name), "%.*s",
				 (int)strnlen(mnl_attr_get_str(a),
					      mnl_attr_get_payload_len(a)),
				 mnl_attr_get_str(a));
			break;
		case PETREL_A_VM_UPTIME_NS:
			vm->uptime_ns = get_u64(a);
			break;
		case PETREL_A_VM_STATS:
			parse_net(a, &vm->net);
			break;
		case PETREL_A_VM_TENDER:
			parse_tender(a, vm);
			break;
		case PETREL_A_VM_HVT_RING:
			vm->has_hvt_ring = true;
			parse_net(a, &vm->hvt_ring);
			break;
		case PETREL_A_VM_DEVS:
			mnl_attr_for_each_nested(d, a)
				if (mnl_attr_get_type(d) == PETREL_A_DEV)
					parse_dev(d, vm);
			break;
		}
	}
}

static struct nlmsghdr *request(struct ps_nl *nl, uint16_t type, uint8_t cmd,
				uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(nl->buf);
	struct genlmsghdr *g;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = ++nl->seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = PETREL_GENL_VERSION;
	return nlh;
}

/* Send and run @cb on each reply; 0 or the negative errno of the reply. */
static int talk(struct ps_nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb,
		void *data)
{
	uint32_t seq = nlh->nlmsg_seq;
	uint32_t portid = mnl_socket_get_portid(nl->sock);
	ssize_t n;
	int ret;

	if (mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	do {
		n = mnl_socket_recvfrom(nl->sock, nl->buf, sizeof(nl->buf));
		if (n < 0)
			return -errno;
		ret = mnl_cb_run(nl->buf, (size_t)n, seq, portid, cb, data);
	} while (ret > 0);
	return ret < 0 ? -errno : 0;
}

/* What the controller says of one family (GETFAMILY reply or notification). */
struct family {
	const char *grp;		/* the group wanted */
	char name[32];			/* "": none in the message */
	uint16_t id;
	uint32_t grp_id;		/* 0: not in the message */
};

static void grp_cb(const struct nlattr *nest, struct family *fam)
{
	const struct nlattr *g, *a;

	mnl_attr_for_each_nested(g, nest) {
		const char *name = NULL;
		uint32_t id = 0;

		mnl_attr_for_each_nested(a, g) {
			if (mnl_attr_get_type(a) == CTRL_ATTR_MCAST_GRP_NAME)
				name = mnl_attr_get_str(a);
			else if (mnl_attr_get_type(a) == CTRL_ATTR_MCAST_GRP_ID)
				id = get_u32(a);
		}
		if (name && !strcmp(name, fam->grp))
			fam->grp_id = id;
	}
}

static void parse_family(const struct nlmsghdr *nlh, struct family *fam)
{
	const struct nlattr *a;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		switch (mnl_attr_get_type(a)) {
		case CTRL_ATTR_FAMILY_ID:
			if (mnl_attr_get_payload_len(a) == sizeof(uint16_t))
				fam->id = mnl_attr_get_u16(a);
			break;
		case CTRL_ATTR_FAMILY_NAME:
			snprintf(fam->name, sizeof(fam->name), "%.*s",
				 (int)strnlen(mnl_attr_get_str(a),
					      mnl_attr_get_payload_len(a)),
				 mnl_attr_get_str(a));
			break;
		case CTRL_ATTR_MCAST_GROUPS:
			grp_cb(a, fam);
			break;
		}
	}
}

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	parse_family(nlh, data);
	return MNL_CB_OK;
}

/* Resolve a family and one of its groups; 0 or a negative errno. */
static int resolve(struct ps_nl *nl, const char *name, struct family *fam)
{
	struct nlmsghdr *nlh;

	nlh = request(nl, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, NLM_F_ACK);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, name);
	return talk(nl, nlh, family_cb, fam);
}

enum ps_err ps_nl_open(struct ps_nl **out)
{
	struct ps_nl *nl = calloc(1, sizeof(*nl));
	struct family fam = { .grp = PETREL_GENL_MCGRP_VM };
	int ret;

	if (!nl)
		return sys_err("memory");
	nl->seq = (uint32_t)time(NULL);
	nl->sock = mnl_socket_open(NETLINK_GENERIC);
	if (!nl->sock || mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		free(nl);
		return sys_err("netlink socket");
	}
	ret = resolve(nl, PETREL_GENL_NAME, &fam);
	nl->family = fam.id;
	nl->mcgrp = fam.grp_id;
	if (ret == -ENOENT || (!ret && !nl->family)) {
		/*
		 * Asking for the family made the kernel try to load the
		 * module by its alias: it is missing for this kernel, or
		 * cannot load. Say where to look.
		 */
		warnx("petrel.ko is not loaded (no generic netlink family "
		      "\"%s\"): 'dkms status petrel' shows whether it is "
		      "installed for this kernel, 'modprobe petrel' loads it",
		      PETREL_GENL_NAME);
		ps_nl_close(nl);
		return PS_ERR_NOMOD;
	}
	if (ret) {
		errno = -ret;
		ps_nl_close(nl);
		return sys_err("resolving the petrel netlink family");
	}
	*out = nl;
	return PS_OK;
}

void ps_nl_close(struct ps_nl *nl)
{
	if (nl->sock)
		mnl_socket_close(nl->sock);
	free(nl);
}

static enum ps_err request_err(int ret, const char *what)
{
	if (ret == -EPERM || ret == -EACCES) {
		warnx("permission denied: reading petrel.ko's counters "
		      "needs CAP_NET_ADMIN (run as root)");
		return PS_ERR_PERM;
	}
	errno = -ret;
	return sys_err(what);
}

static int dump_cb(const struct nlmsghdr *nlh, void *data)
{
	struct vm_list *l = data;

	if (l->n == l->cap) {
		unsigned cap = l->cap ? 2 * l->cap : 16;
		struct ps_vm *v = realloc(l->v, cap * sizeof(*v));

		if (!v) {
			l->oom = true;
			return MNL_CB_ERROR;
		}
		l->v = v;
		l->cap = cap;
	}
	parse_vm(nlh, &l->v[l->n++]);
	return MNL_CB_OK;
}

static int by_id(const void *a, const void *b)
{
	uint32_t x = ((const struct ps_vm *)a)->id;
	uint32_t y = ((const struct ps_vm *)b)->id;

	return x < y ? -1 : x > y;
}

enum ps_err ps_nl_dump(struct ps_nl *nl, struct ps_vm **vms, unsigned *n)
{
	struct vm_list l = { 0 };
	struct nlmsghdr *nlh;
	int ret;

	/*
	 * A VM that comes or goes mid-dump shows as NLM_F_DUMP_INTR on a
	 * message; what was read is still each VM's true state, so it is
	 * used as is.
	 */
	nlh = request(nl, nl->family, PETREL_CMD_GET, NLM_F_DUMP);
	ret = talk(nl, nlh, dump_cb, &l);
	if (ret || l.oom) {
		free(l.v);
		if (l.oom) {
			errno = ENOMEM;
			return sys_err("dump");
		}
		return request_err(ret, "dumping VMs");
	}
	if (l.n)
		qsort(l.v, l.n, sizeof(*l.v), by_id);
	*vms = l.v;
	*n = l.n;
	return PS_OK;
}

static int get_cb(const struct nlmsghdr *nlh, void *data)
{
	parse_vm(nlh, data);
	return MNL_CB_OK;
}

enum ps_err ps_nl_get(struct ps_nl *nl, const char *name, uint32_t id,
		      struct ps_vm *vm)
{
	struct nlmsghdr *nlh;
	int ret;

	if (!id && strlen(name) >= PETREL_NAME_MAX) {
		warnx("no VM named '%s'", name);
		return PS_ERR_USAGE;
	}
	nlh = request(nl, nl->family, PETREL_CMD_GET, NLM_F_ACK);
	if (id)
		mnl_attr_put_u32(nlh, PETREL_A_VM_ID, id);
	else
		mnl_attr_put_strz(nlh, PETREL_A_VM_NAME, name);
	memset(vm, 0, sizeof(*vm));
	ret = talk(nl, nlh, get_cb, vm);
	/* EINVAL: a name the module's policy refuses is no VM's name. */
	if (ret == -ENOENT || ret == -EINVAL) {
		if (id)
			warnx("no VM with id %u in this network namespace",
			      (unsigned)id);
		else
			warnx("no VM named '%s' in this network namespace",
			      name);
		return PS_ERR_USAGE;
	}
	if (ret)
		return request_err(ret, "getting the VM");
	return PS_OK;
}

static enum ps_err join(struct ps_nl *nl, uint32_t grp, const char *what)
{
	int g = (int)grp;

	if (mnl_socket_setsockopt(nl->sock, NETLINK_ADD_MEMBERSHIP, &g,
				  sizeof(g)) < 0)
		return request_err(-errno, what);
	return PS_OK;
}

enum ps_err ps_nl_subscribe(struct ps_nl *nl)
{
	struct family ctrl = { .grp = "notify" };
	int rcvbuf = 16 << 20;
	enum ps_err err;
	int ret;

	if (!nl->mcgrp) {
		warnx("petrel.ko has no \"%s\" multicast group",
		      PETREL_GENL_MCGRP_VM);
		return PS_ERR_SYS;
	}
	/*
	 * The controller first: rmmod drops our membership of the "vm" group
	 * without a word, and only its notifications say so. Resolved
	 * before joining anything, so that the reply is the only message.
	 */
	ret = resolve(nl, "nlctrl", &ctrl);
	if (ret || !ctrl.grp_id) {
		errno = ret ? -ret : ENOENT;
		return sys_err("the netlink controller's notify group");
	}
	err = join(nl, ctrl.grp_id, "joining nlctrl's notify group");
	if (err)
		return err;
	nl->ctrl_grp = ctrl.grp_id;
	err = join(nl, nl->mcgrp, "joining the vm multicast group");
	if (err)
		return err;
	/*
	 * Many VMs ending at once (a host shutting down) send a burst of
	 * large messages: room for a few hundred, beyond rmem_max if we may
	 * (joining needed CAP_NET_ADMIN, which FORCE wants too).
	 */
	if (setsockopt(mnl_socket_get_fd(nl->sock), SOL_SOCKET,
		       SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)))
		setsockopt(mnl_socket_get_fd(nl->sock), SOL_SOCKET, SO_RCVBUF,
			   &rcvbuf, sizeof(rcvbuf));
	return PS_OK;
}

struct event {
	struct ps_nl *nl;
	enum ps_event kind;
	struct ps_vm *vm;
	enum ps_err err;
	bool got;
};

/* A controller notification: is it about our family coming or going? */
static void ctrl_event(struct event *ev, const struct nlmsghdr *nlh,
		       uint8_t cmd)
{
	struct family fam = { .grp = PETREL_GENL_MCGRP_VM };
	struct ps_nl *nl = ev->nl;

	if (cmd != CTRL_CMD_DELFAMILY && cmd != CTRL_CMD_NEWFAMILY &&
	    cmd != CTRL_CMD_NEWMCAST_GRP)
		return;
	parse_family(nlh, &fam);
	if (strcmp(fam.name, PETREL_GENL_NAME))
		return;
	if (cmd == CTRL_CMD_DELFAMILY) {
		if (nl->gone)
			return;
		nl->gone = true;
		ev->kind = PS_EV_GONE;
		ev->got = true;
		return;
	}
	/*
	 * NEWFAMILY lists the groups; NEWMCAST_GRP follows for each. Both
	 * are taken, whichever first names the group.
	 */
	if (!nl->gone || !fam.id || !fam.grp_id)
		return;
	nl->family = fam.id;
	nl->mcgrp = fam.grp_id;
	nl->gone = false;
	ev->err = join(nl, nl->mcgrp, "joining the vm multicast group again");
	ev->kind = PS_EV_BACK;
	ev->got = true;
}

static int event_cb(const struct nlmsghdr *nlh, void *data)
{
	struct event *ev = data;
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);

	if (ev->got || mnl_nlmsg_get_payload_len(nlh) < sizeof(*g))
		return MNL_CB_OK;
	if (nlh->nlmsg_type == GENL_ID_CTRL) {
		ctrl_event(ev, nlh, g->cmd);
		return MNL_CB_OK;
	}
	/* A family id is reused once ours is gone: nothing is ours then. */
	if (ev->nl->gone || nlh->nlmsg_type != ev->nl->family)
		return MNL_CB_OK;
	if (g->cmd != PETREL_CMD_VM_NEW && g->cmd != PETREL_CMD_VM_DEL)
		return MNL_CB_OK;
	ev->kind = g->cmd == PETREL_CMD_VM_NEW ? PS_EV_VM_NEW : PS_EV_VM_DEL;
	parse_vm(nlh, ev->vm);
	ev->got = true;
	return MNL_CB_OK;
}

enum ps_err ps_nl_event(struct ps_nl *nl, enum ps_event *kind,
			struct ps_vm *vm)
{
	/* Each multicast notification arrives as its own datagram. */
	for (;;) {
		struct event ev = { .nl = nl, .vm = vm };
		ssize_t n = mnl_socket_recvfrom(nl->sock, nl->buf,
						sizeof(nl->buf));

		if (n < 0) {
			if (errno == EINTR)
				continue;
			/* ENOBUFS: events were lost; say so and go on. */
			if (errno == ENOBUFS) {
				warnx("events were lost (receive buffer overrun)");
				continue;
			}
			return sys_err("receiving events");
		}
		mnl_cb_run(nl->buf, (size_t)n, 0, 0, event_cb, &ev);
		if (ev.err)
			return ev.err;
		if (ev.got) {
			*kind = ev.kind;
			return PS_OK;
		}
	}
}
