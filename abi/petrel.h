/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * petrel.ko user API: /dev/petrel ioctls, the shared packet ring layout and
 * the "petrel" generic netlink family.
 *
 * One header for three audiences:
 *   - the kernel module (__KERNEL__),
 *   - the tender (hosted userspace: ioctls, ring setup, netlink),
 *   - the freestanding guest (ring layout and doorbell protocol only).
 *
 * Version: PETREL_ABI_VERSION, returned by PETREL_IOC_VERSION. Every struct
 * carries flags and reserved fields that must be zero; a later version may
 * give them meaning, and an older module rejects them with EINVAL.
 *
 * C (C11 and later) and C++ (C++11 and later) alike; every macro it defines
 * is part of the ABI (PETREL_*).
 */
#ifndef PETREL_ABI_H
#define PETREL_ABI_H

#if defined(__KERNEL__) || (defined(__linux__) && __STDC_HOSTED__)
#include <linux/types.h>
#include <linux/ioctl.h>
#else
/* Freestanding guest: no Linux headers; only the ring layout is used. */
#include <stdint.h>
typedef uint8_t __u8;
typedef uint16_t __u16;
typedef uint32_t __u32;
typedef uint64_t __u64;
typedef int32_t __s32;
#endif

#define PETREL_ABI_VERSION	3
#define PETREL_DEVICE_PATH	"/dev/petrel"

/* ------------------------------------------------------------------------
 * Shared ring memory ("region")
 *
 * For each net device the tender reserves one region of its own memory
 * (in the ring area it maps into the guest above the guest's RAM, so the
 * guest sees the same bytes at a GPA) and passes it to
 * PETREL_IOC_NET_REGISTER. The layout is fixed by the ring size and
 * the region size alone, so no offset is ever read from shared memory:
 *
 *   0                         TX ring: struct petrel_ring + ring_size descs
 *   PETREL_RING_BYTES(n)      RX ring: struct petrel_ring + ring_size descs
 *   PETREL_BUF_OFFSET(n)      buffer area, up to the end of the region
 *
 * Both rings have the guest as producer and the kernel as consumer:
 *   TX: the guest posts frames (off, len); the kernel sends them to the tap
 *       and advances `consumer` (the buffer may then be reused).
 *   RX: the guest posts empty buffers (off, len = capacity); the kernel
 *       writes a received frame into the buffer, stores the frame length in
 *       the descriptor's `len` and advances `consumer`. A buffer outside
 *       the buffer area, or with a capacity below PETREL_FRAME_MIN, comes
 *       back with len 0 (counted); a frame larger than the buffer is
 *       dropped (counted) and the buffer stays posted.
 * Indices are free-running u32; slot = index & (ring_size - 1). Entries
 * [consumer, producer) belong to the kernel, the others to the guest.
 *
 * The kernel never trusts this memory: it keeps its own consumer index,
 * reads `producer` once per pass, treats producer - consumer > ring_size as
 * a ring error (counted; the kernel rewrites `consumer` with its own index
 * so the guest can resynchronise, and parks the ring until the next
 * doorbell), copies
 * each descriptor before checking it and drops (and counts) descriptors
 * whose [off, off + len) is not inside the buffer area.
 *
 * Notification protocol (the store-buffer pattern both ways; each side
 * does "store; full barrier; load" so at least one of them sees the other):
 *   kflags PETREL_RING_NEED_KICK: written by the kernel when it has drained
 *     the ring and goes idle. The guest, after storing `producer`, does a
 *     full barrier and, if the flag is set, writes the device's doorbell
 *     (the tender binds it to the kick eventfd with KVM_IOEVENTFD). The
 *     kernel sets the flag, does a full barrier and re-reads `producer`.
 *     On RX the flag means "out of buffers: kick after posting more".
 *   gflags PETREL_RING_NEED_WAKEUP: written by the guest before it sleeps
 *     waiting for this ring's `consumer` to move (RX: frames arrived; TX:
 *     slots freed). It sets the flag, does a full barrier and re-reads
 *     `consumer` before sleeping. The kernel, after storing `consumer`,
 *     does a full barrier and signals the wake eventfd if the flag is set.
 */
#define PETREL_CACHELINE	64
#define PETREL_PAGE_SIZE	4096u
#define PETREL_RING_MIN		8u	/* descriptors */
#define PETREL_RING_MAX		4096u
#define PETREL_REGION_MAX	(64u << 20)	/* bytes, per device */
#define PETREL_FRAME_MIN	14u	/* Ethernet header */
#define PETREL_FRAME_MAX	65535u	/* largest TX frame accepted */

