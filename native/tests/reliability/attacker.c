/* attacker.c - the attacks of issue 14 against morpheusd, for tests/reliability/security.sh.
 * Written from morpheus_abi.h and the daemon's documented behaviour, the way a hostile local
 * user in the socket's group would; each subcommand prints key=value results that the script
 * checks. Raw datagrams (tools/raw_socket.h) for the attacks, libmorpheus for bystanders.
 *
 *   attacker pid-reuse --socket P --uid U          (as root; the attack half runs as uid U)
 *       U connects and HELLOs, forks, the connecting process exits; root then creates a
 *       process with exactly that pid (clone3 set_tid) and U's child asks the daemon to
 *       REGISTER that root process's thread. Prints: reused_pid=N register_status=S
 *       (S = 0 means the foreign thread was accepted; 1000 = the daemon hung up)
 *   attacker exit-race --socket P --attempts N --hold S
 *       N threads each send REGISTER for themselves and exit at once (0..39 us later), then
 *       the connection stays open S seconds. Prints: accepted=K refused=R
 *   attacker hog --socket P --connections N --seconds S
 *       holds up to N connections (no HELLO), reopening any the daemon closes, S seconds.
 *       Prints: held_max=N
 *   attacker connects --socket P --count N
 *       a well-behaved client: N times morpheus_open (connect + HELLO) and morpheus_close.
 *       Prints: ok=K of=N first_error=...
 *   attacker idle --socket P --seconds S
 *       HELLO, then nothing (no worker) until the daemon hangs up or S seconds pass.
 *       Prints: dropped=1|0 after_ms=T
 *   attacker slots --socket P --connections C --threads T
 *       C connections (one process), T threads, thread k registering on connection k % C.
 *       Prints: registered=K
 *   attacker keep-fds --socket P --count N [--pin DIR] [--hold S]
 *       N times: connect, HELLO, keep the region fd (and pin it in DIR), close the socket;
 *       then hold everything S seconds. Prints: hello_ok=K refused=R last_error=...
 *   attacker storm --socket P --seconds S
 *       connect, HELLO, close, as fast as possible. Prints: cycles=N hellos=K
 *   attacker stats-latency --socket P --seconds S
 *       one connection, a STATS round trip every 5 ms. Prints: n=N p50_ms= p99_ms= max_ms=
 *   attacker plant-exit-info --socket P --dir D
 *       mkdir D (0777), HELLO, write a fake scheduler exit ("watchdog: planted by nobody")
 *       into its region and pin the region fd as D/exit_info. Prints: planted=1|0
 *   attacker squat --dir D --seconds S
 *       mkdir D, flock it, hold S seconds. Prints: squatting=1|0
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/sched.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <bpf/bpf.h>
#include "morpheus.h"
#include "../../tools/raw_socket.h"
#include "morpheus_abi.h"

#define HUNG_UP 1000

static const char *sock_path;

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static struct morpheus_msg request(unsigned op, unsigned seq)
{
	struct morpheus_msg m;

	memset(&m, 0, sizeof(m));
	m.magic = MORPHEUS_MAGIC;
	m.version = MORPHEUS_PROTO_VERSION;
	m.op = (__u16)op;
	m.seq = seq;
	return m;
}

/* One reply (waiting up to timeout_ms); its status, HUNG_UP when the daemon closed or did not
 * answer. *fd_out (if given) receives a passed fd or -1. */
static int recv_reply(int fd, struct morpheus_msg *rep, int *fd_out, int timeout_ms)
{
	union { char buf[CMSG_SPACE(sizeof(int))]; struct cmsghdr align; } ctl;
	struct iovec iov = { .iov_base = rep, .iov_len = sizeof(*rep) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl.buf,
			     .msg_controllen = sizeof(ctl.buf) };
	struct pollfd p = { .fd = fd, .events = POLLIN };
	struct cmsghdr *cm;

	if (fd_out)
		*fd_out = -1;
	if (poll(&p, 1, timeout_ms) != 1 || recvmsg(fd, &mh, MSG_CMSG_CLOEXEC) != (ssize_t)sizeof(*rep))
		return HUNG_UP;
	cm = CMSG_FIRSTHDR(&mh);
	if (cm && cm->cmsg_type == SCM_RIGHTS) {
		int got;

		memcpy(&got, CMSG_DATA(cm), sizeof(int));
		if (fd_out)
			*fd_out = got;
		else
			close(got);
	}
	return rep->status;
}

