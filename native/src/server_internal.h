/* server_internal.h - the broker's state and event handlers: what server.c's loop
 * dispatches to, declared for server.c and its test harness (fuzz/fuzz_server.c, which
 * drives the handlers directly and links server.o against the in-memory maps of a
 * struct morpheus_bpf_ops of its own). Not an interface for anything else: the daemon
 * only calls server_run (server.h). */
#ifndef MORPHEUS_SERVER_INTERNAL_H
#define MORPHEUS_SERVER_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "backend.h"
#include "clients.h"
#include "config.h"
#include "region_pool.h"

#define HEARTBEAT_NS     (100ULL * 1000 * 1000)
#define IDLE_TIMEOUT_NS  (10ULL * 1000 * 1000 * 1000)
#define BURST            16
#define SWEEP_EVERY      20   /* heartbeats between slot sweeps (2 s) */

enum { TAG_LISTEN = -1, TAG_SIGNAL = -2, TAG_TIMER = -3, TAG_RING = -4 };

struct server {
	const struct morpheusd_config *cfg;
	struct morpheus_backend *b;
	struct client_table table;
	int epfd, listen_fd, sig_fd, timer_fd;
	struct morpheus_events *events; /* the backend's ring buffer (bpf_ops.h) */
	struct region_pool *pool;  /* regions made and retired off this loop */
	uint64_t start_ns, epoch;
	uint64_t dstats[MORPHEUS_DSTAT_NR];
	uint64_t ticks;
	bool stop;
	bool failed;               /* the backend died (tick): exit with a runtime error */
	ino_t sock_ino;            /* the socket we created, removed at exit only if still there */
	dev_t sock_dev;
};

/* A readable client socket: up to BURST requests, each answered (or the client dropped). */
void server_on_client(struct server *s, int fd, uint32_t events);
/* One ring-buffer record (morpheus_event_fn): a worker's exit frees its slot; the rest is
 * logged and handed to the backend's event hook. Always 0. */
int server_on_event(void *ctx, void *data, size_t size);
/* The heartbeat: the backend's tick, idle timeouts, region heartbeats, a share of sweeps. */
void server_on_timer(struct server *s);
/* Drops c if its process exited, else releases the slots whose threads are gone. */
void server_sweep_client(struct server *s, struct client *c);
/* Releases c's slots and region and closes it; c is freed. */
void server_drop_client(struct server *s, struct client *c, const char *why);

#endif