#define PETREL_RING_NEED_KICK	(1u << 0)	/* kflags */
#define PETREL_RING_NEED_WAKEUP	(1u << 0)	/* gflags */

struct petrel_desc {
	__u64 off;	/* buffer offset from the start of the buffer area */
	__u32 len;	/* TX: frame length; RX: capacity in, frame length out */
	__u16 flags;	/* must be 0 (reserved) */
	__u16 cookie;	/* the guest's own tag, never interpreted */
};

struct petrel_ring {
	__u32 producer;			/* written by the guest */
	__u8 pad0[PETREL_CACHELINE - 4];
	__u32 consumer;			/* written by the kernel */
	__u8 pad1[PETREL_CACHELINE - 4];
	__u32 kflags;			/* written by the kernel */
	__u8 pad2[PETREL_CACHELINE - 4];
	__u32 gflags;			/* written by the guest */
	__u8 pad3[PETREL_CACHELINE - 4];
	struct petrel_desc desc[];	/* ring_size entries */
};

#define PETREL_RING_HDR_BYTES	(4u * PETREL_CACHELINE)
#define PETREL_RING_BYTES(n)	(PETREL_RING_HDR_BYTES + \
				 (n) * (__u32)sizeof(struct petrel_desc))
#define PETREL_TX_RING_OFFSET(n)	0u
#define PETREL_RX_RING_OFFSET(n)	PETREL_RING_BYTES(n)
/* The buffer area starts on the first page after both rings. */
#define PETREL_BUF_OFFSET(n)	((2u * PETREL_RING_BYTES(n) + \
				  PETREL_PAGE_SIZE - 1) & ~(PETREL_PAGE_SIZE - 1))

/* ------------------------------------------------------------------------
 * Guest-visible announcement (the tender places it in guest memory; the
 * module never reads it).
 *
 * hvt_boot_info.host_features bit 0 is Solo5's HVT_FEATURE_RING_IO, whose
 * ring has another layout (abi/hvt_abi.h): petrel's rings use bit 31 and
 * leave hvt_boot_info.net_ring 0, so a guest that knows only Solo5's ring
 * sees nothing offered. With PETREL_FEATURE_NET_RING set, a struct
 * petrel_guest_ext sits at GPA hvt_boot_info.mem_size: the first page of
 * the ring area the tender adds above the guest's RAM (mem_size is what
 * the operator asked for, rings or not). The guest maps that area itself
 * and accepts the rings by storing PETREL_GUEST_ACCEPT in `accept` before
 * its first exit of any kind; the tender reads `accept` once, at that first
 * exit, and then either serves the net devices through the rings only
 * (NET_READ/NET_WRITE answer EINVAL, POLL waits for the rings' wake
 * signals) or withdraws the rings and serves the hypercalls as if it had
 * never offered them. (The boot info itself is read-only to the guest.)
 */
#define PETREL_FEATURE_NET_RING	(1u << 31)
#define PETREL_GUEST_MAGIC	0x4c525450u	/* "PTRL" little-endian */
#define PETREL_GUEST_ACCEPT	0x4b4f5450u	/* "PTOK": rings taken */
#define PETREL_MAX_NETDEVS	8u		/* per VM */
/* Buffer slots hold a whole frame: MTU + 14, rounded up to this, >= 2048. */
#define PETREL_SLOT_ALIGN	1024u
#define PETREL_SLOT_MIN		2048u

/*
 * Doorbells: device i of petrel_guest_ext.net[] has its doorbell at I/O port
 * PETREL_DOORBELL_PORT_BASE + i, written with a 32-bit OUT (any value); the
 * tender binds it with KVM_IOEVENTFD to the device's kick eventfd, so it
 * never exits to userspace. Any other access size exits and is a fault.
 * Not 0x600: that is Solo5's ring kick port (HVT_RING_KICK_PIO_BASE).
 */
#define PETREL_DOORBELL_PORT_BASE	0x640u

struct petrel_guest_net {
	__u64 region;		/* GPA of the region (page aligned) */
	__u64 region_size;	/* bytes */
	__u32 ring_size;	/* descriptors per ring, power of two */
	__u32 mft_index;	/* manifest entry of this net device */
	__u16 doorbell_port;	/* I/O port: outl(dev index) after producing */
	__u16 reserved0;
	__u32 slot_size;	/* bytes per buffer slot, >= MTU + 14 */
};

