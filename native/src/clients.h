/* clients.h - the table of connected client processes: their credentials, region and slots.
 * Bounded: MORPHEUS_MAX_CONNECTIONS sockets of users plus ADMIN_CONNECTIONS that only root
 * may use (so `morpheusd stats` gets through a full table), MORPHEUS_MAX_REGIONS regions. */
#ifndef MORPHEUS_CLIENTS_H
#define MORPHEUS_CLIENTS_H

#include <stdint.h>
#include <sys/types.h>
#include "morpheus_abi.h"
#include "regions.h"
#include "slots.h"

#define ADMIN_CONNECTIONS 8
#define CLIENT_TABLE_SIZE (MORPHEUS_MAX_CONNECTIONS + ADMIN_CONNECTIONS)

struct client {
	int fd;
	pid_t pid;                            /* SO_PEERCRED at accept: only valid with pidfd */
	int pidfd;                            /* the connecting process itself (peer.h), or -1 */
	uid_t uid;
	gid_t gid;
	uint64_t connected_ns;
	uint64_t idle_since_ns;               /* last time it had no worker (HELLO, last UNREGISTER) */
	struct region region;                 /* index -1 until HELLO */
	struct slot_pool slots;               /* SCB slots in use */
	uint32_t tids[MORPHEUS_MAX_SLOTS];    /* tid per slot */
};

struct client_table {
	struct client *conn[CLIENT_TABLE_SIZE];
	struct client *by_region[MORPHEUS_MAX_REGIONS];
	struct slot_pool regions;             /* free region indexes */
	uint32_t connections;
	uint32_t user_connections;            /* of uids other than root */
};

void client_table_init(struct client_table *t);
/* NULL when the table is full for this uid: MORPHEUS_MAX_CONNECTIONS user connections, or
 * all CLIENT_TABLE_SIZE for root (or out of memory). */
struct client *client_add(struct client_table *t, int fd, uid_t uid, uint32_t slots_per_client);
struct client *client_find(const struct client_table *t, int fd);
/* Forget the client; the caller released its kernel state first. Frees the struct. */
void client_forget(struct client_table *t, struct client *c);
uint32_t clients_with_region(const struct client_table *t, uid_t uid, int any_uid);
uint32_t clients_registered_workers(const struct client_table *t);
uint32_t clients_connections_of(const struct client_table *t, uid_t uid);
uint32_t clients_slots_of(const struct client_table *t, uid_t uid);

#endif
