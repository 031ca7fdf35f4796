/* libmorpheus.c - the client library (see include/morpheus.h).
 * One request at a time per client (mutex), one reply per request, a 5 s reply timeout so a
 * wedged daemon cannot hang a JVM thread forever. */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include "morpheus.h"
#include "client_channel.h"
#include "proto.h"

#define REPLY_TIMEOUT_MS 5000
#define HELLO_RETRY_MS      3000
#define HELLO_RETRY_STEP_MS 20

struct morpheus_client {
	int fd;
	void *region;
	size_t region_size;
	int region_id;
	uint32_t seq;
	pthread_mutex_t lock;
};

static __thread char last_error[256];

const char *morpheus_last_error(void) { return last_error; }

__attribute__((format(printf, 2, 3)))
static int fail(int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(last_error, sizeof(last_error), fmt, ap);
	va_end(ap);
	return err;
}

void client_clear_error(void) { last_error[0] = '\0'; }

int client_on_socket(int fd, struct morpheus_client **out)
{
	struct morpheus_client *c = calloc(1, sizeof(*c));

	if (!c)
		return fail(-ENOMEM, "out of memory");
	pthread_mutex_init(&c->lock, NULL);
	c->fd = fd;
	c->region_id = -1;
	*out = c;
	return 0;
}

int client_transact(struct morpheus_client *c, struct morpheus_msg *req, struct morpheus_msg *rep,
		    int *fd_out)
{
	char buf[sizeof(*rep) + 1], err[128];
	union { char b[CMSG_SPACE(sizeof(int))]; struct cmsghdr align; } ctl;
	struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl.b,
			     .msg_controllen = sizeof(ctl.b) };
	struct pollfd pfd = { .fd = c->fd, .events = POLLIN };
	struct cmsghdr *cm;
	ssize_t len;
	int r, passed = -1;

	if (c->fd < 0)
		return fail(-ENOTCONN, "not connected to morpheusd");
	req->seq = ++c->seq;
	if (send(c->fd, req, sizeof(*req), MSG_NOSIGNAL) != (ssize_t)sizeof(*req))
		return fail(-errno, "send %s to morpheusd: %s", proto_op_name(req->op), strerror(errno));
	do {
		r = poll(&pfd, 1, REPLY_TIMEOUT_MS);
	} while (r < 0 && errno == EINTR);
	if (r == 0)
		return fail(-ETIMEDOUT, "morpheusd did not answer %s within %d ms",
			    proto_op_name(req->op), REPLY_TIMEOUT_MS);
	if (r < 0)
		return fail(-errno, "poll: %s", strerror(errno));
	len = recvmsg(c->fd, &mh, MSG_CMSG_CLOEXEC);
	if (len < 0)
		return fail(-errno, "receive from morpheusd: %s", strerror(errno));
	/* keep the first passed fd, close every other one: the kernel installs all the fds
	 * that fit in ctl (two), and any not closed here would leak (found by fuzz_client) */
	for (cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm)) {
		if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
			continue;
		for (size_t k = 0; k < (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int); k++) {
			int fd;

			memcpy(&fd, CMSG_DATA(cm) + k * sizeof(int), sizeof(int));
			if (passed < 0)
				passed = fd;
			else
				close(fd);
		}
	}
	if (len == 0) {
		/* an empty datagram may still carry fds (found by fuzz_client) */
		if (passed >= 0)
			close(passed);
		return fail(-ECONNRESET, "morpheusd closed the connection");
	}
	r = proto_parse_reply(buf, (size_t)len, (mh.msg_flags & MSG_TRUNC) != 0, req, rep, err,
			      sizeof(err));
	if (!r && rep->status)
		r = fail(rep->status, "morpheusd refused %s: %s", proto_op_name(req->op), rep->error);
	else if (r)
		r = fail(r, "bad reply from morpheusd: %s", err);
	if (!r && fd_out && passed >= 0) {
		*fd_out = passed;
		passed = -1;
	}
	if (passed >= 0)
		close(passed);
	return r;
}

int morpheus_open(const char *socket_path, struct morpheus_client **out)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	struct morpheus_msg req, rep;
	struct morpheus_client *c;
	const struct morpheus_region_header *h;
	int r, fd, map_fd = -1;

	if (!out)
		return fail(-EINVAL, "morpheus_open: out is NULL");
	*out = NULL;
	if (!socket_path)
		socket_path = MORPHEUS_DEFAULT_SOCKET;
	if (strlen(socket_path) >= sizeof(addr.sun_path))
		return fail(-ENAMETOOLONG, "socket path '%s' longer than %zu", socket_path,
			    sizeof(addr.sun_path) - 1);
	memcpy(addr.sun_path, socket_path, strlen(socket_path) + 1);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return fail(-errno, "socket: %s", strerror(errno));
	r = client_on_socket(fd, &c);
	if (r) {
		close(fd);
		return r;
	}
	if (connect(c->fd, (struct sockaddr *)&addr, sizeof(addr))) {
		r = fail(-errno, "connect to morpheusd at %s: %s", socket_path, strerror(errno));
		goto err;
	}
	/* -EAGAIN: the daemon is still recycling the regions of closed connections (it makes
	 * them off its request path): ask again, for up to HELLO_RETRY_MS */
	for (int waited = 0;; waited += HELLO_RETRY_STEP_MS) {
		proto_init(&req, MORPHEUS_OP_HELLO, 0);
		r = client_transact(c, &req, &rep, &map_fd);
		if (r != -EAGAIN || waited >= HELLO_RETRY_MS)
			break;
		usleep(HELLO_RETRY_STEP_MS * 1000);
	}
	if (r)
		goto err;
	if (map_fd < 0) {
		r = fail(-EPROTO, "morpheusd answered HELLO without a region fd");
		goto err;
	}
	c->region_size = MORPHEUS_REGION_SIZE;
	c->region = mmap(NULL, c->region_size, PROT_READ | PROT_WRITE, MAP_SHARED, map_fd, 0);
	close(map_fd);
	if (c->region == MAP_FAILED) {
		c->region = NULL;
		r = fail(-errno, "mmap the region: %s", strerror(errno));
		goto err;
	}
	h = c->region;
	if (__atomic_load_n(&h->magic, __ATOMIC_ACQUIRE) != MORPHEUS_MAGIC ||
	    h->abi_major != MORPHEUS_ABI_MAJOR || h->scb_size != MORPHEUS_ENTRY_SIZE) {
		r = fail(-EPROTO, "region header magic 0x%08x ABI %u.%u: expected 0x%08x ABI %u.x",
			 h->magic, h->abi_major, h->abi_minor, MORPHEUS_MAGIC, MORPHEUS_ABI_MAJOR);
		goto err;
	}
	c->region_id = (int)h->region_id;
	*out = c;
	return 0;
