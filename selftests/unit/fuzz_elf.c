// SPDX-License-Identifier: ISC
/*
 * libFuzzer target: the ELF parser and loader on arbitrary files. Whatever
 * the parser accepts must also load inside guest memory without a
 * sanitizer report.
 */
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../../tender/elf_image.h"

#define MEM_SIZE	(4ULL << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct elf_image img;
	static uint8_t *mem;
	struct guest_mem gm;
	struct errbuf e;
	int fd = memfd_create("fuzz-elf", 0);

	if (fd < 0)
		abort();
	if (!mem)
		mem = malloc(MEM_SIZE);
	gm = (struct guest_mem){ .base = mem, .size = MEM_SIZE };
	if (write(fd, data, size) == (ssize_t)size &&
	    elf_image_parse(fd, "fuzz", MEM_SIZE, &img, &e) == 0)
		elf_image_load(fd, "fuzz", &img, &gm, &e);
	close(fd);
	return 0;
}
