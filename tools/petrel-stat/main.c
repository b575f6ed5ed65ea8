// SPDX-License-Identifier: ISC
/*
 * petrel-stat: per-VM counters of petrel.ko (and of the tenders that
 * report to it) for operators. See man/petrel-stat.8.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "output.h"

#define PETREL_STAT_VERSION "0.1"

enum format { FMT_TEXT, FMT_JSON, FMT_PROM };

struct opts {
	const char *cmd;		/* NULL: list */
	const char *name;		/* show */
	enum format fmt;
	double interval;		/* watch, seconds */
	long count;			/* watch samples; 0: until stopped */
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: petrel-stat [--json | --prometheus]          list VMs\n"
		"       petrel-stat show NAME [--json | --prometheus] every counter of one VM\n"
		"       petrel-stat watch [-i SECONDS] [-n COUNT]    per-second rates\n"
		"       petrel-stat events [--json]                  follow VM creation and teardown\n"
		"Exit status: 0 success, 1 bad usage or unknown VM, 2 petrel.ko not\n"
		"loaded, 3 permission denied (needs CAP_NET_ADMIN), 4 other errors.\n");
}

static int bad(const char *fmt, const char *arg)
{
	fprintf(stderr, "petrel-stat: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, " (try --help)\n");
	return PS_ERR_USAGE;
}

static int parse_args(int argc, char **argv, struct opts *o)
{
	*o = (struct opts){ .interval = 1.0 };
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		char *end;

		if (!strcmp(a, "--json")) {
			o->fmt = FMT_JSON;
		} else if (!strcmp(a, "--prometheus")) {
			o->fmt = FMT_PROM;
		} else if (!strcmp(a, "-i") || !strcmp(a, "-n")) {
			if (i + 1 == argc)
				return bad("%s needs a value", a);
			errno = 0;
			if (a[1] == 'i') {
				o->interval = strtod(argv[++i], &end);
				if (errno || *end || argv[i][0] == '\0' ||
				    !(o->interval >= 0.01 &&
				      o->interval <= 86400))
					return bad("-i %s: not a number of "
						   "seconds from 0.01 to 86400",
						   argv[i]);
			} else {
				o->count = strtol(argv[++i], &end, 10);
				if (errno || *end || argv[i][0] == '\0' ||
				    o->count < 1)
					return bad("-n %s: not a positive "
						   "count", argv[i]);
			}
		} else if (a[0] == '-') {
			return bad("unknown option '%s'", a);
		} else if (!o->cmd) {
			o->cmd = a;
		} else if (!strcmp(o->cmd, "show") && !o->name) {
			o->name = a;
		} else {
			return bad("unexpected argument '%s'", a);
		}
	}
	if (o->cmd && strcmp(o->cmd, "show") && strcmp(o->cmd, "watch") &&
	    strcmp(o->cmd, "events") && strcmp(o->cmd, "list"))
		return bad("unknown command '%s'", o->cmd);
	if (o->cmd && !strcmp(o->cmd, "show") && !o->name)
		return bad("%s needs a VM name", "show");
	if (o->cmd && (!strcmp(o->cmd, "watch") ||
		       !strcmp(o->cmd, "events")) && o->fmt == FMT_PROM)
		return bad("%s: --prometheus is for list and show", o->cmd);
	if (o->cmd && !strcmp(o->cmd, "watch") && o->fmt == FMT_JSON)
		return bad("%s: --json is for list, show and events", "watch");
	return 0;
}

static int cmd_list(struct ps_nl *nl, const struct opts *o)
{
	struct ps_vm *vms;
	unsigned n;
	enum ps_err err = ps_nl_dump(nl, &vms, &n);

	if (err)
		return err;
	if (o->fmt == FMT_JSON)
		for (unsigned i = 0; i < n; i++)
			ps_print_json(stdout, &vms[i], NULL);
	else if (o->fmt == FMT_PROM)
		ps_print_prometheus(stdout, vms, n);
	else
		ps_print_list(stdout, vms, n);
	free(vms);
	return PS_OK;
}

