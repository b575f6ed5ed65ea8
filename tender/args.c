// SPDX-License-Identifier: ISC
/*
 * Command-line parsing. Every option is one row of opt_table; adding a
 * device option means adding a row and a setter, nothing else.
 */
#include <ctype.h>
#include <limits.h>
#include <string.h>

#include "args.h"

enum opt_kind {
	OPT_FLAG,	/* --name */
	OPT_VALUE,	/* --name=VALUE */
	OPT_DEVICE	/* --name:DEVICE=VALUE */
};

struct opt {
	const char *name;
	enum opt_kind kind;
	const char *metavar;	/* for --help */
	const char *help;
	/* @dev is the device name for OPT_DEVICE, NULL otherwise. */
	int (*set)(struct petrel_args *a, const char *opt, const char *dev,
		   const char *val, struct errbuf *e);
};

/* Strict unsigned decimal: digits only, no sign, no overflow. */
static int parse_u64(const char *s, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;

	if (*s == '\0')
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		if (v > (max - (uint64_t)(*s - '0')) / 10)
			return -1;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	*out = v;
	return 0;
}

static int set_flag(struct petrel_args *a, const char *opt, const char *dev,
		    const char *val, struct errbuf *e)
{
	(void)dev;
	(void)val;
	(void)e;
	if (!strcmp(opt, "--version"))
		a->version = true;
	else if (!strcmp(opt, "--help"))
		a->help = true;
	else if (!strcmp(opt, "--print-policy"))
		a->print_policy = true;
	else if (!strcmp(opt, "--block-sync"))
		a->block_sync = true;
	return 0;
}

static int set_mem(struct petrel_args *a, const char *opt, const char *dev,
		   const char *val, struct errbuf *e)
{
	uint64_t mib;

	(void)dev;
	if (parse_u64(val, UINT64_MAX, &mib))
		return errf(e, "%s=%s: not a number of MiB", opt, val);
	if (mib < 2)
		return errf(e, "%s=%s: less than 2 MiB, the smallest guest "
			    "memory (one 2 MiB page)", opt, val);
	if (mib > PETREL_MEM_MAX_MIB)
		return errf(e, "%s=%s: out of range (2..%d MiB)", opt, val,
			    PETREL_MEM_MAX_MIB);
	/*
	 * Guest RAM is mapped with 2 MiB pages: round down to a whole one, as
	 * solo5-hvt does, so the guest gets no more than the operator gave.
	 */
	mib &= ~1ULL;
	a->mem_bytes = mib << 20;
	return 0;
}

/*
 * The request for @dev, created on first mention: --net-mac:X may come
 * before --net:X. One device name has one type, whatever option named it.
 */
static struct dev_request *dev_get(struct petrel_args *a, const char *opt,
				   const char *dev, uint32_t type,
				   struct errbuf *e)
{
	struct dev_request *d = args_find_dev(a, dev);

	if (d) {
		if (d->type != type) {
			errf(e, "%s%s: device '%s' was given as a %s device",
			     opt, dev, dev,
			     d->type == MFT_DEV_NET_BASIC ? "net" : "block");
			return NULL;
		}
		return d;
	}
	if (a->ndevs == MFT_MAX_ENTRIES) {
		errf(e, "%s%s: too many devices (at most %d)", opt, dev,
		     MFT_MAX_ENTRIES);
		return NULL;
	}
	d = &a->devs[a->ndevs++];
	memset(d, 0, sizeof(*d));
	strcpy(d->name, dev);	/* length checked by the caller */
	d->type = type;
	d->tap_fd = -1;
	return d;
}

static int set_net(struct petrel_args *a, const char *opt, const char *dev,
		   const char *val, struct errbuf *e)
{
	struct dev_request *d = dev_get(a, opt, dev, MFT_DEV_NET_BASIC, e);
	uint64_t fd;

	if (!d)
		return -1;
	if (d->given)
		return errf(e, "%s%s: device '%s' given twice", opt, dev, dev);
	if (val[0] == '@') {
		if (parse_u64(val + 1, INT_MAX, &fd))
			return errf(e, "%s%s=%s: not a file descriptor number",
				    opt, dev, val);
		d->tap_fd = (int)fd;
	} else {
		if (val[0] == '\0' || strlen(val) >= IFNAMSIZ)
			return errf(e, "%s%s=%s: not a valid interface name",
				    opt, dev, val);
		strcpy(d->iface, val);
	}
	d->given = true;
	return 0;
}

