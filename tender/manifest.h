/* SPDX-License-Identifier: ISC */
/* Validation of the manifest note an image declares its devices in. */
#ifndef PETREL_MANIFEST_H
#define PETREL_MANIFEST_H

#include <stddef.h>

#include "../abi/solo5_notes.h"
#include "err.h"

/*
 * Check the raw MFT1 descriptor @desc of @descsz bytes (it starts with the
 * SOLO5_MFT_DESC_PAD bytes, see solo5_notes.h). On success *@mft points
 * into @desc, at @desc + SOLO5_MFT_DESC_PAD, which must be 8-byte aligned.
 */
int mft_validate(const void *desc, size_t descsz, const struct mft **mft,
		 struct errbuf *e);

const char *mft_type_name(uint32_t type);

#endif /* PETREL_MANIFEST_H */
