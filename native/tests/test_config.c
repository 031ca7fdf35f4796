/* test_config.c - morpheusd's command line (src/config.c). */
#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include "morpheus_abi.h"
#include "config.h"
#include "testing.h"

static int parse(struct morpheusd_config *c, char *err, const char *a0, ...)
{
	char *argv[16] = { "morpheusd" };
	int argc = 1;
	va_list ap;

	va_start(ap, a0);
	for (const char *a = a0; a && argc < 15; a = va_arg(ap, const char *))
		argv[argc++] = (char *)a;
	va_end(ap);
	config_defaults(c);
	return config_parse(c, argc, argv, err, 256);
}

static void defaults(void)
{
	struct morpheusd_config c;
	char err[256];

	CHECK_EQ(parse(&c, err, NULL), 0);
	CHECK_EQ(c.hint_budget_ns, MORPHEUS_SLICE_DEFAULT_NS);
	CHECK_EQ(c.grace_ns, MORPHEUS_GRACE_DEFAULT_NS);
	CHECK_EQ(c.scheduler, SCHED_AUTO);
	CHECK_EQ(c.command, CMD_RUN);
	CHECK(strcmp(c.socket_path, MORPHEUS_DEFAULT_SOCKET) == 0);
	CHECK(strcmp(c.pin_dir, MORPHEUS_DEFAULT_PIN_DIR) == 0);
}

static void values_and_forms(void)
{
	struct morpheusd_config c;
	char err[256];

	CHECK_EQ(parse(&c, err, "--hint-budget-ms", "2.5", "--grace-ms=0", "--debug", "--scheduler",
		       "observer", "--max-slots-per-client", "8", "--socket", "/tmp/x.sock", NULL), 0);
	CHECK_EQ(c.hint_budget_ns, 2500000);
	CHECK_EQ(c.grace_ns, 0);
	CHECK(c.debug);
	CHECK_EQ(c.scheduler, SCHED_OBSERVER);
	CHECK_EQ(c.max_slots_per_client, 8);
	CHECK(strcmp(c.socket_path, "/tmp/x.sock") == 0);
	CHECK_EQ(parse(&c, err, "--enforce", NULL), 0);
	CHECK_EQ(c.escalation, MORPHEUS_ESC_THREAD_KICK);
	CHECK_EQ(parse(&c, err, "--enforce", "--escalation", "hybrid", NULL), 0);
	CHECK_EQ(c.escalation, MORPHEUS_ESC_HYBRID);
	CHECK_EQ(parse(&c, err, "stats", "--json", "--socket", "/s", NULL), 0);
	CHECK_EQ(c.command, CMD_STATS);
	CHECK(c.json);
	CHECK_EQ(parse(&c, err, "--help", NULL), 0);
	CHECK_EQ(c.command, CMD_HELP);
}

static void errors_name_flag_value_and_range(void)
{
	struct morpheusd_config c;
	char err[256];

	CHECK_EQ(parse(&c, err, "--slice-ms", "0.05", NULL), -EINVAL);
	CHECK(strstr(err, "--slice-ms '0.05'") && strstr(err, "between 0.1 and 1000"));
	CHECK_EQ(parse(&c, err, "--slice-ms", "5x", NULL), -EINVAL);
	CHECK_EQ(parse(&c, err, "--slice-ms", "nan", NULL), -EINVAL);
	CHECK_EQ(parse(&c, err, "--grace-ms", "10001", NULL), -EINVAL);
	CHECK(strstr(err, "--grace-ms '10001'") && strstr(err, "between 0 and 10000"));
	CHECK_EQ(parse(&c, err, "--max-slots-per-client", "256", NULL), -EINVAL);
	CHECK(strstr(err, "between 1 and 255") != NULL);
	CHECK_EQ(parse(&c, err, "--max-slots-per-client", "-1", NULL), -EINVAL);
	CHECK_EQ(parse(&c, err, "--sample-us", "99", NULL), -EINVAL);
	CHECK_EQ(parse(&c, err, "--scheduler", "cfs", NULL), -EINVAL);
	CHECK(strstr(err, "'cfs'") && strstr(err, "auto, observer, scx"));
	CHECK_EQ(parse(&c, err, "--escalation", "kick", NULL), -EINVAL);
	CHECK(strstr(err, "needs --enforce") != NULL);
	CHECK_EQ(parse(&c, err, "--escalation", "nuke", NULL), -EINVAL);
	CHECK_EQ(parse(&c, err, "--socket", "relative.sock", NULL), -EINVAL);
	CHECK_EQ(parse(&c, err, "--slice-ms", NULL), -EINVAL);
	CHECK(strstr(err, "needs a value") != NULL);
	CHECK_EQ(parse(&c, err, "--bogus", NULL), -EINVAL);
	CHECK(strstr(err, "unknown option '--bogus'") != NULL);
	CHECK_EQ(parse(&c, err, "--debug=1", NULL), -EINVAL);
	CHECK_EQ(parse(&c, err, "--json", NULL), -EINVAL);
	CHECK_EQ(parse(&c, err, "stray", NULL), -EINVAL);
}

