/* clients.c - see clients.h. */
#include <stdlib.h>
#include "clients.h"

void client_table_init(struct client_table *t)
{
	*t = (struct client_table){ 0 };
	slot_pool_init(&t->regions, MORPHEUS_MAX_REGIONS);
}

struct client *client_add(struct client_table *t, int fd, uid_t uid, uint32_t slots_per_client)
{
	struct client *c;

	if (uid != 0 && t->user_connections >= MORPHEUS_MAX_CONNECTIONS)
		return NULL;
	for (int i = 0; i < CLIENT_TABLE_SIZE; i++) {
		if (t->conn[i])
			continue;
		c = calloc(1, sizeof(*c));
		if (!c)
			return NULL;
		c->fd = fd;
		c->uid = uid;
		c->pidfd = -1;
		c->region.index = -1;
		c->region.map_fd = -1;
		slot_pool_init(&c->slots, slots_per_client);
		t->conn[i] = c;
		t->connections++;
		t->user_connections += uid != 0;
		return c;
	}
	return NULL;
}

struct client *client_find(const struct client_table *t, int fd)
{
	for (int i = 0; i < CLIENT_TABLE_SIZE; i++)
		if (t->conn[i] && t->conn[i]->fd == fd)
			return t->conn[i];
	return NULL;
}

void client_forget(struct client_table *t, struct client *c)
{
	for (int i = 0; i < CLIENT_TABLE_SIZE; i++) {
		if (t->conn[i] == c) {
			t->conn[i] = NULL;
			t->connections--;
			t->user_connections -= c->uid != 0;
		}
	}
	for (int i = 0; i < MORPHEUS_MAX_REGIONS; i++)
		if (t->by_region[i] == c)
			t->by_region[i] = NULL;
	free(c);
}

uint32_t clients_with_region(const struct client_table *t, uid_t uid, int any_uid)
{
	uint32_t n = 0;

	for (int i = 0; i < MORPHEUS_MAX_REGIONS; i++)
		if (t->by_region[i] && (any_uid || t->by_region[i]->uid == uid))
			n++;
	return n;
}

uint32_t clients_registered_workers(const struct client_table *t)
{
	uint32_t n = 0;

	for (int i = 0; i < MORPHEUS_MAX_REGIONS; i++)
		if (t->by_region[i])
			n += t->by_region[i]->slots.used;
	return n;
}

uint32_t clients_connections_of(const struct client_table *t, uid_t uid)
{
	uint32_t n = 0;

	for (int i = 0; i < CLIENT_TABLE_SIZE; i++)
		if (t->conn[i] && t->conn[i]->uid == uid)
			n++;
	return n;
}

uint32_t clients_slots_of(const struct client_table *t, uid_t uid)
{
	uint32_t n = 0;

	for (int i = 0; i < MORPHEUS_MAX_REGIONS; i++)
		if (t->by_region[i] && t->by_region[i]->uid == uid)
			n += t->by_region[i]->slots.used;
	return n;
}
