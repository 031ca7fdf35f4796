// SPDX-License-Identifier: GPL-2.0-only OR Apache-2.0
/*
 * latency - distribution of the delay from slice expiry to the worker's yield, under pressure.
 * One cooperative registered worker per CPU spins and checks its SCB; --hogs unregistered
 * spinning processes keep the run queue non-empty so hints flow. For each hint the slice
 * expired at hint_time_ns + budget_remaining_ns (the budget is negative: overdue when posted);
 * the delay is the time from there to the worker's ack + sched_yield. Also reports the
 * posting delay alone (slice expiry -> hint), which is the kernel's part.
 *   latency [--duration-s S] [--hogs N] [--pin-dir DIR]
 */
#include "scb_direct.h"
#include "pctl.h"

#include <getopt.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>

#define MAXS 20000
static volatile int running = 1;
static struct scb_direct dir;
static uint64_t yield_d[MAXS], post_d[MAXS];
static uint64_t ns;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

static void *worker(void *arg)
{
	struct morpheus_scb *s = scbd_register(&dir, scbd_gettid(), 1);

	(void)arg;
	if (!s)
		return NULL;
	while (running) {
		if (scbd_hint_pending(s)) {
			uint64_t now = scbd_now_ns();
			int64_t expiry = (int64_t)s->hint_time_ns + s->budget_remaining_ns;

			pthread_mutex_lock(&mu);
			if (ns < MAXS) {
				yield_d[ns] = (uint64_t)((int64_t)now - expiry);
				post_d[ns] = (uint64_t)(-s->budget_remaining_ns);
				ns++;
			}
			pthread_mutex_unlock(&mu);
			scbd_ack(s);
			sched_yield();
		}
	}
	scbd_unregister(&dir, scbd_gettid());
	return NULL;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "duration-s", required_argument, 0, 'd' }, { "hogs", required_argument, 0, 'h' },
		{ "pin-dir", required_argument, 0, 'p' }, { 0 }
	};
	int dur = 5, hogs = 2, nw = (int)sysconf(_SC_NPROCESSORS_ONLN), c, i;
	const char *pin = MORPHEUS_DEFAULT_PIN_DIR;
	pid_t pids[64];
	pthread_t th[64];

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': dur = atoi(optarg); break;
		case 'h': hogs = atoi(optarg); break;
		case 'p': pin = optarg; break;
		default: fprintf(stderr, "latency: bad option\n"); return 2;
		}
	}
	if (dur < 1 || dur > 3600 || hogs < 0 || hogs > 64 || nw > 64) {
		fprintf(stderr, "latency: --duration-s %d (1-3600) / --hogs %d (0-64) out of range\n", dur, hogs);
		return 2;
	}
	if (scbd_open(&dir, pin))
		return 1;
	for (i = 0; i < hogs; i++) {
		pids[i] = fork();
		if (pids[i] == 0) {
			for (;;)
				;
		}
	}
	for (i = 0; i < nw; i++)
		pthread_create(&th[i], NULL, worker, NULL);
	sleep((unsigned)dur);
	running = 0;
	for (i = 0; i < nw; i++)
		pthread_join(th[i], NULL);
	for (i = 0; i < hogs; i++) {
		kill(pids[i], SIGKILL);
		waitpid(pids[i], NULL, 0);
	}
	scbd_close(&dir);
	{
		uint64_t n = ns, y50 = pctl(yield_d, n, 50), y99 = pctl(yield_d, n, 99), ymax = n ? yield_d[n - 1] : 0;
		uint64_t p50 = pctl(post_d, n, 50), p99 = pctl(post_d, n, 99), pmax = n ? post_d[n - 1] : 0;

		printf("latency: hints=%llu expiry_to_yield_us p50=%llu p99=%llu max=%llu | expiry_to_hint_us p50=%llu p99=%llu max=%llu\n",
		       (unsigned long long)n, (unsigned long long)y50 / 1000, (unsigned long long)y99 / 1000,
		       (unsigned long long)ymax / 1000, (unsigned long long)p50 / 1000, (unsigned long long)p99 / 1000,
		       (unsigned long long)pmax / 1000);
		return n ? 0 : 1;
	}
}
