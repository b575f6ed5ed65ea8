// SPDX-License-Identifier: GPL-2.0
/*
 * The VM table: ids for netlink, names unique per network namespace, and
 * teardown of everything a VM owns.
 */
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/timekeeping.h>
#include <linux/nsproxy.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <net/net_namespace.h>

#include "compat.h"
#include "internal.h"

/* The VM table, names and device slots (see internal.h). */
DEFINE_MUTEX(petrel_vms_lock);
DEFINE_XARRAY_ALLOC1(petrel_vms);
/* Bumped on every table change; netlink dumps report a change mid-dump. */
unsigned int petrel_vms_gen = 1;
static u32 petrel_vms_next;

struct petrel_vm *petrel_vm_create(void)
{
	struct petrel_vm *vm;
	int ret;

	vm = kzalloc(sizeof(*vm), GFP_KERNEL_ACCOUNT);
	if (!vm)
		return ERR_PTR(-ENOMEM);
	vm->counters = alloc_page(GFP_KERNEL_ACCOUNT | __GFP_ZERO);
	if (!vm->counters) {
		kfree(vm);
		return ERR_PTR(-ENOMEM);
	}
	mutex_init(&vm->lock);
	petrel_worker_init(vm);
	/* Held, so the pointer cannot name another process's mm later. */
	mmgrab(current->mm);
	vm->mm = current->mm;
	vm->created_ns = ktime_get_boottime_ns();
	/* Kept as a struct pid: each reader sees it in its own namespace. */
	vm->pid = get_task_pid(current, PIDTYPE_TGID);
	vm->net = get_net(current->nsproxy->net_ns);

	mutex_lock(&petrel_vms_lock);
	ret = xa_alloc_cyclic(&petrel_vms, &vm->id, vm, xa_limit_31b,
			      &petrel_vms_next, GFP_KERNEL);
	if (ret >= 0)
		petrel_vms_gen++;
	mutex_unlock(&petrel_vms_lock);
	if (ret < 0) {
		put_pid(vm->pid);
		put_net(vm->net);
		mmdrop(vm->mm);
		__free_page(vm->counters);
		kfree(vm);
		return ERR_PTR(ret);
	}
	petrel_genl_notify(vm, PETREL_CMD_VM_NEW);
	return vm;
}

/*
 * Called once, at release: no ioctl can run on this VM any more, so its
 * device slots change only here and may be read without the table lock.
 */
void petrel_vm_destroy(struct petrel_vm *vm)
{
	struct petrel_dev *devs[PETREL_MAX_NETDEVS];
	unsigned int i;

	/*
	 * Stop the devices first, still in their slots (their taps stay
	 * registered, their counters in GET replies); cancel_work_sync()
	 * may wait for a whole worker run, so not under the table lock.
	 */
	for (i = 0; i < PETREL_MAX_NETDEVS; i++)
		if (vm->devs[i])
			petrel_dev_stop(vm->devs[i]);

	mutex_lock(&petrel_vms_lock);
	xa_erase(&petrel_vms, vm->id);
	petrel_vms_gen++;
	for (i = 0; i < PETREL_MAX_NETDEVS; i++) {
		devs[i] = vm->devs[i];
		vm->devs[i] = NULL;
		if (devs[i])
			petrel_dev_retire(devs[i]);
	}
	mutex_unlock(&petrel_vms_lock);

	/* Unreachable now: unpin, unmap and drop files with no lock held. */
	for (i = 0; i < PETREL_MAX_NETDEVS; i++)
		if (devs[i])
			petrel_dev_free(devs[i]);
	/* The event carries the final counters, the Solo5 ring's too. */
	petrel_genl_notify(vm, PETREL_CMD_VM_DEL);
	petrel_hvt_free(vm->hvt);
	put_pid(vm->pid);
	put_net(vm->net);
	mmdrop(vm->mm);
	mutex_destroy(&vm->lock);
	/* Mappings hold their own page references; this drops ours. */
	__free_page(vm->counters);
	kfree(vm);
}

/*
 * Map the counters page: the whole page at offset 0, shared, not growable.
 * Every mapping of the VM's file shows the same page. Not inherited by
 * fork: a mapping holds the file, so a child that outlived the tender
 * would keep the VM, its pinned pages and its taps alive.
 */
int petrel_vm_mmap(struct petrel_vm *vm, struct vm_area_struct *vma)
{
	int ret;

	if (vma->vm_pgoff || vma->vm_end - vma->vm_start != PAGE_SIZE ||
	    !(vma->vm_flags & VM_SHARED))
		return -EINVAL;
	petrel_vm_flags_set(vma, VM_DONTCOPY | VM_DONTEXPAND | VM_DONTDUMP);
	ret = vm_insert_page(vma, vma->vm_start, vm->counters);
	if (ret)
		return ret;
	mutex_lock(&vm->lock);
	vm->counters_mapped = true;
	mutex_unlock(&vm->lock);
	return 0;
}

/*
 * The ABI's [A-Za-z0-9._-], spelled out: the kernel's isalnum() also takes
 * the Latin-1 letters 0xc0..0xff.
 */
static bool petrel_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

static bool petrel_name_valid(const char *name, size_t size)
{
	size_t len = strnlen(name, size);
	size_t i;

	if (len == 0 || len == size)
		return false;
	for (i = 0; i < len; i++)
		if (!petrel_name_char(name[i]))
			return false;
	/* Zero padding keeps the field comparable and extensible. */
	return !memchr_inv(name + len, 0, size - len);
}

struct petrel_vm *petrel_vm_find_name(const struct net *net, const char *name)
{
	struct petrel_vm *vm;
	unsigned long id;

	lockdep_assert_held(&petrel_vms_lock);
	xa_for_each(&petrel_vms, id, vm) {
		if (net_eq(vm->net, net) && vm->name[0] &&
		    !strcmp(vm->name, name))
			return vm;
	}
	return NULL;
}

int petrel_vm_set_name(struct petrel_vm *vm, const struct petrel_vm_name *req)
{
	int ret = 0;

	if (!petrel_name_valid(req->name, sizeof(req->name)))
		return -EINVAL;
	mutex_lock(&petrel_vms_lock);
	if (vm->name[0])
		ret = -EALREADY;
	else if (petrel_vm_find_name(vm->net, req->name))
		ret = -EEXIST;
	else
		strscpy(vm->name, req->name, sizeof(vm->name));
	if (!ret)
		petrel_vms_gen++;
	mutex_unlock(&petrel_vms_lock);
	return ret;
}

void petrel_counters_add(struct petrel_counters *dst,
			 const struct petrel_counters *src)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(src->stat); i++)
		atomic64_add(atomic64_read(&src->stat[i]), &dst->stat[i]);
	for (i = 0; i < PETREL_HIST_BUCKETS; i++) {
		atomic64_add(atomic64_read(&src->tx_batch[i]),
			     &dst->tx_batch[i]);
		atomic64_add(atomic64_read(&src->rx_batch[i]),
			     &dst->rx_batch[i]);
	}
}
