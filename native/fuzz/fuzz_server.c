/* fuzz_server.c - libFuzzer harness for the daemon's request handling, beyond the parser:
 * src/server.c's server_on_client and handle_request (HELLO / REGISTER / UNREGISTER / STATS / BYE,
 * every refusal, oversized and empty datagrams, hang-ups), server_on_event (ring-buffer events such as a worker's exit), server_on_timer (heartbeat, idle
 * timeout, slot sweep) and server_drop_client, for up to NCLIENTS connections at once, driven by a
 * script in the fuzz input.
 *
 * How: this file links server.o and drives its handlers (src/server_internal.h); the kernel
 * is a struct morpheus_bpf_ops of stubs defined here (the seam of src/bpf_ops.h): the
 * `workers` and `regions` maps are small in-memory tables, a region
 * map is a memfd of the real size (so src/regions.c runs unchanged and the region fd really
 * travels by SCM_RIGHTS), the ring buffer is never polled. The region pool (region_pool.c)
 * runs its real worker thread; the harness lets it settle after every step, so HELLO
 * sees the same pool on every run. Peers are identified by real pidfds (this process, and
 * pid 1 for the client that claims a foreign pid). Clients are real socketpairs:
 * requests are sent at the client end and read by the server's own server_on_client (recvmsg,
 * MSG_TRUNC, end-of-file); the harness reads every reply at the client end.
 *
 * Invariants checked after every step (abort() = a finding, on top of ASan/UBSan/LSan):
 *  - every request is answered by exactly one reply, which libmorpheus's proto_parse_reply
 *    accepts when the request was valid; a refused request gets status < 0 and a reason;
 *  - a region fd travels only with a successful HELLO reply, and always with one;
 *  - the daemon's bookkeeping and the (stub) kernel map agree: every used slot has its tid
 *    in `workers` pointing at (region, slot), and `workers` holds nothing else;
 *  - connections/regions counters match the tables; after all clients are dropped nothing
 *    is left: no region, no worker, no fd, no memory.
 *
 * Input script: a sequence of steps, each starting with an action byte (see run_step). */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include "bpf_ops.h"
#include "proto.h"
#include "regions.h"
#include "server_internal.h"
#include "slots.h"
#include "fd_count.h"

#define NCLIENTS   3
#define NHELPERS   6      /* threads of this process whose tids are valid to register */
#define FAKE_WORKERS_FD  100001
#define FAKE_REGIONS_FD  100002
#define FAKE_TIMINGS_FD  100003
#define FAKE_STATS_FD    100004
#define FAKE_EVENTS_FD   100005

/* ---- the kernel, stubbed ---- */

struct fake_worker { uint32_t tid; struct morpheus_worker_ref ref; bool used; };
static struct fake_worker fake_workers[MORPHEUS_MAX_WORKERS];
static int fake_regions[MORPHEUS_MAX_REGIONS];      /* region index -> map fd, 0 = empty */

static struct fake_worker *fake_worker_find(uint32_t tid)
{
	for (size_t i = 0; i < MORPHEUS_MAX_WORKERS; i++)
		if (fake_workers[i].used && fake_workers[i].tid == tid)
			return &fake_workers[i];
	return NULL;
}

static int fake_map_create(enum bpf_map_type type, const char *name, uint32_t key_size,
			   uint32_t value_size, uint32_t max_entries, uint32_t map_flags)
{
	int fd = memfd_create(name, MFD_CLOEXEC);

	if (fd < 0)
		return -errno;
	if (ftruncate(fd, (off_t)value_size * max_entries)) {
		close(fd);
		return -errno;
	}
	return fd;
}

static int fake_map_lookup(int fd, const void *key, void *value)
{
	struct fake_worker *w;

	if (fd == FAKE_WORKERS_FD) {
		w = fake_worker_find(*(const uint32_t *)key);
		if (!w) {
			errno = ENOENT;
			return -ENOENT;
		}
		memcpy(value, &w->ref, sizeof(w->ref));
		return 0;
	}
	errno = EBADF;
	return -EBADF;
}

