// SPDX-License-Identifier: GPL-2.0
/*
 * Every ioctl field of /dev/petrel, one at a time: each bad value must be
 * refused with the errno abi/petrel.h documents, and nothing may stick.
 * Pinned regions count in VmPin and against RLIMIT_MEMLOCK.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/capability.h>
#include <linux/if_tun.h>
#include <linux/userfaultfd.h>
#include <net/if.h>
#include <poll.h>
#include <pthread.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "ptest.h"

static int fd;
static struct pt_dev dev, dev2;

static int ioc(int f, unsigned long cmd, void *arg)
{
	return ioctl(f, cmd, arg) ? -errno : 0;
}

#define EXPECT_ERR(call, err) CHECK_EQ(-(call), (err))

static bool reg_err(void (*mod)(struct petrel_net_register *), int err)
{
	struct petrel_net_register r;

	pt_dev_fill_req(&dev, &r);
	mod(&r);
	return EXPECT_ERR(ioc(fd, PETREL_IOC_NET_REGISTER, &r), err);
}

static int nullfd, efd;
static void m_flags(struct petrel_net_register *r) { r->flags = 1u << 31; }
static void m_devid(struct petrel_net_register *r) { r->dev_id = 1; }
static void m_res0(struct petrel_net_register *r) { r->reserved[0] = 1; }
static void m_res2(struct petrel_net_register *r) { r->reserved[2] = 1ull << 63; }
static void m_resv0(struct petrel_net_register *r) { r->reserved0 = 1; }
/* A handle means nothing without PETREL_NET_F_HVT_RING. */
static void m_handle(struct petrel_net_register *r) { r->hvt_handle = 1; }
static void m_ring0(struct petrel_net_register *r) { r->ring_size = 0; }
static void m_ring4(struct petrel_net_register *r) { r->ring_size = 4; }
static void m_ring100(struct petrel_net_register *r) { r->ring_size = 100; }
static void m_ringbig(struct petrel_net_register *r) { r->ring_size = 8192; }
static void m_addr(struct petrel_net_register *r) { r->region_addr += 8; }
static void m_size(struct petrel_net_register *r) { r->region_size -= 1; }
static void m_huge(struct petrel_net_register *r) { r->region_size = PETREL_REGION_MAX + 4096ull; }
static void m_small(struct petrel_net_register *r) { r->region_size = PETREL_BUF_OFFSET(r->ring_size); }
static void m_wrap(struct petrel_net_register *r) { r->region_addr = ~0xfffull; r->region_size = 0x10000; }
static void m_kernel(struct petrel_net_register *r) { r->region_addr = 0xffff888000000000ull; }
static void m_tapbad(struct petrel_net_register *r) { r->tap_fd = -1; }
static void m_tapnot(struct petrel_net_register *r) { r->tap_fd = efd; }
static void m_kickbad(struct petrel_net_register *r) { r->kick_fd = 1000; }
static void m_kicknot(struct petrel_net_register *r) { r->kick_fd = nullfd; }
static void m_wakebad(struct petrel_net_register *r) { r->wake_fd = -5; }
static void m_wakenot(struct petrel_net_register *r) { r->wake_fd = nullfd; }
static void m_same(struct petrel_net_register *r) { r->wake_fd = r->kick_fd; }
static void m_dupsame(struct petrel_net_register *r) { r->wake_fd = dup(r->kick_fd); }

static uint8_t *ro_map, *gap_map;
static void m_ro(struct petrel_net_register *r) { r->region_addr = (uintptr_t)ro_map; }
static void m_gap(struct petrel_net_register *r) { r->region_addr = (uintptr_t)gap_map; }

