// SPDX-License-Identifier: ISC
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "devices.h"

int block_file_open(const struct dev_request *r, uint32_t sector_size,
		    int *out, uint64_t *capacity, struct errbuf *e)
{
	struct stat sb;
	off_t size;
	int fd;

	fd = open(r->path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return errf(e, "--block:%s=%s: %s", r->name, r->path,
			    strerror(errno));
	if (fstat(fd, &sb) < 0 || (!S_ISREG(sb.st_mode) &&
				   !S_ISBLK(sb.st_mode))) {
		close(fd);
		return errf(e, "--block:%s=%s: not a regular file or block "
			    "device", r->name, r->path);
	}
	/* lseek gives the size of block devices too, where st_size is 0. */
	size = lseek(fd, 0, SEEK_END);
	if (size < 0) {
		int err = errno;

		close(fd);
		return errf(e, "--block:%s=%s: cannot get size: %s", r->name,
			    r->path, strerror(err));
	}
	if ((uint64_t)size % sector_size) {
		close(fd);
		return errf(e, "--block:%s=%s: size %lld is not a multiple of "
			    "the sector size %u", r->name, r->path,
			    (long long)size, sector_size);
	}
	*out = fd;
	*capacity = (uint64_t)size;
	return 0;
}