static int call(int fd, struct morpheus_msg *req, struct morpheus_msg *rep, int *fd_out)
{
	if (send(fd, req, sizeof(*req), MSG_NOSIGNAL) != (ssize_t)sizeof(*req))
		return HUNG_UP;
	return recv_reply(fd, rep, fd_out, 3000);
}

/* connect + HELLO: the socket (>= 0) with *region_fd set, or -status / -HUNG_UP */
static int hello(int *region_fd, char *why, size_t n)
{
	struct morpheus_msg req = request(MORPHEUS_OP_HELLO, 1), rep;
	int fd = raw_connect(sock_path), st;

	*region_fd = -1;
	if (fd < 0) {
		snprintf(why, n, "connect:%s", strerror(errno));
		return -HUNG_UP;
	}
	st = call(fd, &req, &rep, region_fd);
	if (st) {
		snprintf(why, n, "%s", st == HUNG_UP ? "hung-up" : rep.error);
		for (char *p = why; *p; p++)
			if (*p == ' ')
				*p = '_';
		close(fd);
		return st == HUNG_UP ? -HUNG_UP : st;
	}
	return fd;
}

static int register_tid(int fd, unsigned tid)
{
	struct morpheus_msg req = request(MORPHEUS_OP_REGISTER, 2), rep;

	req.tid = tid;
	req.arg = 1; /* escapable: what would let an enforcing scheduler kick the thread */
	return call(fd, &req, &rep, NULL);
}

/* ---- (1) pid reuse ---- */

static pid_t clone_with_pid(pid_t want)
{
	pid_t tids[1] = { want };
	struct clone_args args = { .exit_signal = SIGCHLD, .set_tid = (uintptr_t)tids, .set_tid_size = 1 };
	long r = syscall(SYS_clone3, &args, sizeof(args));

	if (r == 0) {       /* the root process that now owns the pid: wait to be killed */
		for (;;)
			pause();
	}
	return (pid_t)r;
}

static int pid_reuse(uid_t uid)
{
	int to_child[2], from_child[2], st = HUNG_UP;
	pid_t a, root_proc = -1, victim;

	if (pipe(to_child) || pipe(from_child))
		return 2;
	a = fork();
	if (a == 0) {       /* A: the unprivileged process that connects */
		int region, fd;
		char why[80];

		if (setgroups(0, NULL) || setgid(65534) || setuid(uid))
			_exit(3);
		fd = hello(&region, why, sizeof(why));
		if (fd < 0)
			_exit(4);
		if (fork() == 0) { /* B: inherits the socket, outlives A */
			unsigned tid;
			int r;

			if (read(to_child[0], &tid, sizeof(tid)) != sizeof(tid))
				_exit(5);
			r = register_tid(fd, tid);
			if (write(from_child[1], &r, sizeof(r)) != sizeof(r))
				_exit(6);
			_exit(0);
		}
		_exit(0);
	}
	if (a < 0 || waitpid(a, &st, 0) != a || !WIFEXITED(st) || WEXITSTATUS(st)) {
		printf("reused_pid=0 register_status=%d setup_failed=%d\n", HUNG_UP,
		       WIFEXITED(st) ? WEXITSTATUS(st) : -1);
		return 2;
	}
	/* A is reaped: its pid is free. Give it to a root process. */
	for (int i = 0; i < 50 && root_proc < 0; i++) {
		root_proc = clone_with_pid(a);
		if (root_proc < 0)
			usleep(10000);
	}
	if (root_proc != a) {
		printf("reused_pid=0 register_status=%d clone3_set_tid=%s\n", HUNG_UP, strerror(errno));
		return 2;
	}
	victim = root_proc; /* its main thread: tid == pid, a root thread */
	{
		unsigned tid = (unsigned)victim;

		st = HUNG_UP;
		if (write(to_child[1], &tid, sizeof(tid)) != sizeof(tid) ||
		    read(from_child[0], &st, sizeof(st)) != sizeof(st))
			st = HUNG_UP;
	}
	printf("reused_pid=%d register_status=%d\n", (int)victim, st);
	kill(root_proc, SIGKILL);
	waitpid(root_proc, NULL, 0);
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	return 0;
}

