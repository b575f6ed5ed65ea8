// SPDX-License-Identifier: ISC
/* libFuzzer target: petrel-elftool's manifest.json parser. */
#include <stdint.h>
#include <string.h>

#include "../../bindings/tools/mft_json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct mft_json m;
	char err[256];
	size_t names = 0;

	/* Invariants trap: a return value is only libFuzzer's corpus hint. */
	if (mft_json_parse((const char *)data, size, &m, err, sizeof(err))) {
		if (!memchr(err, '\0', sizeof(err)))
			__builtin_trap();
		return 0;
	}
	if (m.ndevices > MFT_JSON_MAX_DEVICES)
		__builtin_trap();
	for (unsigned i = 0; i < m.ndevices; i++)
		names += strnlen(m.dev[i].name, MFT_NAME_SIZE);
	if (names > m.ndevices * MFT_NAME_MAX)
		__builtin_trap();
	return 0;
}
