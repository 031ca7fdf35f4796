/* hostile_client.c - misbehaving clients for tests/reliability/run.sh (step 5), the cases
 * native/tests/kernel's `morpheus-probe hostile` does not cover:
 *
 *   hostile_client fd-bomb --socket PATH --messages N --fds K
 *       N requests, each carrying K file descriptors by SCM_RIGHTS (the daemon never asks
 *       for ancillary data: the kernel must discard them, the daemon's fd table must not grow).
 *       Prints: sent=N fds_per_message=K replies=R
 *   hostile_client no-read --socket PATH --seconds S
 *       HELLO, then requests as fast as the socket takes them, never reading a reply: the
 *       daemon must drop this client (it cannot take replies) instead of queueing forever.
 *       Prints: sent=N dropped=1|0 after_ms=T
 *   hostile_client flood --socket PATH --seconds S --connections C
 *       C connections each sending STATS and reading the reply in a tight loop.
 *       Prints: requests=N
 *   hostile_client ping --socket PATH --seconds S
 *       A well-behaved client meanwhile: STATS round trips through libmorpheus, one every
 *       10 ms. Prints: pings=N failures=F max_ms=M (the test bounds F and M)
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include "morpheus.h"
#include "../../tools/raw_socket.h"
#include "morpheus_abi.h"

static const char *sock_path;

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static struct morpheus_msg request(unsigned op, unsigned seq)
{
	struct morpheus_msg m;

	memset(&m, 0, sizeof(m));
	m.magic = MORPHEUS_MAGIC;
	m.version = MORPHEUS_PROTO_VERSION;
	m.op = (__u16)op;
	m.seq = seq;
	return m;
}

static int fd_bomb(int messages, int nfds)
{
	int fd = raw_connect(sock_path), replies = 0, sent = 0;
	int *fds = calloc((size_t)nfds, sizeof(int));
	size_t ctl_len = CMSG_SPACE((size_t)nfds * sizeof(int));
	char *ctl = calloc(1, ctl_len);

	if (fd < 0 || !fds || !ctl) {
		fprintf(stderr, "fd-bomb: connect %s: %s\n", sock_path, strerror(errno));
		free(fds);
		free(ctl);
		return 1;
	}
	for (int k = 0; k < nfds; k++)
		fds[k] = dup(2);
	for (int i = 0; i < messages; i++) {
		struct morpheus_msg m = request(MORPHEUS_OP_STATS, (unsigned)i + 1), rep;
		struct iovec iov = { .iov_base = &m, .iov_len = sizeof(m) };
		struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl,
				     .msg_controllen = ctl_len };
		struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);

		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN((size_t)nfds * sizeof(int));
		memcpy(CMSG_DATA(cm), fds, (size_t)nfds * sizeof(int));
		if (sendmsg(fd, &mh, MSG_NOSIGNAL) != (ssize_t)sizeof(m))
			break;
		sent++;
		if (recv(fd, &rep, sizeof(rep), 0) == (ssize_t)sizeof(rep) && rep.seq == m.seq)
			replies++;
	}
	printf("sent=%d fds_per_message=%d replies=%d\n", sent, nfds, replies);
	close(fd);
	for (int k = 0; k < nfds; k++)
		close(fds[k]);
	free(fds);
	free(ctl);
	return 0;
}

static int no_read(double seconds)
{
	int fd = raw_connect(sock_path), dropped = 0;
	long sent = 0;
	double start = now_ms(), end = start + seconds * 1e3, at = 0;
	struct morpheus_msg m = request(MORPHEUS_OP_HELLO, 1);

	if (fd < 0 || send(fd, &m, sizeof(m), MSG_NOSIGNAL) != (ssize_t)sizeof(m))
		return 1;
	while (now_ms() < end) {
		struct pollfd p = { .fd = fd, .events = POLLOUT };

		m = request(MORPHEUS_OP_STATS, (unsigned)sent + 2);
		if (poll(&p, 1, 100) <= 0)
			continue;          /* the socket is full: keep trying, never read */
		if (send(fd, &m, sizeof(m), MSG_NOSIGNAL | MSG_DONTWAIT) < 0) {
			if (errno == EAGAIN)
				continue;
			dropped = 1;       /* EPIPE / ECONNRESET: the daemon hung up on us */
			at = now_ms() - start;
			break;
		}
		sent++;
	}
	printf("sent=%ld dropped=%d after_ms=%.0f\n", sent, dropped, at);
	close(fd);
	return 0;
}

