// SPDX-License-Identifier: ISC
#include <elf.h>
#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include "guest_protect.h"

static uint64_t page_down(uint64_t a)
{
	return a & ~(HVT_PAGE_SIZE - 1);
}

static uint64_t page_up(uint64_t a)
{
	return page_down(a + HVT_PAGE_SIZE - 1);
}

/*
 * Shrink [*s, *e) so that it keeps clear of the pages of writable segment
 * @w: a page shared with data must stay writable, or the guest's own data
 * writes would fault. Segments never overlap (the loader checked), so @w
 * can only touch either end.
 */
static void clip(uint64_t *s, uint64_t *e, const struct elf_seg *w)
{
	uint64_t ws = page_down(w->paddr), we = page_up(w->paddr + w->memsz);

	if (we <= *s || ws >= *e)
		return;
	if (ws <= *s)
		*s = we < *e ? we : *e;
	else
		*e = ws;
}

void guest_ro_ranges(const struct elf_image *img, struct guest_mem *m)
{
	m->nro = 0;
	for (unsigned i = 0; i < img->nsegs && i < ELF_MAX_PHDRS; i++) {
		const struct elf_seg *sg = &img->segs[i];
		uint64_t s, e;

		if ((sg->flags & PF_W) || sg->memsz == 0)
			continue;
		s = page_down(sg->paddr);
		e = page_up(sg->paddr + sg->memsz);
		for (unsigned j = 0; j < img->nsegs && j < ELF_MAX_PHDRS; j++)
			if ((img->segs[j].flags & PF_W) && img->segs[j].memsz)
				clip(&s, &e, &img->segs[j]);
		if (s >= e)
			continue;
		/* Sorted by address: merge with the previous one if adjacent. */
		if (m->nro && m->ro[m->nro - 1].end >= s) {
			if (e > m->ro[m->nro - 1].end)
				m->ro[m->nro - 1].end = e;
			continue;
		}
		if (m->nro == GMEM_RO_MAX)
			break;
		m->ro[m->nro++] = (struct gmem_range){ s, e };
	}
}

int guest_protect(const struct elf_image *img, struct guest_mem *m,
		  struct errbuf *e)
{
	guest_ro_ranges(img, m);
	for (unsigned i = 0; i < m->nro; i++) {
		const struct gmem_range *r = &m->ro[i];

		if (r->end > m->size)
			return errf(e, "read-only segment past guest memory");
		if (mprotect(m->base + r->start, r->end - r->start, PROT_READ))
			return errf(e, "cannot make the image's read-only "
				    "segments read-only: %s", strerror(errno));
	}
	return 0;
}
