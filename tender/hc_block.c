// SPDX-License-Identifier: ISC
/*
 * BLOCK_WRITE / BLOCK_READ: whole sectors at sector-aligned offsets inside
 * the device. Without --block-sync a write that returned OK sits in the host
 * page cache: it survives the tender or the guest dying, not a host crash.
 * A valid request the file cannot serve (an I/O error, the file truncated
 * under us, no space left) ends the tender with exit 1, as in solo5-hvt:
 * the guest's disk is broken, and telling it so could not be undone.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "counters.h"
#include "hypercall.h"
#include "say.h"

/* The block device for @handle if [off, off + len) is a valid request. */
static struct device *block_req(struct hc_ctx *c, uint64_t handle,
				uint64_t off, uint64_t len)
{
	struct device *d;

	if (handle >= c->devs->n ||
	    c->devs->d[handle].type != MFT_DEV_BLOCK_BASIC)
		return NULL;
	d = &c->devs->d[handle];
	if (off % d->sector_size || len % d->sector_size ||
	    off > d->capacity || len > d->capacity - off)
		return NULL;
	return d;
}

static void do_io(const struct device *d, uint8_t *p, uint64_t len,
		  uint64_t off, int write_)
{
	const char *what = write_ ? "writing" : "reading";

	while (len) {
		ssize_t n = write_ ? pwrite(d->fd, p, len, (off_t)off) :
				     pread(d->fd, p, len, (off_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			say_fatal("petrel: block device '%s': %s %llu bytes "
				  "at offset %llu failed: %s", d->name, what,
				  (unsigned long long)len,
				  (unsigned long long)off,
				  strerrorname_np(errno));
		if (n == 0)
			say_fatal("petrel: block device '%s': %s at offset "
				  "%llu: end of file (the file shrank)",
				  d->name, what, (unsigned long long)off);
		p += n;
		off += (uint64_t)n;
		len -= (uint64_t)n;
	}
}

static enum hc_action block_write(struct hc_ctx *c, uint64_t gpa)
{
	struct hvt_hc_block_write a;
	struct device *d;
	uint8_t *p;
	int32_t ret = HVT_RESULT_EINVAL;

	if (hc_arg_in(c, gpa, &a, sizeof(a)))
		return HC_FAULT;
	d = block_req(c, a.handle, a.offset, a.len);
	p = gmem_ptr(&c->mem, a.data, a.len);
	if (d && p) {
		do_io(d, p, a.len, a.offset, 1);
		if (c->devs->block_sync && fdatasync(d->fd) < 0)
			say_fatal("petrel: block device '%s': fdatasync "
				  "failed: %s", d->name,
				  strerrorname_np(errno));
		ret = HVT_RESULT_OK;
	}
	if (ret == HVT_RESULT_OK) {
		ctr_add(PETREL_TENDER_A_BLK_WRITES, 1);
		ctr_add(PETREL_TENDER_A_BLK_WRITE_BYTES, a.len);
	} else {
		ctr_add(PETREL_TENDER_A_BLK_ERRORS, 1);
	}
	HC_OUT(c, gpa, struct hvt_hc_block_write, ret, ret);
	return HC_CONTINUE;
}

static enum hc_action block_read(struct hc_ctx *c, uint64_t gpa)
{
	struct hvt_hc_block_read a;
	struct device *d;
	uint8_t *p;
	int32_t ret = HVT_RESULT_EINVAL;

	if (hc_arg_in(c, gpa, &a, sizeof(a)))
		return HC_FAULT;
	d = block_req(c, a.handle, a.offset, a.len);
	/* Into memory the guest may write only (gmem_wptr): else EINVAL. */
	p = gmem_wptr(&c->mem, a.data, a.len);
	if (d && p) {
		do_io(d, p, a.len, a.offset, 0);
		ret = HVT_RESULT_OK;
	}
	if (ret == HVT_RESULT_OK) {
		ctr_add(PETREL_TENDER_A_BLK_READS, 1);
		ctr_add(PETREL_TENDER_A_BLK_READ_BYTES, a.len);
	} else {
		ctr_add(PETREL_TENDER_A_BLK_ERRORS, 1);
	}
	HC_OUT(c, gpa, struct hvt_hc_block_read, ret, ret);
	return HC_CONTINUE;
}

const struct hypercall hc_block_write = {
	HVT_HYPERCALL_BLOCK_WRITE, "BLOCK_WRITE", block_write
};
const struct hypercall hc_block_read = {
	HVT_HYPERCALL_BLOCK_READ, "BLOCK_READ", block_read
};
