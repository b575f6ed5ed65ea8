// SPDX-License-Identifier: ISC
/*
 * petrel-stat: per-VM counters of petrel.ko (and of the tenders that
 * report to it) for operators. See man/petrel-stat.8.
 */
#include <errno.h>
#include <fnmatch.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "output.h"

#define PETREL_STAT_VERSION "0.1"

enum cmd { CMD_LIST, CMD_SHOW, CMD_WATCH, CMD_EVENTS };
static const char *const cmd_names[] = { "list", "show", "watch", "events" };

/* Options, as bits: which command takes which. */
enum {
	O_JSON = 1 << 0, O_PROM = 1 << 1, O_SORT = 1 << 2,
	O_INTERVAL = 1 << 3, O_COUNT = 1 << 4, O_TIMESTAMP = 1 << 5,
	O_ONCE = 1 << 6,
};
static const unsigned cmd_opts[] = {
	[CMD_LIST] = O_JSON | O_PROM | O_SORT,
	[CMD_SHOW] = O_JSON | O_PROM,
	[CMD_WATCH] = O_JSON | O_SORT | O_INTERVAL | O_COUNT,
	[CMD_EVENTS] = O_JSON | O_TIMESTAMP | O_ONCE,
};
static const char *const opt_names[] = {
	"--json", "--prometheus", "--sort", "--interval", "--count",
	"--timestamp", "--once",
};

struct opts {
	enum cmd cmd;
	unsigned given;			/* O_* */
	const char *name;		/* show */
	uint32_t id;			/* show #ID */
	char **patterns;		/* list, watch */
	int npatterns;
	struct ps_key sort;
	double interval;		/* watch, seconds */
	long count;			/* watch samples; 0: until stopped */
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: petrel-stat [list] [-j|-p] [-s KEY] [PATTERN...]  list VMs\n"
		"       petrel-stat show [-j|-p] NAME|#ID              every counter of one VM\n"
		"       petrel-stat watch [-j] [-s KEY] [-i SECONDS] [-n COUNT] [PATTERN...]\n"
		"                                                      per-second rates\n"
		"       petrel-stat events [-j] [-t] [--once]          follow VM creation and teardown\n"
		"Options: -j, --json; -p, --prometheus; -s, --sort=KEY; -i, --interval=SECONDS;\n"
		"  -n, --count=COUNT; -t, --timestamp; --once; -h, --help; -V, --version.\n"
		"PATTERN: a shell glob on VM names (#ID for unnamed VMs); -- ends options.\n"
		"Exit status: 0 success, 1 bad usage or unknown VM, 2 petrel.ko not\n"
		"loaded (or gone, with events --once), 3 permission denied (needs\n"
		"CAP_NET_ADMIN), 4 other errors.\n");
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
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "prometheus", no_argument, NULL, 'p' },
		{ "sort", required_argument, NULL, 's' },
		{ "interval", required_argument, NULL, 'i' },
		{ "count", required_argument, NULL, 'n' },
		{ "timestamp", no_argument, NULL, 't' },
		{ "once", no_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	char *end;
	int c, i;

	*o = (struct opts){ .interval = 1.0 };
	opterr = 0;
	/* '+' not given: options may follow the command, as with ip(8). */
	while ((c = getopt_long(argc, argv, ":jps:i:n:thV", longopts,
				NULL)) != -1) {
		switch (c) {
		case 'j':
			o->given |= O_JSON;
			break;
		case 'p':
			o->given |= O_PROM;
			break;
		case 's':
			o->given |= O_SORT;
			if (!ps_key_parse(optarg, &o->sort)) {
				fprintf(stderr, "petrel-stat: --sort: unknown "
					"key '%s'; keys: ", optarg);
				ps_key_names(stderr);
				fputc('\n', stderr);
				return PS_ERR_USAGE;
			}
			break;
		case 'i':
			o->given |= O_INTERVAL;
			errno = 0;
			o->interval = strtod(optarg, &end);
			if (errno || *end || optarg[0] == '\0' ||
			    !(o->interval >= 0.01 && o->interval <= 86400))
				return bad("--interval %s: not a number of "
					   "seconds from 0.01 to 86400", optarg);
			break;
		case 'n':
			o->given |= O_COUNT;
			errno = 0;
			o->count = strtol(optarg, &end, 10);
			if (errno || *end || optarg[0] == '\0' || o->count < 1)
				return bad("--count %s: not a positive count",
					   optarg);
			break;
		case 't':
			o->given |= O_TIMESTAMP;
			break;
		case 'o':
			o->given |= O_ONCE;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		case 'V':
			printf("petrel-stat %s (netlink family %s version %d, "
			       "JSON schema version %d)\n", PETREL_STAT_VERSION,
			       PETREL_GENL_NAME, PETREL_GENL_VERSION,
			       PS_JSON_SCHEMA_VERSION);
			exit(0);
		case ':':
			return bad("option '%s' needs a value", argv[optind - 1]);
		default:
			/* A short one may be inside a group such as -jx. */
			if (optopt) {
				char opt[3] = { '-', (char)optopt, '\0' };

				return bad("unknown option '%s'", opt);
			}
			return bad("unknown option '%s'", argv[optind - 1]);
		}
	}
	i = optind;
	o->cmd = CMD_LIST;
	if (i < argc) {
		unsigned k;

		for (k = 0; k < 4 && strcmp(argv[i], cmd_names[k]); k++)
			;
		if (k == 4)
			return bad("unknown command '%s'", argv[i]);
		o->cmd = (enum cmd)k;
		i++;
	}
	for (unsigned b = 0; b < 7; b++)
		if ((o->given & (1U << b)) && !(cmd_opts[o->cmd] & (1U << b))) {
			fprintf(stderr, "petrel-stat: %s does not apply to %s "
				"(try --help)\n", opt_names[b],
				cmd_names[o->cmd]);
			return PS_ERR_USAGE;
		}
	if ((o->given & (O_JSON | O_PROM)) == (O_JSON | O_PROM))
		return bad("%s: choose one output format", "--json and "
			   "--prometheus conflict");
	switch (o->cmd) {
	case CMD_SHOW:
		if (i == argc)
			return bad("%s needs a VM name or #ID", "show");
		o->name = argv[i++];
		if (o->name[0] == '#') {
			unsigned long v;

			errno = 0;
			v = strtoul(o->name + 1, &end, 10);
			if (errno || *end || !o->name[1] || o->name[1] == '-' ||
			    o->name[1] == '+' || v < 1 || v > UINT32_MAX)
				return bad("show %s: not a VM id (#1 to "
					   "#4294967295)", o->name);
			o->id = (uint32_t)v;
		}
		if (i < argc)
			return bad("unexpected argument '%s'", argv[i]);
		break;
	case CMD_EVENTS:
		if (i < argc)
			return bad("unexpected argument '%s'", argv[i]);
		break;
	default:
		o->patterns = argv + i;
		o->npatterns = argc - i;
	}
	return 0;
}

