/* test_seq.c - the wrap-safe sequence comparison both BPF programs use
 * (bpf/include/morpheus_seq.h), across the 32-bit wrap. */
#include <stdint.h>
#include "morpheus_seq.h"
#include "testing.h"

static void reached_is_at_or_past(void)
{
	CHECK(morpheus_seq_reached(5, 5));
	CHECK(morpheus_seq_reached(6, 5));
	CHECK(!morpheus_seq_reached(4, 5));
	CHECK(morpheus_seq_reached(1, 0));
	CHECK(!morpheus_seq_reached(0, 1));
}

static void reached_across_the_wrap(void)
{
	/* a hint posted just before the wrap, acked just after it: reached */
	CHECK(morpheus_seq_reached(0u, 0xffffffffu));
	CHECK(morpheus_seq_reached(3u, 0xfffffffeu));
	/* a hint posted just after the wrap, the ack still from before it: not reached (the
	 * comparison this replaced, ack >= posted, said yes here) */
	CHECK(!morpheus_seq_reached(0xffffffffu, 0u));
	CHECK(!morpheus_seq_reached(0xfffffffeu, 1u));
	/* every distance below 2^31 on both sides of the wrap */
	for (uint32_t d = 0; d < 1000; d++) {
		uint32_t posted = 0xffffffffu - 500u + d;

		CHECK(morpheus_seq_reached(posted, posted));
		CHECK(morpheus_seq_reached(posted + 1u, posted));
		CHECK(morpheus_seq_reached(posted + 0x7fffffffu, posted));
		CHECK(!morpheus_seq_reached(posted - 1u, posted));
		CHECK(!morpheus_seq_reached(posted - 0x80000000u, posted));
	}
}

static void pending_form_is_never_zero(void)
{
	CHECK(morpheus_seq_pending(0) != 0);          /* a sequence that wrapped to 0 */
	CHECK(morpheus_seq_pending(0xffffffffu) != (uint64_t)-1); /* never scx's EARLY_CLAIMED */
	CHECK_EQ((uint32_t)morpheus_seq_pending(0), 0);
	CHECK_EQ((uint32_t)morpheus_seq_pending(0xfffffffeu), 0xfffffffeu);
	CHECK(morpheus_seq_reached((uint32_t)morpheus_seq_pending(7), 7));
}

TEST_MAIN(T(reached_is_at_or_past), T(reached_across_the_wrap), T(pending_form_is_never_zero))