static int cmd_show(struct ps_nl *nl, const struct opts *o)
{
	struct ps_vm vm;
	enum ps_err err = ps_nl_get(nl, o->name, &vm);

	if (err)
		return err;
	if (o->fmt == FMT_JSON)
		ps_print_json(stdout, &vm, NULL);
	else if (o->fmt == FMT_PROM)
		ps_print_prometheus(stdout, &vm, 1);
	else
		ps_print_show(stdout, &vm);
	return PS_OK;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const struct ps_vm *find(const struct ps_vm *v, unsigned n, uint32_t id)
{
	for (unsigned i = 0; i < n; i++)
		if (v[i].id == id)
			return &v[i];
	return NULL;
}

static double rate(uint64_t now, uint64_t before, double dt)
{
	/* A counter that went back (never expected): no rate. */
	return now >= before ? (double)(now - before) / dt : 0.0;
}

static int cmd_watch(struct ps_nl *nl, const struct opts *o)
{
	struct ps_vm *prev = NULL, *cur;
	unsigned nprev = 0, ncur;
	double tprev = 0, t;
	enum ps_err err;
	struct timespec ts = {
		.tv_sec = (time_t)o->interval,
		.tv_nsec = (long)(fmod(o->interval, 1.0) * 1e9),
	};

	for (long sample = 0; !o->count || sample <= o->count; sample++) {
		err = ps_nl_dump(nl, &cur, &ncur);
		if (err) {
			free(prev);
			return err;
		}
		t = now_s();
		if (prev) {
			char lb[16];

			printf("%-31s %10s %12s %10s %12s %10s\n", "NAME",
			       "RX_PKT/S", "RX_BYTE/S", "TX_PKT/S", "TX_BYTE/S",
			       "EXITS/S");
			for (unsigned i = 0; i < ncur; i++) {
				const struct ps_vm *c = &cur[i];
				const struct ps_vm *p = find(prev, nprev,
							     c->id);
				double dt = t - tprev;

				if (!p)
					continue;	/* new: next time */
				printf("%-31s %10.1f %12.1f %10.1f %12.1f "
				       "%10.1f\n", ps_vm_label(c, lb, sizeof(lb)),
				       rate(ps_rx_packets(c), ps_rx_packets(p), dt),
				       rate(ps_rx_bytes(c), ps_rx_bytes(p), dt),
				       rate(ps_tx_packets(c), ps_tx_packets(p), dt),
				       rate(ps_tx_bytes(c), ps_tx_bytes(p), dt),
				       rate(c->tender[PETREL_TENDER_A_EXITS],
					    p->tender[PETREL_TENDER_A_EXITS],
					    dt));
			}
			putchar('\n');
			fflush(stdout);
		}
		free(prev);
		prev = cur;
		nprev = ncur;
		tprev = t;
		if (o->count && sample == o->count)
			break;
		while (nanosleep(&ts, &ts) && errno == EINTR)
			;
		ts.tv_sec = (time_t)o->interval;
		ts.tv_nsec = (long)(fmod(o->interval, 1.0) * 1e9);
	}
	free(prev);
	return PS_OK;
}

static int cmd_events(struct ps_nl *nl, const struct opts *o)
{
	enum ps_err err = ps_nl_subscribe(nl);
	struct ps_vm vm;
	uint8_t cmd;

	if (err)
		return err;
	for (;;) {
		const char *ev;
		char lb[16], pid[16];

		err = ps_nl_event(nl, &cmd, &vm);
		if (err)
			return err;
		ev = cmd == PETREL_CMD_VM_NEW ? "new" : "del";
		if (o->fmt == FMT_JSON)
			ps_print_json(stdout, &vm, ev);
		else
			printf("%s id=%" PRIu32 " pid=%s name=%s\n",
			       ev, vm.id, ps_pid(&vm, pid, sizeof(pid)),
			       vm.name[0] ? ps_vm_label(&vm, lb, sizeof(lb)) :
			       "-");
		fflush(stdout);
	}
}

int main(int argc, char **argv)
{
	struct ps_nl *nl;
	struct opts o;
	int ret;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return 0;
		}
		if (!strcmp(argv[i], "--version")) {
			printf("petrel-stat %s (netlink family %s version "
			       "%d)\n", PETREL_STAT_VERSION, PETREL_GENL_NAME,
			       PETREL_GENL_VERSION);
			return 0;
		}
	}
	ret = parse_args(argc, argv, &o);
	if (ret)
		return ret;
	ret = ps_nl_open(&nl);
	if (ret)
		return ret;
	if (!o.cmd || !strcmp(o.cmd, "list"))
		ret = cmd_list(nl, &o);
	else if (!strcmp(o.cmd, "show"))
		ret = cmd_show(nl, &o);
	else if (!strcmp(o.cmd, "watch"))
		ret = cmd_watch(nl, &o);
	else
		ret = cmd_events(nl, &o);
	ps_nl_close(nl);
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "petrel-stat: writing output: %s\n",
			strerror(errno));
		return PS_ERR_SYS;
	}
	return ret;
}
