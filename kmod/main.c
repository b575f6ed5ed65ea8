// SPDX-License-Identifier: GPL-2.0
/*
 * petrel.ko: /dev/petrel and the ioctl surface. Each open file is one VM;
 * closing the file (which the kernel also does when the owner dies) tears
 * the VM down, so no state outlives its last file.
 */
#include <linux/compat.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/uaccess.h>
#include <net/genetlink.h>

#include "internal.h"

static int petrel_open(struct inode *inode, struct file *file)
{
	struct petrel_vm *vm = petrel_vm_create();

	if (IS_ERR(vm))
		return PTR_ERR(vm);
	file->private_data = vm;
	return stream_open(inode, file);
}

static int petrel_release(struct inode *inode, struct file *file)
{
	petrel_vm_destroy(file->private_data);
	return 0;
}

static int petrel_mmap(struct file *file, struct vm_area_struct *vma)
{
	return petrel_vm_mmap(file->private_data, vma);
}

static bool petrel_zero(const void *p, size_t n)
{
	return !memchr_inv(p, 0, n);
}

static long petrel_ioc_set_name(struct petrel_vm *vm, void __user *arg)
{
	struct petrel_vm_name req;

	if (copy_from_user(&req, arg, sizeof(req)))
		return -EFAULT;
	if (req.flags || req.reserved)
		return -EINVAL;
	return petrel_vm_set_name(vm, &req);
}

static long petrel_ioc_register(struct petrel_vm *vm, void __user *arg)
{
	struct petrel_net_register __user *uarg = arg;
	struct petrel_net_register req;

	if (copy_from_user(&req, uarg, sizeof(req)))
		return -EFAULT;
	if ((req.flags & ~PETREL_NET_F_ALL) || req.dev_id || req.reserved0 ||
	    !petrel_zero(req.reserved, sizeof(req.reserved)))
		return -EINVAL;
	/* Writes dev_id back itself, before the device goes live. */
	return petrel_dev_register(vm, &req, &uarg->dev_id);
}

static long petrel_ioc_unregister(struct petrel_vm *vm, void __user *arg)
{
	struct petrel_net_unregister req;

	if (copy_from_user(&req, arg, sizeof(req)))
		return -EFAULT;
	if (req.flags || !petrel_zero(req.reserved, sizeof(req.reserved)))
		return -EINVAL;
	return petrel_dev_unregister(vm, req.dev_id);
}

static long petrel_ioc_tender_stats(struct petrel_vm *vm, void __user *arg)
{
	struct petrel_tender_stats req;

	if (copy_from_user(&req, arg, sizeof(req)))
		return -EFAULT;
	if (req.flags || req.reserved ||
	    !petrel_zero(req.reserved2, sizeof(req.reserved2)))
		return -EINVAL;
	mutex_lock(&vm->lock);
	vm->tender = req;
	mutex_unlock(&vm->lock);
	return 0;
}

static long petrel_ioc_hvt_ring(struct petrel_vm *vm, void __user *arg)
{
	struct petrel_hvt_ring_register req;

	if (copy_from_user(&req, arg, sizeof(req)))
		return -EFAULT;
	if (req.flags || req.reserved0 ||
	    !petrel_zero(req.reserved, sizeof(req.reserved)) ||
	    req.poll_us > PETREL_HVT_POLL_US_MAX)
		return -EINVAL;
	return petrel_hvt_register(vm, &req);
}

static long petrel_ioctl(struct file *file, unsigned int cmd,
			 unsigned long arg)
{
	struct petrel_vm *vm = file->private_data;
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case PETREL_IOC_VERSION:
		return PETREL_ABI_VERSION;
	case PETREL_IOC_SET_NAME:
		return petrel_ioc_set_name(vm, uarg);
	case PETREL_IOC_NET_REGISTER:
		return petrel_ioc_register(vm, uarg);
	case PETREL_IOC_NET_UNREGISTER:
		return petrel_ioc_unregister(vm, uarg);
	case PETREL_IOC_TENDER_STATS:
		return petrel_ioc_tender_stats(vm, uarg);
	case PETREL_IOC_WORKER:
		return arg ? -EINVAL : petrel_worker_run(vm);
	case PETREL_IOC_HVT_RING:
		return petrel_ioc_hvt_ring(vm, uarg);
	default:
		return -ENOTTY;
	}
}

static const struct file_operations petrel_fops = {
	.owner = THIS_MODULE,
	.open = petrel_open,
	.release = petrel_release,
	.mmap = petrel_mmap,
	.unlocked_ioctl = petrel_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};

static struct miscdevice petrel_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "petrel",
	.fops = &petrel_fops,
	.mode = 0600,
};

static int __init petrel_init(void)
{
	int ret;

	ret = petrel_genl_init();
	if (ret)
		return ret;
	ret = misc_register(&petrel_misc);
	if (ret)
		petrel_genl_exit();
	return ret;
}

static void __exit petrel_exit(void)
{
	misc_deregister(&petrel_misc);
	petrel_genl_exit();
	WARN_ON(!xa_empty(&petrel_vms));
}

module_init(petrel_init);
module_exit(petrel_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("petrel: packet rings between taps and unikernel memory");
MODULE_ALIAS_GENL_FAMILY(PETREL_GENL_NAME);
