/* server.c - the broker's socket server (see server.h).
 *
 * Every request is one SOCK_SEQPACKET datagram of sizeof(struct morpheus_msg) and gets one
 * reply. Nothing blocks: sockets are non-blocking, a client whose socket cannot take a
 * reply is dropped, datagrams larger than a message are refused (MSG_TRUNC), at most
 * MORPHEUS_MAX_CONNECTIONS sockets of users are open (--max-connections-per-uid each; root
 * has ADMIN_CONNECTIONS more), a socket without HELLO is closed after IDLE_TIMEOUT_NS, one
 * with a region but no worker after --idle-timeout-ms, and each wake-up reads at most BURST
 * requests from one client.
 * Ancillary data from clients is never accepted (fds they send are discarded by the kernel).
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <sys/un.h>
#include "clients.h"
#include "log.h"
#include "peer.h"
#include "proto.h"
#include "region_pool.h"
#include "server.h"
#include "server_internal.h"

static int ep_add(struct server *s, int fd, int tag)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = (uint64_t)(int64_t)tag };

	return epoll_ctl(s->epfd, EPOLL_CTL_ADD, fd, &ev) ? -errno : 0;
}

/* ---- socket setup ---- */

static int listen_socket(const struct morpheusd_config *cfg)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	char tmp[sizeof(addr.sun_path)];
	gid_t gid = (gid_t)cfg->socket_gid;   /* resolved by main before the backend started */
	struct stat st;
	int fd, r;

	/* The directory exists and no daemon answers on the path: main claimed it before the
	 * backend started (instance_claim). Bind under a temporary name and rename when
	 * listening: the socket appears atomically, so a client that sees the path can connect
	 * (no ECONNREFUSED window). */
	if (snprintf(tmp, sizeof(tmp), "%s.%d", cfg->socket_path, (int)getpid()) >= (int)sizeof(tmp)) {
		log_error("--socket '%s': too long to create beside it", cfg->socket_path);
		return -ENAMETOOLONG;
	}
	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", tmp);
	unlink(tmp);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	/* instance_claim checked it before the backend started; check again just before the rename */
	if (!lstat(cfg->socket_path, &st) && !S_ISSOCK(st.st_mode)) {
		log_error("--socket '%s': exists and is not a socket; refusing to replace it", cfg->socket_path);
		close(fd);
		return -EEXIST;
	}
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) || chmod(tmp, 0660) ||
	    chown(tmp, 0, gid) || listen(fd, 64) || rename(tmp, cfg->socket_path)) {
		r = -errno;
		log_error("--socket '%s': %s", cfg->socket_path, strerror(-r));
		close(fd);
		unlink(tmp);
		return r;
	}
	return fd;
}

/* ---- per-client state ---- */

static void release_slot(struct server *s, struct client *c, uint32_t slot, bool in_kernel)
{
	uint32_t tid = c->tids[slot];
	struct morpheus_scb *scb = region_scb(&c->region, slot);

	if (in_kernel) {
		struct morpheus_worker_ref ref;

		/* delete only if the entry is still ours (the tid may have been re-registered) */
		if (!s->b->bpf->map_lookup(s->b->workers_fd, &tid, &ref) &&
		    ref.region == (uint32_t)c->region.index && ref.slot == slot)
			s->b->bpf->map_delete(s->b->workers_fd, &tid);
	}
	if (s->b->timings_fd >= 0)
		s->b->bpf->map_delete(s->b->timings_fd, &tid);
	__atomic_store_n(&scb->worker_state, MORPHEUS_WORKER_DEAD, __ATOMIC_RELEASE);
	__atomic_store_n(&scb->owner_tid, 0, __ATOMIC_RELEASE);
	c->tids[slot] = 0;
	slot_free(&c->slots, slot);
	if (c->slots.used == 0)
		c->idle_since_ns = monotonic_ns();
}