static bool test_register_fields(void)
{
	size_t sz = dev.region_size;
	bool ok = true;

	nullfd = open("/dev/null", O_RDWR | O_CLOEXEC);
	efd = eventfd(0, EFD_CLOEXEC);
	ro_map = mmap(NULL, sz, PROT_READ, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	gap_map = mmap(NULL, sz, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (ro_map == MAP_FAILED || gap_map == MAP_FAILED)
		pt_die("mmap: %s", strerror(errno));
	munmap(gap_map + 4096, 4096);	/* a hole inside the region */

	ok &= reg_err(m_flags, EINVAL);
	ok &= reg_err(m_devid, EINVAL);
	ok &= reg_err(m_res0, EINVAL);
	ok &= reg_err(m_res2, EINVAL);
	ok &= reg_err(m_resv0, EINVAL);
	ok &= reg_err(m_handle, EINVAL);
	ok &= reg_err(m_ring0, EINVAL);
	ok &= reg_err(m_ring4, EINVAL);
	ok &= reg_err(m_ring100, EINVAL);
	ok &= reg_err(m_ringbig, EINVAL);
	ok &= reg_err(m_addr, EINVAL);
	ok &= reg_err(m_size, EINVAL);
	ok &= reg_err(m_huge, E2BIG);
	ok &= reg_err(m_small, EINVAL);
	ok &= reg_err(m_wrap, EINVAL);
	ok &= reg_err(m_kernel, EINVAL);
	ok &= reg_err(m_tapbad, EBADF);
	ok &= reg_err(m_tapnot, EINVAL);
	ok &= reg_err(m_kickbad, EBADF);
	ok &= reg_err(m_kicknot, EINVAL);
	ok &= reg_err(m_wakebad, EBADF);
	ok &= reg_err(m_wakenot, EINVAL);
	ok &= reg_err(m_same, EINVAL);
	ok &= reg_err(m_dupsame, EINVAL);
	ok &= reg_err(m_ro, EFAULT);
	ok &= reg_err(m_gap, EFAULT);
	ok &= EXPECT_ERR(ioc(fd, PETREL_IOC_NET_REGISTER, NULL), EFAULT);
	ok &= EXPECT_ERR(ioc(fd, PETREL_IOC_NET_REGISTER, (void *)8), EFAULT);
	return ok;
}

/* Register dev's region with another tap fd; undone if it succeeds. */
static int reg_tap(int tap)
{
	struct petrel_net_register r;
	int ret;

	pt_dev_fill_req(&dev, &r);
	r.tap_fd = tap;
	ret = ioc(fd, PETREL_IOC_NET_REGISTER, &r);
	if (!ret) {
		struct petrel_net_unregister u = { .dev_id = r.dev_id };

		ioc(fd, PETREL_IOC_NET_UNREGISTER, &u);
	}
	return ret;
}

/* A tap opened with this mode and attached to a new interface. */
static int tap_open(const char *name, int mode)
{
	struct ifreq ifr = { 0 };
	int t = open("/dev/net/tun", mode | O_CLOEXEC);

	if (t < 0)
		pt_die("open /dev/net/tun: %s", strerror(errno));
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", name);
	if (ioctl(t, TUNSETIFF, &ifr))
		pt_die("TUNSETIFF %s: %s", name, strerror(errno));
	return t;
}

/*
 * A tun file attached to no interface polls EPOLLERR and would never wake
 * the device: refused with EINVAL, as vhost refuses it.
 */
static bool test_register_unattached_tap(void)
{
	int t = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
	bool ok;

	if (t < 0)
		pt_die("open /dev/net/tun: %s", strerror(errno));
	ok = EXPECT_ERR(reg_tap(t), EINVAL);
	close(t);
	return ok;
}

/* The module reads and writes the tap: a read-only or write-only fd is EBADF. */
static bool test_register_tap_mode(void)
{
	int ro = tap_open("ptro0", O_RDONLY), wo = tap_open("ptwo0", O_WRONLY);
	int rw = tap_open("ptrw0", O_RDWR);
	bool ok = true;

	/* Each one tried, whatever the others gave. */
	ok &= EXPECT_ERR(reg_tap(ro), EBADF);
	ok &= EXPECT_ERR(reg_tap(wo), EBADF);
	ok &= EXPECT_ERR(reg_tap(rw), 0);
	close(ro);
	close(wo);
	close(rw);
	return ok;
}

struct copyout {
	int fd;
	void *req;
	int err;
};

static void *copyout_register(void *arg)
{
	struct copyout *c = arg;

	c->err = ioc(c->fd, PETREL_IOC_NET_REGISTER, c->req);
	return NULL;
}

/*
 * The id is written back before the device goes live. The request sits in
 * a page write-protected under userfaultfd, so that write waits while this
 * thread looks: the slot is neither visible nor unregistrable, its tap is
 * taken, another device gets another slot. Then the page goes away and
 * the write fails: EFAULT, nothing left behind, the other device intact
 * (a rollback by slot number would have unregistered it).
 */
static bool test_register_copyout(void)
{
	struct uffdio_api api = { .api = UFFD_API,
				  .features = UFFD_FEATURE_PAGEFAULT_FLAG_WP };
	struct uffdio_register ureg = { 0 };
	struct uffdio_writeprotect wp = { 0 };
	struct petrel_net_unregister u = { 0 };
	struct pt_vm_info *vi = calloc(1, sizeof(*vi));
	struct copyout c = { 0 };
	struct pollfd p;
	struct uffd_msg msg;
	struct pt_dev a, b;
	uint32_t vm_id;
	pthread_t t;
	bool ok = true;
	int uffd, f;

	if (!vi)
		pt_die("out of memory");
	uffd = (int)syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	if (uffd < 0 || ioctl(uffd, UFFDIO_API, &api)) {
		kt_diag("userfaultfd with write-protect: %s", strerror(errno));
		free(vi);
		return false;
	}
	f = pt_open_petrel();
	vm_id = pt_vm_id(f, "copyout");
	pt_dev_init(&a, "ptc0", 8);
	pt_dev_init(&b, "ptc1", 8);
	c.fd = f;
	c.req = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (c.req == MAP_FAILED)
		pt_die("mmap: %s", strerror(errno));
	pt_dev_fill_req(&a, c.req);
	ureg.range.start = (uintptr_t)c.req;
	ureg.range.len = 4096;
	ureg.mode = UFFDIO_REGISTER_MODE_WP;
	wp.range = ureg.range;
	wp.mode = UFFDIO_WRITEPROTECT_MODE_WP;
	if (ioctl(uffd, UFFDIO_REGISTER, &ureg) ||
	    ioctl(uffd, UFFDIO_WRITEPROTECT, &wp))
		pt_die("userfaultfd write-protect: %s", strerror(errno));
	if (pthread_create(&t, NULL, copyout_register, &c))
		pt_die("pthread_create failed");

	/* The registering thread now waits in the write of dev_id. */
	p = (struct pollfd){ .fd = uffd, .events = POLLIN };
	ok = CHECK_EQ(poll(&p, 1, 10000), 1) &&
	     CHECK_EQ(read(uffd, &msg, sizeof(msg)), sizeof(msg)) &&
	     CHECK_EQ(msg.event, UFFD_EVENT_PAGEFAULT) &&
	     CHECK(msg.arg.pagefault.flags & UFFD_PAGEFAULT_FLAG_WP);
	u.dev_id = 0;
	ok = ok && EXPECT_ERR(ioc(f, PETREL_IOC_NET_UNREGISTER, &u), ENOENT) &&
	     CHECK_EQ(pt_nl_get(vm_id, NULL, vi), 0) && CHECK_EQ(vi->ndevs, 0) &&
	     CHECK_EQ(pt_dev_register(f, &a), -EEXIST) &&
	     CHECK_EQ(pt_dev_register(f, &b), 0) && CHECK_EQ(b.dev_id, 1);

	/* Gone while the write waits: the retried fault finds no page. */
	munmap(c.req, 4096);
	close(uffd);
	pthread_join(t, NULL);
	ok = EXPECT_ERR(c.err, EFAULT) && ok;
	ok = ok && CHECK_EQ(pt_nl_get(vm_id, NULL, vi), 0) &&
	     CHECK_EQ(vi->ndevs, 1) && CHECK_EQ(pt_dev_register(f, &a), 0) &&
	     CHECK_EQ(a.dev_id, 0) && CHECK_EQ(pt_nl_get(vm_id, NULL, vi), 0) &&
	     CHECK_EQ(vi->ndevs, 2);
	close(f);
	pt_dev_close(&a);
	pt_dev_close(&b);
	free(vi);
	return ok;
}

static bool test_name(void)
{
	struct petrel_vm_name n;
	bool ok = true;
	int other, c;

#define NAME_ERR(setup, err) do { memset(&n, 0, sizeof(n)); \
	strcpy(n.name, "vm0"); setup; \
	ok &= EXPECT_ERR(ioc(fd, PETREL_IOC_SET_NAME, &n), err); } while (0)
	NAME_ERR(n.flags = 1, EINVAL);
	NAME_ERR(n.reserved = 1, EINVAL);
	NAME_ERR(n.name[0] = 0, EINVAL);
	NAME_ERR(n.name[1] = ' ', EINVAL);
	NAME_ERR(n.name[1] = '/', EINVAL);
	NAME_ERR(memset(n.name, 'a', sizeof(n.name)), EINVAL);
	NAME_ERR(n.name[20] = 'x', EINVAL);
	/* Only [A-Za-z0-9._-]: not the kernel's Latin-1 letters 0xc0..0xff. */
	for (c = 1; c < 256; c++)
		if (!(c < 0x80 && isalnum(c)) && !strchr("._-", c))
			NAME_ERR(n.name[1] = (char)c, EINVAL);
	ok &= EXPECT_ERR(ioc(fd, PETREL_IOC_SET_NAME, NULL), EFAULT);
	NAME_ERR((void)0, 0);
	NAME_ERR(strcpy(n.name, "vm1"), EALREADY);
	other = pt_open_petrel();
	strcpy(n.name, "vm0");
	ok &= EXPECT_ERR(ioc(other, PETREL_IOC_SET_NAME, &n), EEXIST);
	strcpy(n.name, "A-z_0.9");
	ok &= EXPECT_ERR(ioc(other, PETREL_IOC_SET_NAME, &n), 0);
	close(other);
	return ok;
}

static bool test_register_state(void)
{
	struct petrel_net_register r;
	struct pt_dev more[PETREL_MAX_NETDEVS];
	bool ok = true;
	char name[IFNAMSIZ];
	unsigned int i;
	int other;

	ok &= CHECK_EQ(pt_dev_register(fd, &dev), 0);
	ok &= CHECK_EQ(dev.dev_id, 0);
	/* The same tap again: here, and from another VM. */
	ok &= CHECK_EQ(pt_dev_register(fd, &dev), -EEXIST);
	other = pt_open_petrel();
	ok &= CHECK_EQ(pt_dev_register(other, &dev), -EEXIST);
	close(other);
	/* Another tap over the same region. */
	pt_dev_fill_req(&dev2, &r);
	r.region_addr = (uintptr_t)dev.region + 4096;
	r.region_size = dev.region_size;
	ok &= EXPECT_ERR(ioc(fd, PETREL_IOC_NET_REGISTER, &r), EBUSY);
	/* Fill every slot; one more is refused. */
	for (i = 1; i < PETREL_MAX_NETDEVS; i++) {
		snprintf(name, sizeof(name), "pti%u", i);
		pt_dev_init(&more[i], name, 8);
		ok &= CHECK_EQ(pt_dev_register(fd, &more[i]), 0);
		ok &= CHECK_EQ(more[i].dev_id, i);
	}
	ok &= CHECK_EQ(pt_dev_register(fd, &dev2), -ENOSPC);
	for (i = 1; i < PETREL_MAX_NETDEVS; i++) {
		struct petrel_net_unregister u = { .dev_id = i };

		ok &= EXPECT_ERR(ioc(fd, PETREL_IOC_NET_UNREGISTER, &u), 0);
		pt_dev_close(&more[i]);
	}
	ok &= CHECK_EQ(pt_dev_register(fd, &dev2), 0);
	ok &= CHECK_EQ(dev2.dev_id, 1);
	return ok;
}

static bool test_unregister(void)
{
	struct petrel_net_unregister u;
	bool ok = true;

	memset(&u, 0, sizeof(u));
	u.dev_id = 5;
	ok &= EXPECT_ERR(ioc(fd, PETREL_IOC_NET_UNREGISTER, &u), ENOENT);
	u.dev_id = 1000;
	ok &= EXPECT_ERR(ioc(fd, PETREL_IOC_NET_UNREGISTER, &u), ENOENT);
	u.dev_id = 1;
	u.flags = 1;
	ok &= EXPECT_ERR(ioc(fd, PETREL_IOC_NET_UNREGISTER, &u), EINVAL);
	u.flags = 0;
	u.reserved[1] = 1;
	ok &= EXPECT_ERR(ioc(fd, PETREL_IOC_NET_UNREGISTER, &u), EINVAL);
	u.reserved[1] = 0;
	ok &= EXPECT_ERR(ioc(fd, PETREL_IOC_NET_UNREGISTER, NULL), EFAULT);
	ok &= EXPECT_ERR(ioc(fd, PETREL_IOC_NET_UNREGISTER, &u), 0);
	ok &= EXPECT_ERR(ioc(fd, PETREL_IOC_NET_UNREGISTER, &u), ENOENT);
	/* The tap is free again. */
	ok &= CHECK_EQ(pt_dev_register(fd, &dev2), 0);
	return ok;
}

static bool test_tender_stats(uint32_t vm_id)
{
	struct petrel_tender_stats t;
	struct pt_vm_info *vi = calloc(1, sizeof(*vi));
	bool ok = true;

	if (!vi)
		pt_die("out of memory");
	memset(&t, 0, sizeof(t));
	t.flags = 2;
	ok &= EXPECT_ERR(ioc(fd, PETREL_IOC_TENDER_STATS, &t), EINVAL);
	t.flags = 0;
	t.reserved = 1;
	ok &= EXPECT_ERR(ioc(fd, PETREL_IOC_TENDER_STATS, &t), EINVAL);
	t.reserved = 0;
	t.reserved2[2] = 1;
	ok &= EXPECT_ERR(ioc(fd, PETREL_IOC_TENDER_STATS, &t), EINVAL);
	t.reserved2[2] = 0;
	t.exits = 12345;
	t.hypercalls[6] = 77;
	t.hypercalls[15] = 1;
	ok &= EXPECT_ERR(ioc(fd, PETREL_IOC_TENDER_STATS, &t), 0);
	ok &= CHECK_EQ(pt_nl_get(vm_id, NULL, vi), 0);
	ok &= CHECK_EQ(vi->exits, 12345) && CHECK_EQ(vi->hypercalls[6], 77) &&
	      CHECK_EQ(vi->hypercalls[15], 1) && CHECK_EQ(vi->ndevs, 2);
	free(vi);
	return ok;
}

/* This process's VmPin (/proc/self/status) in KiB, or -1 if missing. */
static long vm_pin_kb(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long kb = -1;

	if (!f)
		pt_die("/proc/self/status: %s", strerror(errno));
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmPin: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

/*
 * The pinned region shows in the registering process's VmPin (its
 * mm->pinned_vm) while registered, with or without CAP_IPC_LOCK, and
 * leaves it on unregister and on close.
 */
static bool test_pinned_vm(void)
{
	struct petrel_net_unregister u = { 0 };
	struct pt_dev d;
	long before, kb;
	bool ok;
	int f;

	pt_dev_init(&d, "ptp0", 64);
	kb = (long)(d.region_size / 1024);
	f = pt_open_petrel();
	before = vm_pin_kb();
	ok = CHECK(before >= 0) && CHECK_EQ(pt_dev_register(f, &d), 0) &&
	     CHECK_EQ(vm_pin_kb(), before + kb);
	u.dev_id = d.dev_id;
	ok = ok && EXPECT_ERR(ioc(f, PETREL_IOC_NET_UNREGISTER, &u), 0) &&
	     CHECK_EQ(vm_pin_kb(), before);
	ok = ok && CHECK_EQ(pt_dev_register(f, &d), 0) &&
	     CHECK_EQ(vm_pin_kb(), before + kb);
	close(f);
	ok = ok && CHECK_EQ(vm_pin_kb(), before);
	pt_dev_close(&d);
	return ok;
}

/*
 * Without CAP_IPC_LOCK the pinned pages count against RLIMIT_MEMLOCK (and
 * in VmPin all the same).
 */
static bool test_memlock(void)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		struct __user_cap_header_struct h = {
			.version = _LINUX_CAPABILITY_VERSION_3 };
		struct __user_cap_data_struct c[2];
		struct rlimit rl = { 4096, 4096 };
		struct pt_dev d;
		long before;
		int f;

		if (syscall(SYS_capget, &h, c))
			_exit(2);
		c[CAP_IPC_LOCK / 32].effective &= ~(1u << (CAP_IPC_LOCK % 32));
		if (syscall(SYS_capset, &h, c) || setrlimit(RLIMIT_MEMLOCK, &rl))
			_exit(2);
		pt_dev_init(&d, "ptm0", 64);
		f = pt_open_petrel();
		if (pt_dev_register(f, &d) != -ENOBUFS)
			_exit(3);
		rl.rlim_cur = rl.rlim_max = d.region_size;
		before = vm_pin_kb();
		if (setrlimit(RLIMIT_MEMLOCK, &rl) || pt_dev_register(f, &d))
			_exit(4);
		if (vm_pin_kb() != before + (long)(d.region_size / 1024))
			_exit(5);
		close(f);
		_exit(0);
	}
	if (waitpid(pid, &status, 0) != pid)
		return false;
	return CHECK(WIFEXITED(status)) && CHECK_EQ(WEXITSTATUS(status), 0);
}

