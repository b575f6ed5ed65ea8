// SPDX-License-Identifier: ISC
/*
 * The guest linked in Solo5's image shape (solo5shape.ld.S): the pieces a
 * Solo5 toolchain image has and petrel's bindings do not emit, the
 * interpreter marker and the OpenBSD ident note, then a hello that proves
 * the image ran, and writes to its data and bss so both are really there.
 * SOLO5SHAPE_INTERP is the marker; solo5shape-interp.hvt builds this with
 * another one, which the tender must refuse.
 */
#include <stdint.h>

#include "util.h"

#ifndef SOLO5SHAPE_INTERP
#define SOLO5SHAPE_INTERP "/nonexistent/solo5/"
#endif

/* The marker, NUL-padded to 24 bytes and 8-aligned as Solo5 declares it. */
const char solo5shape_interp[24]
	__attribute__((section(".interp"), aligned(8), used)) =
	SOLO5SHAPE_INTERP;

/* The OpenBSD ident note (elf(5)): name "OpenBSD", type 1, 4 zero bytes. */
const struct {
	uint32_t namesz, descsz, type;
	char name[8];
	uint32_t desc;
} solo5shape_openbsd_note
	__attribute__((section(".note.solo5.not_openbsd"), aligned(4),
		       used)) = { 8, 4, 1, "OpenBSD", 0 };

static volatile int in_data = 42;
static volatile int in_bss;

int solo5_app_main(const struct solo5_start_info *si)
{
	(void)si;
	in_bss = in_data + 1;
	if (in_bss != 43)
		return 1;
	puts_("solo5shape: SUCCESS\n");
	return SOLO5_EXIT_SUCCESS;
}
