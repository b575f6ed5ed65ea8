// SPDX-License-Identifier: ISC
/*
 * petrel-bench-counters PID: petrel.ko's counters for the VMs the process
 * PID opened, summed, as one line on stdout:
 *   counters vms=N doorbells=N wakeups=N worker_runs=N tx_packets=N
 *            rx_packets=N
 * Read with petrel-stat's netlink client, in the caller's network
 * namespace (run it in the tender's). Exit status 1 with a line on stderr
 * when the family is not there (petrel.ko not loaded) or the dump fails.
 */
#include <err.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "tools/petrel-stat/vmstat.h"

int main(int argc, char **argv)
{
	uint64_t vms = 0, s[PETREL_STAT_MAX + 1] = { 0 };
	struct ps_vm *vm;
	struct ps_nl *nl;
	unsigned int n, i, k;
	char *end;
	long pid;

	if (argc != 2)
		errx(1, "usage: petrel-bench-counters PID");
	errno = 0;
	pid = strtol(argv[1], &end, 10);
	if (errno || *end || pid <= 0 || pid > UINT32_MAX)
		errx(1, "PID must be a process id");
	if (ps_nl_open(&nl) != PS_OK)
		return 1;
	if (ps_nl_dump(nl, &vm, &n) != PS_OK)
		return 1;
	ps_nl_close(nl);
	for (i = 0; i < n; i++) {
		if (vm[i].pid != (uint32_t)pid)
			continue;
		vms++;
		for (k = 0; k <= PETREL_STAT_MAX; k++)
			s[k] += vm[i].net.stat[k];
	}
	free(vm);
	printf("counters vms=%llu doorbells=%llu wakeups=%llu worker_runs=%llu"
	       " tx_packets=%llu rx_packets=%llu\n",
	       (unsigned long long)vms,
	       (unsigned long long)s[PETREL_STAT_DOORBELLS],
	       (unsigned long long)s[PETREL_STAT_WAKEUPS],
	       (unsigned long long)s[PETREL_STAT_WORKER_RUNS],
	       (unsigned long long)s[PETREL_STAT_TX_PACKETS],
	       (unsigned long long)s[PETREL_STAT_RX_PACKETS]);
	return 0;
}
