/* region_pool.h - client regions made and retired off the request path, and the kernel
 * memory of regions that clients keep after their connection, counted per uid.
 *
 * Why a pool: putting a map into `regions` (an ARRAY_OF_MAPS) or taking it out waits for an
 * RCU grace period in the kernel, 8-16 ms here. Done at HELLO and at disconnect on the
 * daemon's single loop, a HELLO/close storm by a few users stalled every other client
 * (STATS went from 0.2 ms to 1.66 s on average). Here a worker thread keeps every free
 * region index filled with a fresh map that is already in `regions`; HELLO takes a ready
 * one (no syscall on the loop besides the reply), and a closed connection's index is
 * refilled by the worker, many at once (one bpf_map_update_batch: one grace period).
 *
 * Why maps are never reused: a client holds its region fd, may pin it in bpffs, and keeps
 * its mmap after disconnecting (libmorpheus does, for the JVM); a reused map would show it
 * the next client's SCBs. So every HELLO gets a map nobody else has seen.
 *
 * Bounded kernel memory: a map the client still holds outlives the daemon's references.
 * The pool keeps the id of every map it gave out until the kernel freed it
 * (BPF_MAP_GET_FD_BY_ID fails) and counts those maps for their uid ("lingering"): the
 * server adds them to the uid's regions for --max-clients-per-uid, so whatever a user does
 * with its fds and pins, it holds at most that many regions of kernel memory.
 *
 * Threads: the server's loop calls take/give_back/lingering; the worker does the bpf()
 * calls. One mutex guards the index states and the lingering list; nothing blocks on the
 * kernel while holding it. */
#ifndef MORPHEUS_REGION_POOL_H
#define MORPHEUS_REGION_POOL_H

#include <stdint.h>
#include <sys/types.h>
#include "regions.h"

struct region_pool;

/* Starts the worker and waits (up to 5 s) until at least `ready_at_start` regions are
 * ready. The top `reserved` indices (--direct-regions) are never filled: region owners outside
 * the daemon (the test tools' scb_direct) insert their own maps there. 0 or -errno + err. */
int region_pool_start(struct region_pool **out, const struct morpheus_backend *b,
		      uint32_t ready_at_start, uint32_t reserved, char *err, size_t errlen);
/* A ready region for a client of uid: 0, -EAGAIN (none ready yet, the worker is refilling)
 * or -ENOSPC (every index is held by a client, or too many maps linger). */
int region_pool_take(struct region_pool *p, uid_t uid, struct region *out);
/* The client is gone: the worker replaces the region's map; its map counts for uid as long
 * as it exists after the daemon dropped its own references. r becomes empty. */
void region_pool_give_back(struct region_pool *p, uid_t uid, struct region *r);
/* Maps handed to uid's closed connections that the kernel has not freed after the daemon
 * dropped its references (fds, pins, mmaps kept by the client); *pending: those the daemon
 * still holds, not yet known either way (the worker is about to replace them). */
uint32_t region_pool_lingering(struct region_pool *p, uid_t uid, uint32_t *pending);
uint32_t region_pool_lingering_total(struct region_pool *p);
/* Waits until the worker has nothing left to do and lingering maps are checked: for tests
 * that need a deterministic pool (fuzz_server). */
void region_pool_settle(struct region_pool *p);
/* Joins the worker and drops every map the daemon holds. NULL is fine. */
void region_pool_stop(struct region_pool *p);

#endif
