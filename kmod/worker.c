// SPDX-License-Identifier: GPL-2.0
/*
 * The VM's worker: a thread the tender lends to the module through
 * PETREL_IOC_WORKER. Every ring pass of the VM runs on it, so the work a
 * guest causes is charged where the guest's tender is: its cgroups, CPU
 * affinity, priority and accounting, which follow the process if it is
 * moved later; and guest memory (Solo5's ring names buffers by guest
 * address) is reached through the tender's own mappings with the usual
 * user copies. vhost gets there with a kthread that borrows the owner's mm
 * and joins its cgroups once (before 6.4) or a vhost_task (after); a lent
 * thread gets it on both kernels by construction.
 *
 * Work items are queued from wait-queue callbacks (atomic context) on a
 * per-VM list under a spinlock; the worker takes them one at a time, in
 * order, so devices that requeue themselves after a bounded pass take
 * turns. Flushing an item removes it from the list and waits until the
 * worker is not running it.
 */
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/spinlock.h>
#include <linux/wait.h>

#include "internal.h"

void petrel_worker_init(struct petrel_vm *vm)
{
	spin_lock_init(&vm->work_lock);
	INIT_LIST_HEAD(&vm->work_list);
	init_waitqueue_head(&vm->work_wq);
	init_waitqueue_head(&vm->flush_wq);
}

void petrel_work_init(struct petrel_work *w, void (*fn)(struct petrel_work *))
{
	INIT_LIST_HEAD(&w->entry);
	w->fn = fn;
}

/* Any context. Queued once: a work item already waiting is left in place. */
void petrel_work_queue(struct petrel_vm *vm, struct petrel_work *w)
{
	unsigned long flags;
	bool wake = false;

	spin_lock_irqsave(&vm->work_lock, flags);
	if (list_empty(&w->entry)) {
		list_add_tail(&w->entry, &vm->work_list);
		wake = true;
	}
	spin_unlock_irqrestore(&vm->work_lock, flags);
	if (wake)
		wake_up(&vm->work_wq);
}

/*
 * Process context, never on the worker: afterwards @w is neither queued
 * nor running. Whoever could queue it again must be unhooked first.
 */
void petrel_work_flush(struct petrel_vm *vm, struct petrel_work *w)
{
	bool running;

	for (;;) {
		spin_lock_irq(&vm->work_lock);
		/* It may have requeued itself while we waited. */
		list_del_init(&w->entry);
		running = vm->running == w;
		spin_unlock_irq(&vm->work_lock);
		if (!running)
			return;
		wait_event(vm->flush_wq, READ_ONCE(vm->running) != w);
	}
}

/* Any context, without the lock: a hint, for a worker deciding to wait. */
bool petrel_work_pending(struct petrel_vm *vm)
{
	return !list_empty_careful(&vm->work_list);
}

static struct petrel_work *petrel_work_next(struct petrel_vm *vm)
{
	struct petrel_work *w;

	spin_lock_irq(&vm->work_lock);
	w = list_first_entry_or_null(&vm->work_list, struct petrel_work,
				     entry);
	if (w)
		list_del_init(&w->entry);
	vm->running = w;
	spin_unlock_irq(&vm->work_lock);
	return w;
}

int petrel_worker_run(struct petrel_vm *vm)
{
	struct petrel_work *w;
	int ret = 0;

	if (current->mm != vm->mm)
		return -EPERM;
	spin_lock_irq(&vm->work_lock);
	if (vm->worker) {
		spin_unlock_irq(&vm->work_lock);
		return -EBUSY;
	}
	vm->worker = current;
	spin_unlock_irq(&vm->work_lock);

	for (;;) {
		/* A flood keeps the list full: look for signals each round. */
		if (signal_pending(current)) {
			ret = -ERESTARTSYS;
			break;
		}
		w = petrel_work_next(vm);
		if (!w) {
			ret = wait_event_interruptible(vm->work_wq,
						       petrel_work_pending(vm));
			if (ret)
				break;
			continue;
		}
		w->fn(w);
		spin_lock_irq(&vm->work_lock);
		vm->running = NULL;
		spin_unlock_irq(&vm->work_lock);
		if (wq_has_sleeper(&vm->flush_wq))
			wake_up_all(&vm->flush_wq);
		cond_resched();
	}

	spin_lock_irq(&vm->work_lock);
	vm->running = NULL;
	vm->worker = NULL;
	spin_unlock_irq(&vm->work_lock);
	wake_up_all(&vm->flush_wq);
	return ret;
}
