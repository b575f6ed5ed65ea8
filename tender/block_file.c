// SPDX-License-Identifier: ISC
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "devices.h"

int block_file_open(const struct dev_request *r, uint32_t sector_size,
		    int *out, uint64_t *capacity, struct errbuf *e)
{
	struct stat sb;
	off_t size;
	int fd;

	/* O_NONBLOCK: opening a FIFO must not wait for a writer. */
	fd = open(r->path, O_RDWR | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return errf(e, "--block:%s=%s: cannot open for reading and "
			    "writing: %s", r->name, r->path, strerror(errno));
	if (fstat(fd, &sb) < 0 || (!S_ISREG(sb.st_mode) &&
				   !S_ISBLK(sb.st_mode))) {
		close(fd);
		return errf(e, "--block:%s=%s: not a regular file or block "
			    "device", r->name, r->path);
	}
	/*
	 * One file, one device of one VM: two guests writing the same disk
	 * corrupt it. The lock belongs to this open file, so it goes away
	 * with the tender however it dies; a second open of the same file,
	 * even by this process, conflicts with it.
	 */
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		int err = errno;

		close(fd);
		if (err == EWOULDBLOCK)
			return errf(e, "--block:%s=%s: file in use (locked by "
				    "another VM or process, or given twice)",
				    r->name, r->path);
		return errf(e, "--block:%s=%s: cannot lock: %s", r->name,
			    r->path, strerror(err));
	}
	/* lseek gives the size of block devices too, where st_size is 0. */
	size = lseek(fd, 0, SEEK_END);
	if (size < 0) {
		int err = errno;

		close(fd);
		return errf(e, "--block:%s=%s: cannot get size: %s", r->name,
			    r->path, strerror(err));
	}
	/* The phrases are solo5-hvt's: scripts written for it grep them. */
	if ((uint64_t)size < sector_size) {
		close(fd);
		return errf(e, "--block:%s=%s: Backing storage must be at "
			    "least 1 block (%u bytes) in size, it has %lld",
			    r->name, r->path, sector_size, (long long)size);
	}
	if ((uint64_t)size % sector_size) {
		close(fd);
		return errf(e, "--block:%s=%s: Backing storage size must be "
			    "block aligned: size %lld is not a multiple of "
			    "the sector size %u", r->name, r->path,
			    (long long)size, sector_size);
	}
	*out = fd;
	*capacity = (uint64_t)size;
	return 0;
}
