/* test_client.c - libmorpheus against a scripted fake daemon: the happy path and every way a
 * reply can be wrong (seq, size, status, missing or bad region fd, closed socket). */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include "morpheus.h"
#include "proto.h"
#include "testing.h"

enum behaviour { GOOD, WRONG_SEQ, TRUNCATED, REFUSE_EPERM, NO_FD, BAD_MAGIC, CLOSE };

struct fake {
	char path[108];
	int listen_fd;
	enum behaviour hello, other;
	pthread_t thread;
};

static int region_fd(uint32_t magic)
{
	int fd = memfd_create("region", MFD_CLOEXEC);
	struct morpheus_region_header *h;

	if (fd < 0 || ftruncate(fd, MORPHEUS_REGION_SIZE))
		return -1;
	h = mmap(NULL, MORPHEUS_REGION_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (h == MAP_FAILED)
		return -1;
	h->abi_major = MORPHEUS_ABI_MAJOR;
	h->scb_size = MORPHEUS_ENTRY_SIZE;
	h->region_id = 7;
	h->magic = magic;
	munmap(h, MORPHEUS_REGION_SIZE);
	return fd;
}

static void reply(int fd, const struct morpheus_msg *req, enum behaviour b)
{
	struct morpheus_msg rep;
	union { char buf[CMSG_SPACE(sizeof(int))]; struct cmsghdr a; } ctl;
	struct iovec iov = { .iov_base = &rep, .iov_len = sizeof(rep) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	int pass = -1;

	proto_reply(&rep, req, 0, NULL);
	switch (b) {
	case WRONG_SEQ: rep.seq++; break;
	case TRUNCATED: iov.iov_len = 20; break;
	case REFUSE_EPERM: proto_reply(&rep, req, -EPERM, "tid 1 is not a thread of process 2"); break;
	case BAD_MAGIC: pass = region_fd(0x12345678); break;
	case GOOD: if (req->op == MORPHEUS_OP_HELLO) pass = region_fd(MORPHEUS_MAGIC); break;
	default: break;
	}
	if (req->op == MORPHEUS_OP_REGISTER)
		rep.slot = 3;
	if (pass >= 0) {
		struct cmsghdr *cm;

		mh.msg_control = ctl.buf;
		mh.msg_controllen = sizeof(ctl.buf);
		cm = CMSG_FIRSTHDR(&mh);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cm), &pass, sizeof(int));
	}
	sendmsg(fd, &mh, MSG_NOSIGNAL);
	if (pass >= 0)
		close(pass);
}

static void *serve(void *arg)
{
	struct fake *f = arg;
	int fd = accept(f->listen_fd, NULL, NULL);
	struct morpheus_msg raw, req;
	char err[64];

	while (fd >= 0) {
		ssize_t n = recv(fd, &raw, sizeof(raw), 0);
		enum behaviour b;

		if (n <= 0 || proto_parse_request(&raw, (size_t)n, false, &req, err, sizeof(err)))
			break;
		b = req.op == MORPHEUS_OP_HELLO ? f->hello : f->other;
		if (b == CLOSE)
			break;
		reply(fd, &req, b);
	}
	if (fd >= 0)
		close(fd);
	return NULL;
}

static void fake_start(struct fake *f, enum behaviour hello, enum behaviour other)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };

	f->hello = hello;
	f->other = other;
	snprintf(f->path, sizeof(f->path), "/tmp/morpheus-test-client-%d.sock", getpid());
	unlink(f->path);
	snprintf(a.sun_path, sizeof(a.sun_path), "%s", f->path);
	f->listen_fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	bind(f->listen_fd, (struct sockaddr *)&a, sizeof(a));
	listen(f->listen_fd, 4);
	pthread_create(&f->thread, NULL, serve, f);
}

static void fake_stop(struct fake *f)
{
	shutdown(f->listen_fd, SHUT_RDWR);
	pthread_join(f->thread, NULL);
	close(f->listen_fd);
	unlink(f->path);
}

