// SPDX-License-Identifier: ISC
/*
 * Block devices over the BLOCK_READ/BLOCK_WRITE hypercalls. A request must
 * be whole blocks at a block-aligned offset, from a buffer in guest RAM:
 * checked here, because Solo5's solo5-hvt checks only the capacity (it
 * writes a misaligned request as asked, and ends the guest on a buffer
 * outside RAM), and a solo5.h guest must get SOLO5_R_EINVAL on either
 * tender. petrel's tender checks all of it again: guests need not use
 * these bindings.
 */
#include "hvt.h"

/* The block device of handle @h, or NULL. */
static const struct mft_entry *block_entry(solo5_handle_t h)
{
	const struct mft *m = (const void *)(uintptr_t)hvt_boot_info->mft;
	const struct mft_entry *e;

	if (h >= m->entries || h >= MFT_MAX_ENTRIES)
		return NULL;
	e = &m->e[h];
	if (e->type != MFT_DEV_BLOCK_BASIC || !e->attached)
		return NULL;
	return e;
}

/* Whether a request of @size bytes at @offset from @buf is well-formed. */
static bool block_request_ok(solo5_handle_t h, solo5_off_t offset,
			     const uint8_t *buf, size_t size)
{
	const struct mft_entry *e = block_entry(h);
	uint64_t bs, addr = (uint64_t)(uintptr_t)buf;
	uint64_t mem = hvt_boot_info->mem_size;

	if (!e)
		return false;
	bs = e->u.block_basic.block_size;
	if (bs == 0 || offset % bs != 0 || size == 0 || size % bs != 0)
		return false;
	return addr < mem && size <= mem - addr;
}

solo5_result_t solo5_block_acquire(const char *name, solo5_handle_t *handle,
				   struct solo5_block_info *info)
{
	const struct mft_entry *e = mft_lookup(name, MFT_DEV_BLOCK_BASIC,
					       handle);

	if (!e)
		return SOLO5_R_EUNSPEC;
	info->capacity = e->u.block_basic.capacity;
	info->block_size = e->u.block_basic.block_size;
	return SOLO5_R_OK;
}

solo5_result_t solo5_block_write(solo5_handle_t handle, solo5_off_t offset,
				 const uint8_t *buf, size_t size)
{
	volatile struct hvt_hc_block_write a = {
		.handle = handle,
		.offset = offset,
		.data = (uint64_t)(uintptr_t)buf,
		.len = size,
		.ret = HVT_RESULT_EUNSPEC,
	};

	if (!block_request_ok(handle, offset, buf, size))
		return SOLO5_R_EINVAL;
	hvt_hypercall(HVT_HYPERCALL_BLOCK_WRITE, &a);
	return (solo5_result_t)a.ret;
}

solo5_result_t solo5_block_read(solo5_handle_t handle, solo5_off_t offset,
				uint8_t *buf, size_t size)
{
	volatile struct hvt_hc_block_read a = {
		.handle = handle,
		.offset = offset,
		.data = (uint64_t)(uintptr_t)buf,
		.len = size,
		.ret = HVT_RESULT_EUNSPEC,
	};

	if (!block_request_ok(handle, offset, buf, size))
		return SOLO5_R_EINVAL;
	hvt_hypercall(HVT_HYPERCALL_BLOCK_READ, &a);
	return (solo5_result_t)a.ret;
}