void server_drop_client(struct server *s, struct client *c, const char *why)
{
	log_debug("client pid %d uid %u: %s", c->pid, c->uid, why);
	if (c->region.index >= 0) {
		for (uint32_t slot = 0; slot < c->slots.capacity; slot++)
			if (slot_in_use(&c->slots, slot))
				release_slot(s, c, slot, true);
		s->table.by_region[c->region.index] = NULL;
		region_pool_give_back(s->pool, c->uid, &c->region);
	}
	epoll_ctl(s->epfd, EPOLL_CTL_DEL, c->fd, NULL);
	close(c->fd);
	if (c->pidfd >= 0)
		close(c->pidfd);
	client_forget(&s->table, c);
}

/* ---- requests ---- */

static int send_reply(struct server *s, struct client *c, const struct morpheus_msg *reply, int pass_fd)
{
	struct iovec iov = { .iov_base = (void *)reply, .iov_len = sizeof(*reply) };
	union { char buf[CMSG_SPACE(sizeof(int))]; struct cmsghdr align; } ctl;
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };

	if (pass_fd >= 0) {
		struct cmsghdr *cm;

		memset(&ctl, 0, sizeof(ctl));
		mh.msg_control = ctl.buf;
		mh.msg_controllen = sizeof(ctl.buf);
		cm = CMSG_FIRSTHDR(&mh);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cm), &pass_fd, sizeof(int));
	}
	if (sendmsg(c->fd, &mh, MSG_DONTWAIT | MSG_NOSIGNAL) != (ssize_t)sizeof(*reply))
		return -errno;
	s->dstats[MORPHEUS_DSTAT_requests]++;
	return 0;
}

static int do_hello(struct server *s, struct client *c, struct morpheus_msg *rep, char *err, size_t n)
{
	uint32_t held, lingering, pending;
	int idx, r;

	if (c->region.index >= 0) {
		snprintf(err, n, "HELLO twice: this connection already has region %d", c->region.index);
		return -EALREADY;
	}
	if (peer_alive(c->pidfd)) {
		snprintf(err, n, "the process that connected (pid %d) has exited", c->pid);
		return -ESRCH;
	}
	/* lingering: regions of this uid's closed connections that it still holds (fd, pin,
	 * mmap): kernel memory it keeps, so they count */
	held = clients_with_region(&s->table, c->uid, 0);
	lingering = region_pool_lingering(s->pool, c->uid, &pending);
	if (held + lingering >= s->cfg->max_clients_per_uid) {
		s->dstats[MORPHEUS_DSTAT_refused]++;
		snprintf(err, n, "uid %u holds %u+%u kept regions (--max-clients-per-uid %u)", c->uid,
			 held, lingering, s->cfg->max_clients_per_uid);
		return -EUSERS;
	}
	/* over the limit only with closed regions not yet recycled: soon known freed or kept */
	if (held + lingering + pending >= s->cfg->max_clients_per_uid) {
		s->dstats[MORPHEUS_DSTAT_refused]++;
		snprintf(err, n, "uid %u: %u closed regions being recycled: retry", c->uid, pending);
		return -EAGAIN;
	}
	r = region_pool_take(s->pool, c->uid, &c->region);
	if (r) {
		s->dstats[MORPHEUS_DSTAT_refused]++;
		if (r == -EAGAIN)
			snprintf(err, n, "no region ready yet: retry");
		else
			snprintf(err, n, "all %d regions are in use (or kept by closed connections)",
				 MORPHEUS_MAX_REGIONS);
		return r;
	}
	idx = c->region.index;
	region_header_init(&c->region, s->b, s->cfg, s->epoch);
	c->idle_since_ns = monotonic_ns();
	s->table.by_region[idx] = c;
	rep->slot = (uint32_t)idx;
	rep->arg = c->slots.capacity;
	log_debug("client pid %d uid %u: region %d", c->pid, c->uid, idx);
	return 0;
}

static int do_register(struct server *s, struct client *c, const struct morpheus_msg *req,
		       struct morpheus_msg *rep, char *err, size_t n)
{
	struct morpheus_worker_ref ref;
	struct morpheus_scb *scb;
	const char *why;
	int slot, r;

