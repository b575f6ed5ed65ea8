// SPDX-License-Identifier: ISC
/*
 * Counters: where the page comes from, the VM's name in petrel.ko, and
 * KVM's binary statistics (Documentation/virt/kvm/api.rst, "KVM_GET_STATS_FD").
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "counters.h"

static struct petrel_counters_page private_page;
struct petrel_counters_page *ctr_page = &private_page;

static int petrel_fd = -1;
static int petrel_errno;	/* why opening /dev/petrel failed */

/* KVM statistics we copy, by petrel_kvm_attr; vCPU ones first. */
static const char *const kvm_stat_name[PETREL_KVM_A_MAX + 1] = {
	[PETREL_KVM_A_EXITS] = "exits",
	[PETREL_KVM_A_IO_EXITS] = "io_exits",
	[PETREL_KVM_A_MMIO_EXITS] = "mmio_exits",
	[PETREL_KVM_A_HALT_EXITS] = "halt_exits",
	[PETREL_KVM_A_IRQ_EXITS] = "irq_exits",
	[PETREL_KVM_A_SIGNAL_EXITS] = "signal_exits",
	[PETREL_KVM_A_HALT_WAKEUP] = "halt_wakeup",
	[PETREL_KVM_A_IRQ_INJECTIONS] = "irq_injections",
	[PETREL_KVM_A_PF_TAKEN] = "pf_taken",
	[PETREL_KVM_A_INSN_EMULATION] = "insn_emulation",
	[PETREL_KVM_A_HOST_STATE_RELOAD] = "host_state_reload",
	[PETREL_KVM_A_REMOTE_TLB_FLUSH] = "remote_tlb_flush",
	[PETREL_KVM_A_PAGES_4K] = "pages_4k",
	[PETREL_KVM_A_PAGES_2M] = "pages_2m",
	[PETREL_KVM_A_PAGES_1G] = "pages_1g",
};

/* One statistics fd: its data block and where our values sit in it. */
struct kvm_stats_src {
	int fd;
	uint64_t data_offset;
	size_t data_len;		/* bytes read per refresh */
	uint32_t off[PETREL_KVM_A_MAX + 1];	/* byte offset in the block */
	uint64_t have;			/* bit n: off[n] valid */
};

static struct kvm_stats_src kvm_src[2] = { { .fd = -1 }, { .fd = -1 } };
static unsigned nkvm_src;
static uint64_t kvm_buf[2048];		/* one data block */
static uint64_t kvm_have;		/* union of the sources */

void ctr_exit(uint32_t reason)
{
	ctr_add(PETREL_TENDER_A_EXITS, 1);
	if (reason < PETREL_EXIT_REASONS_MAX)
		ctr_add64(&ctr_page->exit_reasons[reason], 1);
	if (reason == KVM_EXIT_IO)
		ctr_add(PETREL_TENDER_A_IO_EXITS, 1);
	else if (reason == KVM_EXIT_HLT)
		ctr_add(PETREL_TENDER_A_HLT_EXITS, 1);
	else if (reason == KVM_EXIT_MMIO)
		ctr_add(PETREL_TENDER_A_MMIO_EXITS, 1);
}

/*
 * Index the descriptors of one statistics fd. Only single-value cumulative
 * or instant statistics are taken: a histogram or a peak under one of our
 * names would mean something else.
 */
static void kvm_stats_index(int owner_fd, struct kvm_stats_src *s)
{
	struct kvm_stats_header h;
	/*
	 * The descriptors are read a bufferful at a time, not one pread each:
	 * a vCPU has some fifty, and at start-up every syscall counts.
	 */
	_Alignas(8) char buf[4096];
	_Alignas(8) char desc[sizeof(struct kvm_stats_desc) + 256];
	size_t dsize, per;
	uint64_t end = 0;

	s->fd = ioctl(owner_fd, KVM_GET_STATS_FD, NULL);
	if (s->fd < 0)
		return;
	if (pread(s->fd, &h, sizeof(h), 0) != (ssize_t)sizeof(h) ||
	    h.name_size == 0 || h.name_size > 256)
		goto drop;
	dsize = sizeof(struct kvm_stats_desc) + h.name_size;
	per = sizeof(buf) / dsize;
	for (uint32_t i = 0; i < h.num_desc; i++) {
		const struct kvm_stats_desc *d = (const void *)desc;
		uint32_t type;

		if (i % per == 0) {
			size_t n = h.num_desc - i < per ? h.num_desc - i : per;

			if (pread(s->fd, buf, n * dsize,
				  (off_t)(h.desc_offset + (uint64_t)i * dsize)) !=
			    (ssize_t)(n * dsize))
				goto drop;
		}
		memcpy(desc, buf + i % per * dsize, dsize);
		desc[dsize - 1] = '\0';
		type = d->flags & KVM_STATS_TYPE_MASK;
		if (d->size != 1 || (type != KVM_STATS_TYPE_CUMULATIVE &&
				     type != KVM_STATS_TYPE_INSTANT) ||
		    d->offset > sizeof(kvm_buf) - sizeof(uint64_t))
			continue;
		for (unsigned n = PETREL_KVM_A_EXITS; n <= PETREL_KVM_A_MAX;
		     n++) {
			if ((kvm_have | s->have) & (1ULL << n) ||
			    strcmp(d->name, kvm_stat_name[n]))
				continue;
			s->off[n] = d->offset;
			s->have |= 1ULL << n;
			if (d->offset + sizeof(uint64_t) > end)
				end = d->offset + sizeof(uint64_t);
		}
	}
	if (!s->have)
		goto drop;
	s->data_offset = h.data_offset;
	s->data_len = end;
	kvm_have |= s->have;
	nkvm_src++;
	return;
drop:
	close(s->fd);
	s->fd = -1;
	s->have = 0;
}

