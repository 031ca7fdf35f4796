/* stats.c - the `stats` subcommand (see stats.h). Labels and descriptions come from the ABI
 * header's tables, so the output can never disagree with the ids. */
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <sys/socket.h>
#include <sys/stat.h>
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

/* Was this pin made by a daemon (root)? The pin directory and the pin must be root's and
 * the directory closed to others (backend_prepare_pin_dir makes it 0700): where bpffs is
 * world-writable, anyone can create a directory of that name and pin any map they hold (a
 * client's region) as `exit_info`. false with a warning on stderr otherwise. */
static bool exit_info_trusted(const char *dir, const char *path)
{
	struct stat d, f;

	if (lstat(dir, &d) || lstat(path, &f))
		return false;
	if (!S_ISDIR(d.st_mode) || d.st_uid != 0 || (d.st_mode & 022) || !S_ISREG(f.st_mode) ||
	    f.st_uid != 0) {
		fprintf(stderr, "morpheusd stats: ignoring '%s': not the daemon's (directory uid %u mode %04o, pin uid %u)\n",
			path, (unsigned)d.st_uid, (unsigned)(d.st_mode & 07777), (unsigned)f.st_uid);
		return false;
	}
	return true;
}

/* scx_morpheus's exit info, pinned by the scx backend (root only; absent with the observer).
 * It outlives a daemon killed with SIGKILL, so it also tells what happened then. */
static bool read_exit_info(const struct morpheusd_config *cfg, struct morpheus_exit_info *xi)
{
	struct bpf_map_info info;
	__u32 info_len = sizeof(info);
	uint32_t zero = 0;
	char path[320];
	bool ok;
	int fd;

	memset(xi, 0, sizeof(*xi));
	snprintf(path, sizeof(path), "%s/exit_info", cfg->pin_dir);
	if (!exit_info_trusted(cfg->pin_dir, path))
		return false;
	fd = bpf_obj_get(path);
	if (fd < 0)
		return false;
	/* the lookup copies value_size bytes: only into a map of exactly this shape */
	memset(&info, 0, sizeof(info));
	ok = !bpf_map_get_info_by_fd(fd, &info, &info_len) && info.type == BPF_MAP_TYPE_ARRAY &&
	     info.value_size == sizeof(*xi) && info.max_entries == 1 && info.key_size == 4 &&
	     bpf_map_lookup_elem(fd, &zero, xi) == 0;
	close(fd);
	xi->reason[sizeof(xi->reason) - 1] = '\0';
	xi->msg[sizeof(xi->msg) - 1] = '\0';
	for (char *p = xi->reason; *p; p++)
		if (*p == '"' || *p == '\\' || (unsigned char)*p < 0x20)
			*p = ' ';
	return ok;
}

static void print_exit_human(const struct morpheus_exit_info *xi)
{
	if (xi->kind)
		printf("scheduler scx_morpheus EXITED: kind=%d code=%lld reason='%s' msg='%s'\n",
		       xi->kind, (long long)xi->exit_code, xi->reason, xi->msg);
	else
		printf("scheduler scx_morpheus running (exit_kind=0)\n");
}

static void print_exit_json_fields(const struct morpheus_exit_info *xi)
{
	printf("\"scheduler_exit_kind\": %d, \"scheduler_exit_code\": %lld, \"scheduler_exit_reason\": \"%s\"",
	       xi->kind, (long long)xi->exit_code, xi->reason);
}

int stats_command(const struct morpheusd_config *cfg)
{
	struct morpheus_msg rep;
	uint64_t d[MORPHEUS_DSTAT_NR];
	struct morpheus_exit_info xi;
	bool have_exit;
	char err[160];

	have_exit = read_exit_info(cfg, &xi);
	if (ask(cfg->socket_path, &rep, err, sizeof(err))) {
		fprintf(stderr, "morpheusd stats: %s\n", err);
		if (have_exit && cfg->json) {
			printf("{");
			print_exit_json_fields(&xi);
			printf("}\n");
		} else if (have_exit) {
			print_exit_human(&xi);
		}
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
		if (have_exit) {
			printf(", ");
			print_exit_json_fields(&xi);
		}
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
	if (have_exit)
		print_exit_human(&xi);
	return MORPHEUSD_EXIT_OK;
}
