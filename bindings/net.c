// SPDX-License-Identifier: ISC
/*
 * Network devices: on petrel.ko's rings when the tender offered them and we
 * accepted (net_ring.c), over the NET_READ/NET_WRITE hypercalls otherwise.
 */
#include "hvt.h"

/*
 * Checked here before either path: a frame of at most MTU + 14 bytes, on a
 * net device, in a buffer inside guest RAM. Solo5's solo5-hvt hands any
 * length to the tap and ends the guest on a buffer outside RAM, and a
 * solo5.h guest must get SOLO5_R_EINVAL on either tender. petrel's tender
 * and petrel.ko check all of it again: guests need not use these bindings.
 */
static const struct mft_entry *net_entry(solo5_handle_t h)
{
	const struct mft *m = (const void *)(uintptr_t)hvt_boot_info->mft;
	const struct mft_entry *e;

	if (h >= m->entries || h >= MFT_MAX_ENTRIES)
		return NULL;
	e = &m->e[h];
	if (e->type != MFT_DEV_NET_BASIC || !e->attached)
		return NULL;
	return e;
}

static bool in_ram(const uint8_t *buf, size_t size)
{
	uint64_t addr = (uint64_t)(uintptr_t)buf;
	uint64_t mem = hvt_boot_info->mem_size;

	return addr < mem && size <= mem - addr;
}

solo5_result_t solo5_net_acquire(const char *name, solo5_handle_t *handle,
				 struct solo5_net_info *info)
{
	const struct mft_entry *e = mft_lookup(name, MFT_DEV_NET_BASIC,
					       handle);

	if (!e)
		return SOLO5_R_EUNSPEC;
	memcpy(info->mac_address, e->u.net_basic.mac, SOLO5_NET_ALEN);
	info->mtu = e->u.net_basic.mtu;
	return SOLO5_R_OK;
}

solo5_result_t solo5_net_write(solo5_handle_t handle, const uint8_t *buf,
			       size_t size)
{
	const struct mft_entry *e = net_entry(handle);

	if (!e || size > (size_t)e->u.net_basic.mtu + SOLO5_NET_HLEN ||
	    !in_ram(buf, size))
		return SOLO5_R_EINVAL;
	if (net_ring_is(handle))
		return net_ring_write(handle, buf, size);

	volatile struct hvt_hc_net_write a = {
		.handle = handle,
		.data = (uint64_t)(uintptr_t)buf,
		.len = size,
		.ret = HVT_RESULT_EUNSPEC,
	};

	hvt_hypercall(HVT_HYPERCALL_NET_WRITE, &a);
	return (solo5_result_t)a.ret;
}

solo5_result_t solo5_net_read(solo5_handle_t handle, uint8_t *buf,
			      size_t size, size_t *read_size)
{
	if (!net_entry(handle) || !in_ram(buf, size))
		return SOLO5_R_EINVAL;
	if (net_ring_is(handle))
		return net_ring_read(handle, buf, size, read_size);

	volatile struct hvt_hc_net_read a = {
		.handle = handle,
		.data = (uint64_t)(uintptr_t)buf,
		.len = size,
		.ret = HVT_RESULT_EUNSPEC,
	};

	hvt_hypercall(HVT_HYPERCALL_NET_READ, &a);
	if (a.ret == HVT_RESULT_OK)
		*read_size = (size_t)a.len;
	return (solo5_result_t)a.ret;
}