static int fake_map_update(int fd, const void *key, const void *value, uint64_t flags)
{
	uint32_t k = *(const uint32_t *)key;

	if (fd == FAKE_WORKERS_FD) {
		struct fake_worker *w = fake_worker_find(k);

		if (w && flags == BPF_NOEXIST) {
			errno = EEXIST;
			return -EEXIST;
		}
		for (size_t i = 0; !w && i < MORPHEUS_MAX_WORKERS; i++)
			if (!fake_workers[i].used)
				w = &fake_workers[i];
		if (!w) {
			errno = E2BIG;
			return -E2BIG;
		}
		*w = (struct fake_worker){ .tid = k, .used = true };
		memcpy(&w->ref, value, sizeof(w->ref));
		return 0;
	}
	if (fd == FAKE_REGIONS_FD && k < MORPHEUS_MAX_REGIONS) {
		fake_regions[k] = *(const int *)value;
		return 0;
	}
	errno = EBADF;
	return -EBADF;
}

static int fake_map_delete(int fd, const void *key)
{
	uint32_t k = *(const uint32_t *)key;
	struct fake_worker *w;

	if (fd == FAKE_WORKERS_FD && (w = fake_worker_find(k))) {
		w->used = false;
		return 0;
	}
	if (fd == FAKE_REGIONS_FD && k < MORPHEUS_MAX_REGIONS && fake_regions[k]) {
		fake_regions[k] = 0;
		return 0;
	}
	if (fd == FAKE_TIMINGS_FD)
		return 0;
	errno = ENOENT;
	return -ENOENT;
}

static int fake_map_update_batch(int fd, const void *keys, const void *values, uint32_t *count)
{
	for (uint32_t i = 0; i < *count; i++)
		if (fake_map_update(fd, (const uint32_t *)keys + i, (const int *)values + i, BPF_ANY)) {
			*count = i;
			return -errno;
		}
	return 0;
}

/* a map's id: its memfd's inode number */
static int fake_map_id(int fd, uint32_t *id)
{
	struct stat st;

	if (fstat(fd, &st))
		return -errno;
	*id = (uint32_t)st.st_ino;
	return 0;
}

/* no client of the harness keeps a region after its connection: every map is gone */
static int fake_map_fd_by_id(uint32_t id)
{
	errno = ENOENT;
	return -ENOENT;
}

static int fake_read_stats(int stats_fd, __u64 *out)
{
	memset(out, 0, MORPHEUS_STAT_NR * sizeof(*out));
	return 0;
}

/* the ring buffer is never polled: the harness calls server_on_event itself */
static struct morpheus_events *fake_events_open(int map_fd, morpheus_event_fn fn, void *ctx)
{
	errno = ENOSYS;
	return NULL;
}
static int fake_events_fd(const struct morpheus_events *ev) { return -1; }
static int fake_events_consume(struct morpheus_events *ev) { return 0; }
static void fake_events_close(struct morpheus_events *ev) { }

static const struct morpheus_bpf_ops fake_bpf_ops = {
	.map_create = fake_map_create,
	.map_id = fake_map_id,
	.map_fd_by_id = fake_map_fd_by_id,
	.map_lookup = fake_map_lookup,
	.map_update = fake_map_update,
	.map_delete = fake_map_delete,
	.map_update_batch = fake_map_update_batch,
	.read_stats = fake_read_stats,
	.events_open = fake_events_open,
	.events_fd = fake_events_fd,
	.events_consume = fake_events_consume,
	.events_close = fake_events_close,
};

/* ---- the harness's world: one server, NCLIENTS socketpairs, NHELPERS threads ---- */

static struct morpheusd_config cfg;
static const struct morpheus_backend_ops fuzz_backend_ops = { .name = "fuzz" };
static struct morpheus_backend backend;
static uint32_t helper_tids[NHELPERS];
static int peer[NCLIENTS] = { -1, -1, -1 };   /* the client end of each connection */
static int daemon_end[NCLIENTS] = { -1, -1, -1 };

static void *helper(void *arg)
{
	__atomic_store_n((uint32_t *)arg, (uint32_t)syscall(SYS_gettid), __ATOMIC_RELEASE);
	for (;;)
		pause();
	return NULL;
}

