/* slots.c - see slots.h. */
#include <errno.h>
#include <string.h>
#include "slots.h"

int slot_pool_init(struct slot_pool *p, uint32_t capacity)
{
	memset(p, 0, sizeof(*p));
	if (capacity == 0 || capacity > SLOT_POOL_MAX)
		return -EINVAL;
	p->capacity = capacity;
	return 0;
}

int slot_in_use(const struct slot_pool *p, uint32_t idx)
{
	return idx < p->capacity && (p->bits[idx / 64] >> (idx % 64)) & 1;
}

int slot_alloc(struct slot_pool *p)
{
	for (uint32_t w = 0; w * 64 < p->capacity; w++) {
		if (p->bits[w] == ~0ULL)
			continue;
		uint32_t idx = w * 64 + (uint32_t)__builtin_ctzll(~p->bits[w]);
		if (idx >= p->capacity)
			break;
		p->bits[w] |= 1ULL << (idx % 64);
		p->used++;
		return (int)idx;
	}
	return -ENOSPC;
}

int slot_free(struct slot_pool *p, uint32_t idx)
{
	if (idx >= p->capacity)
		return -ERANGE;
	if (!slot_in_use(p, idx))
		return -ENOENT;
	p->bits[idx / 64] &= ~(1ULL << (idx % 64));
	p->used--;
	return 0;
}
