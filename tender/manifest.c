// SPDX-License-Identifier: ISC
#include <string.h>

#include "manifest.h"

const char *mft_type_name(uint32_t type)
{
	switch (type) {
	case MFT_DEV_BLOCK_BASIC:
		return "BLOCK_BASIC";
	case MFT_DEV_NET_BASIC:
		return "NET_BASIC";
	case MFT_RESERVED_FIRST:
		return "RESERVED_FIRST";
	default:
		return "unknown";
	}
}

int mft_validate(const void *desc, size_t descsz, const struct mft **out,
		 struct errbuf *e)
{
	const struct mft *m;

	if (descsz < SOLO5_MFT_DESC_SIZE(0))
		return errf(e, "manifest note does not fall within valid size "
			    "(%zu bytes, too short)", descsz);
	m = (const struct mft *)((const char *)desc + SOLO5_MFT_DESC_PAD);
	if (m->version != MFT_VERSION)
		return errf(e, "manifest version %u, expected %d",
			    m->version, MFT_VERSION);
	if (m->entries > MFT_MAX_ENTRIES)
		return errf(e, "manifest has %u entries, at most %d allowed",
			    m->entries, MFT_MAX_ENTRIES);
	if (descsz != SOLO5_MFT_DESC_SIZE(m->entries))
		return errf(e, "manifest note is %zu bytes, but %u entries "
			    "need %zu", descsz, m->entries,
			    SOLO5_MFT_DESC_SIZE(m->entries));

	for (uint32_t i = 0; i < m->entries; i++) {
		const struct mft_entry *d = &m->e[i];

		if (!memchr(d->name, '\0', sizeof(d->name)))
			return errf(e, "manifest entry %u: name not "
				    "terminated", i);
		if (d->type == MFT_RESERVED_FIRST) {
			if (i != 0 || d->name[0] != '\0')
				return errf(e, "manifest entry %u: reserved "
					    "entry allowed only first and "
					    "unnamed", i);
			continue;
		}
		if (d->type != MFT_DEV_BLOCK_BASIC &&
		    d->type != MFT_DEV_NET_BASIC)
			return errf(e, "manifest entry %u ('%s'): unknown "
				    "device type %u", i, d->name, d->type);
		if (d->name[0] == '\0')
			return errf(e, "manifest entry %u: empty name", i);
		for (uint32_t j = 0; j < i; j++)
			if (!strcmp(m->e[j].name, d->name))
				return errf(e, "manifest declares device "
					    "'%s' twice", d->name);
	}
	*out = m;
	return 0;
}