struct petrel_guest_ext {
	__u32 magic;		/* PETREL_GUEST_MAGIC */
	__u32 version;		/* PETREL_ABI_VERSION */
	__u32 nr_net;		/* valid entries in net[] */
	__u32 accept;		/* guest: PETREL_GUEST_ACCEPT to take them */
	struct petrel_guest_net net[PETREL_MAX_NETDEVS];
};

/* ------------------------------------------------------------------------
 * ioctls on /dev/petrel. Each open file is one VM; closing it (or the
 * owner dying) unregisters every device and releases every pinned page.
 * Errors common to all: EFAULT (argument unreadable), EINVAL (unknown flag,
 * nonzero reserved field), ENOTTY (unknown command).
 */
#define PETREL_IOC_MAGIC	0xB8
#define PETREL_NAME_MAX		32	/* including the NUL */
#define PETREL_HYPERCALLS_MAX	16	/* slots in struct petrel_tender_stats */

/*
 * PETREL_IOC_SET_NAME: name the VM for netlink. Once per VM.
 * name: 1..31 chars of [A-Za-z0-9._-], NUL-terminated, zero-padded.
 * EINVAL bad name, EALREADY already named, EEXIST name used by another VM in
 * the same network namespace.
 */
struct petrel_vm_name {
	__u32 flags;		/* 0 */
	__u32 reserved;		/* 0 */
	char name[PETREL_NAME_MAX];
};

/*
 * Registration flags. PETREL_NET_F_RX_DROP: with no RX buffer posted, drop
 * frames (like a NIC, counted as rx_drop_no_buffer) instead of leaving them
 * queued in the tap until the guest posts buffers and rings the doorbell.
 */
#define PETREL_NET_F_RX_DROP	(1u << 0)
/*
 * PETREL_NET_F_HVT_RING: the device is served through the VM's Solo5 ring
 * (PETREL_IOC_HVT_RING, registered first) as handle `hvt_handle`, not
 * through a region: region_addr, region_size, ring_size must be 0 and
 * kick_fd, wake_fd -1; PETREL_NET_F_RX_DROP does not apply (the guest reads
 * frames when it asks for them; the tap queues them meanwhile).
 */
#define PETREL_NET_F_HVT_RING	(1u << 1)
#define PETREL_NET_F_ALL	(PETREL_NET_F_RX_DROP | PETREL_NET_F_HVT_RING)

/*
 * PETREL_IOC_NET_REGISTER: attach a tap to a ring region. Returns the device
 * index (0..PETREL_MAX_NETDEVS-1) in dev_id. The device moves frames only
 * once dev_id has been written back: if that write faults, the call fails
 * with EFAULT and leaves nothing registered.
 *
 * Each ring starts at the `consumer` index found in the region, never at
 * `producer`: entries the guest posted in [consumer, producer) before the
 * call are processed after it (TX frames sent, RX buffers filled), none is
 * skipped or completed unfilled. For a fresh region the tender stores the
 * same value in both indices first. Re-registering a region after
 * PETREL_IOC_NET_UNREGISTER, with the guest running, thus resumes where the
 * previous registration stopped: the module leaves `consumer` at its own
 * last index when a device is unregistered. If the guest has moved either
 * index so that producer - consumer > ring_size, that ring is in error as
 * described above (counted, `consumer` republished, ring parked). While a
 * device is registered its tap cannot be registered again (EEXIST) nor its
 * region (EBUSY).
 *
 * EINVAL  unknown flags, nonzero reserved, ring_size not a power of two in
 *         [PETREL_RING_MIN, PETREL_RING_MAX], region_addr or region_size not
 *         page aligned, region too small for both rings plus one frame,
 *         region wrapping the address space, kick_fd == wake_fd, tap_fd not
 *         a tun/tap file or one attached to no interface (its poll reports
 *         EPOLLERR), kick_fd/wake_fd not an eventfd
 * E2BIG   region_size > PETREL_REGION_MAX
 * EBADF   a file descriptor is not open, or tap_fd is not open for both
 *         reading and writing
 * EEXIST  the tap is already registered (in any VM)
 * EBUSY   the region overlaps a region of another device of this VM, or
 *         (PETREL_NET_F_HVT_RING) another device has the same hvt_handle
 * ENXIO   PETREL_NET_F_HVT_RING without a Solo5 ring registered
 * ENOSPC  PETREL_MAX_NETDEVS devices already registered
 * ENOBUFS RLIMIT_MEMLOCK would be exceeded (without CAP_IPC_LOCK)
 * EFAULT  the region is not mapped writable memory that can be pinned
 */
