/* slots.h - a fixed-size index allocator (bitmap): SCB slots of one client, region indexes
 * of the daemon. Lowest free index first, so a freed slot is reused promptly. */
#ifndef MORPHEUS_SLOTS_H
#define MORPHEUS_SLOTS_H

#include <stdint.h>

#define SLOT_POOL_MAX 256

struct slot_pool {
	uint32_t capacity;  /* indexes 0..capacity-1 */
	uint32_t used;
	uint64_t bits[SLOT_POOL_MAX / 64];
};

/* 0, or -EINVAL when capacity is 0 or above SLOT_POOL_MAX. */
int slot_pool_init(struct slot_pool *p, uint32_t capacity);
/* The lowest free index, or -ENOSPC. */
int slot_alloc(struct slot_pool *p);
/* 0, -ERANGE (out of range) or -ENOENT (not allocated). */
int slot_free(struct slot_pool *p, uint32_t idx);
int slot_in_use(const struct slot_pool *p, uint32_t idx);

#endif
