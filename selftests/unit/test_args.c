// SPDX-License-Identifier: ISC
/* Command-line parsing: solo5-hvt compatible forms and every reject. */
#include <stdarg.h>

#include "../../tender/args.h"
#include "ktest.h"

static struct petrel_args a;
static struct errbuf err;

/* Parse a NULL-terminated argument list (argv[0] supplied). */
static int parse(const char *first, ...)
{
	static char *argv[64];
	int argc = 0;
	va_list ap;

	argv[argc++] = "petrel";
	va_start(ap, first);
	for (const char *s = first; s; s = va_arg(ap, const char *))
		argv[argc++] = (char *)s;
	va_end(ap);
	argv[argc] = NULL;
	err.msg[0] = '\0';
	return args_parse(argc, argv, &a, &err);
}

static void t_defaults(void)
{
	CHECK(parse("img.hvt", NULL) == 0);
	CHECK(a.mem_bytes == 512ULL << 20);
	CHECK(!strcmp(a.image, "img.hvt"));
	CHECK(a.cmdline[0] == '\0');
	CHECK(a.ndevs == 0 && !a.block_sync && !a.print_policy);
}

static void t_mem(void)
{
	/* Rounded down to 2 MiB, as solo5-hvt does. */
	CHECK(parse("--mem=3", "i", NULL) == 0);
	CHECK(a.mem_bytes == 2ULL << 20);
	CHECK(parse("--mem=2", "i", NULL) == 0);
	CHECK(a.mem_bytes == 2ULL << 20);
	CHECK(parse("--mem=33", "i", NULL) == 0);
	CHECK(a.mem_bytes == 32ULL << 20);
	CHECK(parse("--mem=4095", "i", NULL) == 0);
	CHECK(a.mem_bytes == 4094ULL << 20);
	CHECK(parse("--mem=4096", "i", NULL) == 0);
	CHECK(a.mem_bytes == 4096ULL << 20);
	CHECK(parse("--mem=64", "i", NULL) == 0);
	CHECK(a.mem_bytes == 64ULL << 20);
}

static void t_mem_bad(void)
{
	CHECK(parse("--mem=4097", "i", NULL) == -1);
	CHECK_MSG(err.msg, "--mem=4097: out of range");
	CHECK(parse("--mem=0", "i", NULL) == -1);
	CHECK_MSG(err.msg, "--mem=0");
	CHECK(parse("--mem=1", "i", NULL) == -1);
	CHECK_MSG(err.msg, "--mem=1: less than 2 MiB");
	CHECK(parse("--mem=", "i", NULL) == -1);
	CHECK(parse("--mem=-1", "i", NULL) == -1);
	CHECK(parse("--mem=12k", "i", NULL) == -1);
	CHECK_MSG(err.msg, "--mem=12k: not a number");
	CHECK(parse("--mem=99999999999999999999999", "i", NULL) == -1);
	CHECK(parse("--mem", "i", NULL) == -1);
	CHECK_MSG(err.msg, "unknown option '--mem'");
}

static void t_unknown(void)
{
	CHECK(parse("--frobnicate", "i", NULL) == -1);
	CHECK(!strcmp(err.msg, "unknown option '--frobnicate' (try --help)"));
	CHECK(parse("-x", "i", NULL) == -1);
	CHECK(parse("--versionx", NULL) == -1);
}

static void t_missing_image(void)
{
	CHECK(parse(NULL) == -1);
	CHECK_MSG(err.msg, "missing IMAGE");
	CHECK(parse("--mem=8", "--", NULL) == -1);
	CHECK_MSG(err.msg, "missing IMAGE");
	CHECK(parse("", NULL) == -1);
	CHECK_MSG(err.msg, "empty IMAGE");
}

static void t_version_help(void)
{
	CHECK(parse("--version", NULL) == 0 && a.version);
	CHECK(parse("--help", NULL) == 0 && a.help);
}

static void t_double_dash(void)
{
	CHECK(parse("--", "-weird.hvt", "--mem=4", NULL) == 0);
	CHECK(!strcmp(a.image, "-weird.hvt"));
	CHECK(!strcmp(a.cmdline, "--mem=4"));
	CHECK(a.mem_bytes == 512ULL << 20);
}

static void t_cmdline(void)
{
	CHECK(parse("i", "hello", "--name=x", "", "z", NULL) == 0);
	CHECK(!strcmp(a.cmdline, "hello --name=x  z"));
}

