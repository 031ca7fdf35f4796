/* config.c - morpheusd's command line (see config.h). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "morpheus_abi.h"
#include "config.h"

static const char usage[] =
"Usage: morpheusd [OPTIONS]            run the broker daemon (root)\n"
"       morpheusd stats [--json] [--socket PATH]\n"
"\n"
"Loads the Morpheus BPF program, pins its maps and hands each client process (a JVM) its\n"
"own shared control block region over a Unix socket.\n"
"\n"
"Options:\n"
"  --hint-budget-ms MS       CPU time a worker may use, while others wait, before the\n"
"                            kernel posts a yield hint, 0.1..1000 (default 5); observer:\n"
"                            always; scx: only with --fixed-hint-budget. Old name:\n"
"                            --slice-ms (still accepted)\n"
"  --grace-ms MS             time to answer a hint before it counts as late /\n"
"                            escalation, 0..10000 (default 100)\n"
"  --enforce                 escalate workers that ignore hints (needs the scx backend)\n"
"  --escalation POLICY       none|kick|throttle|hybrid (default: kick with --enforce)\n"
"  --max-critical-ms MS      critical sections longer than this are overruns,\n"
"                            1..60000 (default 1000)\n"
"  --fixed-hint-budget       scx: every worker gets --hint-budget-ms (default: the budget\n"
"                            follows scx_morpheus's adaptive 2..10 ms task slice, from\n"
"                            run-queue depth). Old name: --fixed-slice (still accepted)\n"
"  --sample-us US            per-CPU sampling period, 100..100000 (default 1000)\n"
"  --scheduler auto|observer|scx\n"
"                            auto: scx when /sys/kernel/sched_ext exists and the scx\n"
"                            backend is built in, the observer otherwise (default auto)\n"
"  --max-slots-per-client N  worker slots one client may hold, 1..255 (default 64)\n"
"  --max-clients-per-uid N   regions one user may hold, 1..64 (default 16); regions of\n"
"                            closed connections the user still holds (fd, pin, mmap) count\n"
"  --max-connections-per-uid N\n"
"                            sockets one user may have open, 1..256 (default 32; root is\n"
"                            not limited and has 8 connections reserved, for `stats`)\n"
"  --max-slots-per-uid N     worker slots one user may hold over all its connections,\n"
"                            1..16320 (default 1024)\n"
"  --idle-timeout-ms MS      close a connection that has a region but no registered\n"
"                            worker for this long, 100..86400000 (default 300000)\n"
"  --direct-regions N        leave the top N of the 64 region indices empty for region\n"
"                            owners outside the daemon (the test tools), 0..63 (default 0)\n"
"  --socket PATH             Unix socket (default " MORPHEUS_DEFAULT_SOCKET ")\n"
"  --pin-dir DIR             bpffs directory for the maps (default " MORPHEUS_DEFAULT_PIN_DIR ")\n"
"                            (stats also reads the scx scheduler's exit info there)\n"
"  --group NAME              group owning the socket (mode 0660); default root\n"
"  --bpf-object PATH         load the observer from this BPF object file instead of the\n"
"                            one built into morpheusd (tests, fault injection)\n"
"  --debug                   log every event\n"
"  --json                    (stats) print JSON\n"
"  -h, --help                this text\n"
"\n"
"The scx backend loads scx_morpheus.bpf.o from $MORPHEUS_BPF_DIR, else <exe dir>/../bpf,\n"
"else /usr/lib/morpheus.\n"
"\n"
"Exit codes: 0 clean shutdown (SIGTERM/SIGINT) or --help; 1 runtime error (load, attach,\n"
"pin, socket) or the kernel unloaded the scx scheduler (its exit info is logged);\n"
"2 bad command line; 3 (stats) no daemon answered.\n";

const char *config_usage(void) { return usage; }

const char *config_escalation_name(uint32_t e)
{
	static const char *const names[] = { "none", "kick", "throttle", "hybrid" };

	return e < 4 ? names[e] : "?";
}

const char *config_scheduler_name(enum morpheusd_scheduler s)
{
	return s == SCHED_OBSERVER ? "observer" : s == SCHED_SCX ? "scx" : "auto";
}

void config_defaults(struct morpheusd_config *c)
{
	memset(c, 0, sizeof(*c));
	c->hint_budget_ns = MORPHEUS_SLICE_DEFAULT_NS;
	c->grace_ns = MORPHEUS_GRACE_DEFAULT_NS;
	c->max_critical_ns = MORPHEUS_MAX_CRITICAL_DEFAULT_NS;
	c->sample_us = MORPHEUS_SAMPLE_DEFAULT_US;
	c->escalation = MORPHEUS_ESC_NONE;
	c->max_slots_per_client = MORPHEUS_SLOTS_PER_CLIENT_DEFAULT;
	c->max_clients_per_uid = MORPHEUS_CLIENTS_PER_UID_DEFAULT;
	c->max_connections_per_uid = MORPHEUS_CONNECTIONS_PER_UID_DEFAULT;
	c->max_slots_per_uid = MORPHEUS_SLOTS_PER_UID_DEFAULT;
	c->idle_timeout_ns = (uint64_t)MORPHEUS_IDLE_TIMEOUT_DEFAULT_MS * 1000000;
	snprintf(c->socket_path, sizeof(c->socket_path), "%s", MORPHEUS_DEFAULT_SOCKET);
	snprintf(c->pin_dir, sizeof(c->pin_dir), "%s", MORPHEUS_DEFAULT_PIN_DIR);
}

/* Plain decimal only: digits, and with `fraction` one '.' between digits. strtod/strtoull
 * alone would also take " 7", "+7", "0x10", "1e3", "inf": a number on a command line is
 * what it looks like, or it is refused. */