	if (c->region.index < 0) {
		snprintf(err, n, "REGISTER before HELLO");
		return -ENOTCONN;
	}
	if (req->tid == 0 || req->tid > 0x3fffffff) {
		snprintf(err, n, "tid %u: must be a thread id of the caller", req->tid);
		return -EINVAL;
	}
	r = peer_thread_of(c->pid, c->pidfd, (pid_t)req->tid, &why);
	if (r) {
		s->dstats[MORPHEUS_DSTAT_refused]++;
		snprintf(err, n, "tid %u %s (pid %d)", req->tid, why, c->pid);
		return r;
	}
	if (c->slots.used >= c->slots.capacity) {
		s->dstats[MORPHEUS_DSTAT_refused]++;
		snprintf(err, n, "slot quota %u reached (--max-slots-per-client)", c->slots.capacity);
		return -EDQUOT;
	}
	if (clients_slots_of(&s->table, c->uid) >= s->cfg->max_slots_per_uid) {
		s->dstats[MORPHEUS_DSTAT_refused]++;
		snprintf(err, n, "uid %u holds %u slots (--max-slots-per-uid)", c->uid,
			 s->cfg->max_slots_per_uid);
		return -EDQUOT;
	}
	slot = slot_alloc(&c->slots);
	if (slot < 0) {
		snprintf(err, n, "no free slot");
		return -EDQUOT;
	}
	scb = region_scb(&c->region, (uint32_t)slot);
	memset(scb, 0, sizeof(*scb));
	scb->escapable = req->arg;
	scb->worker_state = MORPHEUS_WORKER_REGISTERED;
	__atomic_store_n(&scb->owner_tid, req->tid, __ATOMIC_RELEASE);
	if (s->b->timings_fd >= 0)
		s->b->bpf->map_delete(s->b->timings_fd, &req->tid);
	ref = (struct morpheus_worker_ref){ .region = (uint32_t)c->region.index,
					    .slot = (uint32_t)slot, .tgid = (uint32_t)c->pid };
	if (s->b->bpf->map_update(s->b->workers_fd, &req->tid, &ref, BPF_NOEXIST)) {
		r = -errno;
		c->tids[slot] = req->tid;
		release_slot(s, c, (uint32_t)slot, false);
		snprintf(err, n, "tid %u: %s", req->tid,
			 r == -EEXIST ? "already registered" : strerror(-r));
		return r;
	}
	c->tids[slot] = req->tid;
	/* Again, now that the entry is in `workers`: a thread that began exiting before the
	 * insert may have passed the exit hook already, which then found nothing to remove. If
	 * it is still live and not exiting now, the hook is yet to run and will see the entry. */
	r = peer_thread_of(c->pid, c->pidfd, (pid_t)req->tid, &why);
	if (r) {
		s->dstats[MORPHEUS_DSTAT_refused]++;
		release_slot(s, c, (uint32_t)slot, true);
		snprintf(err, n, "tid %u %s (pid %d) while registering", req->tid, why, c->pid);
		return r;
	}
	rep->slot = (uint32_t)slot;
	rep->tid = req->tid;
	log_debug("client pid %d: tid %u -> region %d slot %d", c->pid, req->tid, c->region.index, slot);
	return 0;
}

static int do_unregister(struct server *s, struct client *c, const struct morpheus_msg *req,
			 char *err, size_t n)
{
	if (c->region.index < 0 || !slot_in_use(&c->slots, req->slot)) {
		snprintf(err, n, "slot %u is not registered on this connection", req->slot);
		return -ENOENT;
	}
	release_slot(s, c, req->slot, true);
	return 0;
}

