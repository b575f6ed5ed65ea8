// SPDX-License-Identifier: ISC
/* Writes seed inputs for the fuzz targets into DIR/elf and DIR/manifest. */
#include <stdio.h>
#include <stdlib.h>

#include "elfgen.h"

static void put(const char *dir, const char *name, const void *p, size_t n)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(p, 1, n, f) != n) {
		perror(path);
		exit(1);
	}
	fclose(f);
}

int main(int argc, char *argv[])
{
	static struct img im;
	static uint8_t desc[SOLO5_MFT_DESC_MAX];
	struct mft_entry e[3] = {
		{ .name = "", .type = MFT_RESERVED_FIRST },
		{ .name = "net0", .type = MFT_DEV_NET_BASIC },
		{ .name = "disk", .type = MFT_DEV_BLOCK_BASIC },
	};
	char dir[4096];
	const char *path;
	size_t n;
	FILE *f;
	char *buf;
	long len;

	if (argc != 2) {
		fprintf(stderr, "usage: fuzz_seeds DIR\n");
		return 1;
	}
	img_default(&im);
	img_set_mft(&im, e, 3);
	/* img_write makes a temp file; read it back as the seed. */
	path = img_write(&im);
	f = fopen(path, "rb");
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	buf = malloc((size_t)len);
	if (fread(buf, 1, (size_t)len, f) != (size_t)len)
		return 1;
	fclose(f);
	remove(path);
	snprintf(dir, sizeof(dir), "%s/elf", argv[1]);
	put(dir, "valid-3-devices", buf, (size_t)len);
	free(buf);
	n = mft_desc_build(desc, e, 3);
	snprintf(dir, sizeof(dir), "%s/manifest", argv[1]);
	put(dir, "valid-3-devices", desc, n);
	return 0;
}