static bool matches(const struct opts *o, const struct ps_vm *vm)
{
	char lb[16];
	const char *label = ps_vm_label(vm, lb, sizeof(lb));

	if (!o->npatterns)
		return true;
	for (int i = 0; i < o->npatterns; i++)
		if (!fnmatch(o->patterns[i], label, 0))
			return true;
	return false;
}

static const struct ps_key *sort_key;

static int by_key(const void *a, const void *b)
{
	return ps_key_cmp(*(const struct ps_vm *const *)a,
			  *(const struct ps_vm *const *)b, sort_key);
}

/* The VMs that match, as pointers into @v, in --sort order (id without). */
static const struct ps_vm **select_vms(const struct opts *o,
				       const struct ps_vm *v, unsigned n,
				       unsigned *nsel)
{
	const struct ps_vm **sel = calloc(n ? n : 1, sizeof(*sel));
	unsigned k = 0;

	if (!sel) {
		fputs("petrel-stat: out of memory\n", stderr);
		exit(PS_ERR_SYS);
	}
	for (unsigned i = 0; i < n; i++)
		if (matches(o, &v[i]))
			sel[k++] = &v[i];
	if (o->given & O_SORT) {
		sort_key = &o->sort;
		qsort(sel, k, sizeof(*sel), by_key);
	}
	*nsel = k;
	return sel;
}

static uint64_t now_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (uint64_t)ts.tv_sec * 1000000000U + (uint64_t)ts.tv_nsec;
}

