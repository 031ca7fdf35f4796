/* morpheus.h - libmorpheus: the client side of morpheusd for a JVM (JNA direct mapping)
 * or any process with cooperative worker threads.
 *
 *   struct morpheus_client *c;
 *   if (morpheus_open(NULL, &c) == 0) {            // connect, HELLO, mmap own region
 *       int slot = morpheus_register_self(c, 1);    // this thread -> SCB slot
 *       struct morpheus_scb *scb = (struct morpheus_scb *)
 *           ((char *)morpheus_region(c) + (slot + 1) * MORPHEUS_ENTRY_SIZE);
 *       ... checkpoint: acquire-load scb->hint_word, compare with the last answered ...
 *       morpheus_unregister(c, slot);
 *       morpheus_close(c);
 *   }
 *
 * Every function returns 0 (or a non-negative result) or -errno and never exits or prints;
 * morpheus_last_error() gives the calling thread's message for its last failure.
 * A client is thread-safe: requests are serialised by a mutex. The region stays mapped
 * until morpheus_close(), even after the daemon is gone (then the SCBs simply stop
 * receiving hints and morpheus_ping() reports -EPIPE/-ECONNRESET/-ENOTCONN). */
#ifndef MORPHEUS_H
#define MORPHEUS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct morpheus_client;

/* Number of counters morpheus_stats() can return: the kernel table (MORPHEUS_STAT_NR, ids
 * of MORPHEUS_STATS) followed by the daemon table (MORPHEUS_DSTAT_NR). */
#define MORPHEUS_CLIENT_STATS_NR 20

/* socket_path NULL: MORPHEUS_DEFAULT_SOCKET. */
int morpheus_open(const char *socket_path, struct morpheus_client **out);
void *morpheus_region(const struct morpheus_client *c);
size_t morpheus_region_size(const struct morpheus_client *c);
/* index of this client's region in the daemon (header region_id) */
int morpheus_region_id(const struct morpheus_client *c);
int morpheus_register_self(struct morpheus_client *c, int escapable);
int morpheus_register_tid(struct morpheus_client *c, int tid, int escapable);
int morpheus_unregister(struct morpheus_client *c, int slot);
/* fills out[0..n-1] (n <= MORPHEUS_CLIENT_STATS_NR), returns how many were written */
int morpheus_stats(struct morpheus_client *c, uint64_t *out, int n);
int morpheus_ping(struct morpheus_client *c);
int morpheus_fd(const struct morpheus_client *c);
/* Closes the socket (the daemon frees this client's slots and region) but keeps the region
 * mapped: for runtimes (a JVM) that cannot prove no thread still reads it. Then the
 * memory is released by morpheus_close() later, e.g. when the last reference is collected.
 * Idempotent; 0. */
int morpheus_disconnect(struct morpheus_client *c);
void morpheus_close(struct morpheus_client *c);
const char *morpheus_last_error(void);

#ifdef __cplusplus
}
#endif

#endif