static void init_once(void)
{
	static bool done;
	pthread_t t;

	if (done)
		return;
	done = true;
	config_defaults(&cfg);
	cfg.max_slots_per_client = 4;    /* small, so the quota is reachable */
	cfg.max_clients_per_uid = 2;
	backend = (struct morpheus_backend){
		.ops = &fuzz_backend_ops, .bpf = &fake_bpf_ops, .sched_mode = MORPHEUS_SCHED_OBSERVER,
		.regions_fd = FAKE_REGIONS_FD, .workers_fd = FAKE_WORKERS_FD,
		.timings_fd = FAKE_TIMINGS_FD, .stats_fd = FAKE_STATS_FD, .events_fd = FAKE_EVENTS_FD,
		.region = { .type = BPF_MAP_TYPE_ARRAY, .key_size = 4, .value_size = MORPHEUS_ENTRY_SIZE,
			    .max_entries = MORPHEUS_REGION_ENTRIES, .map_flags = BPF_F_MMAPABLE },
	};
	for (int i = 0; i < NHELPERS; i++) {
		if (pthread_create(&t, NULL, helper, &helper_tids[i]))
			abort();
		pthread_detach(t);
	}
	for (int i = 0; i < NHELPERS; i++)
		while (!__atomic_load_n(&helper_tids[i], __ATOMIC_ACQUIRE))
			sched_yield();
}

/* client i: 0 and 2 are this process (uid shared: the per-uid limit is 2), 1 claims pid 1 */
static void connect_client(struct server *s, int i)
{
	int sv[2];
	struct client *c;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv))
		abort();
	c = client_add(&s->table, sv[0], i == 1 ? 4242 : getuid(), s->cfg->max_slots_per_client);
	if (!c)
		abort();
	c->pid = i == 1 ? 1 : getpid();
	c->pidfd = (int)syscall(SYS_pidfd_open, c->pid, 0);
	if (c->pidfd < 0)
		abort();
	c->gid = getgid();
	c->connected_ns = monotonic_ns();
	daemon_end[i] = sv[0];
	peer[i] = sv[1];
}

static void forget_if_dropped(struct server *s, int i)
{
	if (daemon_end[i] >= 0 && !client_find(&s->table, daemon_end[i])) {
		close(peer[i]);
		peer[i] = daemon_end[i] = -1;
	}
}

/* Read every datagram waiting at the client end; returns how many, closing passed fds. */
static int drain(int i, struct morpheus_msg *last, int *fds_passed)
{
	int n = 0;

	*fds_passed = 0;
	for (;;) {
		char buf[sizeof(*last) + 1];
		union { char b[CMSG_SPACE(4 * sizeof(int))]; struct cmsghdr align; } ctl;
		struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) };
		struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl.b,
				     .msg_controllen = sizeof(ctl.b) };
		ssize_t len = recvmsg(peer[i], &mh, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);

		if (len <= 0)
			return n;
		if (len != (ssize_t)sizeof(*last))
			abort(); /* the daemon only ever sends whole messages */
		memcpy(last, buf, sizeof(*last));
		for (struct cmsghdr *cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm)) {
			int nfd = (int)((cm->cmsg_len - CMSG_LEN(0)) / sizeof(int));

			for (int k = 0; k < nfd; k++) {
				int fd;

				memcpy(&fd, CMSG_DATA(cm) + k * sizeof(int), sizeof(int));
				close(fd);
				(*fds_passed)++;
			}
		}
		n++;
	}
}

static void check_consistency(struct server *s)
{
	uint32_t conns = 0, registered = 0, fake = 0;

	for (int i = 0; i < MORPHEUS_MAX_CONNECTIONS; i++) {
		struct client *c = s->table.conn[i];

		if (!c)
			continue;
		conns++;
		if (c->region.index < 0) {
			if (c->slots.used)
				abort(); /* slots without a region */
			continue;
		}
		if (s->table.by_region[c->region.index] != c || !fake_regions[c->region.index])
			abort();
		for (uint32_t slot = 0; slot < c->slots.capacity; slot++) {
			struct fake_worker *w;

			if (!slot_in_use(&c->slots, slot))
				continue;
			registered++;
			w = fake_worker_find(c->tids[slot]);
			if (!w || w->ref.region != (uint32_t)c->region.index || w->ref.slot != slot ||
			    region_scb(&c->region, slot)->owner_tid != c->tids[slot]) {
				fprintf(stderr, "fuzz_server: region %d slot %u tid %u: workers %s (%u/%u), scb owner %u\n",
					c->region.index, slot, c->tids[slot], w ? "has" : "lacks it",
					w ? w->ref.region : 0, w ? w->ref.slot : 0,
					region_scb(&c->region, slot)->owner_tid);
				abort(); /* daemon and kernel map disagree */
			}
		}
	}
	for (size_t i = 0; i < MORPHEUS_MAX_WORKERS; i++)
		fake += fake_workers[i].used;
	if (conns != s->table.connections || registered != clients_registered_workers(&s->table) ||
	    fake != registered)
		abort();
}

