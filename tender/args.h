/* SPDX-License-Identifier: ISC */
/*
 * The command line, compatible with solo5-hvt:
 *   petrel [--mem=N] [--version] [--help] [module options] [--] IMAGE [ARGS...]
 * Options are described by one table in args.c; device ("module") options
 * take the form --OPTION:NAME=VALUE where NAME is a manifest device.
 */
#ifndef PETREL_ARGS_H
#define PETREL_ARGS_H

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "../abi/hvt_abi.h"
#include "../abi/solo5_notes.h"
#include "err.h"

#define PETREL_VERSION		"0.1"
#define PETREL_MEM_MAX_MIB	4096
#define PETREL_SECTOR_DEFAULT	512
#define PETREL_SECTOR_MAX	32768	/* mft block_size is a u16 */

/* What the command line asked for one manifest device. */
struct dev_request {
	char name[MFT_NAME_SIZE];
	uint32_t type;			/* enum mft_type */
	bool given;			/* --net:NAME or --block:NAME seen */
	/* net */
	char iface[IFNAMSIZ];		/* "" when attached by fd */
	int tap_fd;			/* -1 unless --net:NAME=@FD */
	bool has_mac;
	uint8_t mac[6];
	/* block */
	const char *path;
	uint32_t sector_size;		/* 0: not given */
};

/* --name: what petrel.ko's netlink calls the VM (its PETREL_NAME_MAX). */
#define PETREL_VM_NAME_MAX	31

/* --net-ring: whether net devices use petrel.ko's shared rings. */
enum net_ring_mode {
	NET_RING_AUTO,		/* when /dev/petrel exists (the default) */
	NET_RING_ON,		/* fail without it */
	NET_RING_OFF		/* hypercalls only */
};

struct petrel_args {
	uint64_t mem_bytes;
	char name[PETREL_VM_NAME_MAX + 1];	/* "" when not given */
	const char *image;
	char cmdline[HVT_CMDLINE_SIZE];
	bool version;
	bool help;
	bool print_policy;
	bool block_sync;
	enum net_ring_mode net_ring;
	unsigned ndevs;
	struct dev_request devs[MFT_MAX_ENTRIES];
};

/* Parse argv; on error fill @e (one line, no "petrel: " prefix). */
int args_parse(int argc, char *const argv[], struct petrel_args *a,
	       struct errbuf *e);

void args_usage(FILE *f);

/* The request for device @name, or NULL. */
struct dev_request *args_find_dev(struct petrel_args *a, const char *name);

#endif /* PETREL_ARGS_H */