struct petrel_net_register {
	__u32 flags;		/* PETREL_NET_F_* */
	__s32 tap_fd;		/* tun/tap file (IFF_TAP, no IFF_VNET_HDR) */
	__s32 kick_fd;		/* eventfd: guest doorbell (KVM_IOEVENTFD) */
	__s32 wake_fd;		/* eventfd: signalled when the guest asked */
	__u64 region_addr;	/* caller's virtual address, page aligned */
	__u64 region_size;	/* bytes, page multiple */
	__u32 ring_size;	/* descriptors per ring */
	__u32 dev_id;		/* out */
	__u32 hvt_handle;	/* PETREL_NET_F_HVT_RING: < PETREL_HVT_HANDLES */
	__u32 reserved0;	/* 0 */
	__u64 reserved[3];	/* 0 */
};

/*
 * PETREL_IOC_NET_UNREGISTER: detach one device; the rest of the VM lives on.
 * ENOENT no such device.
 */
struct petrel_net_unregister {
	__u32 dev_id;
	__u32 flags;		/* 0 */
	__u64 reserved[2];	/* 0 */
};

/*
 * PETREL_IOC_TENDER_STATS: the tender reports its running totals (absolute
 * values, replacing the previous report); served over netlink with the VM.
 * hypercalls[] is indexed by hvt hypercall number.
 */
struct petrel_tender_stats {
	__u32 flags;		/* 0 */
	__u32 reserved;		/* 0 */
	__u64 exits;		/* all VM exits seen by the tender */
	__u64 io_exits;
	__u64 hlt_exits;
	__u64 mmio_exits;
	__u64 hypercalls[PETREL_HYPERCALLS_MAX];
	__u64 reserved2[4];	/* 0 */
};

/*
 * PETREL_IOC_WORKER: the calling thread becomes the VM's worker. It moves
 * the frames of every device of the VM, in the kernel, until a signal
 * interrupts it (EINTR, or a restart under SA_RESTART; call again to
 * resume); nothing moves while no thread is in this call, and frames wait
 * in their rings and taps meanwhile. The thread is the tender's own, so
 * every cycle of that work is charged to the tender: its cgroups
 * (cpu.max), its CPU affinity, its nice value, its CPU time in
 * /proc/PID/task. Solo5's ring names guest buffers by guest-physical
 * address, which the worker reaches through the tender's mappings: the
 * thread must belong to the process that opened the VM file.
 * EBUSY   another thread is the VM's worker
 * EPERM   the thread belongs to another process (another mm)
 */

/*
 * PETREL_IOC_HVT_RING: serve Solo5's shared ring (struct hvt_ring,
 * abi/hvt_abi.h; Solo5 0.11+ guests use it when hvt_boot_info offers
 * HVT_FEATURE_RING_IO) for the net devices registered afterwards with
 * PETREL_NET_F_HVT_RING. Once per VM; the ring lives as long as the VM
 * file. The module pins the ring (ring_addr, sizeof(struct hvt_ring)
 * rounded up to pages) and takes up `ent_head` and `com_tail` from it as
 * its own indices (the tender zeroes a fresh ring; `needs_kick` starts at
 * whatever the tender stored, 1 so that a guest running before the first
 * worker pass kicks). Per entry, read once from the ring:
 *   NET_WRITE: the frame [data, data + len) (GPAs, inside [0, mem_size))
 *     goes to the device's tap; nothing is committed, as in solo5-hvt.
 *   NET_READ: one frame from the tap into [data, data + len), committed as
 *     {id, OK, frame length}; {id, AGAIN, 0} when the tap has none queued;
 *     {id, EINVAL, 0} for a bad handle or buffer. A frame larger than the
 *     buffer is dropped (counted) and the next one taken, as the NET_READ
 *     hypercall does.
 *   any other operation: skipped, counted.
 * The module keeps its own ent_head and com_tail: ent_tail more than 1024
 * ahead of ent_head is a ring error (counted, ent_head republished, the
 * ring parked until the next kick), and a NET_READ waits (parked until a
 * kick) while the guest has not taken 1024 commits. Entries are never
 * trusted: copied field by field once, then checked.
 * kick_fd is the eventfd the tender binds to HVT_RING_KICK_PIO_BASE with
 * KVM_IOEVENTFD. mem_addr is the caller's address of guest-physical 0.
 * poll_us: after the last entry it served, the worker watches ent_tail
 * for up to this many microseconds of its own CPU time before it sets
 * needs_kick and sleeps (0: it sleeps at once). Solo5's bindings wait for
 * each NET_READ's commit, so without it every read of a busy guest costs a
 * kick (a VM exit) and a wakeup; solo5-hvt's I/O thread always spins. The
 * watch steps aside for the scheduler, a signal or the VM's other work and
 * resumes after. It does not follow a NET_READ answered AGAIN (the guest
 * is about to block in POLL), but starts again when a frame arrives on a
 * tap of the ring's devices, as the guest will ask for it. A worker that
 * may run on one CPU only never watches: the guest's vCPU thread would be
 * waiting for that CPU. The time is the tender's, like all of the
 * worker's.
 * EINVAL  nonzero flags or reserved fields, ring_addr or mem_addr not page
 *         aligned, a range wrapping the address space, kick_fd not an
 *         eventfd, poll_us above PETREL_HVT_POLL_US_MAX
 * EBADF   kick_fd not open
 * EALREADY a ring is registered already
 * EFAULT  the ring is not writable memory that can be pinned
 * ENOBUFS RLIMIT_MEMLOCK would be exceeded (without CAP_IPC_LOCK)
 */