/* One datagram from client p[0] through the daemon's own receive path (server_on_client: recvmsg,
 * MSG_TRUNC for oversized ones, EOF); p[1] bit 0: the client hangs up right after sending. */
static void step_request(struct server *s, const uint8_t *p, size_t n)
{
	int i = p[0] % NCLIENTS, fds;
	bool hang_up = p[1] & 1, trunc;
	struct morpheus_msg parsed, reply;
	char err[96], msg[256];
	int pr, replies;
	size_t len = n - 2 > sizeof(msg) ? sizeof(msg) : n - 2;
	size_t seen;                  /* what the daemon's 193-byte buffer receives */

	if (peer[i] < 0)
		connect_client(s, i);
	memcpy(msg, p + 2, len);
	/* tids 1..NHELPERS stand for this process's helper threads, so registrations can succeed */
	if (len >= sizeof(struct morpheus_msg)) {
		struct morpheus_msg *m = (struct morpheus_msg *)msg;

		if (m->tid >= 1 && m->tid <= NHELPERS)
			m->tid = helper_tids[m->tid - 1];
	}
	trunc = len > sizeof(struct morpheus_msg) + 1;
	seen = trunc ? sizeof(struct morpheus_msg) + 1 : len;
	pr = proto_parse_request(msg, seen, trunc, &parsed, err, sizeof(err));
	if (send(peer[i], msg, len, MSG_DONTWAIT | MSG_NOSIGNAL) != (ssize_t)len)
		abort();
	if (hang_up)
		shutdown(peer[i], SHUT_WR);
	server_on_client(s, daemon_end[i], EPOLLIN);
	replies = drain(i, &reply, &fds);
	forget_if_dropped(s, i);
	if (len == 0) {
		/* an empty datagram reads as end-of-file: no reply, the client is dropped */
		if (replies != 0 || peer[i] >= 0)
			abort();
		return;
	}
	if (hang_up && peer[i] >= 0)
		abort(); /* the daemon kept a client that hung up */
	if (replies != 1)
		abort(); /* exactly one reply per request (socket buffers are empty here) */
	if (reply.magic != MORPHEUS_MAGIC || reply.version != MORPHEUS_PROTO_VERSION)
		abort();
	if (pr) {
		if (reply.status != pr || reply.error[0] == '\0' || fds)
			abort(); /* a refused request names its reason and passes nothing */
	} else {
		struct morpheus_msg rep2;

		if (proto_parse_reply(&reply, sizeof(reply), false, &parsed, &rep2, err, sizeof(err)))
			abort(); /* libmorpheus would reject the daemon's own reply */
		if (reply.status < 0 && reply.error[0] == '\0')
			abort();
		if (fds != (parsed.op == MORPHEUS_OP_HELLO && reply.status == 0))
			abort(); /* the region fd travels with a successful HELLO only */
		if (parsed.op == MORPHEUS_OP_REGISTER && reply.status == 0 &&
		    reply.slot >= s->cfg->max_slots_per_client)
			abort();
		if (parsed.op == MORPHEUS_OP_BYE && peer[i] >= 0)
			abort(); /* BYE closes the connection */
	}
}

static void step_event(struct server *s, const uint8_t *p, size_t n)
{
	struct morpheus_event e = { 0 };
	size_t len = n - 1 > sizeof(e) ? sizeof(e) : n - 1;

	memcpy(&e, p + 1, len);
	/* small numbers stand for real tids, like requests */
	if (e.tid >= 1 && e.tid <= NHELPERS)
		e.tid = helper_tids[e.tid - 1];
	/* the kernel removes an exiting worker's entry before it reports the exit */
	if (e.type == MORPHEUS_EV_WORKER_EXITED) {
		struct fake_worker *w = fake_worker_find(e.tid);

		if (w && w->ref.region == e.region && w->ref.slot == e.slot)
			w->used = false;
	}
	server_on_event(s, &e, p[0] & 1 ? len : sizeof(e));
	for (int i = 0; i < NCLIENTS; i++)
		forget_if_dropped(s, i);
}