static void fill_stats(struct server *s, struct morpheus_msg *rep)
{
	uint64_t d[MORPHEUS_DSTAT_NR];

	s->b->bpf->read_stats(s->b->stats_fd, rep->stats);
	memcpy(d, s->dstats, sizeof(d));
	d[MORPHEUS_DSTAT_registered_workers] = clients_registered_workers(&s->table);
	d[MORPHEUS_DSTAT_clients] = clients_with_region(&s->table, 0, 1);
	d[MORPHEUS_DSTAT_connections] = s->table.connections;
	d[MORPHEUS_DSTAT_uptime_ms] = (monotonic_ns() - s->start_ns) / 1000000;
	memcpy(rep->error, d, sizeof(d));
}

/* One request; false when the client must be dropped. */
static bool handle_request(struct server *s, struct client *c, const char *buf, size_t len, bool trunc)
{
	struct morpheus_msg req, rep;
	char err[sizeof(rep.error)] = "";
	int st, pass_fd = -1;

	st = proto_parse_request(buf, len, trunc, &req, err, sizeof(err));
	if (st) {
		s->dstats[MORPHEUS_DSTAT_bad_requests]++;
		log_debug("client pid %d: bad request: %s", c->pid, err);
		proto_reply(&rep, &req, st, err);
		rep.magic = MORPHEUS_MAGIC;
		rep.version = MORPHEUS_PROTO_VERSION;
		return send_reply(s, c, &rep, -1) == 0;
	}
	proto_reply(&rep, &req, 0, NULL);
	switch (req.op) {
	case MORPHEUS_OP_HELLO:
		st = do_hello(s, c, &rep, err, sizeof(err));
		if (!st)
			pass_fd = c->region.map_fd;
		break;
	case MORPHEUS_OP_REGISTER:
		st = do_register(s, c, &req, &rep, err, sizeof(err));
		break;
	case MORPHEUS_OP_UNREGISTER:
		st = do_unregister(s, c, &req, err, sizeof(err));
		break;
	case MORPHEUS_OP_STATS:
		fill_stats(s, &rep);
		break;
	case MORPHEUS_OP_BYE:
		send_reply(s, c, &rep, -1);
		return false;
	}
	if (st) {
		rep.status = st;
		snprintf(rep.error, sizeof(rep.error), "%s", err);
	}
	return send_reply(s, c, &rep, pass_fd) == 0;
}

void server_on_client(struct server *s, int fd, uint32_t events)
{
	struct client *c = client_find(&s->table, fd);
	char buf[sizeof(struct morpheus_msg) + 1];

	if (!c)
		return;
	for (int i = 0; i < BURST; i++) {
		struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) };
		struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
		ssize_t len = recvmsg(fd, &mh, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);

		if (len < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		if (len <= 0) {
			server_drop_client(s, c, len == 0 ? "disconnected" : strerror(errno));
			return;
		}
		if (!handle_request(s, c, buf, (size_t)len, (mh.msg_flags & MSG_TRUNC) != 0)) {
			server_drop_client(s, c, "closed (BYE or cannot take replies)");
			return;
		}
	}
	(void)events;
}

static void on_accept(struct server *s)
{
	for (int i = 0; i < BURST; i++) {
		struct ucred cred;
		socklen_t len = sizeof(cred);
		struct client *c;
		char why[128];
		int fd = accept4(s->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd < 0)
			return;
		if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len)) {
			close(fd);
			continue;
		}
		c = NULL;
		if (cred.uid == 0 || clients_connections_of(&s->table, cred.uid) < s->cfg->max_connections_per_uid)
			c = client_add(&s->table, fd, cred.uid, s->cfg->max_slots_per_client);
		if (!c) {
			s->dstats[MORPHEUS_DSTAT_refused]++;
			close(fd); /* full: the client sees ECONNRESET / EOF */
			continue;
		}
		c->pid = cred.pid;
		c->gid = cred.gid;
		c->connected_ns = monotonic_ns();
		c->pidfd = peer_pidfd(fd, cred.pid, cred.uid, why, sizeof(why));
		if (c->pidfd < 0) {
			log_debug("client pid %d uid %u: refused: %s", c->pid, c->uid, why);
			s->dstats[MORPHEUS_DSTAT_refused]++;
			client_forget(&s->table, c);
			close(fd);
			continue;
		}
		if (ep_add(s, fd, fd)) {
			close(c->pidfd);
			client_forget(&s->table, c);
			close(fd);
		}
	}
}