static int set_net_ring(struct petrel_args *a, const char *opt,
			const char *dev, const char *val, struct errbuf *e)
{
	(void)dev;
	if (!strcmp(val, "auto"))
		a->net_ring = NET_RING_AUTO;
	else if (!strcmp(val, "on"))
		a->net_ring = NET_RING_ON;
	else if (!strcmp(val, "off"))
		a->net_ring = NET_RING_OFF;
	else
		return errf(e, "%s=%s: expected auto, on or off", opt, val);
	return 0;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static int set_net_mac(struct petrel_args *a, const char *opt,
		       const char *dev, const char *val, struct errbuf *e)
{
	struct dev_request *d = dev_get(a, opt, dev, MFT_DEV_NET_BASIC, e);
	const char *p = val;
	uint8_t mac[6];

	if (!d)
		return -1;
	if (d->has_mac)
		return errf(e, "%s%s: MAC given twice", opt, dev);
	for (int i = 0; i < 6; i++) {
		int hi = hexval(p[0]), lo = hi < 0 ? -1 : hexval(p[1]);

		if (hi < 0 || lo < 0 || p[2] != (i == 5 ? '\0' : ':'))
			return errf(e, "%s%s=%s: not a MAC address "
				    "(expected xx:xx:xx:xx:xx:xx)",
				    opt, dev, val);
		mac[i] = (uint8_t)(hi << 4 | lo);
		p += 3;
	}
	if (mac[0] & 1)
		return errf(e, "%s%s=%s: a multicast address cannot be a "
			    "NIC's address", opt, dev, val);
	memcpy(d->mac, mac, sizeof(mac));
	d->has_mac = true;
	return 0;
}

static int set_block(struct petrel_args *a, const char *opt, const char *dev,
		     const char *val, struct errbuf *e)
{
	struct dev_request *d = dev_get(a, opt, dev, MFT_DEV_BLOCK_BASIC, e);

	if (!d)
		return -1;
	if (d->given)
		return errf(e, "%s%s: device '%s' given twice", opt, dev, dev);
	if (val[0] == '\0')
		return errf(e, "%s%s=: empty path", opt, dev);
	d->path = val;
	d->given = true;
	return 0;
}

static int set_sector_size(struct petrel_args *a, const char *opt,
			   const char *dev, const char *val, struct errbuf *e)
{
	struct dev_request *d = dev_get(a, opt, dev, MFT_DEV_BLOCK_BASIC, e);
	uint64_t v;

	if (!d)
		return -1;
	if (d->sector_size)
		return errf(e, "%s%s: sector size given twice", opt, dev);
	if (parse_u64(val, UINT64_MAX, &v) || v < 512 ||
	    v > PETREL_SECTOR_MAX || (v & (v - 1)))
		return errf(e, "%s%s=%s: Block size must be a multiple of 2 "
			    "greater than or equal 512 (a power of two from "
			    "512 to %d)", opt, dev, val, PETREL_SECTOR_MAX);
	d->sector_size = (uint32_t)v;
	return 0;
}

static int set_name(struct petrel_args *a, const char *opt, const char *dev,
		    const char *val, struct errbuf *e)
{
	size_t n = strlen(val);

	(void)dev;
	if (a->name[0])
		return errf(e, "%s: given twice", opt);
	if (n == 0 || n > PETREL_VM_NAME_MAX)
		return errf(e, "%s=%s: must be 1 to %d characters", opt, val,
			    PETREL_VM_NAME_MAX);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)val[i];

		if (!isalnum(c) && c != '.' && c != '_' && c != '-')
			return errf(e, "%s=%s: only letters, digits, '.', "
				    "'_' and '-' are allowed", opt, val);
	}
	memcpy(a->name, val, n + 1);
	return 0;
}

static const struct opt opt_table[] = {
	{ "--mem", OPT_VALUE, "=MiB",
	  "guest memory in MiB, rounded down to 2 MiB (default 512, min 2, max 4096)",
	  set_mem },
	{ "--name", OPT_VALUE, "=NAME",
	  "the VM's name in petrel.ko's counters (petrel-stat); 1 to 31 of "
	  "[A-Za-z0-9._-], unique per network namespace (default: the "
	  "image's file name)",
	  set_name },
	{ "--net:", OPT_DEVICE, "NAME=IFACE|@FD",
	  "attach net device NAME to the existing tap IFACE, or to the tap "
	  "already open on FD (opened with IFF_TAP|IFF_NO_PI)",
	  set_net },
	{ "--net-mac:", OPT_DEVICE, "NAME=MAC",
	  "MAC of net device NAME (default: random, locally administered)",
	  set_net_mac },
	{ "--net-ring", OPT_VALUE, "=auto|on|off",
	  "move frames through petrel.ko's shared rings, with no exit per "
	  "frame, for guests that accept them: auto (default) when "
	  "/dev/petrel exists, else hypercalls with one line saying why, "
	  "on to fail without it, off for hypercalls only", set_net_ring },
	{ "--block:", OPT_DEVICE, "NAME=PATH",
	  "attach block device NAME to the file PATH", set_block },
	{ "--block-sector-size:", OPT_DEVICE, "NAME=BYTES",
	  "sector size of block device NAME (power of two >= 512, "
	  "default 512)", set_sector_size },
	{ "--block-sync", OPT_FLAG, "",
	  "make block writes durable (fdatasync) before telling the guest "
	  "they succeeded; without it a write is in the host page cache when "
	  "the guest sees OK and survives a tender crash, not a host crash",
	  set_flag },
	{ "--print-policy", OPT_FLAG, "",
	  "print the seccomp policy this run would load, then exit",
	  set_flag },
	{ "--version", OPT_FLAG, "", "print version and ABI, then exit",
	  set_flag },
	{ "--help", OPT_FLAG, "", "print this help, then exit", set_flag },
};

