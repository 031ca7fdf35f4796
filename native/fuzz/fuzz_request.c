/* fuzz_request.c - libFuzzer harness for the socket protocol parsers (src/proto.c):
 * any datagram a client can send (proto_parse_request) and any reply a daemon can send
 * (proto_parse_reply). Invariants checked on top of the sanitizers: an accepted request
 * has the right magic/version/op; a refused one names a reason. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct morpheus_msg out, req;
	char err[96];
	int r;

	if (size < 1)
		return 0;
	/* first byte: the MSG_TRUNC flag the kernel would report */
	r = proto_parse_request(data + 1, size - 1, data[0] & 1, &out, err, sizeof(err));
	if (r == 0) {
		if (out.magic != MORPHEUS_MAGIC || out.version != MORPHEUS_PROTO_VERSION ||
		    out.op < MORPHEUS_OP_HELLO || out.op > MORPHEUS_OP_BYE || size - 1 != sizeof(out))
			abort();
	} else if (err[0] == '\0' || r >= 0) {
		abort();
	}
	proto_init(&req, out.op, out.seq);
	r = proto_parse_reply(data + 1, size - 1, data[0] & 1, &req, &out, err, sizeof(err));
	if (r == 0 && strnlen(out.error, sizeof(out.error)) == sizeof(out.error))
		abort(); /* the error string must come back terminated */
	return 0;
}