/* ---- events and housekeeping ---- */

int server_on_event(void *ctx, void *data, size_t size)
{
	struct server *s = ctx;
	const struct morpheus_event *e = data;
	struct client *c;

	if (size < sizeof(*e))
		return 0;
	s->dstats[MORPHEUS_DSTAT_events]++;
	switch (e->type) {
	case MORPHEUS_EV_WORKER_EXITED:
		log_debug("worker tid %u exited (region %u slot %u)", e->tid, e->region, e->slot);
		if (e->region < MORPHEUS_MAX_REGIONS && (c = s->table.by_region[e->region]) &&
		    e->slot < c->slots.capacity && slot_in_use(&c->slots, e->slot) &&
		    c->tids[e->slot] == e->tid)
			release_slot(s, c, e->slot, false);
		break;
	case MORPHEUS_EV_HINT_POSTED:
		log_debug("hint tid %u (region %u slot %u), %.3f ms past the hint budget", e->tid,
			  e->region, e->slot, e->value / 1e6);
		break;
	case MORPHEUS_EV_HINT_ACK_LATE:
		log_debug("late ack tid %u: %.3f ms after the hint", e->tid, e->value / 1e6);
		break;
	default:
		log_debug("event %u tid %u value %llu", e->type, e->tid, (unsigned long long)e->value);
	}
	if (s->b->ops->event)
		s->b->ops->event(s->b, e);
	return 0;
}

/* A connection whose process has exited is dropped (its region and slots with it): a
 * connection lives no longer than the process that opened it. A slot whose thread died or
 * is no longer a thread of that process is released, whether or not `workers` still has it
 * (a missed exit event, a thread that exited while it was being registered). */
void server_sweep_client(struct server *s, struct client *c)
{
	const char *why;

	if (peer_alive(c->pidfd)) {
		server_drop_client(s, c, "the process that connected has exited");
		return;
	}
	for (uint32_t slot = 0; slot < c->slots.capacity; slot++) {
		struct morpheus_worker_ref ref;

		if (!slot_in_use(&c->slots, slot))
			continue;
		/* a missed exit event (ring buffer full): the kernel removed the entry */
		if (s->b->bpf->map_lookup(s->b->workers_fd, &c->tids[slot], &ref) && errno == ENOENT) {
			release_slot(s, c, slot, false);
			continue;
		}
		if (peer_thread_of(c->pid, c->pidfd, (pid_t)c->tids[slot], &why)) {
			log_debug("client pid %d: tid %u %s: slot %u released", c->pid, c->tids[slot], why, slot);
			release_slot(s, c, slot, true);
		}
	}
}

void server_on_timer(struct server *s)
{
	uint64_t now = monotonic_ns(), ticks, phase;

	if (read(s->timer_fd, &ticks, sizeof(ticks)) < 0)
		return;
	if (s->b->ops->tick) {
		char err[256] = "";

		if (s->b->ops->tick(s->b, err, sizeof(err))) {
			log_error("backend %s: %s", s->b->ops->name, err);
			s->failed = true;
			s->stop = true;
			return;
		}
	}
	phase = ++s->ticks % SWEEP_EVERY;
	for (int i = 0; i < CLIENT_TABLE_SIZE; i++) {
		struct client *c = s->table.conn[i];

		if (!c)
			continue;
		if (c->region.index < 0) {
			if (now - c->connected_ns > IDLE_TIMEOUT_NS)
				server_drop_client(s, c, "no HELLO within the idle timeout");
			continue;
		}
		if (c->slots.used == 0 && now - c->idle_since_ns > s->cfg->idle_timeout_ns) {
			server_drop_client(s, c, "a region but no worker within --idle-timeout-ms");
			continue;
		}
		region_heartbeat(&c->region, now);
		/* each connection is swept once every SWEEP_EVERY heartbeats, a share per tick */
		if (i % SWEEP_EVERY == (int)phase)
			server_sweep_client(s, c);
	}
}

