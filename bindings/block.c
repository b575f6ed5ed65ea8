// SPDX-License-Identifier: ISC
/*
 * Block devices over the BLOCK_READ/BLOCK_WRITE hypercalls. Alignment and
 * capacity are the tender's to check: it must check them anyway, since the
 * guest need not use these bindings.
 */
#include "hvt.h"

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

	hvt_hypercall(HVT_HYPERCALL_BLOCK_READ, &a);
	return (solo5_result_t)a.ret;
}
