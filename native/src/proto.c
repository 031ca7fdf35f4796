/* proto.c - validation of socket messages (see proto.h). Every check names what it saw. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "proto.h"

const char *proto_op_name(unsigned op)
{
	switch (op) {
	case MORPHEUS_OP_HELLO: return "HELLO";
	case MORPHEUS_OP_REGISTER: return "REGISTER";
	case MORPHEUS_OP_UNREGISTER: return "UNREGISTER";
	case MORPHEUS_OP_STATS: return "STATS";
	case MORPHEUS_OP_BYE: return "BYE";
	default: return "?";
	}
}

static int check_common(const void *buf, size_t len, bool truncated, struct morpheus_msg *out,
			char *err, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	if (!buf || truncated || len != sizeof(*out)) {
		/* keep what we can for the error reply */
		if (buf && len >= 12)
			memcpy(out, buf, 12);
		snprintf(err, errlen, "message size %zu%s: must be %zu bytes", len,
			 truncated ? "+ (truncated)" : "", sizeof(*out));
		return -EMSGSIZE;
	}
	memcpy(out, buf, sizeof(*out));
	if (out->magic != MORPHEUS_MAGIC) {
		snprintf(err, errlen, "magic 0x%08x: must be 0x%08x", out->magic, MORPHEUS_MAGIC);
		return -EBADMSG;
	}
	if (out->version != MORPHEUS_PROTO_VERSION) {
		snprintf(err, errlen, "protocol version %u: must be %u", out->version,
			 MORPHEUS_PROTO_VERSION);
		return -EPROTO;
	}
	if (out->op < MORPHEUS_OP_HELLO || out->op > MORPHEUS_OP_BYE) {
		snprintf(err, errlen, "op %u: must be %u..%u", out->op, MORPHEUS_OP_HELLO,
			 MORPHEUS_OP_BYE);
		return -EOPNOTSUPP;
	}
	return 0;
}

int proto_parse_request(const void *buf, size_t len, bool truncated, struct morpheus_msg *out,
			char *err, size_t errlen)
{
	int r = check_common(buf, len, truncated, out, err, errlen);

	if (r)
		return r;
	if (out->status != 0) {
		snprintf(err, errlen, "status %d in a request: must be 0", out->status);
		return -EINVAL;
	}
	if (out->op == MORPHEUS_OP_REGISTER && out->arg > 1) {
		snprintf(err, errlen, "escapable %u: must be 0 or 1", out->arg);
		return -EINVAL;
	}
	if (out->op == MORPHEUS_OP_UNREGISTER && out->slot >= MORPHEUS_MAX_SLOTS) {
		snprintf(err, errlen, "slot %u: must be 0..%u", out->slot, MORPHEUS_MAX_SLOTS - 1);
		return -ERANGE;
	}
	return 0;
}

int proto_parse_reply(const void *buf, size_t len, bool truncated, const struct morpheus_msg *req,
		      struct morpheus_msg *out, char *err, size_t errlen)
{
	int r = check_common(buf, len, truncated, out, err, errlen);

	if (r)
		return r;
	if (out->op != req->op || out->seq != req->seq) {
		snprintf(err, errlen, "reply op %u seq %u: expected op %u seq %u", out->op,
			 out->seq, req->op, req->seq);
		return -EBADMSG;
	}
	if (out->status > 0 || out->status < -4095) {
		snprintf(err, errlen, "reply status %d: must be 0 or -errno", out->status);
		return -EBADMSG;
	}
	out->error[sizeof(out->error) - 1] = '\0';
	return 0;
}

void proto_init(struct morpheus_msg *m, unsigned op, unsigned seq)
{
	memset(m, 0, sizeof(*m));
	m->magic = MORPHEUS_MAGIC;
	m->version = MORPHEUS_PROTO_VERSION;
	m->op = (__u16)op;
	m->seq = seq;
}

void proto_reply(struct morpheus_msg *reply, const struct morpheus_msg *req, int status,
		 const char *reason)
{
	proto_init(reply, req->op, req->seq);
	reply->status = status;
	if (reason && status < 0)
		snprintf(reply->error, sizeof(reply->error), "%s", reason);
}
