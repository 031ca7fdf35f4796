/* morpheus-probe - the client side of the host-kernel tests, built on libmorpheus.
 *
 *   worker --cpu N --seconds S [--no-ack] [--ack-delay-ms D]
 *                                           register, spin on CPU N, answer hints (D ms late); prints
 *                                           hints, pressure and how late each hint was
 *   hold --seconds S                        register, put a marker in the SCB, print the
 *                                           region id and tid, sleep (the isolation victim)
 *   isolation --peer-region R --peer-tid T  a second client: own region, no foreign marker,
 *                                           cannot register T (-EPERM)
 *   quota --threads N                       register N threads; prints accepted/refused
 *   exit-thread                             a registered thread exits without unregistering
 *   churn --threads N                       N short-lived threads register; half unregister,
 *                                           half exit registered
 *   reconnect --seconds S                   register, notice the daemon vanish, reconnect
 *   hostile                                 garbage, truncated, oversized, wrong version/op,
 *                                           disconnect before the reply, connection flood
 * Every mode takes --socket PATH and prints key=value lines; exit 0 = ran (the test script
 * judges the values), 1 = could not run. */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include "morpheus_abi.h"
#include "morpheus.h"
#include "raw_socket.h"

#define MARKER 0x4d41524b45520000ULL /* "MARKER" + pid */

static const char *sock_path;

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static struct morpheus_scb *scb_at(struct morpheus_client *c, int slot)
{
	return (struct morpheus_scb *)((char *)morpheus_region(c) + (size_t)(slot + 1) * MORPHEUS_ENTRY_SIZE);
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

static int64_t pct(int64_t *v, size_t n, double p)
{
	size_t i;

	if (!n)
		return 0;
	i = (size_t)(p * (double)(n - 1) + 0.5);
	return v[i < n ? i : n - 1];
}

static int open_client(struct morpheus_client **c)
{
	int r = morpheus_open(sock_path, c);

	if (r)
		fprintf(stderr, "morpheus-probe: open: %s\n", morpheus_last_error());
	return r;
}

static int pin_cpu(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set);
}

static int mode_worker(int cpu, double seconds, int ack, int ack_delay_ms)
{
	struct morpheus_client *c;
	struct morpheus_scb *scb;
	size_t cap = 1 << 16, n = 0;
	int64_t *overdue = calloc(cap, sizeof(int64_t)), *seen = calloc(cap, sizeof(int64_t));
	uint64_t last = 0, t0, end, pressure0 = 0, pressure_sum = 0, lost = 0, unacked_since = 0;
	volatile unsigned long sink = 0;
	int slot;

	if (!overdue || !seen || open_client(&c))
		return 1;
	if (cpu >= 0 && pin_cpu(cpu)) {
		perror("sched_setaffinity");
		return 1;
	}
	slot = morpheus_register_self(c, 1);
	if (slot < 0) {
		fprintf(stderr, "morpheus-probe: register: %s\n", morpheus_last_error());
		return 1;
	}
	scb = scb_at(c, slot);
	t0 = now_ns();
	end = t0 + (uint64_t)(seconds * 1e9);
	while (now_ns() < end) {
		/* the checkpoint: one acquire load and a compare */
		uint32_t seq = __atomic_load_n(&scb->kernel_hint_seq, __ATOMIC_ACQUIRE);

		if (seq != last) {
			uint64_t t = now_ns();

			if (n < cap) {
				overdue[n] = -scb->budget_remaining_ns;
				seen[n] = (int64_t)(t - scb->hint_time_ns);
				n++;
			}
			if (!scb->pressure)
				pressure0++;
			pressure_sum += scb->pressure;
			lost += (uint32_t)(seq - (uint32_t)last - 1);
			last = seq;
			if (!unacked_since)
				unacked_since = t;
		}
		/* answer at the "mailbox boundary", optionally late */
		if (ack && unacked_since && now_ns() - unacked_since >= (uint64_t)ack_delay_ms * 1000000) {
			__atomic_store_n(&scb->kernel_ack_seq, (uint32_t)last, __ATOMIC_RELEASE);
			unacked_since = 0;
		}
		for (int i = 0; i < 2000; i++) /* one "message" of work, a few microseconds */
			sink += (unsigned long)i;
	}
	qsort(overdue, n, sizeof(int64_t), cmp_i64);
	qsort(seen, n, sizeof(int64_t), cmp_i64);
	printf("region=%d slot=%d tid=%ld\n", morpheus_region_id(c), slot, syscall(SYS_gettid));
	printf("hints=%zu kernel_hint_seq=%llu skipped=%llu pressure0=%llu pressure_avg=%llu hint_loss_count=%llu\n", n,
	       (unsigned long long)last, (unsigned long long)lost, (unsigned long long)pressure0,
	       (unsigned long long)(n ? pressure_sum / n : 0), (unsigned long long)scb->hint_loss_count);
	printf("overdue_us p50=%lld p99=%lld max=%lld\n", (long long)pct(overdue, n, .5) / 1000,
	       (long long)pct(overdue, n, .99) / 1000, (long long)(n ? overdue[n - 1] : 0) / 1000);
	printf("seen_us p50=%lld p99=%lld max=%lld\n", (long long)pct(seen, n, .5) / 1000,
	       (long long)pct(seen, n, .99) / 1000, (long long)(n ? seen[n - 1] : 0) / 1000);
	if (morpheus_unregister(c, slot))
		fprintf(stderr, "morpheus-probe: unregister: %s\n", morpheus_last_error());
	morpheus_close(c);
	free(overdue);
	free(seen);
	return 0;
}

