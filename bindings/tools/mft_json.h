/* SPDX-License-Identifier: ISC */
/*
 * Parse a Solo5 manifest.json, e.g.
 *   {"type": "solo5.manifest", "version": 1,
 *    "devices": [{"name": "service0", "type": "NET_BASIC"}]}
 * into the device list a manifest note is generated from. Hostile input
 * must end in an error message, never a crash: this is a fuzzing target.
 */
#ifndef PETREL_MFT_JSON_H
#define PETREL_MFT_JSON_H

#include <stddef.h>
#include <stdint.h>

#include "../../abi/solo5_notes.h"

/* At most MFT_MAX_ENTRIES in all, one of which is the reserved entry. */
#define MFT_JSON_MAX_DEVICES	(MFT_MAX_ENTRIES - 1)

struct mft_json_device {
	char name[MFT_NAME_SIZE];
	uint32_t type;		/* MFT_DEV_* */
};

struct mft_json {
	unsigned ndevices;
	struct mft_json_device dev[MFT_JSON_MAX_DEVICES];
};

/* 0 on success; -1 with a one-line reason in @err (of @errlen bytes). */
int mft_json_parse(const char *buf, size_t len, struct mft_json *out,
		   char *err, size_t errlen);

#endif /* PETREL_MFT_JSON_H */
