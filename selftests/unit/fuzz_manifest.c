// SPDX-License-Identifier: ISC
/* libFuzzer target: manifest validation on arbitrary descriptors. */
#include <stdint.h>
#include <string.h>

#include "../../tender/manifest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static _Alignas(8) uint8_t buf[8 + SOLO5_MFT_DESC_MAX];
	const struct mft *m;
	struct errbuf e;
	size_t names = 0;

	if (size > SOLO5_MFT_DESC_MAX)
		return 0;
	memcpy(buf + 8 - SOLO5_MFT_DESC_PAD, data, size);
	if (mft_validate(buf + 8 - SOLO5_MFT_DESC_PAD, size, &m, &e) == 0)
		for (uint32_t i = 0; i < m->entries; i++)
			names += strlen(m->e[i].name);	/* must be bounded */
	return names > MFT_MAX_ENTRIES * MFT_NAME_MAX ? -1 : 0;
}