static int mode_hold(double seconds)
{
	struct morpheus_client *c;
	int slot;

	if (open_client(&c))
		return 1;
	slot = morpheus_register_self(c, 0);
	if (slot < 0) {
		fprintf(stderr, "morpheus-probe: register: %s\n", morpheus_last_error());
		return 1;
	}
	scb_at(c, slot)->run_seq = MARKER | (uint64_t)getpid();
	printf("region=%d slot=%d tid=%ld marker=%llu\n", morpheus_region_id(c), slot,
	       syscall(SYS_gettid), (unsigned long long)(MARKER | (uint64_t)getpid()));
	fflush(stdout);
	usleep((useconds_t)(seconds * 1e6));
	morpheus_close(c);
	return 0;
}

static int mode_isolation(int peer_region, int peer_tid)
{
	struct morpheus_client *c;
	const uint64_t *words;
	size_t found = 0;
	int r;

	if (open_client(&c))
		return 1;
	words = morpheus_region(c);
	for (size_t i = 0; i < morpheus_region_size(c) / 8; i++)
		if ((words[i] & ~0xffffffffULL) == MARKER)
			found++;
	r = morpheus_register_tid(c, peer_tid, 1);
	printf("own_region=%d peer_region=%d foreign_markers=%zu register_peer_tid=%d (%s)\n",
	       morpheus_region_id(c), peer_region, found, r, r < 0 ? strerror(-r) : "accepted");
	printf("own_region_differs=%d\n", morpheus_region_id(c) != peer_region);
	morpheus_close(c);
	return 0;
}

struct quota_thread { struct morpheus_client *c; int result; pthread_barrier_t *done; };

static void *quota_thread(void *arg)
{
	struct quota_thread *q = arg;

	q->result = morpheus_register_self(q->c, 1);
	pthread_barrier_wait(q->done); /* stay alive until every thread registered */
	return NULL;
}

static int mode_quota(int threads)
{
	struct morpheus_client *c;
	struct quota_thread q[256];
	pthread_t th[256];
	pthread_barrier_t done;
	int ok = 0, dquot = 0, other = 0;

	if (threads < 1 || threads > 256 || open_client(&c))
		return 1;
	pthread_barrier_init(&done, NULL, (unsigned)threads + 1);
	for (int i = 0; i < threads; i++) {
		q[i] = (struct quota_thread){ .c = c, .done = &done };
		pthread_create(&th[i], NULL, quota_thread, &q[i]);
	}
	/* each thread registers, then waits here, so all tids are alive at once */
	pthread_barrier_wait(&done);
	for (int i = 0; i < threads; i++) {
		pthread_join(th[i], NULL);
		if (q[i].result >= 0)
			ok++;
		else if (q[i].result == -EDQUOT)
			dquot++;
		else
			other++;
	}
	printf("accepted=%d refused_quota=%d other_errors=%d\n", ok, dquot, other);
	morpheus_close(c);
	return 0;
}

static void *exiting_thread(void *arg)
{
	struct morpheus_client *c = arg;
	int slot = morpheus_register_self(c, 1);

	printf("exit_thread_slot=%d\n", slot);
	return NULL; /* exits registered */
}

