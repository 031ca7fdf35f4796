/* gen_corpus.c - writes the seed corpora of fuzz_server and fuzz_client (the format of each
 * harness's input script is described at its top): valid exchanges of every op plus the
 * edge cases a fuzzer would take long to find (quota, per-uid limit, foreign pid, exits,
 * sweeps, idle timeout; replies with wrong seq, oversized, truncated, with stray fds).
 *   gen_corpus DIR   -> DIR/server/<name>, DIR/client/<name>
 * Deterministic: the same files every run, so the committed corpus can be checked. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "proto.h"

struct buf { unsigned char b[4096]; size_t n; };

static void put(struct buf *o, const void *p, size_t n)
{
	if (o->n + n > sizeof(o->b)) {
		fprintf(stderr, "gen_corpus: seed too large\n");
		exit(1);
	}
	memcpy(o->b + o->n, p, n);
	o->n += n;
}
static void put8(struct buf *o, unsigned v) { unsigned char c = (unsigned char)v; put(o, &c, 1); }

static void save(const char *dir, const char *sub, const char *name, const struct buf *o)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s/%s", dir, sub, name);
	f = fopen(path, "wb");
	if (!f || fwrite(o->b, 1, o->n, f) != o->n || fclose(f)) {
		fprintf(stderr, "gen_corpus: write %s: %s\n", path, strerror(errno));
		exit(1);
	}
}

static struct morpheus_msg msg(unsigned op, unsigned seq, unsigned tid, unsigned slot, unsigned arg)
{
	struct morpheus_msg m;

	proto_init(&m, op, seq);
	m.tid = tid;
	m.slot = slot;
	m.arg = arg;
	return m;
}

/* ---- fuzz_server steps ---- */
/* flags bit 0: the client hangs up right after sending */
static void s_req_raw(struct buf *o, unsigned client, unsigned flags, const void *p, size_t n)
{
	put8(o, 0);
	put8(o, (unsigned)(2 + n));
	put8(o, client);
	put8(o, flags);
	put(o, p, n);
}
static void s_req(struct buf *o, unsigned client, struct morpheus_msg m)
{
	s_req_raw(o, client, 0, &m, sizeof(m));
}
static void s_event(struct buf *o, unsigned type, unsigned tid, unsigned region, unsigned slot)
{
	struct morpheus_event e = { .type = type, .tid = tid, .region = region, .slot = slot };

	put8(o, 1);
	put8(o, 1 + sizeof(e));
	put8(o, 0);
	put(o, &e, sizeof(e));
}
static void s_timer(struct buf *o, unsigned how) { put8(o, 2 | (how << 2)); put8(o, 0); }
static void s_disconnect(struct buf *o, unsigned client) { put8(o, 3 | (client << 2)); put8(o, 0); }