void args_usage(FILE *f)
{
	fprintf(f, "usage: petrel [OPTIONS] [--] IMAGE [ARGS...]\n"
		"Run the Solo5 hvt unikernel IMAGE on KVM; ARGS are its "
		"command line.\n\nOptions:\n");
	for (size_t i = 0; i < sizeof(opt_table) / sizeof(opt_table[0]); i++) {
		const char *h = opt_table[i].help;

		fprintf(f, "  %s%s\n", opt_table[i].name, opt_table[i].metavar);
		/* Wrap at 78 columns, breaking at spaces. */
		while (*h) {
			int n = (int)strlen(h);

			if (n > 72) {
				n = 72;
				while (n > 0 && h[n] != ' ')
					n--;
				if (n == 0)
					n = 72;
			}
			fprintf(f, "      %.*s\n", n, h);
			h += n;
			while (*h == ' ')
				h++;
		}
	}
	fprintf(f, "\nExit status: the guest's, or 1 when petrel or the "
		"guest failed.\n");
}

struct dev_request *args_find_dev(struct petrel_args *a, const char *name)
{
	for (unsigned i = 0; i < a->ndevs; i++)
		if (!strcmp(a->devs[i].name, name))
			return &a->devs[i];
	return NULL;
}

static int parse_option(struct petrel_args *a, const char *arg,
			struct errbuf *e)
{
	for (size_t i = 0; i < sizeof(opt_table) / sizeof(opt_table[0]); i++) {
		const struct opt *o = &opt_table[i];
		size_t n = strlen(o->name);
		char opt[32], dev[MFT_NAME_SIZE];
		const char *eq;

		if (strncmp(arg, o->name, n))
			continue;
		switch (o->kind) {
		case OPT_FLAG:
			if (arg[n] != '\0')
				continue;
			return o->set(a, o->name, NULL, NULL, e);
		case OPT_VALUE:
			if (arg[n] != '=')
				continue;
			return o->set(a, o->name, NULL, arg + n + 1, e);
		case OPT_DEVICE:
			eq = strchr(arg + n, '=');
			if (!eq)
				return errf(e, "%s: expected %s%s", arg,
					    o->name, o->metavar);
			if (eq == arg + n)
				return errf(e, "%s: empty device name", arg);
			if ((size_t)(eq - (arg + n)) > MFT_NAME_MAX)
				return errf(e, "%s: device name longer than "
					    "%d characters", arg,
					    MFT_NAME_MAX);
			memcpy(dev, arg + n, (size_t)(eq - (arg + n)));
			dev[eq - (arg + n)] = '\0';
			snprintf(opt, sizeof(opt), "%s", o->name);
			return o->set(a, opt, dev, eq + 1, e);
		}
	}
	return errf(e, "unknown option '%s' (try --help)", arg);
}

int args_parse(int argc, char *const argv[], struct petrel_args *a,
	       struct errbuf *e)
{
	size_t len = 0;
	int i;

	memset(a, 0, sizeof(*a));
	a->mem_bytes = (uint64_t)HVT_MEM_DEFAULT_MIB << 20;

	for (i = 1; i < argc; i++) {
		const char *arg = argv[i];

		if (!strcmp(arg, "--")) {
			i++;
			break;
		}
		if (arg[0] != '-')
			break;
		if (parse_option(a, arg, e))
			return -1;
	}
	if (a->help || a->version)
		return 0;
	if (i >= argc)
		return errf(e, "missing IMAGE (try --help)");
	a->image = argv[i++];
	if (a->image[0] == '\0')
		return errf(e, "empty IMAGE path");

	/* The guest command line: its arguments joined by single spaces. */
	for (; i < argc; i++) {
		size_t n = strlen(argv[i]);
		size_t need = n + (len ? 1 : 0);

		if (need > HVT_CMDLINE_SIZE - 1 - len)
			return errf(e, "guest command line too long "
				    "(limit %d bytes)", HVT_CMDLINE_SIZE - 1);
		if (len)
			a->cmdline[len++] = ' ';
		memcpy(a->cmdline + len, argv[i], n);
		len += n;
	}
	a->cmdline[len] = '\0';
	return 0;
}