#define PETREL_HVT_HANDLES	64u	/* Solo5's MFT_MAX_ENTRIES */
#define PETREL_HVT_POLL_US_MAX	1000u

struct petrel_hvt_ring_register {
	__u32 flags;		/* 0 */
	__s32 kick_fd;		/* eventfd bound to port 0x600 */
	__u64 ring_addr;	/* caller's address of the struct hvt_ring */
	__u64 mem_addr;		/* caller's address of guest-physical 0 */
	__u64 mem_size;		/* bytes of guest memory entries may name */
	__u32 poll_us;		/* watch for entries this long before sleeping */
	__u32 reserved0;	/* 0 */
	__u64 reserved[3];	/* 0 */
};

/* Hosted or kernel only (the same test as for the includes above). */
#if defined(__KERNEL__) || (defined(__linux__) && __STDC_HOSTED__)
#define PETREL_IOC_VERSION	_IO(PETREL_IOC_MAGIC, 0x00)
#define PETREL_IOC_SET_NAME	_IOW(PETREL_IOC_MAGIC, 0x01, struct petrel_vm_name)
#define PETREL_IOC_NET_REGISTER	_IOWR(PETREL_IOC_MAGIC, 0x02, struct petrel_net_register)
#define PETREL_IOC_NET_UNREGISTER _IOW(PETREL_IOC_MAGIC, 0x03, struct petrel_net_unregister)
#define PETREL_IOC_TENDER_STATS	_IOW(PETREL_IOC_MAGIC, 0x04, struct petrel_tender_stats)
#define PETREL_IOC_WORKER	_IO(PETREL_IOC_MAGIC, 0x05)
#define PETREL_IOC_HVT_RING	_IOW(PETREL_IOC_MAGIC, 0x06, struct petrel_hvt_ring_register)
#endif

/* ------------------------------------------------------------------------
 * Generic netlink family "petrel" (spec: abi/petrel.yaml).
 * GET (doit: one VM by PETREL_A_VM_ID and/or PETREL_A_VM_NAME; dumpit: all
 * VMs of the caller's network namespace, one message per VM) needs
 * CAP_NET_ADMIN in that namespace's user namespace. Unknown attributes are
 * rejected. Multicast group "vm" carries VM_NEW (at open) and VM_DEL (at
 * teardown), built like a GET reply but without PETREL_A_VM_PID. A dump
 * works on any socket, even as its first request. Every message of the
 * family fits in 8 KiB; receive dumps with a larger buffer (libmnl's
 * MNL_SOCKET_DUMP_SIZE, 32 KiB) to get several VMs per read.
 */
#define PETREL_GENL_NAME	"petrel"
#define PETREL_GENL_VERSION	1
#define PETREL_GENL_MCGRP_VM	"vm"

enum petrel_cmd {
	PETREL_CMD_UNSPEC,
	PETREL_CMD_GET,		/* request and reply */
	PETREL_CMD_VM_NEW,	/* notification */
	PETREL_CMD_VM_DEL,	/* notification */
	__PETREL_CMD_MAX,
};
#define PETREL_CMD_MAX (__PETREL_CMD_MAX - 1)