static void server_seeds(const char *dir)
{
	struct buf o;
	struct morpheus_msg m;
	char big[240];

	o = (struct buf){ 0 };
	s_req(&o, 0, msg(MORPHEUS_OP_HELLO, 1, 0, 0, 0));
	save(dir, "server", "hello", &o);

	o = (struct buf){ 0 };
	s_req(&o, 0, msg(MORPHEUS_OP_HELLO, 1, 0, 0, 0));
	s_req(&o, 0, msg(MORPHEUS_OP_REGISTER, 2, 1, 0, 0));
	s_req(&o, 0, msg(MORPHEUS_OP_REGISTER, 3, 2, 0, 1));
	s_req(&o, 0, msg(MORPHEUS_OP_STATS, 4, 0, 0, 0));
	s_req(&o, 0, msg(MORPHEUS_OP_UNREGISTER, 5, 0, 0, 0));
	s_req(&o, 0, msg(MORPHEUS_OP_BYE, 6, 0, 0, 0));
	save(dir, "server", "session", &o);

	o = (struct buf){ 0 };
	s_req(&o, 0, msg(MORPHEUS_OP_HELLO, 1, 0, 0, 0));
	for (unsigned t = 1; t <= 6; t++)          /* quota 4: the 5th and 6th are refused */
		s_req(&o, 0, msg(MORPHEUS_OP_REGISTER, 1 + t, t, 0, 0));
	s_req(&o, 0, msg(MORPHEUS_OP_REGISTER, 9, 1, 0, 0));   /* twice: already registered */
	s_event(&o, MORPHEUS_EV_WORKER_EXITED, 1, 0, 0);
	s_event(&o, MORPHEUS_EV_WORKER_EXITED, 2, 0, 7);        /* wrong slot: ignored */
	s_event(&o, MORPHEUS_EV_HINT_POSTED, 3, 0, 2);
	s_timer(&o, 1 | 4);                                      /* sweep after a lost exit */
	s_req(&o, 0, msg(MORPHEUS_OP_REGISTER, 10, 5, 0, 0));
	save(dir, "server", "quota-exit-sweep", &o);

	o = (struct buf){ 0 };
	s_req(&o, 1, msg(MORPHEUS_OP_HELLO, 1, 0, 0, 0));
	s_req(&o, 1, msg(MORPHEUS_OP_REGISTER, 2, 1, 0, 0));    /* not a thread of pid 1 */
	s_req(&o, 1, msg(MORPHEUS_OP_REGISTER, 3, 999999, 0, 0));
	s_req(&o, 1, msg(MORPHEUS_OP_REGISTER, 4, 0x7fffffff, 0, 0));
	save(dir, "server", "foreign-tid", &o);

	o = (struct buf){ 0 };
	s_req(&o, 0, msg(MORPHEUS_OP_REGISTER, 1, 1, 0, 0));    /* before HELLO */
	s_req(&o, 0, msg(MORPHEUS_OP_UNREGISTER, 2, 0, 3, 0));
	s_req(&o, 0, msg(MORPHEUS_OP_HELLO, 3, 0, 0, 0));
	s_req(&o, 0, msg(MORPHEUS_OP_HELLO, 4, 0, 0, 0));       /* twice */
	s_req(&o, 0, msg(MORPHEUS_OP_UNREGISTER, 5, 0, 3, 0));  /* not registered */
	s_req(&o, 2, msg(MORPHEUS_OP_HELLO, 1, 0, 0, 0));
	s_req(&o, 1, msg(MORPHEUS_OP_HELLO, 1, 0, 0, 0));
	s_disconnect(&o, 0);
	s_req(&o, 0, msg(MORPHEUS_OP_HELLO, 1, 0, 0, 0));       /* reconnect: new region */
	save(dir, "server", "order-and-limits", &o);

	o = (struct buf){ 0 };
	s_req(&o, 0, msg(MORPHEUS_OP_HELLO, 1, 0, 0, 0));
	s_req(&o, 2, msg(MORPHEUS_OP_HELLO, 1, 0, 0, 0));
	s_req(&o, 1, msg(MORPHEUS_OP_HELLO, 1, 0, 0, 0));       /* a third region for this uid? */
	s_disconnect(&o, 2);
	s_req(&o, 2, msg(MORPHEUS_OP_HELLO, 2, 0, 0, 0));
	save(dir, "server", "per-uid-limit", &o);

	o = (struct buf){ 0 };
	m = msg(MORPHEUS_OP_HELLO, 1, 0, 0, 0);
	s_req_raw(&o, 0, 0, &m, 12);                              /* short */
	memset(big, 0, sizeof(big));
	memcpy(big, &m, sizeof(m));
	s_req_raw(&o, 0, 0, big, sizeof(big));                    /* oversized (MSG_TRUNC) */
	s_req_raw(&o, 0, 0, big, 0);                              /* empty: reads as EOF */
	m.magic ^= 1;
	s_req(&o, 0, m);
	m = msg(MORPHEUS_OP_HELLO, 2, 0, 0, 0);
	m.version = 9;
	s_req(&o, 0, m);
	s_req(&o, 0, msg(77, 3, 0, 0, 0));
	m = msg(MORPHEUS_OP_STATS, 4, 0, 0, 0);
	m.status = -1;
	s_req(&o, 0, m);
	s_req(&o, 0, msg(MORPHEUS_OP_REGISTER, 5, 1, 0, 2));    /* escapable 2 */
	s_req(&o, 0, msg(MORPHEUS_OP_UNREGISTER, 6, 0, 300, 0));
	s_req_raw(&o, 0, 0, "garbage", 7);
	save(dir, "server", "malformed", &o);

	o = (struct buf){ 0 };
	s_req_raw(&o, 1, 0, "x", 1);                              /* connected, never says HELLO */
	s_req(&o, 0, msg(MORPHEUS_OP_HELLO, 1, 0, 0, 0));
	s_req(&o, 0, msg(MORPHEUS_OP_REGISTER, 2, 3, 0, 0));
	s_timer(&o, 0);
	s_timer(&o, 2);                                           /* idle timeout */
	s_timer(&o, 1);
	s_req(&o, 0, msg(MORPHEUS_OP_STATS, 3, 0, 0, 0));
	save(dir, "server", "idle-timeout", &o);

	o = (struct buf){ 0 };
	s_req(&o, 0, msg(MORPHEUS_OP_HELLO, 1, 0, 0, 0));
	s_req(&o, 0, msg(MORPHEUS_OP_REGISTER, 2, 1, 0, 0));
	m = msg(MORPHEUS_OP_REGISTER, 3, 2, 0, 0);
	s_req_raw(&o, 0, 1, &m, sizeof(m));                       /* request, then hang up */
	s_req(&o, 0, msg(MORPHEUS_OP_HELLO, 1, 0, 0, 0));        /* reconnect */
	save(dir, "server", "hang-up", &o);
}

