/* proto.h - the socket protocol's pure functions: validate a received datagram, build
 * replies. No I/O, no globals: the unit tests and the fuzzer call these directly. */
#ifndef MORPHEUS_PROTO_H
#define MORPHEUS_PROTO_H

#include <stddef.h>
#include <stdbool.h>
#include "morpheus_abi.h"

/* Validate a request of `len` bytes (`truncated`: the datagram was longer than the buffer).
 * On success copies it into *out and returns 0; otherwise returns -EMSGSIZE (wrong size),
 * -EBADMSG (magic), -EPROTO (version) or -EOPNOTSUPP (op), with a reason in err.
 * Even a refused request fills out->seq/op when the bytes are there, for the error reply. */
int proto_parse_request(const void *buf, size_t len, bool truncated, struct morpheus_msg *out,
			char *err, size_t errlen);

/* Validate a reply to `req` (same checks plus the seq echo), used by libmorpheus. */
int proto_parse_reply(const void *buf, size_t len, bool truncated, const struct morpheus_msg *req,
		      struct morpheus_msg *out, char *err, size_t errlen);

/* A request/reply with magic, version, op and seq filled, everything else zero. */
void proto_init(struct morpheus_msg *m, unsigned op, unsigned seq);

/* Make `reply` answer `req` with `status` (0 or -errno) and an optional reason. */
void proto_reply(struct morpheus_msg *reply, const struct morpheus_msg *req, int status,
		 const char *reason);

const char *proto_op_name(unsigned op);

#endif