enum petrel_attr {
	PETREL_A_UNSPEC,
	PETREL_A_PAD,
	PETREL_A_VM_ID,		/* u32, >= 1 */
	PETREL_A_VM_NAME,	/* string, may be absent */
	PETREL_A_VM_PID,	/* u32: thread group of the opener, in the
				 * requester's PID namespace; absent where it
				 * has none there, and in events */
	PETREL_A_VM_STATS,	/* nest: petrel_stat, all devices ever */
	PETREL_A_VM_TENDER,	/* nest: petrel_tender_attr */
	PETREL_A_VM_DEVS,	/* nest of PETREL_A_DEV */
	PETREL_A_DEV,		/* nest: petrel_dev_attr */
	PETREL_A_VM_UPTIME_NS,	/* u64: since the VM was opened */
	PETREL_A_VM_HVT_RING,	/* nest: petrel_stat, the Solo5 ring's own
				 * (kicks, runs, entries no device took);
				 * present once the ring is registered */
	__PETREL_A_MAX,
};
#define PETREL_A_MAX (__PETREL_A_MAX - 1)

enum petrel_dev_attr {
	PETREL_DEV_A_UNSPEC,
	PETREL_DEV_A_PAD,
	PETREL_DEV_A_ID,	/* u32 */
	PETREL_DEV_A_RING_SIZE,	/* u32 */
	PETREL_DEV_A_REGION_SIZE, /* u64 */
	PETREL_DEV_A_FLAGS,	/* u32: PETREL_NET_F_* */
	PETREL_DEV_A_STATS,	/* nest: petrel_stat */
	PETREL_DEV_A_HVT_HANDLE, /* u32: on the Solo5 ring (flags say so) */
	PETREL_DEV_A_IFINDEX,	/* u32: the tap's, in the VM's netns */
	PETREL_DEV_A_IFNAME,	/* string: the tap's, with IFINDEX */
	__PETREL_DEV_A_MAX,
};
#define PETREL_DEV_A_MAX (__PETREL_DEV_A_MAX - 1)

/* Counters: all u64. Drops are frames the module discarded, by cause. */
enum petrel_stat {
	PETREL_STAT_UNSPEC,
	PETREL_STAT_PAD,
	PETREL_STAT_TX_PACKETS,		/* guest -> tap, accepted by the tap */
	PETREL_STAT_TX_BYTES,
	PETREL_STAT_RX_PACKETS,		/* tap -> guest */
	PETREL_STAT_RX_BYTES,
	PETREL_STAT_TX_DROP_BAD_DESC,	/* outside the buffer area, flags;
					 * Solo5: outside guest memory */
	PETREL_STAT_TX_DROP_TOO_BIG,	/* > PETREL_FRAME_MAX */
	PETREL_STAT_TX_DROP_TOO_SMALL,	/* < PETREL_FRAME_MIN */
	PETREL_STAT_TX_DROP_TAP,	/* the tap refused it (down, error) */
	PETREL_STAT_RX_DROP_BAD_DESC,	/* posted buffer outside the area;
					 * Solo5: outside guest memory or
					 * not writable by the tender */
	PETREL_STAT_RX_DROP_TOO_BIG,	/* frame larger than the buffer */
	PETREL_STAT_RX_DROP_NO_BUFFER,	/* PETREL_NET_F_RX_DROP only */
	PETREL_STAT_RX_NO_BUFFER,	/* times RX stopped: no buffer posted */
	PETREL_STAT_RING_FULL,		/* TX ring found full by the worker */
	PETREL_STAT_RING_ERRORS,	/* producer - consumer > ring size */
	PETREL_STAT_DOORBELLS,		/* kick eventfd wakeups */
	PETREL_STAT_WAKEUPS,		/* wake eventfd signals */
	PETREL_STAT_WORKER_RUNS,
	PETREL_STAT_TX_BATCH,		/* nest: petrel_hist */
	PETREL_STAT_RX_BATCH,		/* nest: petrel_hist */
	PETREL_STAT_RX_DROP_SMALL_BUF,	/* posted capacity < FRAME_MIN, len 0 */
	PETREL_STAT_RX_DROP_TAP,	/* frames lost to a tap read error */
	PETREL_STAT_RX_AGAIN,		/* Solo5 NET_READs: nothing queued */
	PETREL_STAT_BAD_OP,		/* Solo5 entries: unknown operation */
	PETREL_STAT_BAD_HANDLE,		/* Solo5 entries: no such device */
	PETREL_STAT_COMMITS_FULL,	/* Solo5 ring: 1024 commits untaken */
	__PETREL_STAT_MAX,
};
#define PETREL_STAT_MAX (__PETREL_STAT_MAX - 1)