static void no_daemon_is_an_error_with_the_path(void)
{
	struct morpheus_client *c = (void *)1;

	CHECK_EQ(morpheus_open("/nonexistent/x.sock", &c), -ENOENT);
	CHECK(c == NULL);
	CHECK(strstr(morpheus_last_error(), "/nonexistent/x.sock") != NULL);
	CHECK_EQ(morpheus_open(NULL, NULL), -EINVAL);
}

static void happy_path(void)
{
	struct fake f;
	struct morpheus_client *c;
	uint64_t st[MORPHEUS_CLIENT_STATS_NR];

	fake_start(&f, GOOD, GOOD);
	CHECK_EQ(morpheus_open(f.path, &c), 0);
	if (c) {
		CHECK_EQ(morpheus_region_id(c), 7);
		CHECK_EQ(morpheus_region_size(c), MORPHEUS_REGION_SIZE);
		CHECK(morpheus_fd(c) >= 0);
		CHECK_EQ(morpheus_register_self(c, 1), 3);
		CHECK_EQ(morpheus_unregister(c, 3), 0);
		CHECK_EQ(morpheus_unregister(c, 255), -ERANGE);
		CHECK_EQ(morpheus_register_tid(c, 0, 0), -EINVAL);
		CHECK_EQ(morpheus_stats(c, st, 100), MORPHEUS_CLIENT_STATS_NR);
		CHECK_EQ(morpheus_ping(c), 0);
		/* disconnect keeps the region readable; close releases it */
		CHECK_EQ(morpheus_disconnect(c), 0);
		CHECK_EQ(((struct morpheus_region_header *)morpheus_region(c))->magic, MORPHEUS_MAGIC);
		CHECK_EQ(morpheus_ping(c), -ENOTCONN);
		morpheus_close(c);
	}
	fake_stop(&f);
}

static void bad_replies_are_errors(void)
{
	static const struct { enum behaviour b; int expect; } cases[] = {
		{ WRONG_SEQ, -EBADMSG }, { TRUNCATED, -EMSGSIZE }, { REFUSE_EPERM, -EPERM },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fake f;
		struct morpheus_client *c = NULL;

		fake_start(&f, GOOD, cases[i].b);
		CHECK_EQ(morpheus_open(f.path, &c), 0);
		if (c) {
			CHECK_EQ(morpheus_register_self(c, 0), cases[i].expect);
			CHECK(morpheus_last_error()[0] != '\0');
			if (cases[i].b == REFUSE_EPERM)
				CHECK(strstr(morpheus_last_error(), "not a thread of process") != NULL);
			morpheus_close(c);
		}
		fake_stop(&f);
	}
}

static void bad_hello_fails_open(void)
{
	static const struct { enum behaviour b; int expect; } cases[] = {
		{ NO_FD, -EPROTO }, { BAD_MAGIC, -EPROTO }, { CLOSE, -ECONNRESET }, { REFUSE_EPERM, -EPERM },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fake f;
		struct morpheus_client *c = (void *)1;

		fake_start(&f, cases[i].b, GOOD);
		CHECK_EQ(morpheus_open(f.path, &c), cases[i].expect);
		CHECK(c == NULL);
		fake_stop(&f);
	}
}

static void daemon_gone_is_reported(void)
{
	struct fake f;
	struct morpheus_client *c = NULL;
	int r;

	fake_start(&f, GOOD, CLOSE);
	CHECK_EQ(morpheus_open(f.path, &c), 0);
	if (c) {
		r = morpheus_ping(c);
		CHECK(r == -ECONNRESET || r == -EPIPE || r == -ENOTCONN);
		r = morpheus_ping(c);
		CHECK(r == -ECONNRESET || r == -EPIPE || r == -ENOTCONN);
		morpheus_close(c);
	}
	fake_stop(&f);
	morpheus_close(NULL);
}

TEST_MAIN(T(no_daemon_is_an_error_with_the_path), T(happy_path), T(bad_replies_are_errors),
	  T(bad_hello_fails_open), T(daemon_gone_is_reported))