static void step_timer(struct server *s, uint8_t how)
{
	uint64_t one = 1;

	if (write(s->timer_fd, &one, sizeof(one)) != sizeof(one))
		abort();
	if (how & (1 | 4))
		s->ticks = SWEEP_EVERY - 1;   /* this tick sweeps (the invariant needs it after 4) */
	if (how & 2)                      /* age connections past the idle timeouts */
		for (int i = 0; i < CLIENT_TABLE_SIZE; i++)
			if (s->table.conn[i]) {
				s->table.conn[i]->connected_ns -= IDLE_TIMEOUT_NS + 1;
				s->table.conn[i]->idle_since_ns -= cfg.idle_timeout_ns + 1;
			}
	if (how & 4) {                    /* a registered thread vanished without an event */
		for (size_t i = 0; i < MORPHEUS_MAX_WORKERS; i++)
			if (fake_workers[i].used) {
				fake_workers[i].used = false;
				break;
			}
	}
	server_on_timer(s);
	/* the timer sweeps a share of the table per tick: sweep the harness's few now */
	if (how & (1 | 4))
		for (int i = 0; i < CLIENT_TABLE_SIZE; i++)
			if (s->table.conn[i])
				server_sweep_client(s, s->table.conn[i]);
	for (int i = 0; i < NCLIENTS; i++)
		forget_if_dropped(s, i);
}

static void step_disconnect(struct server *s, int i)
{
	struct client *c;

	if (peer[i] < 0)
		return;
	c = client_find(&s->table, daemon_end[i]);
	server_drop_client(s, c, "fuzz: disconnect");
	forget_if_dropped(s, i);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct server *s = calloc(1, sizeof(*s));
	int fds_before;
	size_t off = 0;

	init_once();
	fds_before = count_fds();
	s->cfg = &cfg;
	s->b = &backend;
	s->start_ns = monotonic_ns();
	s->epoch = 42;
	s->listen_fd = s->sig_fd = -1;
	client_table_init(&s->table);
	s->epfd = epoll_create1(EPOLL_CLOEXEC);
	s->timer_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (s->epfd < 0 || s->timer_fd < 0)
		abort();
	{
		char err[192];

		if (region_pool_start(&s->pool, &backend, MORPHEUS_MAX_REGIONS, 0, err, sizeof(err))) {
			fprintf(stderr, "fuzz_server: %s\n", err);
			abort();
		}
	}
	/* steps: [action][len][len bytes], action % 4: request, event, timer, disconnect */
	while (off + 2 <= size) {
		uint8_t action = data[off], len = data[off + 1];
		const uint8_t *p = data + off + 2;
		size_t avail = size - off - 2;

		if (len > avail)
			len = (uint8_t)avail;
		off += 2 + (size_t)len;
		switch (action % 4) {
		case 0:
			if (len >= 2)
				step_request(s, p, len);
			break;
		case 1:
			if (len >= 1)
				step_event(s, p, len);
			break;
		case 2:
			step_timer(s, (uint8_t)(action >> 2));
			break;
		case 3:
			step_disconnect(s, (action >> 2) % NCLIENTS);
			break;
		}
		region_pool_settle(s->pool);
		check_consistency(s);
	}
	for (int i = 0; i < NCLIENTS; i++)
		step_disconnect(s, i);
	region_pool_settle(s->pool);
	check_consistency(s);
	if (region_pool_lingering_total(s->pool))
		abort(); /* a closed connection's region still counted */
	region_pool_stop(s->pool);
	for (int i = 0; i < MORPHEUS_MAX_REGIONS; i++) {
		if (s->table.by_region[i])
			abort(); /* a region outlived every client */
		fake_regions[i] = 0; /* the pool's ready maps: `regions` goes with the backend */
	}
	close(s->epfd);
	close(s->timer_fd);
	free(s);
	if (count_fds() != fds_before)
		abort(); /* an fd leaked */
	return 0;
}