/*
 * Batch-size histogram: frames moved per worker run and direction (runs
 * that moved none are not counted). Bucket b (attribute type b + 1) counts
 * batches of [2^b, 2^(b+1)) frames; the last bucket is open ended.
 */
#define PETREL_HIST_BUCKETS	10
enum petrel_hist_attr {
	PETREL_HIST_A_UNSPEC,
	/* 1..PETREL_HIST_BUCKETS: u64 counts */
	PETREL_HIST_A_PAD = PETREL_HIST_BUCKETS + 1,
	__PETREL_HIST_A_MAX,
};
#define PETREL_HIST_A_MAX (__PETREL_HIST_A_MAX - 1)

/*
 * Tender counters. From PETREL_IOC_TENDER_STATS only EXITS..HYPERCALLS; from
 * the counters page (below) all of them, each u64 scalar taken from the
 * page slot of the same number. The values are the tender's word.
 */
enum petrel_tender_attr {
	PETREL_TENDER_A_UNSPEC,
	PETREL_TENDER_A_PAD,
	PETREL_TENDER_A_EXITS,		/* u64 */
	PETREL_TENDER_A_IO_EXITS,	/* u64 */
	PETREL_TENDER_A_HLT_EXITS,	/* u64 */
	PETREL_TENDER_A_MMIO_EXITS,	/* u64 */
	PETREL_TENDER_A_HYPERCALLS,	/* nest: type n + 1 = hypercall n, u64 */
	PETREL_TENDER_A_EXIT_REASONS,	/* nest: type n + 1 = KVM_EXIT_n, u64 */
	PETREL_TENDER_A_CONSOLE_WRITES,	/* u64: PUTS hypercalls */
	PETREL_TENDER_A_CONSOLE_BYTES,	/* u64 */
	PETREL_TENDER_A_BLK_READS,	/* u64: successful BLOCK_READs */
	PETREL_TENDER_A_BLK_READ_BYTES,	/* u64 */
	PETREL_TENDER_A_BLK_WRITES,	/* u64: successful BLOCK_WRITEs */
	PETREL_TENDER_A_BLK_WRITE_BYTES, /* u64 */
	PETREL_TENDER_A_BLK_ERRORS,	/* u64: refused or failed requests */
	PETREL_TENDER_A_NET_TX_PACKETS,	/* u64: NET_WRITE, as the guest sent */
	PETREL_TENDER_A_NET_TX_BYTES,	/* u64 */
	PETREL_TENDER_A_NET_RX_PACKETS,	/* u64: NET_READ, as the guest got */
	PETREL_TENDER_A_NET_RX_BYTES,	/* u64 */
	PETREL_TENDER_A_POLL_SLEEPS,	/* u64: POLL hypercalls */
	PETREL_TENDER_A_POLL_SLEEP_NS,	/* u64: time spent in them */
	PETREL_TENDER_A_START_TIME_NS,	/* u64: CLOCK_REALTIME at start */
	PETREL_TENDER_A_MEM_BYTES,	/* u64: guest memory */
	PETREL_TENDER_A_KVM,		/* nest: petrel_kvm_attr, u64 */
	__PETREL_TENDER_A_MAX,
};
#define PETREL_TENDER_A_MAX (__PETREL_TENDER_A_MAX - 1)
#define PETREL_HC_A_PAD		(PETREL_HYPERCALLS_MAX + 1)
#define PETREL_EXIT_REASONS_MAX	64	/* KVM_EXIT_* numbers counted */
#define PETREL_EXIT_A_PAD	(PETREL_EXIT_REASONS_MAX + 1)

/*
 * KVM's own statistics (KVM_GET_STATS_FD, vCPU and VM), copied by the
 * tender into the counters page. Attribute n is the KVM statistic named in
 * the comment; only those the running kernel offers are present.
 */