static bool plain_decimal(const char *v, bool fraction)
{
	size_t digits = strspn(v, "0123456789");

	if (digits == 0)
		return false;
	if (v[digits] == '\0')
		return true;
	return fraction && v[digits] == '.' && v[digits + 1] != '\0' &&
	       strspn(v + digits + 1, "0123456789") == strlen(v + digits + 1);
}

/* milliseconds (plain decimal, microsecond precision) within [min_ns, max_ns] */
static int parse_ms(const char *flag, const char *v, uint64_t min_ns, uint64_t max_ns,
		    uint64_t *out, char *err, size_t errlen)
{
	char *end;
	double ms;

	errno = 0;
	ms = strtod(v, &end);
	if (!plain_decimal(v, true) || errno || end == v || *end || !isfinite(ms) || ms * 1e6 < (double)min_ns ||
	    ms * 1e6 > (double)max_ns) {
		snprintf(err, errlen, "%s '%s': must be a number of milliseconds between %g and %g",
			 flag, v, (double)min_ns / 1e6, (double)max_ns / 1e6);
		return -EINVAL;
	}
	*out = (uint64_t)llround(ms * 1e3) * 1000;
	return 0;
}

static int parse_uint(const char *flag, const char *v, uint32_t min, uint32_t max, uint32_t *out,
		      char *err, size_t errlen)
{
	char *end;
	unsigned long long n;

	errno = 0;
	n = strtoull(v, &end, 10);
	if (!plain_decimal(v, false) || errno || end == v || *end || n < min || n > max) {
		snprintf(err, errlen, "%s '%s': must be an integer between %u and %u", flag, v, min,
			 max);
		return -EINVAL;
	}
	*out = (uint32_t)n;
	return 0;
}

static int copy_str(const char *flag, const char *v, char *dst, size_t n, char *err, size_t errlen)
{
	size_t len = strlen(v);

	if (len == 0 || len >= n) {
		snprintf(err, errlen, "%s '%.40s%s': length %zu must be between 1 and %zu", flag, v,
			 len > 40 ? "..." : "", len, n - 1);
		return -EINVAL;
	}
	memcpy(dst, v, len + 1);
	return 0;
}

