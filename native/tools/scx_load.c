// SPDX-License-Identifier: GPL-2.0-only OR Apache-2.0
/*
 * scx_load - a small standalone loader for scx_morpheus, for the VM tests until morpheusd's
 * scx backend is wired: loads and attaches the scheduler (scx_backend.c), pins the shared maps,
 * prints events with --debug, carries out CGROUP_THROTTLE requests (writes cpu.max of the
 * worker's cgroup for --throttle-ms and restores it), and on exit prints the stats and the
 * scheduler's exit info. Exit status: 0 after a clean SIGINT/SIGTERM/--duration, 1 on a load
 * error, 3 when the kernel unloaded the scheduler on its own (error, stall).
 */
#include "../morpheusd/scx_backend.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t stop;
static void on_signal(int sig) { (void)sig; stop = 1; }

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

struct throttle {
	char path[512];
	char saved[64];
	uint64_t until;
	int active;
};

struct loader {
	int debug;
	uint64_t throttle_ns;
	const char *throttle_max;
	struct throttle thr[16];
	unsigned long throttles_applied, throttles_restored;
};

static int read_small(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return -errno;
	n = fread(buf, 1, len - 1, f);
	fclose(f);
	buf[n] = 0;
	while (n && (buf[n - 1] == '\n'))
		buf[--n] = 0;
	return 0;
}

static int write_small(const char *path, const char *val)
{
	FILE *f = fopen(path, "w");
	int err = 0;

	if (!f)
		return -errno;
	if (fputs(val, f) < 0)
		err = -errno;
	if (fclose(f) && !err)
		err = -errno;
	return err;
}

/* CGROUP_THROTTLE: lower cpu.max of the thread's cgroup for a bounded time. */
static void throttle_tid(struct loader *l, uint32_t tid)
{
	char p[128], line[400], *rel;
	struct throttle *t = NULL;
	int i, err;

	snprintf(p, sizeof(p), "/proc/%u/cgroup", tid);
	if (read_small(p, line, sizeof(line)) || strncmp(line, "0::", 3)) {
		fprintf(stderr, "scx_load: throttle tid %u: no cgroup v2 membership\n", tid);
		return;
	}
	rel = line + 3;
	for (i = 0; i < 16; i++) {
		if (l->thr[i].active && strstr(l->thr[i].path, rel)) {
			l->thr[i].until = now_ns() + l->throttle_ns; /* extend */
			return;
		}
		if (!l->thr[i].active && !t)
			t = &l->thr[i];
	}
	if (!t)
		return;
	snprintf(t->path, sizeof(t->path), "/sys/fs/cgroup%s/cpu.max", rel);
	if (read_small(t->path, t->saved, sizeof(t->saved))) {
		fprintf(stderr, "scx_load: throttle tid %u: cannot read %s\n", tid, t->path);
		return;
	}
	err = write_small(t->path, l->throttle_max);
	if (err) {
		fprintf(stderr, "scx_load: throttle tid %u: write %s: %s\n", tid, t->path, strerror(-err));
		return;
	}
	t->until = now_ns() + l->throttle_ns;
	t->active = 1;
	l->throttles_applied++;
	printf("scx_load: throttled tid=%u %s '%s' (was '%s')\n", tid, t->path, l->throttle_max, t->saved);
	fflush(stdout);
}

static void restore_throttles(struct loader *l, int all)
{
	uint64_t now = now_ns();
	int i;

	for (i = 0; i < 16; i++) {
		struct throttle *t = &l->thr[i];

		if (!t->active || (!all && now < t->until))
			continue;
		write_small(t->path, t->saved);
		t->active = 0;
		l->throttles_restored++;
		printf("scx_load: restored %s '%s'\n", t->path, t->saved);
		fflush(stdout);
	}
}

static const char *ev_name(uint32_t t)
{
	switch (t) {
	case MORPHEUS_EV_HINT_POSTED: return "hint";
	case MORPHEUS_EV_HINT_ACK_LATE: return "ack-late";
	case MORPHEUS_EV_WORKER_EXITED: return "worker-exited";
	case MORPHEUS_EV_ESCALATED: return "escalated";
	case MORPHEUS_EV_CRITICAL_OVERRUN: return "critical-overrun";
	}
	return "?";
}

static int on_event(void *ctx, const struct morpheus_event *ev)
{
	struct loader *l = ctx;

	if (l->debug || ev->type == MORPHEUS_EV_CRITICAL_OVERRUN)
		printf("scx_load: event %s tid=%u region=%u slot=%u value=%llu\n", ev_name(ev->type), ev->tid,
		       ev->region, ev->slot, (unsigned long long)ev->value);
	if (ev->type == MORPHEUS_EV_ESCALATED && ev->value == MORPHEUS_ESC_CGROUP_THROTTLE)
		throttle_tid(l, ev->tid);
	return 0;
}

static const char *const stat_names[] = {
#define X(id, name, desc) [id] = #name,
	MORPHEUS_STATS(X)
#undef X
};

static void usage(FILE *f)
{
	fprintf(f, "usage: scx_load --object FILE [--pin-dir DIR] [--enforce] [--escalation none|kick|throttle|hybrid]\n"
		   "                [--slice-ms N] [--grace-ms N] [--max-critical-ms N] [--no-adaptive]\n"
		   "                [--duration-s N] [--throttle-ms N] [--throttle-max 'QUOTA PERIOD'] [--debug]\n");
}