/* ---- (2) REGISTER/exit race ---- */

struct racer { int fd; int delay_us; };

static void *race_thread(void *arg)
{
	struct racer *r = arg;
	struct morpheus_msg req = request(MORPHEUS_OP_REGISTER, 7);
	double until;

	req.tid = (unsigned)gettid();
	send(r->fd, &req, sizeof(req), MSG_NOSIGNAL);
	until = now_ms() + r->delay_us / 1000.0;
	while (now_ms() < until)
		;
	return NULL; /* exits while the daemon checks it */
}

static int exit_race(int attempts, double hold)
{
	int region, fd, accepted = 0, refused = 0;
	char why[80];

	fd = hello(&region, why, sizeof(why));
	if (fd < 0) {
		printf("accepted=0 refused=0 hello=%s\n", why);
		return 1;
	}
	for (int i = 0; i < attempts; i++) {
		struct racer r = { .fd = fd, .delay_us = i % 40 };
		struct morpheus_msg rep;
		pthread_t t;

		if (pthread_create(&t, NULL, race_thread, &r))
			break;
		pthread_join(t, NULL);
		int st = recv_reply(fd, &rep, NULL, 3000);
		if (st == HUNG_UP)
			break;
		if (st == 0)
			accepted++;
		else
			refused++;
	}
	printf("accepted=%d refused=%d\n", accepted, refused);
	fflush(stdout);
	usleep((useconds_t)(hold * 1e6));
	close(fd);
	return 0;
}

/* ---- (3) limits ---- */

