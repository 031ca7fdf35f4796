/* clients.h - the table of connected client processes: their credentials, region and slots.
 * Bounded: MORPHEUS_MAX_CONNECTIONS sockets, MORPHEUS_MAX_REGIONS regions. */
#ifndef MORPHEUS_CLIENTS_H
#define MORPHEUS_CLIENTS_H

#include <stdint.h>
#include <sys/types.h>
#include "morpheus_abi.h"
#include "regions.h"
#include "slots.h"

struct client {
	int fd;
	pid_t pid;                            /* SO_PEERCRED at accept: only valid with pidfd */
	int pidfd;                            /* the connecting process itself (peer.h), or -1 */
	uid_t uid;
	gid_t gid;
	uint64_t connected_ns;
	struct region region;                 /* index -1 until HELLO */
	struct slot_pool slots;               /* SCB slots in use */
	uint32_t tids[MORPHEUS_MAX_SLOTS];    /* tid per slot */
};

struct client_table {
	struct client *conn[MORPHEUS_MAX_CONNECTIONS];
	struct client *by_region[MORPHEUS_MAX_REGIONS];
	struct slot_pool regions;             /* free region indexes */
	uint32_t connections;
};

void client_table_init(struct client_table *t);
/* NULL when MORPHEUS_MAX_CONNECTIONS are connected (or out of memory). */
struct client *client_add(struct client_table *t, int fd, uint32_t slots_per_client);
struct client *client_find(const struct client_table *t, int fd);
/* Forget the client; the caller released its kernel state first. Frees the struct. */
void client_forget(struct client_table *t, struct client *c);
uint32_t clients_with_region(const struct client_table *t, uid_t uid, int any_uid);
uint32_t clients_registered_workers(const struct client_table *t);

#endif
