/* stats.c - the `stats` subcommand (see stats.h). Labels and descriptions come from the ABI
 * header's tables, so the output can never disagree with the ids. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include "proto.h"
#include "stats.h"

struct stat_row { const char *name, *desc; };

static const struct stat_row kernel_rows[] = {
#define ROW(id, name, desc) [id] = { #name, desc },
	MORPHEUS_STATS(ROW)
#undef ROW
};
static const struct stat_row daemon_rows[] = {
#define ROW(id, name, desc) [id] = { #name, desc },
	MORPHEUS_DAEMON_STATS(ROW)
#undef ROW
};

static int ask(const char *path, struct morpheus_msg *rep, char *err, size_t n)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	struct morpheus_msg req;
	char buf[sizeof(*rep) + 1];
	struct pollfd pfd;
	ssize_t len;
	int fd, r;

	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", path);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof(addr))) {
		r = -errno;
		snprintf(err, n, "connect %s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return r;
	}
	proto_init(&req, MORPHEUS_OP_STATS, 1);
	pfd = (struct pollfd){ .fd = fd, .events = POLLIN };
	if (send(fd, &req, sizeof(req), MSG_NOSIGNAL) != sizeof(req) || poll(&pfd, 1, 3000) != 1) {
		snprintf(err, n, "no answer from %s", path);
		close(fd);
		return -ETIMEDOUT;
	}
	len = recv(fd, buf, sizeof(buf), MSG_TRUNC);
	close(fd);
	if (len < 0) {
		snprintf(err, n, "recv: %s", strerror(errno));
		return -errno;
	}
	r = proto_parse_reply(buf, len > (ssize_t)sizeof(buf) ? sizeof(buf) : (size_t)len,
			      len > (ssize_t)sizeof(*rep), &req, rep, err, n);
	if (!r && rep->status) {
		snprintf(err, n, "daemon refused STATS: %s", rep->error);
		r = rep->status;
	}
	return r;
}

int stats_command(const struct morpheusd_config *cfg)
{
	struct morpheus_msg rep;
	uint64_t d[MORPHEUS_DSTAT_NR];
	char err[160];

	if (ask(cfg->socket_path, &rep, err, sizeof(err))) {
		fprintf(stderr, "morpheusd stats: %s\n", err);
		return MORPHEUSD_EXIT_NODAEMON;
	}
	memcpy(d, rep.error, sizeof(d));
	if (cfg->json) {
		printf("{");
		for (int i = 0; i < MORPHEUS_STAT_NR; i++)
			printf("%s\"%s\": %llu", i ? ", " : "", kernel_rows[i].name,
			       (unsigned long long)rep.stats[i]);
		for (int i = 0; i < MORPHEUS_DSTAT_NR; i++)
			printf(", \"%s\": %llu", daemon_rows[i].name, (unsigned long long)d[i]);
		printf("}\n");
		return MORPHEUSD_EXIT_OK;
	}
	printf("%-22s %14s  %s\n", "COUNTER", "VALUE", "DESCRIPTION");
	for (int i = 0; i < MORPHEUS_STAT_NR; i++)
		printf("%-22s %14llu  %s\n", kernel_rows[i].name, (unsigned long long)rep.stats[i],
		       kernel_rows[i].desc);
	for (int i = 0; i < MORPHEUS_DSTAT_NR; i++)
		printf("%-22s %14llu  %s\n", daemon_rows[i].name, (unsigned long long)d[i],
		       daemon_rows[i].desc);
	return MORPHEUSD_EXIT_OK;
}