static bool is_valued_flag(const char *flag)
{
	static const char *const valued[] = { "--hint-budget-ms", "--slice-ms", "--grace-ms",
		"--max-critical-ms", "--sample-us", "--max-slots-per-client", "--max-clients-per-uid",
		"--socket", "--max-connections-per-uid", "--max-slots-per-uid", "--idle-timeout-ms",
		"--direct-regions", "--pin-dir", "--group", "--escalation", "--scheduler", "--bpf-object" };

	for (size_t i = 0; i < sizeof(valued) / sizeof(valued[0]); i++)
		if (strcmp(flag, valued[i]) == 0)
			return true;
	return false;
}

int config_parse(struct morpheusd_config *c, int argc, char **argv, char *err, size_t errlen)
{
	int i = 1, r = 0;

	err[0] = '\0';
	if (argc > 1 && strcmp(argv[1], "stats") == 0) {
		c->command = CMD_STATS;
		i = 2;
	}
	for (; i < argc && !r; i++) {
		char flag[64];
		const char *a = argv[i], *val = NULL, *eq;

		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			c->command = CMD_HELP;
			return 0;
		}
		if (strncmp(a, "--", 2) != 0) {
			snprintf(err, errlen, "unexpected argument '%s' (see --help)", a);
			return -EINVAL;
		}
		eq = strchr(a, '=');
		if (eq) {
			snprintf(flag, sizeof(flag), "%.*s", (int)(eq - a), a);
			val = eq + 1;
		} else {
			snprintf(flag, sizeof(flag), "%s", a);
		}
#define BOOL_FLAG(name, field) \
		if (strcmp(flag, name) == 0) { \
			if (val) { snprintf(err, errlen, "%s takes no value (got '%s')", name, val); return -EINVAL; } \
			c->field = true; continue; }
		BOOL_FLAG("--enforce", enforce)
		BOOL_FLAG("--debug", debug)
		BOOL_FLAG("--json", json)
		BOOL_FLAG("--fixed-hint-budget", fixed_hint_budget)
		BOOL_FLAG("--fixed-slice", fixed_hint_budget) /* old name, kept as an alias */
#undef BOOL_FLAG
		if (!is_valued_flag(flag)) {
			snprintf(err, errlen, "unknown option '%s' (see --help)", flag);
			return -EINVAL;
		}
		if (!val) {
			if (i + 1 >= argc) {
				snprintf(err, errlen, "%s needs a value (see --help)", flag);
				return -EINVAL;
			}
			val = argv[++i];
		}
		if (strcmp(flag, "--hint-budget-ms") == 0 || strcmp(flag, "--slice-ms") == 0) /* old name */
			r = parse_ms(flag, val, MORPHEUS_SLICE_MIN_NS, MORPHEUS_SLICE_MAX_NS,
				     &c->hint_budget_ns, err, errlen);
		else if (strcmp(flag, "--grace-ms") == 0)
			r = parse_ms(flag, val, MORPHEUS_GRACE_MIN_NS, MORPHEUS_GRACE_MAX_NS,
				     &c->grace_ns, err, errlen);
		else if (strcmp(flag, "--max-critical-ms") == 0)
			r = parse_ms(flag, val, MORPHEUS_MAX_CRITICAL_MIN_NS,
				     MORPHEUS_MAX_CRITICAL_MAX_NS, &c->max_critical_ns, err, errlen);
		else if (strcmp(flag, "--sample-us") == 0)
			r = parse_uint(flag, val, MORPHEUS_SAMPLE_MIN_US, MORPHEUS_SAMPLE_MAX_US,
				       &c->sample_us, err, errlen);
		else if (strcmp(flag, "--max-slots-per-client") == 0)
			r = parse_uint(flag, val, 1, MORPHEUS_MAX_SLOTS, &c->max_slots_per_client,
				       err, errlen);
		else if (strcmp(flag, "--max-clients-per-uid") == 0)
			r = parse_uint(flag, val, 1, MORPHEUS_MAX_REGIONS, &c->max_clients_per_uid,
				       err, errlen);
		else if (strcmp(flag, "--max-connections-per-uid") == 0)
			r = parse_uint(flag, val, 1, MORPHEUS_MAX_CONNECTIONS,
				       &c->max_connections_per_uid, err, errlen);
		else if (strcmp(flag, "--max-slots-per-uid") == 0)
			r = parse_uint(flag, val, 1, MORPHEUS_MAX_WORKERS, &c->max_slots_per_uid,
				       err, errlen);
		else if (strcmp(flag, "--direct-regions") == 0)
			r = parse_uint(flag, val, 0, MORPHEUS_MAX_REGIONS - 1, &c->direct_regions, err, errlen);
		else if (strcmp(flag, "--idle-timeout-ms") == 0) {
			uint32_t ms;

			r = parse_uint(flag, val, MORPHEUS_IDLE_TIMEOUT_MIN_MS, MORPHEUS_IDLE_TIMEOUT_MAX_MS,
				       &ms, err, errlen);
			c->idle_timeout_ns = (uint64_t)ms * 1000000;
		} else if (strcmp(flag, "--socket") == 0)
			r = copy_str(flag, val, c->socket_path, sizeof(c->socket_path), err, errlen);
		else if (strcmp(flag, "--pin-dir") == 0)
			r = copy_str(flag, val, c->pin_dir, sizeof(c->pin_dir), err, errlen);
		else if (strcmp(flag, "--group") == 0)
			r = copy_str(flag, val, c->group, sizeof(c->group), err, errlen);
		else if (strcmp(flag, "--bpf-object") == 0)
			r = copy_str(flag, val, c->bpf_object, sizeof(c->bpf_object), err, errlen);
		else if (strcmp(flag, "--escalation") == 0) {
			uint32_t e;

			for (e = 0; e < 4; e++)
				if (strcmp(val, config_escalation_name(e)) == 0)
					break;
			if (e == 4) {
				snprintf(err, errlen, "--escalation '%s': must be one of none, kick, throttle, hybrid", val);
				return -EINVAL;
			}
			c->escalation = e;
			c->escalation_set = true;
		} else if (strcmp(flag, "--scheduler") == 0) {
			if (strcmp(val, "auto") == 0)
				c->scheduler = SCHED_AUTO;
			else if (strcmp(val, "observer") == 0)
				c->scheduler = SCHED_OBSERVER;
			else if (strcmp(val, "scx") == 0)
				c->scheduler = SCHED_SCX;
			else {
				snprintf(err, errlen, "--scheduler '%s': must be one of auto, observer, scx", val);
				return -EINVAL;
			}
		} else {
			snprintf(err, errlen, "unknown option '%s' (see --help)", flag);
			return -EINVAL;
		}
	}
	if (r)
		return r;
	if (c->command == CMD_STATS) {
		return 0;
	}
	if (c->json) {
		snprintf(err, errlen, "--json is only for 'morpheusd stats'");
		return -EINVAL;
	}
	if (c->enforce && !c->escalation_set)
		c->escalation = MORPHEUS_ESC_THREAD_KICK;
	if (!c->enforce && c->escalation_set && c->escalation != MORPHEUS_ESC_NONE) {
		snprintf(err, errlen, "--escalation '%s' needs --enforce",
			 config_escalation_name(c->escalation));
		return -EINVAL;
	}
	if (c->pin_dir[0] != '/') {
		snprintf(err, errlen, "--pin-dir '%s': must be an absolute path", c->pin_dir);
		return -EINVAL;
	}
	if (c->socket_path[0] != '/') {
		snprintf(err, errlen, "--socket '%s': must be an absolute path", c->socket_path);
		return -EINVAL;
	}
	if (strlen(c->socket_path) > MORPHEUSD_SOCKET_PATH_MAX) {
		snprintf(err, errlen, "--socket '%.40s...': length %zu must be at most %d (the socket is created beside it under a temporary name)",
			 c->socket_path, strlen(c->socket_path), MORPHEUSD_SOCKET_PATH_MAX);
		return -EINVAL;
	}
	return 0;
}
