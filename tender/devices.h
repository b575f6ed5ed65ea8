/* SPDX-License-Identifier: ISC */
/*
 * Host side of the manifest devices. A device's handle is its manifest index,
 * as in Solo5, so hypercalls index devs.d[] directly after a bounds check.
 */
#ifndef PETREL_DEVICES_H
#define PETREL_DEVICES_H

#include <poll.h>
#include <stdbool.h>
#include <stdint.h>

#include "../abi/solo5_notes.h"
#include "args.h"
#include "err.h"

#define PETREL_NET_MTU		1500	/* the usual tap MTU (tests) */
#define PETREL_ETH_HLEN		14

struct device {
	uint32_t type;		/* enum mft_type; 0 for the reserved entry */
	const char *name;	/* the manifest's, for messages */
	int fd;
	/* net */
	uint16_t mtu;
	/* block */
	uint64_t capacity;
	uint32_t sector_size;
};

struct devices {
	unsigned n;			/* manifest entries */
	struct device d[MFT_MAX_ENTRIES];
	bool block_sync;
	/* POLL waits on these; handle of pollfd[i] is poll_handle[i]. */
	unsigned npoll;
	struct pollfd pollfd[MFT_MAX_ENTRIES];
	uint8_t poll_handle[MFT_MAX_ENTRIES];
};

/*
 * Match the command line against the manifest (every device attached,
 * every option naming a manifest device of its type), open every tap and
 * block file, and fill in the manifest's device properties and `attached`.
 */
int devices_attach(struct devices *devs, struct mft *mft,
		   struct petrel_args *a, struct errbuf *e);

/* Only the matching step, without opening anything (unit-tested). */
int devices_match(const struct mft *mft, const struct petrel_args *a,
		  struct errbuf *e);

/* The tap's fd, non-blocking, and its MTU (SIOCGIFMTU). */
int net_tap_open(const struct dev_request *r, int *fd, uint16_t *mtu,
		 struct errbuf *e);
int block_file_open(const struct dev_request *r, uint32_t sector_size, int *fd,
		    uint64_t *capacity, struct errbuf *e);

#endif /* PETREL_DEVICES_H */
