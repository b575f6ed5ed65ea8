// SPDX-License-Identifier: ISC
/*
 * libFuzzer target: the command-line parser on arbitrary argument vectors.
 * The input is split at NUL bytes into argv[1..]. Whatever it returns, the
 * result must be consistent: on success an image path and a NUL-terminated
 * guest command line that fits, memory in range, device names bounded; on
 * failure a non-empty one-line message.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../tender/args.h"

#define MAX_ARGS	64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct petrel_args a;
	char *argv[MAX_ARGS + 2];
	struct errbuf e;
	char *buf = malloc(size + 1);
	int argc = 1;
	size_t start = 0;

	if (!buf)
		abort();
	memcpy(buf, data, size);
	buf[size] = '\0';
	argv[0] = "petrel";
	for (size_t i = 0; i <= size && argc <= MAX_ARGS; i++)
		if (buf[i] == '\0') {
			argv[argc++] = buf + start;
			start = i + 1;
		}
	argv[argc] = NULL;

	memset(&e, 0, sizeof(e));
	if (args_parse(argc, argv, &a, &e) == 0) {
		if (!a.help && !a.version &&
		    (!a.image || a.image[0] == '\0'))
			abort();
		if (strnlen(a.cmdline, sizeof(a.cmdline)) >= sizeof(a.cmdline))
			abort();
		if (!a.help && !a.version &&
		    (a.mem_bytes < (2ULL << 20) ||
		     a.mem_bytes > (uint64_t)PETREL_MEM_MAX_MIB << 20 ||
		     a.mem_bytes % (2ULL << 20)))
			abort();
		if (a.ndevs > MFT_MAX_ENTRIES)
			abort();
		for (unsigned i = 0; i < a.ndevs; i++)
			if (strnlen(a.devs[i].name, MFT_NAME_SIZE) >
			    MFT_NAME_MAX)
				abort();
	} else if (e.msg[0] == '\0' || strchr(e.msg, '\n')) {
		abort();
	}
	free(buf);
	return 0;
}
