// SPDX-License-Identifier: ISC
/* The ABI note: this image is for the hvt target, ABI version 2. */
#include "hvt.h"

/* Overridden only to build the wrong-ABI test image. */
#ifndef PETREL_ABI_NOTE_VERSION
#define PETREL_ABI_NOTE_VERSION HVT_ABI_VERSION
#endif

static const struct {
	uint32_t n_namesz;
	uint32_t n_descsz;
	uint32_t n_type;
	char n_name[SOLO5_NOTE_NAME_PADDED];
	struct solo5_abi_info info;
} abi_note __attribute__((section(".note.solo5.abi"), aligned(4), used)) = {
	.n_namesz = SOLO5_NOTE_NAMESZ,
	.n_descsz = sizeof(struct solo5_abi_info),
	.n_type = SOLO5_ABI_NOTE_TYPE,
	.n_name = SOLO5_NOTE_NAME,
	.info = {
		.abi_target = SOLO5_ABI_TARGET_HVT,
		.abi_version = PETREL_ABI_NOTE_VERSION,
	},
};

_Static_assert(offsetof(__typeof__(abi_note), info) == SOLO5_NOTE_DESC_OFFSET,
	       "ABI note descriptor offset");