enum petrel_kvm_attr {
	PETREL_KVM_A_UNSPEC,
	PETREL_KVM_A_PAD,
	PETREL_KVM_A_EXITS,		/* "exits" */
	PETREL_KVM_A_IO_EXITS,		/* "io_exits" */
	PETREL_KVM_A_MMIO_EXITS,	/* "mmio_exits" */
	PETREL_KVM_A_HALT_EXITS,	/* "halt_exits" */
	PETREL_KVM_A_IRQ_EXITS,		/* "irq_exits" */
	PETREL_KVM_A_SIGNAL_EXITS,	/* "signal_exits" */
	PETREL_KVM_A_HALT_WAKEUP,	/* "halt_wakeup" */
	PETREL_KVM_A_IRQ_INJECTIONS,	/* "irq_injections" */
	PETREL_KVM_A_PF_TAKEN,		/* "pf_taken" */
	PETREL_KVM_A_INSN_EMULATION,	/* "insn_emulation" */
	PETREL_KVM_A_HOST_STATE_RELOAD,	/* "host_state_reload" */
	PETREL_KVM_A_REMOTE_TLB_FLUSH,	/* "remote_tlb_flush" (VM) */
	PETREL_KVM_A_PAGES_4K,		/* "pages_4k" (VM) */
	PETREL_KVM_A_PAGES_2M,		/* "pages_2m" (VM) */
	PETREL_KVM_A_PAGES_1G,		/* "pages_1g" (VM) */
	__PETREL_KVM_A_MAX,
};
#define PETREL_KVM_A_MAX (__PETREL_KVM_A_MAX - 1)
#define PETREL_KVM_STATS_MAX	32	/* slots in the counters page */

/*
 * The counters page: mmap(NULL, PETREL_COUNTERS_SIZE, PROT_READ |
 * PROT_WRITE, MAP_SHARED, petrel_fd, 0) maps a zeroed page the module owns
 * (once per mapping call, offset 0, exactly this size). The tender, its only
 * writer, updates it with aligned 64-bit stores and no syscall; netlink
 * reads it when asked. Once mapped it replaces PETREL_IOC_TENDER_STATS as
 * the source of the tender attributes. Index: the attribute number.
 */
#define PETREL_COUNTERS_SIZE	4096u

struct petrel_counters_page {
	__u64 scalar[32];	/* by enum petrel_tender_attr (u64 ones) */
	__u64 exit_reasons[PETREL_EXIT_REASONS_MAX];	/* by KVM_EXIT_* */
	__u64 hypercalls[PETREL_HYPERCALLS_MAX];	/* by hvt number */
	__u64 kvm_valid;	/* bit n: kvm[n] holds a statistic */
	__u64 kvm[PETREL_KVM_STATS_MAX];		/* by petrel_kvm_attr */
};

/* Layout checks, for every compiler that sees this header. */
#ifdef __cplusplus
#define PETREL_ASSERT(c, m) static_assert(c, m)
#else
#define PETREL_ASSERT(c, m) _Static_assert(c, m)
#endif
PETREL_ASSERT(sizeof(struct petrel_desc) == 16, "petrel_desc");
PETREL_ASSERT(sizeof(struct petrel_ring) == PETREL_RING_HDR_BYTES, "ring hdr");
PETREL_ASSERT((PETREL_RING_MIN & (PETREL_RING_MIN - 1)) == 0, "ring min");
PETREL_ASSERT((PETREL_RING_MAX & (PETREL_RING_MAX - 1)) == 0, "ring max");
PETREL_ASSERT(PETREL_RING_BYTES(PETREL_RING_MIN) % PETREL_CACHELINE == 0,
	      "rx ring alignment");
PETREL_ASSERT(sizeof(struct petrel_guest_net) == 32, "guest_net");
PETREL_ASSERT(sizeof(struct petrel_guest_ext) == 16 + 32 * PETREL_MAX_NETDEVS,
	      "guest_ext");
PETREL_ASSERT(sizeof(struct petrel_vm_name) == 40, "vm_name");
PETREL_ASSERT(sizeof(struct petrel_net_register) == 72, "net_register");
PETREL_ASSERT(sizeof(struct petrel_net_unregister) == 24, "net_unregister");
PETREL_ASSERT(sizeof(struct petrel_hvt_ring_register) == 64, "hvt_ring_register");
PETREL_ASSERT(sizeof(struct petrel_tender_stats) == 8 + 4 * 8 +
	      PETREL_HYPERCALLS_MAX * 8 + 32, "tender_stats");
PETREL_ASSERT(__PETREL_TENDER_A_MAX <= 32, "counters page scalars");
PETREL_ASSERT(__PETREL_KVM_A_MAX <= PETREL_KVM_STATS_MAX, "kvm stats");
PETREL_ASSERT(sizeof(struct petrel_counters_page) <= PETREL_COUNTERS_SIZE,
	      "counters page");
#undef PETREL_ASSERT

#endif /* PETREL_ABI_H */