/* ---- fuzz_client steps ---- */
enum { CALL_HELLO, CALL_REGISTER, CALL_UNREGISTER, CALL_STATS, CALL_PING };

static void c_call(struct buf *o, unsigned call, unsigned count)
{
	put8(o, call);
	put8(o, count);
}
static void c_reply_raw(struct buf *o, unsigned fdmode, const void *p, size_t n)
{
	put8(o, fdmode);
	put8(o, (unsigned)n);
	put(o, p, n);
}
static void c_reply(struct buf *o, unsigned fdmode, struct morpheus_msg m)
{
	c_reply_raw(o, fdmode, &m, sizeof(m));
}
static struct morpheus_msg rep(unsigned op, unsigned seq, int status, unsigned slot)
{
	struct morpheus_msg m = msg(op, seq, 0, slot, 0);

	m.status = status;
	if (status)
		snprintf(m.error, sizeof(m.error), "refused for a test");
	return m;
}

static void client_seeds(const char *dir)
{
	struct buf o;
	struct morpheus_msg m;
	char big[230];

	/* a whole good session; seq counts calls from 1 */
	o = (struct buf){ 0 };
	c_call(&o, CALL_HELLO, 1);     c_reply(&o, 1, rep(MORPHEUS_OP_HELLO, 1, 0, 0));
	c_call(&o, CALL_REGISTER, 1);  c_reply(&o, 0, rep(MORPHEUS_OP_REGISTER, 2, 0, 3));
	c_call(&o, CALL_UNREGISTER | (3 << 3), 1); c_reply(&o, 0, rep(MORPHEUS_OP_UNREGISTER, 3, 0, 0));
	c_call(&o, CALL_STATS | (19 << 3), 1);     c_reply(&o, 0, rep(MORPHEUS_OP_STATS, 4, 0, 0));
	c_call(&o, CALL_PING, 1);      c_reply(&o, 0, rep(MORPHEUS_OP_STATS, 5, 0, 0));
	c_call(&o, CALL_PING, 0);      /* daemon hangs up */
	save(dir, "client", "session", &o);

	/* refusals, each with a reason */
	o = (struct buf){ 0 };
	c_call(&o, CALL_HELLO, 1);     c_reply(&o, 1, rep(MORPHEUS_OP_HELLO, 1, -EUSERS, 0));
	c_call(&o, CALL_REGISTER, 1);  c_reply(&o, 0, rep(MORPHEUS_OP_REGISTER, 2, -EPERM, 0));
	c_call(&o, CALL_REGISTER, 1);  c_reply(&o, 0, rep(MORPHEUS_OP_REGISTER, 3, -EDQUOT, 0));
	c_call(&o, CALL_UNREGISTER, 1); c_reply(&o, 0, rep(MORPHEUS_OP_UNREGISTER, 4, -ENOENT, 0));
	save(dir, "client", "refusals", &o);

	/* protocol violations by the daemon */
	o = (struct buf){ 0 };
	c_call(&o, CALL_REGISTER, 1);  c_reply(&o, 0, rep(MORPHEUS_OP_REGISTER, 99, 0, 0)); /* seq */
	c_call(&o, CALL_REGISTER, 1);  c_reply(&o, 0, rep(MORPHEUS_OP_STATS, 2, 0, 0));     /* op */
	c_call(&o, CALL_REGISTER, 1);  c_reply(&o, 0, rep(MORPHEUS_OP_REGISTER, 3, 0, 255)); /* slot */
	c_call(&o, CALL_STATS, 1);     c_reply(&o, 0, rep(MORPHEUS_OP_STATS, 4, 5, 0));     /* status>0 */
	m = rep(MORPHEUS_OP_STATS, 5, -EINVAL, 0);
	memset(m.error, 'A', sizeof(m.error));                                             /* unterminated */
	c_call(&o, CALL_STATS, 1);     c_reply(&o, 0, m);
	m = rep(MORPHEUS_OP_STATS, 6, 0, 0);
	c_call(&o, CALL_PING, 1);      c_reply_raw(&o, 0, &m, 100);                         /* short */
	memset(big, 'x', sizeof(big));
	c_call(&o, CALL_PING, 1);      c_reply_raw(&o, 0, big, sizeof(big));                 /* oversized */
	save(dir, "client", "violations", &o);

	/* file descriptors where none belong, or too many */
	o = (struct buf){ 0 };
	c_call(&o, CALL_HELLO, 1);     c_reply(&o, 0, rep(MORPHEUS_OP_HELLO, 1, 0, 0));     /* no fd */
	c_call(&o, CALL_HELLO, 1);     c_reply(&o, 1, rep(MORPHEUS_OP_HELLO, 99, 0, 0));    /* fd, bad seq */
	c_call(&o, CALL_REGISTER, 1);  c_reply(&o, 1, rep(MORPHEUS_OP_REGISTER, 3, 0, 1));  /* stray fd */
	c_call(&o, CALL_STATS, 1);     c_reply(&o, 3, rep(MORPHEUS_OP_STATS, 4, 0, 0));     /* two cmsgs */
	save(dir, "client", "stray-fds", &o);

	o = (struct buf){ 0 };
	c_call(&o, CALL_HELLO, 1);     c_reply(&o, 2, rep(MORPHEUS_OP_HELLO, 1, 0, 0));     /* two fds */
	c_call(&o, CALL_HELLO, 1);     c_reply(&o, 4, rep(MORPHEUS_OP_HELLO, 2, 0, 0));     /* three */
	save(dir, "client", "many-fds", &o);

	/* two replies to one request: the next call reads the stale one */
	o = (struct buf){ 0 };
	c_call(&o, CALL_STATS, 2);
	c_reply(&o, 0, rep(MORPHEUS_OP_STATS, 1, 0, 0));
	c_reply(&o, 0, rep(MORPHEUS_OP_STATS, 1, 0, 0));
	c_call(&o, CALL_STATS, 1);     c_reply(&o, 0, rep(MORPHEUS_OP_STATS, 2, 0, 0));
	save(dir, "client", "desync", &o);
}

int main(int argc, char **argv)
{
	char path[512];

	if (argc != 2) {
		fprintf(stderr, "usage: gen_corpus DIR\n");
		return 2;
	}
	for (int i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/%s", argv[1], i ? "client" : "server");
		if (mkdir(argv[1], 0755) && errno != EEXIST)
			return 1;
		if (mkdir(path, 0755) && errno != EEXIST) {
			fprintf(stderr, "gen_corpus: mkdir %s: %s\n", path, strerror(errno));
			return 1;
		}
	}
	server_seeds(argv[1]);
	client_seeds(argv[1]);
	return 0;
}