static int parse_ms(const char *key, const char *v, uint64_t min_ns, uint64_t max_ns, uint64_t *out)
{
	char *end;
	double ms = strtod(v, &end);

	if (*v == 0 || *end || ms * 1e6 < (double)min_ns || ms * 1e6 > (double)max_ns) {
		fprintf(stderr, "scx_load: %s '%s' out of range: %.1f - %.1f ms\n", key, v, min_ns / 1e6, max_ns / 1e6);
		return -1;
	}
	*out = (uint64_t)(ms * 1e6);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "object", required_argument, 0, 'o' }, { "pin-dir", required_argument, 0, 'p' },
		{ "enforce", no_argument, 0, 'e' }, { "escalation", required_argument, 0, 'E' },
		{ "slice-ms", required_argument, 0, 's' }, { "grace-ms", required_argument, 0, 'g' },
		{ "max-critical-ms", required_argument, 0, 'c' }, { "no-adaptive", no_argument, 0, 'A' },
		{ "duration-s", required_argument, 0, 'd' }, { "throttle-ms", required_argument, 0, 't' },
		{ "throttle-max", required_argument, 0, 'T' }, { "debug", no_argument, 0, 'D' },
		{ "help", no_argument, 0, 'h' }, { 0 }
	};
	struct scx_backend_config cfg;
	struct loader l = { .throttle_ns = 200000000ull, .throttle_max = "10000 100000" };
	struct scx_backend *b = NULL;
	struct morpheus_exit_info xi;
	uint64_t st[MORPHEUS_STAT_NR], deadline = 0;
	int c, err, rc = 0;

	scx_backend_config_init(&cfg);
	cfg.pin_dir = MORPHEUS_DEFAULT_PIN_DIR;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'o': cfg.object_path = optarg; break;
		case 'p': cfg.pin_dir = optarg; break;
		case 'e': cfg.sched_mode = MORPHEUS_SCHED_ENFORCED; break;
		case 'E':
			if (!strcmp(optarg, "none")) cfg.escalation = MORPHEUS_ESC_NONE;
			else if (!strcmp(optarg, "kick")) cfg.escalation = MORPHEUS_ESC_THREAD_KICK;
			else if (!strcmp(optarg, "throttle")) cfg.escalation = MORPHEUS_ESC_CGROUP_THROTTLE;
			else if (!strcmp(optarg, "hybrid")) cfg.escalation = MORPHEUS_ESC_HYBRID;
			else {
				fprintf(stderr, "scx_load: --escalation '%s': allowed none, kick, throttle, hybrid\n", optarg);
				return 2;
			}
			break;
		case 's': if (parse_ms("--slice-ms", optarg, MORPHEUS_SLICE_MIN_NS, MORPHEUS_SLICE_MAX_NS, &cfg.slice_ns)) return 2; break;
		case 'g': if (parse_ms("--grace-ms", optarg, MORPHEUS_GRACE_MIN_NS, MORPHEUS_GRACE_MAX_NS, &cfg.grace_ns)) return 2; break;
		case 'c': if (parse_ms("--max-critical-ms", optarg, MORPHEUS_MAX_CRITICAL_MIN_NS, MORPHEUS_MAX_CRITICAL_MAX_NS, &cfg.max_critical_ns)) return 2; break;
		case 'A': cfg.adaptive_slice = false; break;
		case 'd': deadline = now_ns() + (uint64_t)atoi(optarg) * 1000000000ull; break;
		case 't': if (parse_ms("--throttle-ms", optarg, 1000000ull, 10000000000ull, &l.throttle_ns)) return 2; break;
		case 'T': l.throttle_max = optarg; break;
		case 'D': l.debug = 1; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (cfg.escalation != MORPHEUS_ESC_NONE && cfg.sched_mode != MORPHEUS_SCHED_ENFORCED)
		fprintf(stderr, "scx_load: --escalation has no effect without --enforce (observer mode never escalates)\n");
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	/* open -> configure -> load -> pin -> attach */
	err = scx_backend_start(&cfg, &b);
	if (err) {
		fprintf(stderr, "scx_load: %s\n", scx_backend_error());
		return 1;
	}
	printf("scx_load: scx_morpheus attached mode=%s escalation=%u slice=%.1fms grace=%.1fms max-critical=%.1fms adaptive=%d\n",
	       cfg.sched_mode ? "enforced" : "observer", cfg.escalation, cfg.slice_ns / 1e6, cfg.grace_ns / 1e6,
	       cfg.max_critical_ns / 1e6, cfg.adaptive_slice);
	fflush(stdout);
	/* poll: events, bounded throttles, the scheduler's own exit */
	while (!stop && (!deadline || now_ns() < deadline)) {
		if (scx_backend_poll(b, 20, on_event, &l) < 0)
			break;
		restore_throttles(&l, 0);
		if (!scx_backend_exit_info(b, &xi) && xi.kind) {
			rc = 3;
			break;
		}
	}
	restore_throttles(&l, 1);
	scx_backend_stats(b, st);
	printf("scx_load: stats");
	for (c = 0; c < MORPHEUS_STAT_NR; c++)
		printf(" %s=%llu", stat_names[c], (unsigned long long)st[c]);
	printf(" throttles_applied=%lu throttles_restored=%lu\n", l.throttles_applied, l.throttles_restored);
	if (rc == 0 && !scx_backend_exit_info(b, &xi) && xi.kind)
		rc = 3;
	if (rc == 3)
		printf("scx_load: scheduler exited by the kernel: kind=%d code=%lld reason='%s' msg='%s'\n", xi.kind,
		       (long long)xi.exit_code, xi.reason, xi.msg);
	scx_backend_stop(b);
	printf("scx_load: detached\n");
	return rc;
}
