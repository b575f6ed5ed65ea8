// SPDX-License-Identifier: ISC
/*
 * The petrel binary end to end, up to where KVM is needed: exit statuses
 * and the one-line error format, on generated images.
 */
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../abi/hvt_abi.h"
#include "elfgen.h"
#include "ktest.h"

static char out[65536], err[65536];
static int status;

/* Run petrel with a NULL-terminated argument list; capture everything. */
static void petrel(const char *first, ...)
{
	static char bin[4096];
	char *argv[32];
	int argc = 0, po[2], pe[2];
	ssize_t n;
	size_t lo = 0, le = 0;
	va_list ap;
	pid_t pid;

	snprintf(bin, sizeof(bin), "%s/tender/petrel", getenv("BUILD"));
	argv[argc++] = bin;
	va_start(ap, first);
	for (const char *s = first; s; s = va_arg(ap, const char *))
		argv[argc++] = (char *)s;
	va_end(ap);
	argv[argc] = NULL;
	if (pipe(po) || pipe(pe))
		abort();
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		dup2(po[1], 1);
		dup2(pe[1], 2);
		execv(bin, argv);
		_exit(127);
	}
	close(po[1]);
	close(pe[1]);
	while ((n = read(po[0], out + lo, sizeof(out) - 1 - lo)) > 0)
		lo += (size_t)n;
	while ((n = read(pe[0], err + le, sizeof(err) - 1 - le)) > 0)
		le += (size_t)n;
	out[lo] = err[le] = '\0';
	close(po[0]);
	close(pe[0]);
	waitpid(pid, &status, 0);
}

static int lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* Exit 1, nothing on stdout, one line "petrel: ...@sub..." on stderr. */
static void fails(const char *sub)
{
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 1);
	CHECK(out[0] == '\0');
	CHECK(lines(err) == 1 && !strncmp(err, "petrel: ", 8));
	CHECK_MSG(err, sub);
}

static void t_version(void)
{
	petrel("--version", NULL);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	/* A version line, then exactly the line albatross looks for. */
	CHECK(lines(out) == 2 && !strncmp(out, "petrel ", 7));
	CHECK(strlen(out) > 15 &&
	      !strcmp(out + strlen(out) - 15, "\nABI version 2\n"));
}

static void t_help(void)
{
	petrel("--help", NULL);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK_MSG(out, "--block-sync");
	CHECK_MSG(out, "--net:NAME=IFACE|@FD");
}

static void t_usage_errors(void)
{
	petrel(NULL);
	fails("missing IMAGE");
	petrel("--mem=4097", "x", NULL);
	fails("--mem=4097");
	petrel("--bogus", "x", NULL);
	fails("unknown option '--bogus'");
	petrel("/nonexistent/image.hvt", NULL);
	fails("/nonexistent/image.hvt: No such file or directory");
	petrel("/", NULL);
	fails("/: not a regular file");
}

static void t_bad_images(void)
{
	static struct img im;
	const char *path;
	struct solo5_abi_info abi = { SOLO5_ABI_TARGET_HVT, 1, 0, 0 };

	img_default(&im);
	im.eh.e_machine = EM_386;
	path = img_write(&im);
	petrel(path, NULL);
	fails(path);
	unlink(path);

	img_default(&im);
	img_note(&im, 0x3000, "Solo5", SOLO5_ABI_NOTE_TYPE, &abi, sizeof(abi),
		 4);
	path = img_write(&im);
	petrel(path, NULL);
	fails("built for hvt ABI version 1, this tender runs version 2");
	unlink(path);
}

static void t_cmdline_too_long(void)
{
	static struct img im;
	static char big[HVT_CMDLINE_SIZE + 1];
	const char *path;

	memset(big, 'a', sizeof(big) - 1);
	img_default(&im);
	path = img_write(&im);
	petrel(path, big, NULL);
	fails("guest command line too long");
	unlink(path);
}

static void t_devices(void)
{
	static struct img im;
	struct mft_entry e[2] = {
		{ .name = "", .type = MFT_RESERVED_FIRST },
		{ .name = "storage", .type = MFT_DEV_BLOCK_BASIC },
	};
	char blk[] = "/tmp/petrel-cli-XXXXXX", opt[64];
	const char *path;
	int fd = mkstemp(blk);

	img_default(&im);
	img_set_mft(&im, e, 2);
	path = img_write(&im);
	petrel(path, NULL);
	fails("device 'storage' (BLOCK_BASIC) declared by the image is not "
	      "attached");
	petrel("--net:storage=tap0", path, NULL);
	fails("is a BLOCK_BASIC device");
	petrel("--block:other=/tmp/x", path, NULL);
	fails("no device 'other'");
	if (ftruncate(fd, 1000))
		kt_failed = 1;
	snprintf(opt, sizeof(opt), "--block:storage=%s", blk);
	petrel(opt, path, NULL);
	fails("not a multiple of the sector size 512");
	if (ftruncate(fd, 4096))
		kt_failed = 1;
	petrel("--print-policy", "--block-sync", opt, path, NULL);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK_MSG(out, "default KILL_PROCESS");
	CHECK_MSG(out, "allow pwrite64 if arg0 == ");
	CHECK_MSG(out, "allow fdatasync if arg0 == ");
	close(fd);
	unlink(blk);
	unlink(path);
}

static const struct ktest tests[] = {
	{ "cli.version", t_version },
	{ "cli.help", t_help },
	{ "cli.usage_errors_one_line", t_usage_errors },
	{ "cli.bad_images_one_line", t_bad_images },
	{ "cli.cmdline_too_long", t_cmdline_too_long },
	{ "cli.devices_and_print_policy", t_devices },
};

KTEST_MAIN(tests)
