// SPDX-License-Identifier: GPL-2.0-only OR Apache-2.0
/*
 * liar - a registered worker that never answers hints, optionally while claiming a critical
 * section: the adversary of the escalation path. It spins for --run-ms, inside a critical
 * section for the first --critical-ms (0: never), and reports what the kernel did to it:
 *   hints, escalations, and the delays from the first hint (and from the critical entry) to
 *   the first escalation, in milliseconds (-1: never escalated); from the critical entry also
 *   in its own CPU time (critical_to_escalation_cpu_ms), the clock scx_morpheus bounds a
 *   critical section by besides wall time.
 * With --peers PID,PID,... it also reports the average CPU time those processes got over
 * exactly its own run (peer_cpu_ms, from /proc/PID/schedstat: the same kernel clock as its own
 * cpu_ms), for fairness checks that must not depend on how long start-up took.
 *   liar [--run-ms R] [--critical-ms C] [--not-escapable] [--pin-dir DIR] [--peers PIDS]
 */
#include "scb_direct.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PEERS 8

/* Summed on-CPU nanoseconds of the peers (first field of /proc/PID/schedstat). */
static double peers_cpu_ns(const long *pids, int n)
{
	double total = 0;

	for (int i = 0; i < n; i++) {
		char path[64];
		unsigned long long v = 0;
		FILE *f;

		snprintf(path, sizeof(path), "/proc/%ld/schedstat", pids[i]);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fscanf(f, "%llu", &v) == 1)
			total += (double)v;
		fclose(f);
	}
	return total;
}

static double thread_cpu_ns(void)
{
	struct timespec cpu;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu);
	return (double)cpu.tv_sec * 1e9 + (double)cpu.tv_nsec;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "run-ms", required_argument, 0, 'r' }, { "critical-ms", required_argument, 0, 'c' },
		{ "not-escapable", no_argument, 0, 'n' }, { "pin-dir", required_argument, 0, 'p' },
		{ "peers", required_argument, 0, 'P' }, { 0 }
	};
	long run_ms = 1000, crit_ms = 0, peers[MAX_PEERS];
	int npeers = 0;
	double own0, peers0, first_esc_cpu_ns = 0;
	int escapable = 1, c;
	const char *pin = MORPHEUS_DEFAULT_PIN_DIR;
	struct scb_direct d;
	struct morpheus_scb *s;
	uint64_t start, end, crit_end, first_hint_ns = 0, first_esc_ns = 0, crit_entry = 0;
	volatile uint64_t spins = 0;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'r': run_ms = atol(optarg); break;
		case 'c': crit_ms = atol(optarg); break;
		case 'n': escapable = 0; break;
		case 'p': pin = optarg; break;
		case 'P':
			for (char *tok = strtok(optarg, ","); tok && npeers < MAX_PEERS; tok = strtok(NULL, ","))
				peers[npeers++] = atol(tok);
			break;
		default: fprintf(stderr, "liar: bad option\n"); return 2;
		}
	}
	if (run_ms < 1 || run_ms > 600000 || crit_ms < 0 || crit_ms > run_ms) {
		fprintf(stderr, "liar: --run-ms %ld (1-600000) / --critical-ms %ld (0-run-ms) out of range\n", run_ms, crit_ms);
		return 2;
	}
	if (scbd_open(&d, pin))
		return 1;
	s = scbd_register(&d, scbd_gettid(), escapable);
	if (!s)
		return 1;
	own0 = thread_cpu_ns();
	peers0 = peers_cpu_ns(peers, npeers);
	start = scbd_now_ns();
	end = start + (uint64_t)run_ms * 1000000ull;
	crit_end = start + (uint64_t)crit_ms * 1000000ull;
	if (crit_ms) {
		crit_entry = start;
		s->critical_entry_ns = crit_entry;
		__atomic_store_n(&s->critical_depth, 1, __ATOMIC_RELEASE);
	}
	for (;;) {
		uint64_t now = scbd_now_ns();

		if (now >= end)
			break;
		if (crit_ms && s->critical_depth && now >= crit_end)
			__atomic_store_n(&s->critical_depth, 0, __ATOMIC_RELEASE);
		if (!first_hint_ns && __atomic_load_n(&s->kernel_hint_seq, __ATOMIC_ACQUIRE))
			first_hint_ns = s->hint_time_ns;
		if (!first_esc_ns && __atomic_load_n(&s->escalation_count, __ATOMIC_ACQUIRE)) {
			first_esc_ns = s->last_escalation_ns;
			/* seen at once: kicked off its CPU, it runs again only to get here */
			first_esc_cpu_ns = thread_cpu_ns();
		}
		spins++;
	}
	__atomic_store_n(&s->critical_depth, 0, __ATOMIC_RELEASE);
	{
		double own = thread_cpu_ns() - own0, peer = peers_cpu_ns(peers, npeers) - peers0;

		/* cpu_ms / peer_cpu_ms: the kernel's sum_exec_runtime over this run; cpu_pct divides by
		 * CLOCK_MONOTONIC, a different clock under TCG, so it is only indicative there. */
		printf("liar: cpu_ms=%.1f peer_cpu_ms=%.1f cpu_pct=%.0f ", own / 1e6,
		       npeers ? peer / npeers / 1e6 : 0.0, own * 100.0 / (double)(scbd_now_ns() - start));
	}
	printf("run_ms=%ld critical_ms=%ld escapable=%d hints=%llu escalations=%llu "
	       "first_hint_ms=%.1f hint_to_escalation_ms=%.1f critical_to_escalation_ms=%.1f "
	       "critical_to_escalation_cpu_ms=%.1f\n",
	       run_ms, crit_ms, escapable, (unsigned long long)s->kernel_hint_seq, (unsigned long long)s->escalation_count,
	       first_hint_ns ? (double)(first_hint_ns - start) / 1e6 : -1.0,
	       first_esc_ns && first_hint_ns ? (double)(first_esc_ns - first_hint_ns) / 1e6 : -1.0,
	       first_esc_ns && crit_entry ? (double)(first_esc_ns - crit_entry) / 1e6 : -1.0,
	       first_esc_ns && crit_entry ? (first_esc_cpu_ns - own0) / 1e6 : -1.0);
	scbd_unregister(&d, scbd_gettid());
	scbd_close(&d);
	return 0;
}
