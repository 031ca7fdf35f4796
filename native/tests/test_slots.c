/* test_slots.c - the slot / region index allocator (src/slots.c). */
#include <errno.h>
#include "slots.h"
#include "testing.h"

static void init_bounds(void)
{
	struct slot_pool p;

	CHECK_EQ(slot_pool_init(&p, 0), -EINVAL);
	CHECK_EQ(slot_pool_init(&p, SLOT_POOL_MAX + 1), -EINVAL);
	CHECK_EQ(slot_pool_init(&p, 1), 0);
	CHECK_EQ(slot_pool_init(&p, SLOT_POOL_MAX), 0);
}

static void allocates_lowest_first_until_full(void)
{
	struct slot_pool p;

	slot_pool_init(&p, 70); /* spans two words, partial second word */
	for (int i = 0; i < 70; i++)
		CHECK_EQ(slot_alloc(&p), i);
	CHECK_EQ(slot_alloc(&p), -ENOSPC);
	CHECK_EQ(p.used, 70);
	CHECK_EQ(slot_free(&p, 65), 0);
	CHECK_EQ(slot_free(&p, 3), 0);
	CHECK_EQ(slot_alloc(&p), 3);
	CHECK_EQ(slot_alloc(&p), 65);
	CHECK_EQ(slot_alloc(&p), -ENOSPC);
}

static void free_checks(void)
{
	struct slot_pool p;

	slot_pool_init(&p, 8);
	CHECK_EQ(slot_free(&p, 8), -ERANGE);
	CHECK_EQ(slot_free(&p, 2), -ENOENT);
	CHECK_EQ(slot_alloc(&p), 0);
	CHECK_EQ(slot_free(&p, 0), 0);
	CHECK_EQ(slot_free(&p, 0), -ENOENT); /* no double free */
	CHECK_EQ(p.used, 0);
	CHECK(!slot_in_use(&p, 0));
	CHECK(!slot_in_use(&p, 1000));
}

static void full_capacity_pool(void)
{
	struct slot_pool p;

	slot_pool_init(&p, SLOT_POOL_MAX);
	for (int i = 0; i < SLOT_POOL_MAX; i++)
		CHECK_EQ(slot_alloc(&p), i);
	CHECK_EQ(slot_alloc(&p), -ENOSPC);
	for (int i = 0; i < SLOT_POOL_MAX; i += 2)
		CHECK_EQ(slot_free(&p, (uint32_t)i), 0);
	CHECK_EQ(p.used, SLOT_POOL_MAX / 2);
	CHECK_EQ(slot_alloc(&p), 0);
}

TEST_MAIN(T(init_bounds), T(allocates_lowest_first_until_full), T(free_checks), T(full_capacity_pool))
