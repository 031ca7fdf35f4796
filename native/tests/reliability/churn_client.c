/* churn_client.c - a libmorpheus client for the reliability tests (tests/reliability/run.sh),
 * built with the library's objects under ASan/UBSan/LSan so a leak or overflow on the
 * client side of connect/register/unregister/disconnect is reported too.
 *
 *   churn_client cycles --socket PATH --cycles N --threads T
 *       N times: connect (HELLO, region mmapped), T threads each register themselves,
 *       read their SCB, unregister, exit; STATS; disconnect. Any failure is fatal (exit 1).
 *       Prints: cycles=N registrations=R failures=0 registered_after=W clients_after=C
 *   churn_client load --socket PATH --seconds S
 *       Registers and unregisters itself in a loop for S seconds, surviving the daemon's
 *       death: every error is counted, the connection dropped and re-opened (every 20 ms
 *       until the daemon answers). Exit 0 unless the process itself is broken.
 *       Prints: ops=N errors=E reconnects=R ops_after_last_reconnect=K first_error=...
 */
#include <errno.h>
#include <stdbool.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "morpheus.h"
#include "morpheus_abi.h"

struct cycle_thread { struct morpheus_client *c; int rc; char err[256]; };

static void *register_once(void *arg)
{
	struct cycle_thread *t = arg;
	int slot = morpheus_register_self(t->c, 1);

	if (slot < 0) {
		t->rc = slot;
		snprintf(t->err, sizeof(t->err), "register: %s", morpheus_last_error());
		return NULL;
	}
	/* the SCB is ours: its owner is this thread */
	if (((const struct morpheus_scb *)((const char *)morpheus_region(t->c) +
		(size_t)(slot + 1) * MORPHEUS_ENTRY_SIZE))->owner_tid == 0) {
		t->rc = -EPROTO;
		snprintf(t->err, sizeof(t->err), "slot %d: SCB has no owner after REGISTER", slot);
		return NULL;
	}
	t->rc = morpheus_unregister(t->c, slot);
	if (t->rc)
		snprintf(t->err, sizeof(t->err), "unregister slot %d: %s", slot, morpheus_last_error());
	return NULL;
}

static int daemon_stat(const char *sock, int id, uint64_t *v)
{
	struct morpheus_client *c;
	uint64_t all[MORPHEUS_CLIENT_STATS_NR];
	int r = morpheus_open(sock, &c);

	if (r)
		return r;
	r = morpheus_stats(c, all, MORPHEUS_CLIENT_STATS_NR);
	morpheus_close(c);
	if (r < 0)
		return r;
	*v = all[MORPHEUS_STAT_NR + id];
	return 0;
}

static int cycles(const char *sock, int n, int nthreads)
{
	struct cycle_thread *t = calloc((size_t)nthreads, sizeof(*t));
	pthread_t *tid = calloc((size_t)nthreads, sizeof(*tid));
	uint64_t stats[MORPHEUS_CLIENT_STATS_NR], registered = 99, clients = 99;
	long registrations = 0;

	if (!t || !tid)
		return 1;
	for (int i = 0; i < n; i++) {
		struct morpheus_client *c;
		int r = morpheus_open(sock, &c);

		if (r) {
			fprintf(stderr, "cycle %d: open: %s\n", i, morpheus_last_error());
			return 1;
		}
		for (int k = 0; k < nthreads; k++) {
			t[k] = (struct cycle_thread){ .c = c };
			if (pthread_create(&tid[k], NULL, register_once, &t[k]))
				return 1;
		}
		for (int k = 0; k < nthreads; k++) {
			pthread_join(tid[k], NULL);
			if (t[k].rc) {
				fprintf(stderr, "cycle %d thread %d: %s\n", i, k, t[k].err);
				return 1;
			}
			registrations++;
		}
		if (morpheus_stats(c, stats, MORPHEUS_CLIENT_STATS_NR) != MORPHEUS_CLIENT_STATS_NR) {
			fprintf(stderr, "cycle %d: stats: %s\n", i, morpheus_last_error());
			return 1;
		}
		morpheus_close(c);
	}
	free(t);
	free(tid);
	/* the daemon frees a closed client's state when it sees the hang-up: give it a moment */
	for (int i = 0; i < 50; i++) {
		if (daemon_stat(sock, MORPHEUS_DSTAT_registered_workers, &registered) ||
		    daemon_stat(sock, MORPHEUS_DSTAT_clients, &clients))
			return 1;
		if (registered == 0 && clients == 1) /* the stats connection itself */
			break;
		usleep(20000);
	}
	printf("cycles=%d registrations=%ld failures=0 registered_after=%llu clients_after=%llu\n", n,
	       registrations, (unsigned long long)registered, (unsigned long long)(clients - 1));
	return 0;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int load(const char *sock, double seconds)
{
	struct morpheus_client *c = NULL;
	long ops = 0, errors = 0, reconnects = 0, after = 0;
	char first_error[256] = "none";
	double end = now_s() + seconds;
	bool ever_connected = false;

	while (now_s() < end) {
		int slot, r;

		if (!c) {
			if (morpheus_open(sock, &c)) {
				c = NULL;
				usleep(20000);
				continue;
			}
			if (ever_connected) {
				reconnects++;
				after = 0;
			}
			ever_connected = true;
		}
		slot = morpheus_register_self(c, 1);
		r = slot < 0 ? slot : morpheus_unregister(c, slot);
		if (r) {
			if (!errors++)
				snprintf(first_error, sizeof(first_error), "%d (%s)", r, morpheus_last_error());
			morpheus_close(c);
			c = NULL;
			continue;
		}
		ops++;
		after++;
	}
	morpheus_close(c);
	printf("ops=%ld errors=%ld reconnects=%ld ops_after_last_reconnect=%ld first_error=%s\n", ops,
	       errors, reconnects, after, first_error);
	return ever_connected ? 0 : 1;
}

int main(int argc, char **argv)
{
	const char *sock = NULL;
	int n = 100, threads = 4;
	double seconds = 5;

	if (argc < 2)
		goto usage;
	for (int i = 2; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--socket"))
			sock = argv[i + 1];
		else if (!strcmp(argv[i], "--cycles"))
			n = atoi(argv[i + 1]);
		else if (!strcmp(argv[i], "--threads"))
			threads = atoi(argv[i + 1]);
		else if (!strcmp(argv[i], "--seconds"))
			seconds = atof(argv[i + 1]);
		else
			goto usage;
	}
	if (!sock || n < 1 || threads < 1 || threads > MORPHEUS_MAX_SLOTS || seconds <= 0)
		goto usage;
	if (!strcmp(argv[1], "cycles"))
		return cycles(sock, n, threads);
	if (!strcmp(argv[1], "load"))
		return load(sock, seconds);
usage:
	fprintf(stderr, "usage: churn_client cycles --socket PATH [--cycles N] [--threads T]\n"
			"       churn_client load --socket PATH [--seconds S]\n");
	return 2;
}