static void t_cmdline_limit(void)
{
	static char big[HVT_CMDLINE_SIZE + 1];

	memset(big, 'a', HVT_CMDLINE_SIZE - 1);
	big[HVT_CMDLINE_SIZE - 1] = '\0';
	CHECK(parse("i", big, NULL) == 0);
	CHECK(strlen(a.cmdline) == HVT_CMDLINE_SIZE - 1);
	big[HVT_CMDLINE_SIZE - 1] = 'a';
	CHECK(parse("i", big, NULL) == -1);
	CHECK_MSG(err.msg, "guest command line too long");
	/* 8190 + ' ' + 1 = 8192 bytes: one too many. */
	big[HVT_CMDLINE_SIZE - 2] = '\0';
	CHECK(parse("i", big, "b", NULL) == -1);
	big[HVT_CMDLINE_SIZE - 3] = '\0';
	CHECK(parse("i", big, "b", NULL) == 0);
}

static void t_net(void)
{
	struct dev_request *d;

	CHECK(parse("--net-mac:service=02:00:00:aB:cd:EF", "--net:service=tap0",
		    "--net:admin=@5", "i", NULL) == 0);
	CHECK(a.ndevs == 2);
	d = args_find_dev(&a, "service");
	CHECK(d && d->type == MFT_DEV_NET_BASIC && d->given);
	CHECK(d && !strcmp(d->iface, "tap0") && d->tap_fd == -1);
	CHECK(d && d->has_mac && d->mac[3] == 0xab && d->mac[5] == 0xef);
	d = args_find_dev(&a, "admin");
	CHECK(d && d->tap_fd == 5 && !d->has_mac);
}

static void t_net_bad(void)
{
	CHECK(parse("--net:=tap0", "i", NULL) == -1);
	CHECK_MSG(err.msg, "empty device name");
	CHECK(parse("--net:x", "i", NULL) == -1);
	CHECK_MSG(err.msg, "expected --net:NAME=");
	CHECK(parse("--net:x=", "i", NULL) == -1);
	CHECK(parse("--net:x=0123456789abcdef", "i", NULL) == -1);
	CHECK_MSG(err.msg, "not a valid interface name");
	CHECK(parse("--net:x=@", "i", NULL) == -1);
	CHECK(parse("--net:x=@-1", "i", NULL) == -1);
	CHECK(parse("--net:x=@99999999999", "i", NULL) == -1);
	CHECK_MSG(err.msg, "not a file descriptor");
	CHECK(parse("--net:x=a", "--net:x=b", "i", NULL) == -1);
	CHECK_MSG(err.msg, "given twice");
}

static void t_mac_bad(void)
{
	CHECK(parse("--net-mac:x=02:00:00:00:00", "i", NULL) == -1);
	CHECK_MSG(err.msg, "not a MAC address");
	CHECK(parse("--net-mac:x=02:00:00:00:00:00:00", "i", NULL) == -1);
	CHECK(parse("--net-mac:x=02-00-00-00-00-00", "i", NULL) == -1);
	CHECK(parse("--net-mac:x=0g:00:00:00:00:00", "i", NULL) == -1);
	CHECK(parse("--net-mac:x=01:00:5e:00:00:01", "i", NULL) == -1);
	CHECK_MSG(err.msg, "multicast");
}

static void t_name_length(void)
{
	char opt[128];

	snprintf(opt, sizeof(opt), "--block:%067d=f", 0);
	CHECK(parse(opt, "i", NULL) == 0);
	snprintf(opt, sizeof(opt), "--block:%068d=f", 0);
	CHECK(parse(opt, "i", NULL) == -1);
	CHECK_MSG(err.msg, "longer than 67");
}

static void t_block(void)
{
	struct dev_request *d;

	CHECK(parse("--block:disk=/tmp/d.img", "--block-sector-size:disk=4096",
		    "--block-sync", "i", NULL) == 0);
	d = args_find_dev(&a, "disk");
	CHECK(d && d->type == MFT_DEV_BLOCK_BASIC);
	CHECK(d && !strcmp(d->path, "/tmp/d.img") && d->sector_size == 4096);
	CHECK(a.block_sync);
}

static void t_sector_bad(void)
{
	CHECK(parse("--block-sector-size:d=256", "i", NULL) == -1);
	CHECK_MSG(err.msg, "power of two");
	/* solo5-hvt's phrase, which scripts written for it grep. */
	CHECK_MSG(err.msg, "Block size must be a multiple of 2 greater than "
		  "or equal 512");
	CHECK(parse("--block-sector-size:d=1000", "i", NULL) == -1);
	CHECK(parse("--block-sector-size:d=65536", "i", NULL) == -1);
	CHECK(parse("--block-sector-size:d=", "i", NULL) == -1);
	CHECK(parse("--block-sector-size:d=512", "i", NULL) == 0);
}

static void t_type_conflict(void)
{
	CHECK(parse("--net:x=tap0", "--block:x=/f", "i", NULL) == -1);
	CHECK_MSG(err.msg, "'x' was given as a net device");
	CHECK(parse("--block-sector-size:x=512", "--net-mac:x=02:00:00:00:00:01",
		    "i", NULL) == -1);
	CHECK_MSG(err.msg, "block device");
}