static int mode_exit_thread(void)
{
	struct morpheus_client *c;
	uint64_t st[MORPHEUS_CLIENT_STATS_NR];
	pthread_t th;

	if (open_client(&c))
		return 1;
	pthread_create(&th, NULL, exiting_thread, c);
	pthread_join(th, NULL);
	usleep(400 * 1000); /* the exit event, or the daemon's sweep */
	if (morpheus_stats(c, st, MORPHEUS_CLIENT_STATS_NR) < 0)
		return 1;
	printf("worker_exits=%llu registered_workers_after=%llu\n",
	       (unsigned long long)st[MORPHEUS_STAT_worker_exits],
	       (unsigned long long)st[MORPHEUS_STAT_NR + MORPHEUS_DSTAT_registered_workers]);
	morpheus_close(c);
	return 0;
}

/* Register, wait for the daemon to vanish (ping fails), then reconnect and register again. */
static int mode_reconnect(double seconds)
{
	struct morpheus_client *c, *fresh = NULL;
	uint64_t end = now_ns() + (uint64_t)(seconds * 1e9);
	int slot, lost = 0, r;

	if (open_client(&c))
		return 1;
	slot = morpheus_register_self(c, 1);
	printf("slot=%d\n", slot);
	while (now_ns() < end && !lost) {
		r = morpheus_ping(c);
		if (r)
			lost = r;
		else
			usleep(20 * 1000);
	}
	printf("lost=%d (%s)\n", lost, lost ? strerror(-lost) : "never");
	while (lost && now_ns() < end) {
		if (morpheus_open(sock_path, &fresh) == 0)
			break;
		fresh = NULL;
		usleep(50 * 1000);
	}
	slot = fresh ? morpheus_register_self(fresh, 1) : -1;
	printf("reconnected=%d new_region=%d new_slot=%d\n", fresh != NULL, morpheus_region_id(fresh), slot);
	/* the old region stays mapped until close: a worker may still be reading it */
	printf("old_region_still_mapped=%d\n", morpheus_region(c) != NULL &&
	       ((const struct morpheus_region_header *)morpheus_region(c))->magic == MORPHEUS_MAGIC);
	morpheus_close(fresh);
	morpheus_close(c);
	return 0;
}

/* Thread churn: `threads` threads in batches of 4 (the test's quota is 8); each registers, half unregister, the
 * other half exit registered (the kernel's exit hook must clean those up). */
struct churn_arg { struct morpheus_client *c; int i; int ok; };

static void *churn_thread(void *arg)
{
	struct churn_arg *a = arg;
	int slot = morpheus_register_self(a->c, 1);

	/* slots of threads that exited registered come back with the exit event: wait for it */
	for (int tries = 0; slot == -EDQUOT && tries < 1000; tries++) {
		usleep(1000);
		slot = morpheus_register_self(a->c, 1);
	}
	a->ok = slot >= 0;
	if (slot >= 0 && (a->i & 1))
		morpheus_unregister(a->c, slot);
	return NULL;
}

static int mode_churn(int threads)
{
	struct morpheus_client *c;
	struct churn_arg args[4];
	pthread_t th[4];
	int ok = 0;

	if (open_client(&c))
		return 1;
	for (int done = 0; done < threads; done += 4) {
		int n = threads - done < 4 ? threads - done : 4;

		for (int i = 0; i < n; i++) {
			args[i] = (struct churn_arg){ .c = c, .i = done + i };
			pthread_create(&th[i], NULL, churn_thread, &args[i]);
		}
		for (int i = 0; i < n; i++) {
			pthread_join(th[i], NULL);
			ok += args[i].ok;
		}
	}
	printf("churn_threads=%d registered_ok=%d\n", threads, ok);
	usleep(300 * 1000); /* exit events */
	{
		uint64_t st[MORPHEUS_CLIENT_STATS_NR];

		if (morpheus_stats(c, st, MORPHEUS_CLIENT_STATS_NR) > 0)
			printf("registered_workers_after=%llu\n",
			       (unsigned long long)st[MORPHEUS_STAT_NR + MORPHEUS_DSTAT_registered_workers]);
	}
	morpheus_close(c);
	return 0;
}

/* ---- hostile: raw socket messages ---- */

/* send len bytes, return the reply status (or a transport error as 1000+errno) */
static int raw_exchange(const void *buf, size_t len)
{
	struct morpheus_msg rep;
	struct timeval tv = { .tv_sec = 3 };
	int fd = raw_connect(sock_path), st;
	ssize_t n;

	if (fd < 0)
		return 1000 + errno;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (send(fd, buf, len, MSG_NOSIGNAL) < 0) {
		st = 1000 + errno;
		close(fd);
		return st;
	}
	n = recv(fd, &rep, sizeof(rep), 0);
	st = n == (ssize_t)sizeof(rep) && rep.magic == MORPHEUS_MAGIC ? rep.status : 1000 + (n < 0 ? errno : 0);
	close(fd);
	return st;
}