static int flood(double seconds, int connections)
{
	int *fds = calloc((size_t)connections, sizeof(int));
	long requests = 0;
	double end = now_ms() + seconds * 1e3;

	if (!fds)
		return 1;
	for (int i = 0; i < connections; i++)
		fds[i] = raw_connect(sock_path);
	while (now_ms() < end) {
		for (int i = 0; i < connections; i++) {
			struct morpheus_msg m = request(MORPHEUS_OP_STATS, (unsigned)requests), rep;

			if (fds[i] < 0)
				continue;
			if (send(fds[i], &m, sizeof(m), MSG_NOSIGNAL) != (ssize_t)sizeof(m) ||
			    recv(fds[i], &rep, sizeof(rep), 0) != (ssize_t)sizeof(rep)) {
				close(fds[i]);
				fds[i] = raw_connect(sock_path);  /* dropped (idle timeout): come back */
				continue;
			}
			requests++;
		}
	}
	printf("requests=%ld\n", requests);
	for (int i = 0; i < connections; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	free(fds);
	return 0;
}

static int ping(double seconds)
{
	struct morpheus_client *c;
	uint64_t stats[MORPHEUS_CLIENT_STATS_NR];
	long pings = 0, failures = 0;
	double end = now_ms() + seconds * 1e3, max_ms = 0;

	if (morpheus_open(sock_path, &c)) {
		fprintf(stderr, "ping: %s\n", morpheus_last_error());
		return 1;
	}
	while (now_ms() < end) {
		double t0 = now_ms(), dt;

		if (morpheus_stats(c, stats, MORPHEUS_CLIENT_STATS_NR) < 0) {
			if (!failures++)
				fprintf(stderr, "ping: %s\n", morpheus_last_error());
		}
		dt = now_ms() - t0;
		if (dt > max_ms)
			max_ms = dt;
		pings++;
		usleep(10000);
	}
	morpheus_close(c);
	printf("pings=%ld failures=%ld max_ms=%.0f\n", pings, failures, max_ms);
	return 0;
}

int main(int argc, char **argv)
{
	int messages = 100, nfds = 200, connections = 8;
	double seconds = 3;

	if (argc < 2)
		goto usage;
	for (int i = 2; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--socket"))
			sock_path = argv[i + 1];
		else if (!strcmp(argv[i], "--messages"))
			messages = atoi(argv[i + 1]);
		else if (!strcmp(argv[i], "--fds"))
			nfds = atoi(argv[i + 1]);
		else if (!strcmp(argv[i], "--seconds"))
			seconds = atof(argv[i + 1]);
		else if (!strcmp(argv[i], "--connections"))
			connections = atoi(argv[i + 1]);
		else
			goto usage;
	}
	if (!sock_path || messages < 1 || nfds < 1 || nfds > 250 || seconds <= 0 || connections < 1)
		goto usage;
	if (!strcmp(argv[1], "fd-bomb"))
		return fd_bomb(messages, nfds);
	if (!strcmp(argv[1], "no-read"))
		return no_read(seconds);
	if (!strcmp(argv[1], "flood"))
		return flood(seconds, connections);
	if (!strcmp(argv[1], "ping"))
		return ping(seconds);
usage:
	fprintf(stderr, "usage: hostile_client fd-bomb|no-read|flood|ping --socket PATH [--messages N]"
			" [--fds K] [--seconds S] [--connections C]\n");
	return 2;
}