static void t_too_many_devices(void)
{
	static char opts[MFT_MAX_ENTRIES + 1][32];
	static char *argv[MFT_MAX_ENTRIES + 3];
	int argc = 0;

	argv[argc++] = "petrel";
	for (int i = 0; i <= MFT_MAX_ENTRIES; i++) {
		snprintf(opts[i], sizeof(opts[i]), "--block:d%d=f", i);
		argv[argc++] = opts[i];
	}
	argv[argc++] = "i";
	CHECK(args_parse(argc, argv, &a, &err) == -1);
	CHECK_MSG(err.msg, "too many devices");
	CHECK(args_parse(argc - 2, argv, &a, &err) == -1);	/* no image */
	argv[argc - 2] = "i";
	CHECK(args_parse(argc - 1, argv, &a, &err) == 0);
	CHECK(a.ndevs == MFT_MAX_ENTRIES);
}

static void t_options_after_image(void)
{
	CHECK(parse("i", "--mem=4", NULL) == 0);
	CHECK(a.mem_bytes == 512ULL << 20);
	CHECK(!strcmp(a.cmdline, "--mem=4"));
}

static void t_vm_name(void)
{
	CHECK(parse("i", NULL) == 0);
	CHECK(a.name[0] == '\0');
	CHECK(parse("--name=web-1.a_b", "i", NULL) == 0);
	CHECK(!strcmp(a.name, "web-1.a_b"));
	CHECK(parse("--name=abcdefghijklmnopqrstuvwxyz01234", "i", NULL) == 0);
	CHECK(strlen(a.name) == 31);
	CHECK(parse("--name=abcdefghijklmnopqrstuvwxyz012345", "i", NULL) == -1);
	CHECK_MSG(err.msg, "must be 1 to 31 characters");
	CHECK(parse("--name=", "i", NULL) == -1);
	CHECK_MSG(err.msg, "must be 1 to 31 characters");
	CHECK(parse("--name=a b", "i", NULL) == -1);
	CHECK_MSG(err.msg, "only letters, digits");
	CHECK(parse("--name=a/b", "i", NULL) == -1);
	CHECK(parse("--name=a", "--name=b", "i", NULL) == -1);
	CHECK_MSG(err.msg, "given twice");
	CHECK(parse("--name", "i", NULL) == -1);
}

static void t_net_ring(void)
{
	CHECK(parse("i", NULL) == 0 && a.net_ring == NET_RING_AUTO);
	CHECK(parse("--net-ring=on", "i", NULL) == 0 &&
	      a.net_ring == NET_RING_ON);
	CHECK(parse("--net-ring=off", "i", NULL) == 0 &&
	      a.net_ring == NET_RING_OFF);
	CHECK(parse("--net-ring=on", "--net-ring=auto", "i", NULL) == 0 &&
	      a.net_ring == NET_RING_AUTO);
	CHECK(parse("--net-ring=yes", "i", NULL) == -1);
	CHECK(strstr(err.msg, "--net-ring=yes") &&
	      strstr(err.msg, "auto, on or off"));
	CHECK(parse("--net-ring", "i", NULL) == -1);
	CHECK(parse("--net-ring=", "i", NULL) == -1);
}

/* Found by fuzz_args: an option quoting a newline made two lines. */
static void t_error_is_one_line(void)
{
	CHECK(parse("--foo\nbar", "i", NULL) != 0);
	CHECK(strchr(err.msg, '\n') == NULL);
	CHECK_MSG(err.msg, "unknown option '--foo?bar'");
	CHECK(parse("--mem=1\x1b[2J", "i", NULL) != 0);
	CHECK(strchr(err.msg, 0x1b) == NULL);
}

static const struct ktest tests[] = {
	{ "args.net_ring", t_net_ring },
	{ "args.defaults", t_defaults },
	{ "args.mem_rounds_to_2mib", t_mem },
	{ "args.rejects_bad_mem", t_mem_bad },
	{ "args.rejects_unknown_option", t_unknown },
	{ "args.rejects_missing_image", t_missing_image },
	{ "args.version_and_help", t_version_help },
	{ "args.double_dash_ends_options", t_double_dash },
	{ "args.cmdline_joined_with_spaces", t_cmdline },
	{ "args.cmdline_length_limit", t_cmdline_limit },
	{ "args.net_options", t_net },
	{ "args.rejects_bad_net", t_net_bad },
	{ "args.rejects_bad_mac", t_mac_bad },
	{ "args.device_name_length", t_name_length },
	{ "args.block_options", t_block },
	{ "args.rejects_bad_sector_size", t_sector_bad },
	{ "args.rejects_type_conflict", t_type_conflict },
	{ "args.at_most_64_devices", t_too_many_devices },
	{ "args.options_after_image_are_guest_args", t_options_after_image },
	{ "args.vm_name", t_vm_name },
	{ "args.error_is_one_plain_line", t_error_is_one_line },
};

KTEST_MAIN(tests)
