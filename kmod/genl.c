// SPDX-License-Identifier: GPL-2.0
/*
 * The "petrel" generic netlink family (abi/petrel.yaml): GET one VM or dump
 * every VM of the caller's network namespace, and VM_NEW/VM_DEL events.
 * VMs are visible only from the namespace that opened them, and reading
 * them needs CAP_NET_ADMIN over that namespace. The handlers take
 * petrel_vms_lock themselves, so the family runs without genl_mutex.
 */
#include <linux/mm.h>
#include <linux/netdevice.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include <net/sock.h>

#include "compat.h"
#include "internal.h"

static const struct nla_policy petrel_get_policy[PETREL_A_MAX + 1] = {
	[PETREL_A_VM_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[PETREL_A_VM_NAME] = { .type = NLA_NUL_STRING,
			       .len = PETREL_NAME_MAX - 1 },
};

static int petrel_nl_get_doit(struct sk_buff *skb, struct genl_info *info);
static int petrel_nl_get_start(struct netlink_callback *cb);
static int petrel_nl_get_dumpit(struct sk_buff *skb,
				struct netlink_callback *cb);
static int petrel_nl_get_done(struct netlink_callback *cb);

static const struct genl_ops petrel_genl_ops[] = {
	{
		.cmd = PETREL_CMD_GET,
		.doit = petrel_nl_get_doit,
		.start = petrel_nl_get_start,
		.dumpit = petrel_nl_get_dumpit,
		.done = petrel_nl_get_done,
		.policy = petrel_get_policy,
		.maxattr = PETREL_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
};

static const struct genl_multicast_group petrel_genl_mcgrps[] = {
	{ .name = PETREL_GENL_MCGRP_VM, .flags = GENL_MCAST_CAP_NET_ADMIN },
};

/* resv_start_op stays 0: every command validates strictly. */
static struct genl_family petrel_genl_family __ro_after_init = {
	.name = PETREL_GENL_NAME,
	.version = PETREL_GENL_VERSION,
	.maxattr = PETREL_A_MAX,
	.netnsok = true,
	.parallel_ops = true,
	.module = THIS_MODULE,
	.ops = petrel_genl_ops,
	.n_ops = ARRAY_SIZE(petrel_genl_ops),
	.mcgrps = petrel_genl_mcgrps,
	.n_mcgrps = ARRAY_SIZE(petrel_genl_mcgrps),
};

static int petrel_put_u64(struct sk_buff *skb, int type, u64 v, int pad)
{
	return nla_put_u64_64bit(skb, type, v, pad);
}

static int petrel_put_hist(struct sk_buff *skb, int type, atomic64_t *hist)
{
	struct nlattr *nest = nla_nest_start(skb, type);
	unsigned int b;

	if (!nest)
		return -EMSGSIZE;
	for (b = 0; b < PETREL_HIST_BUCKETS; b++)
		if (petrel_put_u64(skb, b + 1, atomic64_read(&hist[b]),
				   PETREL_HIST_A_PAD))
			return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int petrel_put_stats(struct sk_buff *skb, int type,
			    struct petrel_counters *c)
{
	struct nlattr *nest = nla_nest_start(skb, type);
	int s;

	if (!nest)
		return -EMSGSIZE;
	for (s = PETREL_STAT_TX_PACKETS; s <= PETREL_STAT_WORKER_RUNS; s++)
		if (petrel_put_u64(skb, s, atomic64_read(&c->stat[s]),
				   PETREL_STAT_PAD))
			return -EMSGSIZE;
	if (petrel_put_hist(skb, PETREL_STAT_TX_BATCH, c->tx_batch) ||
	    petrel_put_hist(skb, PETREL_STAT_RX_BATCH, c->rx_batch))
		return -EMSGSIZE;
	/* Counters added after the histograms. */
	for (s = PETREL_STAT_RX_BATCH + 1; s <= PETREL_STAT_MAX; s++)
		if (petrel_put_u64(skb, s, atomic64_read(&c->stat[s]),
				   PETREL_STAT_PAD))
			return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int petrel_put_array(struct sk_buff *skb, int type, const u64 *v,
			    unsigned int n, int pad)
{
	struct nlattr *nest = nla_nest_start(skb, type);
	unsigned int i;

	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < n; i++)
		if (petrel_put_u64(skb, i + 1, READ_ONCE(v[i]), pad))
			return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static bool petrel_tender_scalar(int type)
{
	return type != PETREL_TENDER_A_HYPERCALLS &&
	       type != PETREL_TENDER_A_EXIT_REASONS &&
	       type != PETREL_TENDER_A_KVM;
}

/*
 * From the counters page, which the tender writes while we read: each
 * value is one aligned load, so it is a value the tender stored.
 */
static int petrel_put_counters_page(struct sk_buff *skb,
				    const struct petrel_counters_page *p)
{
	struct nlattr *nest, *kvm;
	u64 valid;
	int t;

	nest = nla_nest_start(skb, PETREL_A_VM_TENDER);
	if (!nest)
		return -EMSGSIZE;
	for (t = PETREL_TENDER_A_EXITS; t <= PETREL_TENDER_A_MAX; t++)
		if (petrel_tender_scalar(t) &&
		    petrel_put_u64(skb, t, READ_ONCE(p->scalar[t]),
				   PETREL_TENDER_A_PAD))
			return -EMSGSIZE;
	if (petrel_put_array(skb, PETREL_TENDER_A_HYPERCALLS, p->hypercalls,
			     PETREL_HYPERCALLS_MAX, PETREL_HC_A_PAD) ||
	    petrel_put_array(skb, PETREL_TENDER_A_EXIT_REASONS,
			     p->exit_reasons, PETREL_EXIT_REASONS_MAX,
			     PETREL_EXIT_A_PAD))
		return -EMSGSIZE;
	kvm = nla_nest_start(skb, PETREL_TENDER_A_KVM);
	if (!kvm)
		return -EMSGSIZE;
	valid = READ_ONCE(p->kvm_valid);
	for (t = PETREL_KVM_A_EXITS; t <= PETREL_KVM_A_MAX; t++)
		if ((valid & BIT_ULL(t)) &&
		    petrel_put_u64(skb, t, READ_ONCE(p->kvm[t]),
				   PETREL_KVM_A_PAD))
			return -EMSGSIZE;
	nla_nest_end(skb, kvm);
	nla_nest_end(skb, nest);
	return 0;
}

static int petrel_put_tender(struct sk_buff *skb, struct petrel_vm *vm)
{
	const struct petrel_tender_stats *t = &vm->tender;
	struct nlattr *nest, *hc;
	unsigned int i;

	nest = nla_nest_start(skb, PETREL_A_VM_TENDER);
	if (!nest)
		return -EMSGSIZE;
	if (petrel_put_u64(skb, PETREL_TENDER_A_EXITS, t->exits,
			   PETREL_TENDER_A_PAD) ||
	    petrel_put_u64(skb, PETREL_TENDER_A_IO_EXITS, t->io_exits,
			   PETREL_TENDER_A_PAD) ||
	    petrel_put_u64(skb, PETREL_TENDER_A_HLT_EXITS, t->hlt_exits,
			   PETREL_TENDER_A_PAD) ||
	    petrel_put_u64(skb, PETREL_TENDER_A_MMIO_EXITS, t->mmio_exits,
			   PETREL_TENDER_A_PAD))
		return -EMSGSIZE;
	hc = nla_nest_start(skb, PETREL_TENDER_A_HYPERCALLS);
	if (!hc)
		return -EMSGSIZE;
	for (i = 0; i < PETREL_HYPERCALLS_MAX; i++)
		if (petrel_put_u64(skb, i + 1, t->hypercalls[i],
				   PETREL_HC_A_PAD))
			return -EMSGSIZE;
	nla_nest_end(skb, hc);
	nla_nest_end(skb, nest);
	return 0;
}

/*
 * The tap's interface, so that readers can tell which tap a device is.
 * tun keeps which interface a file is attached to private and exports only
 * the socket; what it does show is the file's fdinfo ("iff:\t<name>", as
 * /proc/PID/fdinfo prints it), which takes the RTNL: only from process
 * context, and never under a lock that the RTNL is ever held around.
 * Nothing is put when the tap is attached to no interface any more or is
 * not in @net (its index would mean nothing to the reader).
 */
static int petrel_put_tap_if(struct sk_buff *skb, struct petrel_dev *dev,
			     struct net *net)
{
	char buf[sizeof("iff:\t\n") + IFNAMSIZ];
	struct seq_file m = { .buf = buf, .size = sizeof(buf) };
	const char *name = buf + strlen("iff:\t");
	struct net_device *nd;
	char *nl;
	int ifindex = 0;

	if (!dev->tap_file->f_op->show_fdinfo ||
	    !net_eq(sock_net(dev->sock->sk), net))
		return 0;
	dev->tap_file->f_op->show_fdinfo(&m, dev->tap_file);
	/* seq_printf() marks an overflow with count == size. */
	if (m.count >= m.size)
		return 0;
	buf[m.count] = '\0';
	nl = strchr(buf, '\n');
	if (!str_has_prefix(buf, "iff:\t") || !nl)
		return 0;
	*nl = '\0';
	if (!*name || strlen(name) >= IFNAMSIZ)
		return 0;
	rcu_read_lock();
	nd = dev_get_by_name_rcu(net, name);
	if (nd)
		ifindex = nd->ifindex;
	rcu_read_unlock();
	if (!ifindex)
		return 0;
	if (nla_put_u32(skb, PETREL_DEV_A_IFINDEX, ifindex) ||
	    nla_put_string(skb, PETREL_DEV_A_IFNAME, name))
		return -EMSGSIZE;
	return 0;
}

static int petrel_put_dev(struct sk_buff *skb, struct petrel_dev *dev,
			  struct net *net)
{
	struct nlattr *nest = nla_nest_start(skb, PETREL_A_DEV);

	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(skb, PETREL_DEV_A_ID, dev->id) ||
	    nla_put_u32(skb, PETREL_DEV_A_RING_SIZE, dev->ring_size) ||
	    petrel_put_u64(skb, PETREL_DEV_A_REGION_SIZE, dev->region_size,
			   PETREL_DEV_A_PAD) ||
	    nla_put_u32(skb, PETREL_DEV_A_FLAGS, dev->flags) ||
	    ((dev->flags & PETREL_NET_F_HVT_RING) &&
	     nla_put_u32(skb, PETREL_DEV_A_HVT_HANDLE, dev->hvt_handle)) ||
	    petrel_put_stats(skb, PETREL_DEV_A_STATS, &dev->stats) ||
	    petrel_put_tap_if(skb, dev, net))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/*
 * Under petrel_vms_lock (the devices cannot go away). The PID is the VM's
 * in @pid_ns, left out where it has none there (or for a NULL @pid_ns).
 */
static int petrel_put_vm(struct sk_buff *skb, struct petrel_vm *vm,
			 struct pid_namespace *pid_ns)
{
	pid_t pid = pid_ns ? pid_nr_ns(vm->pid, pid_ns) : 0;
	struct petrel_counters *sum;
	struct nlattr *devs;
	unsigned int i;
	int ret = -EMSGSIZE;

	if (nla_put_u32(skb, PETREL_A_VM_ID, vm->id) ||
	    (pid && nla_put_u32(skb, PETREL_A_VM_PID, pid)) ||
	    petrel_put_u64(skb, PETREL_A_VM_UPTIME_NS,
			   ktime_get_boottime_ns() - vm->created_ns,
			   PETREL_A_PAD) ||
	    (vm->name[0] && nla_put_string(skb, PETREL_A_VM_NAME, vm->name)))
		return -EMSGSIZE;

	sum = kmalloc(sizeof(*sum), GFP_KERNEL);
	if (!sum)
		return -ENOMEM;
	memcpy(sum, &vm->retired, sizeof(*sum));
	for (i = 0; i < PETREL_MAX_NETDEVS; i++)
		if (vm->devs[i])
			petrel_counters_add(sum, &vm->devs[i]->stats);
	if (petrel_put_stats(skb, PETREL_A_VM_STATS, sum))
		goto out;
	if (vm->hvt &&
	    petrel_put_stats(skb, PETREL_A_VM_HVT_RING, &vm->hvt->stats))
		goto out;

	mutex_lock(&vm->lock);
	if (vm->counters_mapped)
		ret = petrel_put_counters_page(skb,
					       page_address(vm->counters));
	else
		ret = petrel_put_tender(skb, vm);
	mutex_unlock(&vm->lock);
	if (ret)
		goto out;

	ret = -EMSGSIZE;
	devs = nla_nest_start(skb, PETREL_A_VM_DEVS);
	if (!devs)
		goto out;
	for (i = 0; i < PETREL_MAX_NETDEVS; i++)
		if (vm->devs[i] && petrel_put_dev(skb, vm->devs[i], vm->net))
			goto out;
	nla_nest_end(skb, devs);
	ret = 0;
out:
	kfree(sum);
	return ret;
}

static int petrel_fill_vm(struct sk_buff *skb, struct petrel_vm *vm,
			  u32 portid, u32 seq, int flags, u8 cmd,
			  struct netlink_callback *cb,
			  struct pid_namespace *pid_ns)
{
	void *hdr;
	int ret;

	hdr = genlmsg_put(skb, portid, seq, &petrel_genl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);
	ret = petrel_put_vm(skb, vm, pid_ns);
	if (ret) {
		genlmsg_cancel(skb, hdr);
		return ret;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/* Upper bound of one VM message, for doit replies and events. */
static size_t petrel_vm_msg_size(void)
{
	size_t stats = nla_total_size(0) +
		       (PETREL_STAT_WORKER_RUNS - 1 + PETREL_STAT_MAX -
			PETREL_STAT_RX_BATCH) * nla_total_size_64bit(8) +
		       2 * (nla_total_size(0) +
			    PETREL_HIST_BUCKETS * nla_total_size_64bit(8));
	size_t dev = nla_total_size(0) + 5 * nla_total_size(4) +
		     nla_total_size(IFNAMSIZ) + nla_total_size_64bit(8) + stats;
	size_t tender = nla_total_size(0) +
			PETREL_TENDER_A_MAX * nla_total_size_64bit(8) +
			3 * nla_total_size(0) +
			(PETREL_HYPERCALLS_MAX + PETREL_EXIT_REASONS_MAX +
			 PETREL_KVM_A_MAX) * nla_total_size_64bit(8);

	return genlmsg_total_size(2 * nla_total_size(4) +
				  nla_total_size_64bit(8) +
				  nla_total_size(PETREL_NAME_MAX) + 2 * stats +
				  tender + nla_total_size(0) +
				  PETREL_MAX_NETDEVS * dev);
}

static int petrel_nl_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **attrs = info->attrs;
	struct net *net = genl_info_net(info);
	struct petrel_vm *vm = NULL, *by_name;
	struct sk_buff *msg;
	int ret;

	if (!attrs[PETREL_A_VM_ID] && !attrs[PETREL_A_VM_NAME]) {
		GENL_SET_ERR_MSG(info, "PETREL_A_VM_ID or PETREL_A_VM_NAME required");
		return -EINVAL;
	}
	msg = genlmsg_new(petrel_vm_msg_size(), GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	mutex_lock(&petrel_vms_lock);
	if (attrs[PETREL_A_VM_ID]) {
		vm = xa_load(&petrel_vms, nla_get_u32(attrs[PETREL_A_VM_ID]));
		if (vm && !net_eq(vm->net, net))
			vm = NULL;
	}
	if (attrs[PETREL_A_VM_NAME]) {
		by_name = petrel_vm_find_name(net,
					      nla_data(attrs[PETREL_A_VM_NAME]));
		if (attrs[PETREL_A_VM_ID] && vm != by_name)
			vm = NULL;
		else
			vm = by_name;
	}
	if (!vm) {
		mutex_unlock(&petrel_vms_lock);
		nlmsg_free(msg);
		GENL_SET_ERR_MSG(info, "no such VM in this network namespace");
		return -ENOENT;
	}
	/* doit runs in the requester's context: its namespace. */
	ret = petrel_fill_vm(msg, vm, info->snd_portid, info->snd_seq, 0,
			     PETREL_CMD_GET, NULL, task_active_pid_ns(current));
	mutex_unlock(&petrel_vms_lock);
	if (ret) {
		nlmsg_free(msg);
		return ret;
	}
	return genlmsg_reply(msg, info);
}

/* A dump's state, in cb->ctx (zeroed by netlink). One message per VM. */
struct petrel_dump_ctx {
	unsigned long next_id;		/* the id to resume from */
	struct pid_namespace *pid_ns;	/* the requester's, referenced */
};

static struct petrel_dump_ctx *petrel_dump_ctx(struct netlink_callback *cb)
{
	BUILD_BUG_ON(sizeof(struct petrel_dump_ctx) > sizeof(cb->ctx));
	return (struct petrel_dump_ctx *)cb->ctx;
}

static int petrel_nl_get_start(struct netlink_callback *cb)
{
	/*
	 * The first part of a dump is built while the request is sent, before
	 * the socket was ever read from, so netlink sizes it at NLMSG_GOODSIZE
	 * unless told otherwise: too small for a VM with all its devices.
	 */
	cb->min_dump_alloc = petrel_vm_msg_size();
	/*
	 * Later parts are built in whichever task reads the socket: take the
	 * PID namespace of the one that asked, here, where it is current.
	 */
	petrel_dump_ctx(cb)->pid_ns = get_pid_ns(task_active_pid_ns(current));
	return 0;
}

static int petrel_nl_get_done(struct netlink_callback *cb)
{
	put_pid_ns(petrel_dump_ctx(cb)->pid_ns);
	return 0;
}

static int petrel_nl_get_dumpit(struct sk_buff *skb,
				struct netlink_callback *cb)
{
	struct petrel_dump_ctx *ctx = petrel_dump_ctx(cb);
	struct net *net = sock_net(skb->sk);
	unsigned long id = ctx->next_id;
	struct petrel_vm *vm;
	int ret = 0;

	mutex_lock(&petrel_vms_lock);
	cb->seq = petrel_vms_gen;
	for (vm = xa_find(&petrel_vms, &id, ULONG_MAX, XA_PRESENT); vm;
	     vm = xa_find_after(&petrel_vms, &id, ULONG_MAX, XA_PRESENT)) {
		if (!net_eq(vm->net, net))
			continue;
		ret = petrel_fill_vm(skb, vm, NETLINK_CB(cb->skb).portid,
				     cb->nlh->nlmsg_seq, NLM_F_MULTI,
				     PETREL_CMD_GET, cb, ctx->pid_ns);
		if (ret)
			break;
		ctx->next_id = id + 1;
	}
	if (!vm)
		ctx->next_id = ULONG_MAX;
	mutex_unlock(&petrel_vms_lock);
	/* A VM too big for an empty message is an error, not the end. */
	if (ret && !skb->len)
		return ret;
	return skb->len;
}

void petrel_genl_notify(struct petrel_vm *vm, u8 cmd)
{
	struct sk_buff *msg;

	if (!genl_has_listeners(&petrel_genl_family, vm->net, 0))
		return;
	msg = genlmsg_new(petrel_vm_msg_size(), GFP_KERNEL);
	if (!msg)
		return;
	mutex_lock(&petrel_vms_lock);
	/*
	 * No PID: a multicast has no one reader whose PID namespace it could
	 * be given in (a GET after VM_NEW has it).
	 */
	if (petrel_fill_vm(msg, vm, 0, 0, 0, cmd, NULL, NULL)) {
		mutex_unlock(&petrel_vms_lock);
		nlmsg_free(msg);
		return;
	}
	mutex_unlock(&petrel_vms_lock);
	genlmsg_multicast_netns(&petrel_genl_family, vm->net, msg, 0, 0,
				GFP_KERNEL);
}

int petrel_genl_init(void)
{
	return genl_register_family(&petrel_genl_family);
}

void petrel_genl_exit(void)
{
	genl_unregister_family(&petrel_genl_family);
}
