/* morpheusd.c - the Morpheus broker daemon: parse the command line, pick and start a kernel
 * backend, serve clients until SIGTERM/SIGINT, then detach, unpin and remove the socket.
 * `morpheusd stats` talks to a running daemon instead. Exit codes: see config.h / --help. */
#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "backend.h"
#include "config.h"
#include "instance.h"
#include "log.h"
#include "server.h"
#include "stats.h"

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_DEBUG && !morpheus_log_debug_enabled)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

int main(int argc, char **argv)
{
	struct morpheusd_config cfg;
	const struct morpheus_backend_ops *ops;
	struct morpheus_backend b = { .bpf = &morpheus_libbpf_ops, .regions_fd = -1, .workers_fd = -1, .timings_fd = -1,
				      .stats_fd = -1, .events_fd = -1 };
	char err[256];
	int lock_fd, r;

	config_defaults(&cfg);
	if (config_parse(&cfg, argc, argv, err, sizeof(err))) {
		fprintf(stderr, "morpheusd: %s\n", err);
		return MORPHEUSD_EXIT_USAGE;
	}
	if (cfg.command == CMD_HELP) {
		fputs(config_usage(), stdout);
		return MORPHEUSD_EXIT_OK;
	}
	if (cfg.command == CMD_STATS)
		return stats_command(&cfg);

	/* names are resolved before anything is loaded or pinned: a typo costs nothing */
	if (cfg.group[0]) {
		struct group *g = getgrnam(cfg.group);

		if (!g) {
			fprintf(stderr, "morpheusd: --group '%s': no such group\n", cfg.group);
			return MORPHEUSD_EXIT_USAGE;
		}
		cfg.socket_gid = (unsigned)g->gr_gid;
	}
	morpheus_log_debug_enabled = cfg.debug;
	libbpf_set_print(libbpf_print);
	if (backend_select(&cfg, &ops, err, sizeof(err))) {
		log_error("%s", err);
		return MORPHEUSD_EXIT_USAGE;
	}
	if (cfg.enforce && ops == &morpheus_observer_backend)
		log_warn("--enforce: no sched_ext backend here; running the observer (hints only, nothing enforced)");
	b.ops = ops;
	/* before the backend: a second daemon must not touch the first one's programs and pins */
	lock_fd = instance_claim(cfg.socket_path, err, sizeof(err));
	if (lock_fd < 0) {
		log_error("%s", err);
		return MORPHEUSD_EXIT_RUNTIME;
	}
	r = ops->start(&b, &cfg, err, sizeof(err));
	if (r) {
		log_error("backend %s: %s", ops->name, err);
		instance_release(lock_fd, cfg.socket_path);
		return MORPHEUSD_EXIT_RUNTIME;
	}
	r = server_run(&cfg, &b);
	ops->stop(&b);
	instance_release(lock_fd, cfg.socket_path); /* detached, unpinned, socket removed: the next may start */
	if (r == -ECANCELED) {
		log_error("stopped: the %s backend is gone (see above); maps unpinned", ops->name);
		return MORPHEUSD_EXIT_RUNTIME;
	}
	if (r) {
		log_error("server: %s", strerror(-r));
		return MORPHEUSD_EXIT_RUNTIME;
	}
	log_info("stopped; maps unpinned from %s, socket %s removed", cfg.pin_dir, cfg.socket_path);
	return MORPHEUSD_EXIT_OK;
}
