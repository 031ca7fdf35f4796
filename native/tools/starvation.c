// SPDX-License-Identifier: GPL-2.0-only OR Apache-2.0
/*
 * starvation - N spinning worker threads plus a latency probe: how long does a thread that
 * sleeps 1 ms wait past its wake-up time while the workers keep every CPU busy?
 * With --register the workers register with the loaded Morpheus program (pinned maps) and,
 * with --cooperative, answer every hint at once (ack + sched_yield), as a runtime would at a
 * mailbox boundary. Prints probe p50/p99/max wake-up delay in microseconds.
 *   starvation [--workers N] [--duration-s S] [--register [--cooperative]] [--pin-dir DIR] [--label L]
 */
#include "scb_direct.h"
#include "pctl.h"

#include <getopt.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>

static volatile int running = 1;
static struct scb_direct dir;
static int do_register, cooperative;
static uint64_t hints_total, yields_total;

static void *worker(void *arg)
{
	struct morpheus_scb *s = NULL;
	uint64_t hints = 0, spins = 0;

	(void)arg;
	if (do_register)
		s = scbd_register(&dir, scbd_gettid(), 1);
	while (running) {
		spins++;
		if (s && scbd_hint_pending(s)) { /* the checkpoint */
			hints++;
			if (cooperative) {
				scbd_ack(s);
				sched_yield();
			}
		}
	}
	if (s)
		scbd_unregister(&dir, scbd_gettid());
	__atomic_add_fetch(&hints_total, s ? s->kernel_hint_seq : 0, __ATOMIC_RELAXED);
	__atomic_add_fetch(&yields_total, s ? s->hint_yield_count : 0, __ATOMIC_RELAXED);
	return NULL;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "workers", required_argument, 0, 'w' }, { "duration-s", required_argument, 0, 'd' },
		{ "register", no_argument, 0, 'r' }, { "cooperative", no_argument, 0, 'c' },
		{ "pin-dir", required_argument, 0, 'p' }, { "label", required_argument, 0, 'l' }, { 0 }
	};
	int nw = (int)sysconf(_SC_NPROCESSORS_ONLN) * 2, dur = 5, c, i;
	const char *pin = MORPHEUS_DEFAULT_PIN_DIR, *label = "probe";
	pthread_t th[256];
	uint64_t *lat, n = 0, cap;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'w': nw = atoi(optarg); break;
		case 'd': dur = atoi(optarg); break;
		case 'r': do_register = 1; break;
		case 'c': cooperative = 1; break;
		case 'p': pin = optarg; break;
		case 'l': label = optarg; break;
		default: fprintf(stderr, "starvation: bad option\n"); return 2;
		}
	}
	if (nw < 1 || nw > 256 || dur < 1 || dur > 3600) {
		fprintf(stderr, "starvation: --workers %d (1-256) / --duration-s %d (1-3600) out of range\n", nw, dur);
		return 2;
	}
	if (do_register && scbd_open(&dir, pin))
		return 1;
	for (i = 0; i < nw; i++)
		pthread_create(&th[i], NULL, worker, NULL);
	cap = (uint64_t)dur * 1000 + 16;
	lat = calloc(cap, sizeof(*lat));
	{
		uint64_t end = scbd_now_ns() + (uint64_t)dur * 1000000000ull;
		struct timespec ts = { 0, 1000000 };

		usleep(100000); /* let the workers spin up */
		while (scbd_now_ns() < end && n < cap) {
			uint64_t t0 = scbd_now_ns(), d;

			nanosleep(&ts, NULL);
			d = scbd_now_ns() - t0;
			lat[n++] = d > 1000000 ? d - 1000000 : 0;
		}
	}
	running = 0;
	for (i = 0; i < nw; i++)
		pthread_join(th[i], NULL);
	if (do_register)
		scbd_close(&dir);
	{
		uint64_t mx = 0, p50, p99;
		uint64_t k;

		for (k = 0; k < n; k++)
			mx = lat[k] > mx ? lat[k] : mx;
		p50 = pctl(lat, n, 50);
		p99 = pctl(lat, n, 99);
		printf("starvation: label=%s workers=%d samples=%llu p50_us=%llu p99_us=%llu max_us=%llu hints=%llu hint_yields=%llu\n",
		       label, nw, (unsigned long long)n, (unsigned long long)(p50 / 1000), (unsigned long long)(p99 / 1000),
		       (unsigned long long)(mx / 1000), (unsigned long long)hints_total, (unsigned long long)yields_total);
	}
	free(lat);
	return n ? 0 : 1;
}