static int cmd_list(struct ps_nl *nl, const struct opts *o)
{
	const struct ps_vm **sel;
	struct ps_vm *vms;
	unsigned n, nsel;
	enum ps_err err = ps_nl_dump(nl, &vms, &n);

	if (err)
		return err;
	sel = select_vms(o, vms, n, &nsel);
	if (o->given & O_JSON)
		ps_print_json_list(stdout, sel, nsel);
	else if (o->given & O_PROM)
		ps_print_prometheus(stdout, sel, nsel, now_ns(CLOCK_REALTIME));
	else
		ps_print_list(stdout, sel, nsel);
	free(sel);
	free(vms);
	return PS_OK;
}

static int cmd_show(struct ps_nl *nl, const struct opts *o)
{
	struct ps_vm vm;
	const struct ps_vm *one = &vm;
	enum ps_err err = ps_nl_get(nl, o->name, o->id, &vm);

	if (err)
		return err;
	if (o->given & O_JSON)
		ps_print_json(stdout, &vm, NULL, NULL);
	else if (o->given & O_PROM)
		ps_print_prometheus(stdout, &one, 1, now_ns(CLOCK_REALTIME));
	else
		ps_print_show(stdout, &vm);
	return PS_OK;
}

static const struct ps_vm *find(const struct ps_vm *v, unsigned n, uint32_t id)
{
	for (unsigned i = 0; i < n; i++)
		if (v[i].id == id)
			return &v[i];
	return NULL;
}

static int by_rate(const void *a, const void *b)
{
	const struct ps_watch_row *x = a, *y = b;

	if (sort_key->kind == PS_K_NAME)
		return ps_key_cmp(x->vm, y->vm, sort_key);
	if (sort_key->kind != PS_K_ID && x->sort != y->sort)
		return x->sort > y->sort ? -1 : 1;
	/* Equal rates: by id, as list breaks its ties. */
	return x->vm->id < y->vm->id ? -1 : x->vm->id > y->vm->id;
}

/* Rows of the VMs seen in both samples; those new show next time. */
static unsigned watch_rows(const struct opts *o, const struct ps_vm *cur,
			   unsigned ncur, const struct ps_vm *prev,
			   unsigned nprev, double dt, struct ps_watch_row *rows,
			   struct ps_rates *total)
{
	unsigned k = 0;

	memset(total, 0, sizeof(*total));
	for (unsigned i = 0; i < ncur; i++) {
		const struct ps_vm *p = find(prev, nprev, cur[i].id);
		struct ps_watch_row *r = &rows[k];

		if (!p || !matches(o, &cur[i]))
			continue;
		r->vm = &cur[i];
		ps_rates(&r->r, &cur[i], p, dt);
		r->sort = 0;
		if (o->given & O_SORT) {
			uint64_t a = ps_key_value(&cur[i], &o->sort);
			uint64_t b = ps_key_value(p, &o->sort);

			/* Levels (pid, uptime, memory) by value, counters by rate. */
			if (o->sort.kind == PS_K_PID ||
			    o->sort.kind == PS_K_UPTIME ||
			    (o->sort.kind == PS_K_TENDER &&
			     (o->sort.idx == PETREL_TENDER_A_MEM_BYTES ||
			      o->sort.idx == PETREL_TENDER_A_START_TIME_NS)))
				r->sort = (double)a;
			else
				r->sort = ps_rate(a, b, dt);
		}
		for (unsigned j = 0; j < PS_RATE_N; j++)
			total->v[j] += r->r.v[j];
		k++;
	}
	if (o->given & O_SORT) {
		sort_key = &o->sort;
		qsort(rows, k, sizeof(*rows), by_rate);
	}
	return k;
}

static unsigned term_rows(void)
{
	struct winsize ws;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) || !ws.ws_row)
		return 24;
	return ws.ws_row;
}

