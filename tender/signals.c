// SPDX-License-Identifier: ISC
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "say.h"

static const int stop_signals[] = { SIGTERM, SIGINT, SIGHUP };

/* Formatted at install time: the handler only writes and exits. */
static char line[sizeof(stop_signals) / sizeof(stop_signals[0])][64];
static size_t line_len[sizeof(stop_signals) / sizeof(stop_signals[0])];

static void on_stop_signal(int sig)
{
	for (size_t i = 0; i < sizeof(stop_signals) / sizeof(stop_signals[0]);
	     i++)
		if (stop_signals[i] == sig &&
		    write(STDERR_FILENO, line[i], line_len[i]) < 0)
			break;
	_exit(1);
}

void signals_install(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop_signal;
	/* One line even if several arrive together. */
	sigfillset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(stop_signals) / sizeof(stop_signals[0]);
	     i++) {
		int n = snprintf(line[i], sizeof(line[i]),
				 "petrel: exiting on signal %d (SIG%s)\n",
				 stop_signals[i],
				 sigabbrev_np(stop_signals[i]));

		line_len[i] = n > 0 ? (size_t)n : 0;
		/* Cannot fail for these signals and a valid handler. */
		sigaction(stop_signals[i], &sa, NULL);
	}
}
