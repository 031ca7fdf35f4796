/* fuzz_client.c - libFuzzer harness for libmorpheus's side of the protocol: what the
 * library does with whatever comes back on its socket. The daemon is played by the fuzz
 * input: for each library call (HELLO exchange, register, unregister, stats, ping) the
 * input queues zero or more reply datagrams, each of any length (oversized ones arrive
 * truncated) and each optionally carrying file descriptors by SCM_RIGHTS (none, one, two
 * in one message, two messages of one, three). Zero replies make the daemon hang up.
 *
 * How: it links libmorpheus.o and builds a client on one end of a socketpair through the
 * library's internal channel (src/client_channel.h: client_on_socket, client_transact for
 * HELLO), then makes the public calls.
 *
 * Invariants checked after every call (abort() = a finding, on top of ASan/UBSan/LSan):
 *  - the result is 0 / -errno (-4095..-1), a register result is a slot 0..MORPHEUS_MAX_SLOTS-1,
 *    a stats result is the count asked for (capped); a failure leaves a message in
 *    morpheus_last_error();
 *  - no file descriptor leaks: after the call the process holds exactly the fds it held
 *    before, plus the region fd when a HELLO succeeded and returned one (closed here).
 *
 * Input script: steps of [call][count] then count times [fdmode][len][len bytes]. */
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include "../include/morpheus.h"
#include "../src/client_channel.h"
#include "../src/proto.h"
#include "fd_count.h"

enum { CALL_HELLO, CALL_REGISTER, CALL_UNREGISTER, CALL_STATS, CALL_PING, CALL_NR };

/* Queue one reply at the daemon end with `nfd` memfds in `ncmsg` control messages. */
static void queue_reply(int daemon_fd, const uint8_t *bytes, size_t len, int mode)
{
	static const int nfds_of[] = { 0, 1, 2, 2, 3 }, ncmsg_of[] = { 0, 1, 1, 2, 1 };
	int nfd = nfds_of[mode % 5], ncmsg = ncmsg_of[mode % 5], fds[3];
	union { char b[CMSG_SPACE(3 * sizeof(int)) + CMSG_SPACE(sizeof(int))]; struct cmsghdr a; } ctl;
	struct iovec iov = { .iov_base = (void *)bytes, .iov_len = len };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };

	for (int k = 0; k < nfd; k++)
		fds[k] = memfd_create("fuzz-region", MFD_CLOEXEC);
	if (nfd) {
		struct cmsghdr *cm;
		int per = nfd / ncmsg;

		memset(&ctl, 0, sizeof(ctl));
		mh.msg_control = ctl.b;
		mh.msg_controllen = (size_t)ncmsg * CMSG_SPACE((size_t)per * sizeof(int));
		cm = CMSG_FIRSTHDR(&mh);
		for (int m = 0; m < ncmsg; m++, cm = CMSG_NXTHDR(&mh, cm)) {
			cm->cmsg_level = SOL_SOCKET;
			cm->cmsg_type = SCM_RIGHTS;
			cm->cmsg_len = CMSG_LEN((size_t)per * sizeof(int));
			memcpy(CMSG_DATA(cm), fds + m * per, (size_t)per * sizeof(int));
		}
	}
	sendmsg(daemon_fd, &mh, MSG_DONTWAIT | MSG_NOSIGNAL); /* a full queue just drops it */
	for (int k = 0; k < nfd; k++)
		close(fds[k]); /* in flight, the kernel holds its own reference */
}

static void drain_requests(int daemon_fd)
{
	char buf[512];

	while (recv(daemon_fd, buf, sizeof(buf), MSG_DONTWAIT) > 0)
		;
}

static void check_errno_result(int r)
{
	if (r > 0 || r < -4095)
		abort();
	if (r < 0 && morpheus_last_error()[0] == '\0')
		abort(); /* every failure explains itself */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct morpheus_client *c;
	int sv[2], fds_before = count_fds();
	bool hung_up = false;
	size_t off = 0;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) || client_on_socket(sv[0], &c))
		abort();
	fcntl(sv[1], F_SETFL, O_NONBLOCK);
	while (off + 2 <= size) {
		uint8_t call = data[off], count = data[off + 1] % 4;
		struct pollfd pending = { .fd = sv[0], .events = POLLIN };
		int r, fd_out = -1, fds_at_call;

		off += 2;
		for (int k = 0; k < count && off + 2 <= size; k++) {
			uint8_t mode = data[off], len = data[off + 1];

			off += 2;
			if (len > size - off)
				len = (uint8_t)(size - off);
			if (!hung_up)
				queue_reply(sv[1], data + off, len, mode);
			off += len;
		}
		/* nothing to read and the daemon would stay silent: make it hang up instead of
		 * letting the library wait out its 5 s timeout */
		if (!hung_up && poll(&pending, 1, 0) == 0) {
			shutdown(sv[1], SHUT_WR);
			hung_up = true;
		}
		client_clear_error();
		fds_at_call = count_fds();
		switch (call % CALL_NR) {
		case CALL_HELLO: {
			struct morpheus_msg req, rep;

			proto_init(&req, MORPHEUS_OP_HELLO, 0);
			r = client_transact(c, &req, &rep, &fd_out);
			check_errno_result(r);
			if (r == 0 && fd_out >= 0) {
				if (fcntl(fd_out, F_GETFD) < 0)
					abort(); /* handed back a closed fd */
				close(fd_out);
			} else if (fd_out >= 0) {
				abort(); /* a failed HELLO must not hand out an fd */
			}
			break;
		}
		case CALL_REGISTER:
			r = morpheus_register_tid(c, 7 + (call >> 3), (call >> 7) & 1);
			if (r >= MORPHEUS_MAX_SLOTS)
				abort();
			check_errno_result(r < 0 ? r : 0);
			break;
		case CALL_UNREGISTER:
			r = morpheus_unregister(c, (int)(call >> 3));
			check_errno_result(r);
			break;
		case CALL_STATS: {
			uint64_t out[MORPHEUS_CLIENT_STATS_NR + 4];
			int n = (call >> 3) % (MORPHEUS_CLIENT_STATS_NR + 4);

			r = morpheus_stats(c, out, n);
			if (r >= 0 && r != (n > MORPHEUS_CLIENT_STATS_NR ? MORPHEUS_CLIENT_STATS_NR : n))
				abort();
			check_errno_result(r < 0 ? r : 0);
			break;
		}
		default:
			r = morpheus_ping(c);
			check_errno_result(r);
			break;
		}
		if (count_fds() != fds_at_call)
			abort(); /* a passed fd leaked into the client process */
		drain_requests(sv[1]);
	}
	morpheus_close(c);   /* closes sv[0] */
	close(sv[1]);
	if (count_fds() != fds_before)
		abort();
	return 0;
}
