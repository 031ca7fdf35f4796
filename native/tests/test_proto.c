/* test_proto.c - the socket protocol's validation (src/proto.c). */
#include <errno.h>
#include <string.h>
#include "proto.h"
#include "testing.h"

static struct morpheus_msg valid(unsigned op)
{
	struct morpheus_msg m;

	proto_init(&m, op, 7);
	return m;
}

static void accepts_every_valid_op(void)
{
	for (unsigned op = MORPHEUS_OP_HELLO; op <= MORPHEUS_OP_BYE; op++) {
		struct morpheus_msg m = valid(op), out;
		char err[64];

		CHECK_EQ(proto_parse_request(&m, sizeof(m), false, &out, err, sizeof(err)), 0);
		CHECK_EQ(out.op, op);
		CHECK_EQ(out.seq, 7);
	}
}

static void refuses_wrong_sizes(void)
{
	struct morpheus_msg m = valid(MORPHEUS_OP_STATS), out;
	char err[64], big[512] = { 0 };

	CHECK_EQ(proto_parse_request(&m, 0, false, &out, err, sizeof(err)), -EMSGSIZE);
	CHECK_EQ(proto_parse_request(&m, 11, false, &out, err, sizeof(err)), -EMSGSIZE);
	CHECK_EQ(proto_parse_request(&m, sizeof(m) - 1, false, &out, err, sizeof(err)), -EMSGSIZE);
	CHECK(strstr(err, "must be 192 bytes") != NULL);
	/* a short message still yields its seq for the error reply */
	CHECK_EQ(proto_parse_request(&m, 12, false, &out, err, sizeof(err)), -EMSGSIZE);
	CHECK_EQ(out.seq, 7);
	memcpy(big, &m, sizeof(m));
	CHECK_EQ(proto_parse_request(big, sizeof(m), true, &out, err, sizeof(err)), -EMSGSIZE);
	CHECK_EQ(proto_parse_request(NULL, sizeof(m), false, &out, err, sizeof(err)), -EMSGSIZE);
}

static void refuses_bad_headers(void)
{
	struct morpheus_msg m, out;
	char err[80];

	m = valid(MORPHEUS_OP_HELLO);
	m.magic = 0xdeadbeef;
	CHECK_EQ(proto_parse_request(&m, sizeof(m), false, &out, err, sizeof(err)), -EBADMSG);
	CHECK(strstr(err, "0xdeadbeef") != NULL);
	m = valid(MORPHEUS_OP_HELLO);
	m.version = 2;
	CHECK_EQ(proto_parse_request(&m, sizeof(m), false, &out, err, sizeof(err)), -EPROTO);
	CHECK(strstr(err, "version 2") != NULL);
	m = valid(0);
	CHECK_EQ(proto_parse_request(&m, sizeof(m), false, &out, err, sizeof(err)), -EOPNOTSUPP);
	m = valid(6);
	CHECK_EQ(proto_parse_request(&m, sizeof(m), false, &out, err, sizeof(err)), -EOPNOTSUPP);
	m = valid(MORPHEUS_OP_STATS);
	m.status = -1;
	CHECK_EQ(proto_parse_request(&m, sizeof(m), false, &out, err, sizeof(err)), -EINVAL);
}

static void checks_op_arguments(void)
{
	struct morpheus_msg m, out;
	char err[80];

	m = valid(MORPHEUS_OP_REGISTER);
	m.arg = 2;
	CHECK_EQ(proto_parse_request(&m, sizeof(m), false, &out, err, sizeof(err)), -EINVAL);
	CHECK(strstr(err, "escapable 2") != NULL);
	m = valid(MORPHEUS_OP_UNREGISTER);
	m.slot = MORPHEUS_MAX_SLOTS;
	CHECK_EQ(proto_parse_request(&m, sizeof(m), false, &out, err, sizeof(err)), -ERANGE);
	m.slot = MORPHEUS_MAX_SLOTS - 1;
	CHECK_EQ(proto_parse_request(&m, sizeof(m), false, &out, err, sizeof(err)), 0);
}

static void replies_echo_and_validate(void)
{
	struct morpheus_msg req = valid(MORPHEUS_OP_REGISTER), rep, out;
	char err[80];

	proto_reply(&rep, &req, -EPERM, "tid 5 is not a thread of process 6");
	CHECK_EQ(rep.seq, 7);
	CHECK_EQ(rep.status, -EPERM);
	CHECK(strcmp(rep.error, "tid 5 is not a thread of process 6") == 0);
	CHECK_EQ(proto_parse_reply(&rep, sizeof(rep), false, &req, &out, err, sizeof(err)), 0);
	rep.seq = 8;
	CHECK_EQ(proto_parse_reply(&rep, sizeof(rep), false, &req, &out, err, sizeof(err)), -EBADMSG);
	rep.seq = 7;
	rep.status = 5;
	CHECK_EQ(proto_parse_reply(&rep, sizeof(rep), false, &req, &out, err, sizeof(err)), -EBADMSG);
	/* an unterminated error string from a hostile peer is terminated */
	rep.status = -1;
	memset(rep.error, 'x', sizeof(rep.error));
	CHECK_EQ(proto_parse_reply(&rep, sizeof(rep), false, &req, &out, err, sizeof(err)), 0);
	CHECK_EQ(strlen(out.error), sizeof(out.error) - 1);
}

static void every_byte_pattern_is_handled(void)
{
	/* cheap deterministic fuzz: random bytes at every length never crash and never pass
	 * unless magic, version and op are right */
	unsigned char buf[256];
	unsigned seed = 12345;
	struct morpheus_msg out;
	char err[80];
	int accepted = 0;

	for (int round = 0; round < 20000; round++) {
		size_t len = (size_t)(round % 257);

		for (size_t i = 0; i < sizeof(buf); i++) {
			seed = seed * 1103515245u + 12345u;
			buf[i] = (unsigned char)(seed >> 16);
		}
		if (proto_parse_request(buf, len > sizeof(buf) ? sizeof(buf) : len, false, &out, err,
					sizeof(err)) == 0)
			accepted++;
	}
	CHECK_EQ(accepted, 0);
}

TEST_MAIN(T(accepts_every_valid_op), T(refuses_wrong_sizes), T(refuses_bad_headers),
	  T(checks_op_arguments), T(replies_echo_and_validate), T(every_byte_pattern_is_handled))
