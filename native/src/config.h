/* config.h - morpheusd's command line: parsed into one struct by a pure function, so the
 * unit tests can feed it argv arrays. Bounds come from morpheus_abi.h. */
#ifndef MORPHEUS_CONFIG_H
#define MORPHEUS_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Exit codes of morpheusd (documented in --help). */
enum morpheusd_exit {
	MORPHEUSD_EXIT_OK      = 0, /* clean shutdown, or --help */
	MORPHEUSD_EXIT_RUNTIME = 1, /* could not load/attach/pin/listen, or died on an error */
	MORPHEUSD_EXIT_USAGE   = 2, /* bad command line */
	MORPHEUSD_EXIT_NODAEMON= 3, /* `stats`: no daemon answered on the socket */
};

enum morpheusd_command { CMD_RUN = 0, CMD_STATS = 1, CMD_HELP = 2 };
enum morpheusd_scheduler { SCHED_AUTO = 0, SCHED_OBSERVER = 1, SCHED_SCX = 2 };

#define MORPHEUS_CONNECTIONS_PER_UID_DEFAULT 32
#define MORPHEUS_SLOTS_PER_UID_DEFAULT       1024
#define MORPHEUS_IDLE_TIMEOUT_DEFAULT_MS     300000
#define MORPHEUS_IDLE_TIMEOUT_MIN_MS         100
#define MORPHEUS_IDLE_TIMEOUT_MAX_MS         86400000
#define MORPHEUSD_SOCKET_PATH_MAX  96  /* sun_path is 108; room for ".<pid>" while binding */
#define MORPHEUS_SAMPLE_MIN_US     100
#define MORPHEUS_SAMPLE_MAX_US     100000
#define MORPHEUS_SAMPLE_DEFAULT_US 1000

struct morpheusd_config {
	enum morpheusd_command command;
	uint64_t hint_budget_ns;  /* --hint-budget-ms (old name --slice-ms): CPU before a hint */
	uint64_t grace_ns;
	uint64_t max_critical_ns;
	uint32_t sample_us;
	bool enforce;
	bool fixed_hint_budget;   /* scx: --hint-budget-ms for every worker instead of the
				   * adaptive task slice (old name --fixed-slice) */
	uint32_t escalation;      /* enum morpheus_escalation */
	bool escalation_set;
	bool debug;
	enum morpheusd_scheduler scheduler;
	uint32_t max_slots_per_client;
	uint32_t max_clients_per_uid;     /* regions per uid, closed-but-kept ones included */
	uint32_t max_connections_per_uid; /* sockets per uid (root exempt: admin) */
	uint32_t max_slots_per_uid;       /* registered workers per uid, all its connections */
	uint64_t idle_timeout_ns;         /* a HELLO'd connection without workers is closed after */
	uint32_t direct_regions;          /* top region indices left to owners outside the daemon (tests) */
	char socket_path[108];
	char pin_dir[256];
	char group[64];           /* empty: keep root's group */
	unsigned socket_gid;      /* --group resolved by main before anything is loaded */
	char bpf_object[256];     /* --bpf-object: empty = the object built into morpheusd */
	bool json;                /* stats --json */
};

void config_defaults(struct morpheusd_config *c);
/* 0 on success; -EINVAL with a message naming the flag, the value and the allowed range. */
int config_parse(struct morpheusd_config *c, int argc, char **argv, char *err, size_t errlen);
const char *config_usage(void);
const char *config_escalation_name(uint32_t e);
const char *config_scheduler_name(enum morpheusd_scheduler s);

#endif