err:
	morpheus_close(c);
	return r;
}

void *morpheus_region(const struct morpheus_client *c) { return c ? c->region : NULL; }
size_t morpheus_region_size(const struct morpheus_client *c) { return c ? c->region_size : 0; }
int morpheus_region_id(const struct morpheus_client *c) { return c ? c->region_id : -EINVAL; }
int morpheus_fd(const struct morpheus_client *c) { return c ? c->fd : -EINVAL; }

static int request(struct morpheus_client *c, struct morpheus_msg *req, struct morpheus_msg *rep)
{
	int r;

	if (!c)
		return fail(-EINVAL, "client is NULL");
	pthread_mutex_lock(&c->lock);
	r = client_transact(c, req, rep, NULL);
	pthread_mutex_unlock(&c->lock);
	return r;
}

int morpheus_register_tid(struct morpheus_client *c, int tid, int escapable)
{
	struct morpheus_msg req, rep;
	int r;

	if (tid <= 0)
		return fail(-EINVAL, "tid %d: must be > 0", tid);
	proto_init(&req, MORPHEUS_OP_REGISTER, 0);
	req.tid = (uint32_t)tid;
	req.arg = escapable ? 1 : 0;
	r = request(c, &req, &rep);
	if (r)
		return r;
	if (rep.slot >= MORPHEUS_MAX_SLOTS)
		return fail(-EPROTO, "morpheusd returned slot %u: must be below %u", rep.slot,
			    MORPHEUS_MAX_SLOTS);
	return (int)rep.slot;
}

int morpheus_register_self(struct morpheus_client *c, int escapable)
{
	return morpheus_register_tid(c, (int)syscall(SYS_gettid), escapable);
}

int morpheus_unregister(struct morpheus_client *c, int slot)
{
	struct morpheus_msg req, rep;

	if (slot < 0 || slot >= MORPHEUS_MAX_SLOTS)
		return fail(-ERANGE, "slot %d: must be 0..%d", slot, MORPHEUS_MAX_SLOTS - 1);
	proto_init(&req, MORPHEUS_OP_UNREGISTER, 0);
	req.slot = (uint32_t)slot;
	return request(c, &req, &rep);
}

int morpheus_stats(struct morpheus_client *c, uint64_t *out, int n)
{
	struct morpheus_msg req, rep;
	uint64_t all[MORPHEUS_CLIENT_STATS_NR];
	int r;

	if (!out || n < 0)
		return fail(-EINVAL, "stats: out is NULL or n %d < 0", n);
	proto_init(&req, MORPHEUS_OP_STATS, 0);
	r = request(c, &req, &rep);
	if (r)
		return r;
	memcpy(all, rep.stats, sizeof(rep.stats));
	memcpy(all + MORPHEUS_STAT_NR, rep.error, MORPHEUS_DSTAT_NR * sizeof(uint64_t));
	if (n > MORPHEUS_CLIENT_STATS_NR)
		n = MORPHEUS_CLIENT_STATS_NR;
	memcpy(out, all, (size_t)n * sizeof(uint64_t));
	return n;
}

int morpheus_ping(struct morpheus_client *c)
{
	struct morpheus_msg req, rep;
	int r;

	proto_init(&req, MORPHEUS_OP_STATS, 0);
	r = request(c, &req, &rep);
	if (r == -ETIMEDOUT || r == -ECONNREFUSED)
		return r;
	if (r == -EPIPE || r == -ECONNRESET || r == -ENOTCONN)
		return r;
	return r < 0 ? -ENOTCONN : 0;
}

_Static_assert(MORPHEUS_CLIENT_STATS_NR == MORPHEUS_STAT_NR + MORPHEUS_DSTAT_NR, "stats count");

int morpheus_disconnect(struct morpheus_client *c)
{
	if (!c)
		return fail(-EINVAL, "client is NULL");
	pthread_mutex_lock(&c->lock);
	if (c->fd >= 0) {
		close(c->fd);
		c->fd = -1;
	}
	pthread_mutex_unlock(&c->lock);
	return 0;
}

void morpheus_close(struct morpheus_client *c)
{
	if (!c)
		return;
	if (c->fd >= 0)
		close(c->fd);
	if (c->region)
		munmap(c->region, c->region_size);
	pthread_mutex_destroy(&c->lock);
	free(c);
}