static int mode_hostile(int flood)
{
	struct morpheus_msg m;
	char big[4096];
	int fds[512], opened = 0, st, ok = 1;
	struct morpheus_client *c;

	memset(&m, 0xa5, sizeof(m));
	st = raw_exchange(&m, sizeof(m));
	printf("garbage=%d\n", st);
	ok &= st == -EBADMSG;
	memset(&m, 0, sizeof(m));
	m.magic = MORPHEUS_MAGIC;
	m.version = MORPHEUS_PROTO_VERSION;
	m.op = MORPHEUS_OP_STATS;
	st = raw_exchange(&m, 10);
	printf("truncated=%d\n", st);
	ok &= st == -EMSGSIZE;
	memset(big, 0, sizeof(big));
	memcpy(big, &m, sizeof(m));
	st = raw_exchange(big, sizeof(big));
	printf("oversized=%d\n", st);
	ok &= st == -EMSGSIZE;
	m.version = 99;
	st = raw_exchange(&m, sizeof(m));
	printf("bad_version=%d\n", st);
	ok &= st == -EPROTO;
	m.version = MORPHEUS_PROTO_VERSION;
	m.op = 77;
	st = raw_exchange(&m, sizeof(m));
	printf("bad_op=%d\n", st);
	ok &= st == -EOPNOTSUPP;
	m.op = MORPHEUS_OP_REGISTER;
	m.tid = (uint32_t)getpid();
	st = raw_exchange(&m, sizeof(m));
	printf("register_before_hello=%d\n", st);
	ok &= st == -ENOTCONN;
	/* disconnect before the reply: HELLO then close at once */
	for (int i = 0; i < 20; i++) {
		int fd = raw_connect(sock_path);

		m.op = MORPHEUS_OP_HELLO;
		if (fd >= 0) {
			send(fd, &m, sizeof(m), MSG_NOSIGNAL);
			send(fd, &m, 7, MSG_NOSIGNAL);
			close(fd);
		}
	}
	/* flood: hold many connections at once */
	for (int i = 0; i < flood && i < 512; i++) {
		fds[i] = raw_connect(sock_path);
		if (fds[i] >= 0)
			opened++;
	}
	printf("flood_connections=%d of %d\n", opened, flood);
	for (int i = 0; i < flood && i < 512; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	usleep(200 * 1000);
	/* still serving? */
	st = open_client(&c);
	if (!st) {
		st = morpheus_ping(c);
		morpheus_close(c);
	}
	printf("served_after=%d\n", st);
	ok &= st == 0;
	printf("hostile_ok=%d\n", ok);
	return 0;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	int cpu = -1, ack = 1, peer_region = -1, peer_tid = 1, threads = 1, flood = 300, ack_delay_ms = 0;
	double seconds = 5;

	sock_path = MORPHEUS_DEFAULT_SOCKET;
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : "";

		if (!strcmp(a, "--no-ack")) { ack = 0; continue; }
		if (!strcmp(a, "--socket")) sock_path = v;
		else if (!strcmp(a, "--cpu")) cpu = atoi(v);
		else if (!strcmp(a, "--seconds")) seconds = atof(v);
		else if (!strcmp(a, "--peer-region")) peer_region = atoi(v);
		else if (!strcmp(a, "--peer-tid")) peer_tid = atoi(v);
		else if (!strcmp(a, "--threads")) threads = atoi(v);
		else if (!strcmp(a, "--flood")) flood = atoi(v);
		else if (!strcmp(a, "--ack-delay-ms")) ack_delay_ms = atoi(v);
		else { fprintf(stderr, "morpheus-probe: unknown option %s\n", a); return 1; }
		i++;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(mode, "worker")) return mode_worker(cpu, seconds, ack, ack_delay_ms);
	if (!strcmp(mode, "hold")) return mode_hold(seconds);
	if (!strcmp(mode, "isolation")) return mode_isolation(peer_region, peer_tid);
	if (!strcmp(mode, "quota")) return mode_quota(threads);
	if (!strcmp(mode, "exit-thread")) return mode_exit_thread();
	if (!strcmp(mode, "hostile")) return mode_hostile(flood);
	if (!strcmp(mode, "reconnect")) return mode_reconnect(seconds);
	if (!strcmp(mode, "churn")) return mode_churn(threads);
	fprintf(stderr, "usage: morpheus-probe worker|hold|isolation|quota|exit-thread|hostile [--socket PATH] ...\n");
	return 1;
}