int server_run(const struct morpheusd_config *cfg, struct morpheus_backend *b)
{
	struct server *s = calloc(1, sizeof(*s));
	struct itimerspec its = { .it_interval = { 0, HEARTBEAT_NS }, .it_value = { 0, HEARTBEAT_NS } };
	sigset_t mask;
	int r = 0;

	if (!s)
		return -ENOMEM;
	s->cfg = cfg;
	s->b = b;
	s->start_ns = monotonic_ns();
	s->epoch = s->start_ns ^ ((uint64_t)getpid() << 40);
	s->listen_fd = s->sig_fd = s->timer_fd = -1;
	client_table_init(&s->table);
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	s->epfd = epoll_create1(EPOLL_CLOEXEC);
	s->sig_fd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	s->timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (s->epfd < 0 || s->sig_fd < 0 || s->timer_fd < 0 || timerfd_settime(s->timer_fd, 0, &its, NULL)) {
		r = -errno;
		goto out;
	}
	s->events = b->bpf->events_open(b->events_fd, server_on_event, s);
	if (!s->events) {
		r = -errno;
		log_error("ring buffer: %s", strerror(-r));
		goto out;
	}
	{
		char err[192];

		r = region_pool_start(&s->pool, b, MORPHEUS_MAX_REGIONS, s->cfg->direct_regions, err, sizeof(err));
		if (r) {
			log_error("%s", err);
			goto out;
		}
	}
	s->listen_fd = listen_socket(cfg);
	if (s->listen_fd < 0) {
		r = s->listen_fd;
		goto out;
	}
	{
		struct stat st;

		if (!lstat(cfg->socket_path, &st)) {
			s->sock_ino = st.st_ino;
			s->sock_dev = st.st_dev;
		}
	}
	if ((r = ep_add(s, s->listen_fd, TAG_LISTEN)) || (r = ep_add(s, s->sig_fd, TAG_SIGNAL)) ||
	    (r = ep_add(s, s->timer_fd, TAG_TIMER)) || (r = ep_add(s, b->bpf->events_fd(s->events), TAG_RING)))
		goto out;
	log_info("listening on %s (backend %s, up to %u slots per client)", cfg->socket_path,
		 b->ops->name, cfg->max_slots_per_client);
	while (!s->stop) {
		struct epoll_event evs[32];
		int n = epoll_wait(s->epfd, evs, 32, -1);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			r = -errno;
			break;
		}
		for (int i = 0; i < n; i++) {
			int tag = (int)(int64_t)evs[i].data.u64;

			if (tag == TAG_LISTEN)
				on_accept(s);
			else if (tag == TAG_SIGNAL)
				s->stop = true;
			else if (tag == TAG_TIMER)
				server_on_timer(s);
			else if (tag == TAG_RING)
				b->bpf->events_consume(s->events);
			else
				server_on_client(s, tag, evs[i].events);
		}
	}
	if (s->failed)
		r = -ECANCELED;
	else if (s->stop)
		log_info("signal received: shutting down");
out:
	for (int i = 0; i < CLIENT_TABLE_SIZE; i++)
		if (s->table.conn[i])
			server_drop_client(s, s->table.conn[i], "daemon shutting down");
	if (s->listen_fd >= 0) {
		struct stat st;

		close(s->listen_fd);
		/* remove only our own socket, never what someone put there meanwhile */
		if (!lstat(cfg->socket_path, &st) && S_ISSOCK(st.st_mode) && st.st_ino == s->sock_ino &&
		    st.st_dev == s->sock_dev)
			unlink(cfg->socket_path);
	}
	region_pool_stop(s->pool);
	if (s->events)
		b->bpf->events_close(s->events);
	if (s->timer_fd >= 0)
		close(s->timer_fd);
	if (s->sig_fd >= 0)
		close(s->sig_fd);
	if (s->epfd >= 0)
		close(s->epfd);
	free(s);
	return r;
}