static void long_strings_are_refused(void)
{
	struct morpheusd_config c;
	char err[256], longp[300];

	memset(longp, 'a', sizeof(longp) - 1);
	longp[0] = '/';
	longp[sizeof(longp) - 1] = '\0';
	CHECK_EQ(parse(&c, err, "--socket", longp, NULL), -EINVAL);
	CHECK(strstr(err, "between 1 and 107") != NULL);
	CHECK_EQ(parse(&c, err, "--pin-dir", longp, NULL), -EINVAL);
	CHECK_EQ(parse(&c, err, "--group", "", NULL), -EINVAL);
	longp[100] = '\0'; /* fits sun_path, not the temporary bind name */
	CHECK_EQ(parse(&c, err, "--socket", longp, NULL), -EINVAL);
	CHECK(strstr(err, "length 100 must be at most 96") != NULL);
	longp[96] = '\0';
	CHECK_EQ(parse(&c, err, "--socket", longp, NULL), 0);
}

/* issue 14 (7): strtod/strtoull took "0x10", " 7", "+7", "1e3" and "inf" */
static void numbers_are_plain_decimal(void)
{
	static const char *const bad[] = { "0x10", " 7", "7 ", "+7", "-0", "1e3", "inf", "5.",
					   ".5", "1..2", "0x1p3", "" };
	struct morpheusd_config c;
	char err[256];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK_EQ(parse(&c, err, "--max-slots-per-client", bad[i], NULL), -EINVAL);
		CHECK(strstr(err, "--max-slots-per-client '") && strstr(err, "between 1 and 255"));
		CHECK_EQ(parse(&c, err, "--sample-us", bad[i], NULL), -EINVAL);
		CHECK_EQ(parse(&c, err, "--slice-ms", bad[i], NULL), -EINVAL);
		CHECK(strstr(err, "--slice-ms '") && strstr(err, "between 0.1 and 1000"));
		CHECK_EQ(parse(&c, err, "--hint-budget-ms", bad[i], NULL), -EINVAL);
		CHECK(strstr(err, "--hint-budget-ms '") && strstr(err, "between 0.1 and 1000"));
	}
	CHECK_EQ(parse(&c, err, "--max-slots-per-client", "016", NULL), 0);
	CHECK_EQ(c.max_slots_per_client, 16);
	CHECK_EQ(parse(&c, err, "--slice-ms", "0.25", NULL), 0);
	CHECK_EQ(c.hint_budget_ns, 250000);
}

/* issue 14 (3): the per-uid limits and the idle timeout are flags with ranges */
static void per_uid_limits(void)
{
	struct morpheusd_config c;
	char err[256];

	CHECK_EQ(parse(&c, err, NULL), 0);
	CHECK_EQ(c.max_connections_per_uid, 32);
	CHECK_EQ(c.max_slots_per_uid, 1024);
	CHECK_EQ(c.idle_timeout_ns, 300000ULL * 1000000);
	CHECK_EQ(parse(&c, err, "--max-connections-per-uid", "8", "--max-slots-per-uid=100",
		       "--idle-timeout-ms", "1500", NULL), 0);
	CHECK_EQ(c.max_connections_per_uid, 8);
	CHECK_EQ(c.max_slots_per_uid, 100);
	CHECK_EQ(c.idle_timeout_ns, 1500ULL * 1000000);
	CHECK_EQ(parse(&c, err, "--max-connections-per-uid", "257", NULL), -EINVAL);
	CHECK(strstr(err, "between 1 and 256") != NULL);
	CHECK_EQ(parse(&c, err, "--max-slots-per-uid", "0", NULL), -EINVAL);
	CHECK(strstr(err, "between 1 and 16320") != NULL);
	CHECK_EQ(parse(&c, err, "--idle-timeout-ms", "99", NULL), -EINVAL);
	CHECK(strstr(err, "--idle-timeout-ms '99': must be an integer between 100 and 86400000") != NULL);
}

static void paths_are_absolute(void)
{
	struct morpheusd_config c;
	char err[256];

	CHECK_EQ(parse(&c, err, "--pin-dir", "morpheus", NULL), -EINVAL);
	CHECK(strstr(err, "--pin-dir 'morpheus': must be an absolute path") != NULL);
	CHECK_EQ(parse(&c, err, "--socket", "run/m.sock", NULL), -EINVAL);
	CHECK(strstr(err, "--socket 'run/m.sock': must be an absolute path") != NULL);
}

/* --slice-ms and --fixed-slice, the names before 0.1.0's rename (CHANGELOG.md), still work */
static void old_flag_names_are_aliases(void)
{
	struct morpheusd_config c;
	char err[256];

	CHECK_EQ(parse(&c, err, "--slice-ms", "2.5", NULL), 0);
	CHECK_EQ(c.hint_budget_ns, 2500000);
	CHECK(!c.fixed_hint_budget);
	CHECK_EQ(parse(&c, err, "--slice-ms=7", "--fixed-slice", NULL), 0);
	CHECK_EQ(c.hint_budget_ns, 7000000);
	CHECK(c.fixed_hint_budget);
	CHECK_EQ(parse(&c, err, "--fixed-hint-budget", NULL), 0);
	CHECK(c.fixed_hint_budget);
	CHECK_EQ(parse(&c, err, "--fixed-slice=1", NULL), -EINVAL);
	CHECK(strstr(err, "--fixed-slice takes no value"));
	CHECK_EQ(parse(&c, err, "--hint-budget-ms", "0.05", NULL), -EINVAL);
	CHECK(strstr(err, "--hint-budget-ms '0.05'") && strstr(err, "between 0.1 and 1000"));
}

TEST_MAIN(T(old_flag_names_are_aliases), T(defaults), T(values_and_forms), T(errors_name_flag_value_and_range),
	  T(long_strings_are_refused), T(numbers_are_plain_decimal), T(paths_are_absolute),
	  T(per_uid_limits))