static int hog(int n, double seconds)
{
	int *fds = calloc((size_t)n, sizeof(int)), held_max = 0;
	double end = now_ms() + seconds * 1e3;

	for (int i = 0; i < n; i++)
		fds[i] = -1;
	while (now_ms() < end) {
		int held = 0;

		/* connect() succeeds before the daemon accepts: a socket counts as held when it
		 * survived a round (20 ms); one the daemon closed reads EOF: reopen it */
		for (int i = 0; i < n; i++) {
			struct pollfd p = { .fd = fds[i], .events = POLLIN };

			if (fds[i] >= 0 && poll(&p, 1, 0) == 1 && (p.revents & (POLLIN | POLLHUP))) {
				close(fds[i]);
				fds[i] = -1;
			}
			held += fds[i] >= 0;
		}
		for (int i = 0; i < n; i++)
			if (fds[i] < 0)
				fds[i] = raw_connect(sock_path);
		if (held > held_max)
			held_max = held;
		usleep(20000);
	}
	printf("held_max=%d\n", held_max);
	for (int i = 0; i < n; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	free(fds);
	return 0;
}

static int connects(int count)
{
	char first[128] = "none";
	int ok = 0;

	for (int i = 0; i < count; i++) {
		struct morpheus_client *c;
		int r = morpheus_open(sock_path, &c);

		if (r == 0) {
			ok++;
			morpheus_close(c);
		} else if (!strcmp(first, "none")) {
			snprintf(first, sizeof(first), "%s", morpheus_last_error());
			for (char *p = first; *p; p++)
				if (*p == ' ')
					*p = '_';
		}
	}
	printf("ok=%d of=%d first_error=%s\n", ok, count, first);
	return 0;
}

static int idle(double seconds)
{
	int region, fd;
	double t0 = now_ms();
	char why[80], b;
	struct pollfd p;

	fd = hello(&region, why, sizeof(why));
	if (fd < 0) {
		printf("dropped=0 after_ms=0 hello=%s\n", why);
		return 1;
	}
	p = (struct pollfd){ .fd = fd, .events = POLLIN };
	int got = poll(&p, 1, (int)(seconds * 1e3));
	int dropped = got == 1 && recv(fd, &b, 1, MSG_DONTWAIT) == 0;

	printf("dropped=%d after_ms=%.0f\n", dropped, now_ms() - t0);
	close(fd);
	close(region);
	return 0;
}

struct slot_thread { struct morpheus_client **c; int n, registered, next; pthread_barrier_t done; };

/* a tid is registered once (workers is keyed by tid): thread k uses connection k % n, then
 * stays alive until every thread tried */
static void *slot_thread_run(void *arg)
{
	struct slot_thread *t = arg;
	int k = __atomic_fetch_add(&t->next, 1, __ATOMIC_RELAXED);

	if (t->n && morpheus_register_self(t->c[k % t->n], 0) >= 0)
		__atomic_fetch_add(&t->registered, 1, __ATOMIC_RELAXED);
	pthread_barrier_wait(&t->done);
	return NULL;
}

static int slots(int conns, int threads)
{
	struct morpheus_client *c[16];
	struct slot_thread st = { .c = c, .n = 0 };
	pthread_t t[256];

	for (int i = 0; i < conns && i < 16; i++)
		if (morpheus_open(sock_path, &c[st.n]) == 0)
			st.n++;
	if (threads > 256)
		threads = 256;
	pthread_barrier_init(&st.done, NULL, (unsigned)threads);
	for (int i = 0; i < threads && i < 256; i++)
		pthread_create(&t[i], NULL, slot_thread_run, &st);
	for (int i = 0; i < threads && i < 256; i++)
		pthread_join(t[i], NULL);
	pthread_barrier_destroy(&st.done);
	printf("registered=%d connections=%d\n", st.registered, st.n);
	for (int i = 0; i < st.n; i++)
		morpheus_close(c[i]);
	return 0;
}

/* ---- (4) region fds kept (and pinned) past the connection ---- */

static int keep_fds(int count, const char *pin_dir, double hold)
{
	int *regions = calloc((size_t)count, sizeof(int)), ok = 0, refused = 0;
	char last[80] = "none";

	for (int i = 0; i < count; i++) {
		char why[80];
		int fd = hello(&regions[i], why, sizeof(why));

		if (fd < 0) {
			refused++;
			snprintf(last, sizeof(last), "%s", why);
			continue;
		}
		ok++;
		if (pin_dir) {
			char path[300];

			snprintf(path, sizeof(path), "%s/r%d", pin_dir, i);
			bpf_obj_pin(regions[i], path);
		}
		close(fd);
	}
	printf("hello_ok=%d refused=%d last_error=%s\n", ok, refused, last);
	fflush(stdout);
	usleep((useconds_t)(hold * 1e6));
	for (int i = 0; i < count; i++)
		if (regions[i] >= 0)
			close(regions[i]);
	free(regions);
	return 0;
}

/* ---- (5) storm and the bystander's latency ---- */

static int storm(double seconds)
{
	double end = now_ms() + seconds * 1e3;
	long cycles = 0, hellos = 0;

	while (now_ms() < end) {
		char why[80];
		int region, fd = hello(&region, why, sizeof(why));

		cycles++;
		if (fd >= 0) {
			hellos++;
			close(region);
			close(fd);
		}
	}
	printf("cycles=%ld hellos=%ld\n", cycles, hellos);
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static int stats_latency(double seconds)
{
	int fd = raw_connect(sock_path), n = 0, failures = 0;
	double end = now_ms() + seconds * 1e3, *lat = calloc(100000, sizeof(double));

	if (fd < 0) {
		printf("n=0 failures=1 p50_ms=0 p99_ms=99999 max_ms=99999\n");
		return 1;
	}
	while (now_ms() < end && n < 100000) {
		struct morpheus_msg req = request(MORPHEUS_OP_STATS, (unsigned)n + 1), rep;
		double t0 = now_ms();

		if (call(fd, &req, &rep, NULL)) {
			failures++;
			break;
		}
		lat[n++] = now_ms() - t0;
		usleep(5000);
	}
	qsort(lat, (size_t)n, sizeof(double), cmp_double);
	printf("n=%d failures=%d p50_ms=%.3f p99_ms=%.3f max_ms=%.3f\n", n, failures,
	       n ? lat[n / 2] : 0, n ? lat[(n * 99) / 100] : 0, n ? lat[n - 1] : 0);
	free(lat);
	close(fd);
	return 0;
}

/* ---- (6) the pin directory ---- */

static int plant_exit_info(const char *dir)
{
	struct morpheus_exit_info fake = { .kind = 1025, .exit_code = -1 };
	char path[300], why[80];
	int region, fd, planted = 0;
	void *mem;

	mkdir(dir, 0777);
	chmod(dir, 0777);
	fd = hello(&region, why, sizeof(why));
	if (fd >= 0 && region >= 0) {
		size_t size = MORPHEUS_REGION_ENTRIES * MORPHEUS_ENTRY_SIZE;

		snprintf(fake.reason, sizeof(fake.reason), "watchdog: planted by nobody");
		mem = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, region, 0);
		if (mem != MAP_FAILED) {
			memcpy(mem, &fake, sizeof(fake));
			munmap(mem, size);
			snprintf(path, sizeof(path), "%s/exit_info", dir);
			planted = bpf_obj_pin(region, path) == 0;
		}
	}
	printf("planted=%d%s%s\n", planted, fd < 0 ? " hello=" : "", fd < 0 ? why : "");
	if (fd >= 0)
		close(fd);
	return 0;
}

static int squat(const char *dir, double seconds)
{
	int fd;

	mkdir(dir, 0777);
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	printf("squatting=%d\n", fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0);
	fflush(stdout);
	usleep((useconds_t)(seconds * 1e6));
	return 0;
}

static const char *opt(int argc, char **argv, const char *name, const char *def)
{
	for (int i = 2; i + 1 < argc; i++)
		if (!strcmp(argv[i], name))
			return argv[i + 1];
	return def;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";
	double seconds = atof(opt(argc, argv, "--seconds", "3"));

	setvbuf(stdout, NULL, _IOLBF, 0);
	sock_path = opt(argc, argv, "--socket", MORPHEUS_DEFAULT_SOCKET);
	signal(SIGPIPE, SIG_IGN);
	if (!strcmp(cmd, "pid-reuse"))
		return pid_reuse((uid_t)atoi(opt(argc, argv, "--uid", "65534")));
	if (!strcmp(cmd, "exit-race"))
		return exit_race(atoi(opt(argc, argv, "--attempts", "2000")),
				 atof(opt(argc, argv, "--hold", "0")));
	if (!strcmp(cmd, "hog"))
		return hog(atoi(opt(argc, argv, "--connections", "300")), seconds);
	if (!strcmp(cmd, "connects"))
		return connects(atoi(opt(argc, argv, "--count", "20")));
	if (!strcmp(cmd, "idle"))
		return idle(seconds);
	if (!strcmp(cmd, "slots"))
		return slots(atoi(opt(argc, argv, "--connections", "2")),
			     atoi(opt(argc, argv, "--threads", "16")));
	if (!strcmp(cmd, "keep-fds"))
		return keep_fds(atoi(opt(argc, argv, "--count", "40")), opt(argc, argv, "--pin", NULL),
				atof(opt(argc, argv, "--hold", "0")));
	if (!strcmp(cmd, "storm"))
		return storm(seconds);
	if (!strcmp(cmd, "stats-latency"))
		return stats_latency(seconds);
	if (!strcmp(cmd, "plant-exit-info"))
		return plant_exit_info(opt(argc, argv, "--dir", "/sys/fs/bpf/morpheus"));
	if (!strcmp(cmd, "squat"))
		return squat(opt(argc, argv, "--dir", "/sys/fs/bpf/morpheus"), seconds);
	fprintf(stderr, "usage: see the comment at the top of attacker.c\n");
	return 2;
}