static int cmd_watch(struct ps_nl *nl, const struct opts *o)
{
	struct ps_vm *prev = NULL, *cur;
	struct ps_watch_row *rows;
	struct ps_rates total;
	unsigned nprev = 0, ncur, nrows;
	bool tty = !(o->given & O_JSON) && isatty(STDOUT_FILENO);
	double tprev = 0, t;
	enum ps_err err;
	char stamp[40];
	struct timespec ts;

	if (tty)
		fputs("\033[H\033[2J", stdout);
	for (long sample = 0; !o->count || sample <= o->count; sample++) {
		err = ps_nl_dump(nl, &cur, &ncur);
		if (err) {
			free(prev);
			return err;
		}
		t = (double)now_ns(CLOCK_MONOTONIC) / 1e9;
		ps_timestamp(stamp, sizeof(stamp));
		if (prev) {
			rows = calloc(ncur ? ncur : 1, sizeof(*rows));
			if (!rows) {
				fputs("petrel-stat: out of memory\n", stderr);
				exit(PS_ERR_SYS);
			}
			nrows = watch_rows(o, cur, ncur, prev, nprev, t - tprev,
					   rows, &total);
			if (o->given & O_JSON)
				ps_print_json_watch(stdout, stamp, t - tprev,
						    rows, nrows, &total);
			else
				ps_print_watch(stdout, tty,
					       tty ? term_rows() : 0, stamp,
					       t - tprev, rows, nrows, &total);
			fflush(stdout);
			free(rows);
			if (ferror(stdout)) {
				free(prev);
				free(cur);
				return PS_OK;	/* reported by main */
			}
		}
		free(prev);
		prev = cur;
		nprev = ncur;
		tprev = t;
		if (o->count && sample == o->count)
			break;
		ts.tv_sec = (time_t)o->interval;
		ts.tv_nsec = (long)(fmod(o->interval, 1.0) * 1e9);
		while (nanosleep(&ts, &ts) && errno == EINTR)
			;
	}
	free(prev);
	return PS_OK;
}

static int cmd_events(struct ps_nl *nl, const struct opts *o)
{
	enum ps_err err = ps_nl_subscribe(nl);
	enum ps_event kind;
	struct ps_vm vm;

	if (err)
		return err;
	for (;;) {
		const char *ev, *stamp = NULL;
		char lb[16], pid[16], sb[40];

		err = ps_nl_event(nl, &kind, &vm);
		if (err)
			return err;
		if (kind == PS_EV_GONE) {
			fprintf(stderr, "petrel-stat: petrel.ko's netlink "
				"family went away (module unloaded)%s\n",
				o->given & O_ONCE ? "" :
				": waiting for it to come back");
			if (o->given & O_ONCE)
				return PS_ERR_NOMOD;
			continue;
		}
		if (kind == PS_EV_BACK) {
			fprintf(stderr, "petrel-stat: petrel.ko's netlink "
				"family is back: following VM events again\n");
			continue;
		}
		if (o->given & O_TIMESTAMP)
			stamp = ps_timestamp(sb, sizeof(sb));
		ev = kind == PS_EV_VM_NEW ? "new" : "del";
		if (o->given & O_JSON)
			ps_print_json(stdout, &vm, ev, stamp);
		else
			printf("%s%s%s%s id=%" PRIu32 " pid=%s name=%s\n",
			       stamp ? "[" : "", stamp ? stamp : "",
			       stamp ? "] " : "", ev, vm.id,
			       ps_pid(&vm, pid, sizeof(pid)),
			       vm.name[0] ? ps_vm_label(&vm, lb, sizeof(lb)) :
			       "-");
		if (fflush(stdout) || ferror(stdout))
			return PS_OK;	/* reported by main */
	}
}

int main(int argc, char **argv)
{
	struct ps_nl *nl;
	struct opts o;
	int ret;

	ret = parse_args(argc, argv, &o);
	if (ret)
		return ret;
	ps_json_init();
	ret = ps_nl_open(&nl);
	if (ret)
		return ret;
	switch (o.cmd) {
	case CMD_LIST:
		ret = cmd_list(nl, &o);
		break;
	case CMD_SHOW:
		ret = cmd_show(nl, &o);
		break;
	case CMD_WATCH:
		ret = cmd_watch(nl, &o);
		break;
	case CMD_EVENTS:
		ret = cmd_events(nl, &o);
		break;
	}
	ps_nl_close(nl);
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "petrel-stat: writing output: %s\n",
			strerror(errno));
		return PS_ERR_SYS;
	}
	return ret;
}
