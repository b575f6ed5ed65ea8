/* SPDX-License-Identifier: ISC */
/*
 * One VM as petrel.ko's netlink family describes it (abi/petrel.yaml), and
 * the client that fetches it. Everything absent from a reply stays zero
 * and its `has` flag false, so an older module shows fewer counters.
 */
#ifndef PETREL_STAT_VMSTAT_H
#define PETREL_STAT_VMSTAT_H

#include <stdbool.h>
#include <stdint.h>

#include "../../abi/petrel.h"

struct ps_net {
	uint64_t stat[PETREL_STAT_MAX + 1];	/* by enum petrel_stat */
	uint64_t tx_batch[PETREL_HIST_BUCKETS];
	uint64_t rx_batch[PETREL_HIST_BUCKETS];
};

struct ps_dev {
	uint32_t id;
	uint32_t ifindex;		/* 0: the module did not say */
	char ifname[16];		/* IFNAMSIZ; "" with ifindex 0 */
	uint32_t ring_size;
	uint32_t flags;			/* PETREL_NET_F_HVT_RING: Solo5's */
	uint32_t hvt_handle;		/* on Solo5's ring: the guest's handle */
	uint64_t region_size;
	struct ps_net net;
};

struct ps_vm {
	uint32_t id;
	uint32_t pid;			/* 0: none in our PID namespace */
	char name[PETREL_NAME_MAX];	/* "" when unnamed */
	uint64_t uptime_ns;
	struct ps_net net;		/* every device, ever */
	bool has_tender;
	uint64_t tender[PETREL_TENDER_A_MAX + 1];	/* u64 scalars */
	uint64_t tender_has;		/* bit n: tender[n] reported */
	uint64_t hypercalls[PETREL_HYPERCALLS_MAX];
	uint64_t exit_reasons[PETREL_EXIT_REASONS_MAX];
	uint64_t kvm[PETREL_KVM_A_MAX + 1];
	uint64_t kvm_has;		/* bit n: kvm[n] reported */
	unsigned ndev;
	struct ps_dev dev[PETREL_MAX_NETDEVS];
	bool has_hvt_ring;		/* Solo5's ring registered */
	struct ps_net hvt_ring;		/* its own counters */
};

/* Which ring a device is on, as petrel-stat names it. */
static inline const char *ps_ring_kind(const struct ps_dev *d)
{
	return (d->flags & PETREL_NET_F_HVT_RING) ? "solo5" : "petrel";
}

/* Failures, each with its own exit status (see petrel-stat(8)). */
enum ps_err {
	PS_OK = 0,
	PS_ERR_USAGE = 1,	/* bad command line, unknown VM */
	PS_ERR_NOMOD = 2,	/* petrel.ko not loaded */
	PS_ERR_PERM = 3,	/* no CAP_NET_ADMIN */
	PS_ERR_SYS = 4,		/* anything else */
};

struct ps_nl;

/* Connect and resolve the family; on failure print why, return status. */
enum ps_err ps_nl_open(struct ps_nl **out);
void ps_nl_close(struct ps_nl *nl);

/* Every VM of this network namespace, sorted by id; *vms is malloc'd. */
enum ps_err ps_nl_dump(struct ps_nl *nl, struct ps_vm **vms, unsigned *n);

/*
 * One VM by name, or by id when @id is not 0; PS_ERR_USAGE (after
 * printing) when there is none.
 */
enum ps_err ps_nl_get(struct ps_nl *nl, const char *name, uint32_t id,
		      struct ps_vm *vm);

/*
 * Join the "vm" multicast group, and the netlink controller's "notify"
 * group, which says when the family goes away and comes back.
 */
enum ps_err ps_nl_subscribe(struct ps_nl *nl);

enum ps_event {
	PS_EV_VM_NEW,		/* *vm filled */
	PS_EV_VM_DEL,		/* *vm filled */
	PS_EV_GONE,		/* the family was unregistered (rmmod) */
	PS_EV_BACK,		/* registered again, and joined again */
};

/* Wait for one event. */
enum ps_err ps_nl_event(struct ps_nl *nl, enum ps_event *ev, struct ps_vm *vm);

#endif /* PETREL_STAT_VMSTAT_H */