void counters_refresh_kvm_every(const struct timespec *now)
{
	static struct timespec last;
	int64_t ns = (int64_t)(now->tv_sec - last.tv_sec) * 1000000000 +
		     (now->tv_nsec - last.tv_nsec);

	/* A clock stepped back counts as due. */
	if (ns >= 0 && ns < COUNTERS_KVM_PERIOD_NS)
		return;
	last = *now;
	counters_refresh_kvm();
}

void counters_refresh_kvm(void)
{
	for (unsigned i = 0; i < 2; i++) {
		struct kvm_stats_src *s = &kvm_src[i];

		if (s->fd < 0 || pread(s->fd, kvm_buf, s->data_len,
				       (off_t)s->data_offset) !=
				 (ssize_t)s->data_len)
			continue;
		for (unsigned n = PETREL_KVM_A_EXITS; n <= PETREL_KVM_A_MAX;
		     n++) {
			uint64_t v;

			if (!(s->have & (1ULL << n)))
				continue;
			memcpy(&v, (const uint8_t *)kvm_buf + s->off[n],
			       sizeof(v));
			__atomic_store_n(&ctr_page->kvm[n], v,
					 __ATOMIC_RELAXED);
		}
	}
	__atomic_store_n(&ctr_page->kvm_valid, kvm_have, __ATOMIC_RELAXED);
}

unsigned counters_stats_fds(int fd[2])
{
	unsigned n = 0;

	for (unsigned i = 0; i < 2; i++)
		if (kvm_src[i].fd >= 0)
			fd[n++] = kvm_src[i].fd;
	return n;
}

int counters_petrel_fd(void)
{
	return petrel_fd;
}

int counters_petrel_errno(void)
{
	return petrel_errno;
}

static int set_name(const char *name)
{
	struct petrel_vm_name req;

	memset(&req, 0, sizeof(req));
	snprintf(req.name, sizeof(req.name), "%s", name);
	return ioctl(petrel_fd, PETREL_IOC_SET_NAME, &req) < 0 ? errno : 0;
}

/* The image's file name in the characters petrel.ko allows. */
static void default_name(const char *image, char *out, size_t size)
{
	const char *base = strrchr(image, '/');
	size_t n = 0;

	base = base ? base + 1 : image;
	for (; *base && n < size - 1; base++) {
		char c = *base;
		int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			 (c >= '0' && c <= '9') || c == '.' || c == '-';

		out[n++] = ok ? c : '_';
	}
	out[n] = '\0';
	if (n == 0)
		snprintf(out, size, "vm");
}

static int name_vm(const char *name, const char *image, struct errbuf *e)
{
	char def[PETREL_NAME_MAX], uniq[PETREL_NAME_MAX];
	int err;

	if (name[0]) {
		err = set_name(name);
		if (err == EEXIST)
			return errf(e, "--name=%s: a VM of that name is already "
				    "running (petrel.ko)", name);
		if (err)
			return errf(e, "--name=%s: petrel.ko refused it: %s",
				    name, strerror(err));
		return 0;
	}
	default_name(image, def, sizeof(def));
	err = set_name(def);
	if (err == EEXIST) {
		char pid[16];
		int plen = snprintf(pid, sizeof(pid), "-%d", (int)getpid());

		snprintf(uniq, sizeof(uniq), "%.*s%s",
			 (int)(sizeof(uniq) - 1 - (size_t)plen), def, pid);
		err = set_name(uniq);
	}
	/* An unnamed VM is still listed (by id): not worth failing the run. */
	(void)err;
	return 0;
}

int counters_attach(const char *name, const char *image, uint64_t mem_bytes,
		    const struct vm *vm, bool use_petrel, struct errbuf *e)
{
	struct timespec now;
	void *page;

	clock_gettime(CLOCK_REALTIME, &now);
	ctr_add(PETREL_TENDER_A_START_TIME_NS,
		(uint64_t)now.tv_sec * 1000000000ULL + (uint64_t)now.tv_nsec);
	ctr_add(PETREL_TENDER_A_MEM_BYTES, mem_bytes);

	kvm_stats_index(vm->vcpu_fd, &kvm_src[0]);
	kvm_stats_index(vm->vm_fd, &kvm_src[1]);
	counters_refresh_kvm();

	if (!use_petrel)
		return 0;
	/* No module, or not ours to use: the tender runs as before. */
	petrel_fd = open(PETREL_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	if (petrel_fd < 0) {
		petrel_errno = errno;
		return 0;
	}
	if (name_vm(name, image, e)) {
		close(petrel_fd);
		petrel_fd = -1;
		return -1;
	}
	page = mmap(NULL, PETREL_COUNTERS_SIZE, PROT_READ | PROT_WRITE,
		    MAP_SHARED, petrel_fd, 0);
	if (page == MAP_FAILED)
		return 0;	/* an older petrel.ko: listed, not counted */
	memcpy(page, &private_page, sizeof(private_page));
	ctr_page = page;
	return 0;
}
