// SPDX-License-Identifier: ISC
#include "hvt.h"

const struct mft_entry *mft_lookup(const char *name, uint32_t type,
				   solo5_handle_t *index)
{
	const struct mft *m = (const void *)(uintptr_t)hvt_boot_info->mft;
	uint32_t i;

	for (i = 0; i < m->entries && i < MFT_MAX_ENTRIES; i++) {
		const struct mft_entry *e = &m->e[i];

		if (e->type == type && e->attached &&
		    strcmp(e->name, name) == 0) {
			*index = i;
			return e;
		}
	}
	return NULL;
}