int main(void)
{
	uint32_t vm_id;
	int v;

	setvbuf(stdout, NULL, _IOLBF, 0);
	pt_enter_netns();
	kt_plan(13);
	fd = pt_open_petrel();
	v = ioctl(fd, PETREL_IOC_VERSION);
	kt_result(CHECK_EQ(v, PETREL_ABI_VERSION) &&
		  EXPECT_ERR(ioc(fd, _IO(PETREL_IOC_MAGIC, 0x7f), NULL), ENOTTY) &&
		  EXPECT_ERR(ioc(fd, _IOW(PETREL_IOC_MAGIC, 0x02, uint64_t), NULL),
			     ENOTTY),
		  "version_and_unknown_commands");
	pt_dev_init(&dev, "pti0", 64);
	pt_dev_init(&dev2, "pti9", 64);
	kt_result(test_name(), "set_name_fields");
	kt_result(test_register_fields(), "register_every_field");
	kt_result(test_register_unattached_tap(), "register_refuses_unattached_tap");
	kt_result(test_register_tap_mode(), "register_needs_tap_read_write");
	kt_result(test_register_copyout(), "register_id_out_before_live");
	kt_result(test_register_state(), "register_double_overlap_full");
	kt_result(test_unregister(), "unregister_fields_and_unregistered");
	{
		struct pt_vm_info *vi = calloc(1, sizeof(*vi));

		/* test_name named this file's VM "vm0". */
		if (!vi || pt_nl_get(0, "vm0", vi))
			pt_die("netlink GET vm0 failed");
		vm_id = vi->id;
		free(vi);
	}
	kt_result(test_tender_stats(vm_id), "tender_stats");
	kt_result(test_pinned_vm(), "pinned_pages_in_vmpin");
	kt_result(test_memlock(), "rlimit_memlock_accounting");
	close(fd);
	/* Everything was released: the taps can be registered again. */
	fd = pt_open_petrel();
	kt_result(CHECK_EQ(pt_dev_register(fd, &dev), 0) &&
		  CHECK_EQ(pt_dev_register(fd, &dev2), 0), "close_releases_all");
	close(fd);
	pt_dev_close(&dev);
	pt_dev_close(&dev2);
	return kt_exit();
}
