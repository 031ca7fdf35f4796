/* scx_backend.c - the sched_ext scheduler scx_morpheus as a morpheusd backend.
 *
 * scx_morpheus (bpf/scx_morpheus.bpf.c) schedules every task of the machine and shares its
 * maps (regions, workers, stats, events) and ABI with the observer program, so the broker
 * works unchanged on top of it. Steps of start():
 *   find scx_morpheus.bpf.o -> open (plain object API: bpftool 7.5's struct_ops skeletons do
 *   not compile against libbpf 1.4, see the kernel-toolchain notes) -> write the settings into
 *   .rodata -> load -> pin the shared maps and exit_info -> attach the struct_ops link (the
 *   moment every task moves to sched_ext).
 * Then, on the daemon's heartbeat (tick): restore expired cgroup throttles, and check the
 * exit_info map; when the kernel unloaded the scheduler (error, watchdog stall, sysrq-S) its
 * kind/reason/message are logged and the daemon stops with a runtime error. On EV_ESCALATED
 * with the throttle policy the daemon lowers cpu.max of the worker's cgroup (see
 * cgroup_throttle.h). stop() detaches (the kernel returns every task to the fair class),
 * restores throttles and unpins (except exit_info after an ejection, so `morpheusd stats`
 * reports it once the daemon has exited). If the daemon dies instead (SIGKILL), closing its
 * link fd has the same effect in the kernel; the exit info stays pinned and the next start
 * logs it.
 *
 * The BPF object must be compiled against the BTF of a kernel with sched_ext (the host
 * building it may have none): native/Makefile's `scx` target uses build/vm/vmlinux.h.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "backend.h"
#include "cgroup_throttle.h"
#include "log.h"
#include "regions.h"

#define SCX_OBJECT_NAME   "scx_morpheus.bpf.o"
#define SCX_THROTTLE_NS   (100ULL * 1000 * 1000) /* bounded time of one cgroup throttle */

struct scx {
	struct bpf_object *obj;
	struct bpf_link *link;
	int exit_fd;
	uint32_t escalation;
	bool exited;
	struct backend_pins pins;  /* pin directory and maps (see backend.h) */
	struct cgroup_throttles throttles;
};

static const char *const pinned_maps[] = { "regions", "workers", "stats", "events", "exit_info" };

static int find_object(char *out, size_t n, char *err, size_t errlen);

static bool scx_available(char *why, size_t whylen)
{
	char obj[PATH_MAX + 32];
	struct stat st;

	if (stat("/sys/kernel/sched_ext", &st)) {
		snprintf(why, whylen, "this kernel has no sched_ext (/sys/kernel/sched_ext absent)");
		return false;
	}
	return find_object(obj, sizeof(obj), why, whylen) == 0;
}

/* $MORPHEUS_BPF_DIR, <exe dir>/../bpf (the build tree), <exe dir>, /usr/lib/morpheus. */
static int find_object(char *out, size_t n, char *err, size_t errlen)
{
	char exe[PATH_MAX], dirs[4][PATH_MAX + 8];
	const char *env = getenv("MORPHEUS_BPF_DIR");
	ssize_t len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	int nd = 0;

	if (env && *env)
		snprintf(dirs[nd++], sizeof(dirs[0]), "%s", env);
	if (len > 0) {
		char *slash;

		exe[len] = '\0';
		slash = strrchr(exe, '/');
		if (slash)
			*slash = '\0';
		snprintf(dirs[nd++], sizeof(dirs[0]), "%s/../bpf", exe);
		snprintf(dirs[nd++], sizeof(dirs[0]), "%s", exe);
	}
	snprintf(dirs[nd++], sizeof(dirs[0]), "/usr/lib/morpheus");
	for (int i = 0; i < nd; i++) {
		snprintf(out, n, "%s/%s", dirs[i], SCX_OBJECT_NAME);
		if (!access(out, R_OK))
			return 0;
	}
	snprintf(err, errlen, "%s not found in $MORPHEUS_BPF_DIR, %s/../bpf or /usr/lib/morpheus (make -C native scx)",
		 SCX_OBJECT_NAME, len > 0 ? exe : "<exe dir>");
	return -ENOENT;
}

/* The settings are const volatile globals in .rodata; set them by name from the BTF. */
static int set_rodata(struct bpf_object *obj, const struct morpheusd_config *cfg, uint32_t mode,
		      char *err, size_t errlen)
{
	struct bpf_map *m = bpf_object__find_map_by_name(obj, ".rodata");
	const struct btf *btf = bpf_object__btf(obj);
	const struct btf_var_secinfo *vs;
	const struct btf_type *sec;
	size_t size;
	char *data;
	int id;

	data = m ? bpf_map__initial_value(m, &size) : NULL;
	id = btf ? btf__find_by_name_kind(btf, ".rodata", BTF_KIND_DATASEC) : -1;
	if (!data || id < 0) {
		snprintf(err, errlen, "%s has no .rodata settings", SCX_OBJECT_NAME);
		return -ENOENT;
	}
	sec = btf__type_by_id(btf, id);
	vs = btf_var_secinfos(sec);
	for (int i = 0; i < btf_vlen(sec); i++, vs++) {
		const char *name = btf__name_by_offset(btf, btf__type_by_id(btf, vs->type)->name_off);
		void *p = data + vs->offset;

		if (!strcmp(name, "sched_mode"))
			*(uint32_t *)p = mode;
		else if (!strcmp(name, "escalation"))
			*(uint32_t *)p = mode == MORPHEUS_SCHED_ENFORCED ? cfg->escalation : MORPHEUS_ESC_NONE;
		else if (!strcmp(name, "hint_budget_ns"))
			*(uint64_t *)p = cfg->hint_budget_ns;
		else if (!strcmp(name, "grace_ns"))
			*(uint64_t *)p = cfg->grace_ns;
		else if (!strcmp(name, "max_critical_ns"))
			*(uint64_t *)p = cfg->max_critical_ns;
		else if (!strcmp(name, "throttle_ns"))
			*(uint64_t *)p = SCX_THROTTLE_NS;
		else if (!strcmp(name, "adaptive_slice"))
			*(uint8_t *)p = !cfg->fixed_hint_budget;
		else if (!strcmp(name, "nr_cpus"))
			*(uint32_t *)p = (uint32_t)libbpf_num_possible_cpus();
	}
	return 0;
}

/* The kfuncs scx_morpheus calls, under one of their names (bpf/include/scx_compat.bpf.h). */
static int check_kfuncs(char *err, size_t errlen)
{
	static const char *const need[][2] = {
		{ "scx_bpf_dsq_insert", "scx_bpf_dispatch" },
		{ "scx_bpf_dsq_insert_vtime", "scx_bpf_dispatch_vtime" },
		{ "scx_bpf_dsq_move_to_local", "scx_bpf_consume" },
		{ "scx_bpf_kick_cpu", NULL },
		{ "scx_bpf_create_dsq", NULL },
	};
	struct btf *vm = btf__load_vmlinux_btf();
	int r = 0;

	if (!vm) {
		snprintf(err, errlen, "cannot read the kernel's BTF: %s", strerror(errno));
		return -errno;
	}
	for (size_t i = 0; i < sizeof(need) / sizeof(need[0]) && !r; i++) {
		if (btf__find_by_name_kind(vm, need[i][0], BTF_KIND_FUNC) >= 0 ||
		    (need[i][1] && btf__find_by_name_kind(vm, need[i][1], BTF_KIND_FUNC) >= 0))
			continue;
		snprintf(err, errlen, "the kernel lacks kfunc %s%s%s%s that scx_morpheus needs",
			 need[i][0], need[i][1] ? " (or " : "", need[i][1] ? need[i][1] : "",
			 need[i][1] ? ")" : "");
		r = -EOPNOTSUPP;
	}
	btf__free(vm);
	return r;
}

static void log_exit_info(const struct morpheus_exit_info *xi, const char *what)
{
	log_error("%s: kind=%d code=%lld reason='%.*s' msg='%.*s'", what, xi->kind,
		  (long long)xi->exit_code, (int)sizeof(xi->reason), xi->reason,
		  (int)sizeof(xi->msg), xi->msg);
}

/* A daemon killed earlier left its exit_info pinned: report what happened to its scheduler. */
static void report_previous_exit(const char *pin_dir)
{
	struct morpheus_exit_info xi;
	uint32_t zero = 0;
	char path[320];
	int fd;

	if (backend_pin_path(path, sizeof(path), pin_dir, "exit_info"))
		return;
	fd = bpf_obj_get(path);
	if (fd < 0)
		return;
	if (!bpf_map_lookup_elem(fd, &zero, &xi) && xi.kind)
		log_exit_info(&xi, "the previous scx_morpheus (ejected, or its daemon died) exited");
	close(fd);
}

static void scx_stop(struct morpheus_backend *b)
{
	struct scx *x = b->priv;

	if (!x)
		return;
	if (x->link && !x->exited) { /* ejected before the heartbeat saw it: keep that exit too */
		struct morpheus_exit_info xi;
		uint32_t zero = 0;

		x->exited = !bpf_map_lookup_elem(x->exit_fd, &zero, &xi) && xi.kind;
	}
	bpf_link__destroy(x->link); /* detach first: every task goes back to the fair class */
	cgroup_throttle_restore(&x->throttles, 0, 1);
	/* After an ejection by the kernel the exit_info pin stays (and with it the pin
	 * directory, the daemon's state directory in bpffs): `morpheusd stats` still reports why
	 * the scheduler left after the daemon is gone, and the next start logs it and replaces it. */
	backend_pins_release(&x->pins, pinned_maps, sizeof(pinned_maps) / sizeof(pinned_maps[0]),
			     x->exited ? "exit_info" : NULL);
	bpf_object__close(x->obj);
	free(x);
	b->priv = NULL;
}

static int scx_start(struct morpheus_backend *b, const struct morpheusd_config *cfg, char *err,
		     size_t errlen)
{
	uint32_t mode = cfg->enforce ? MORPHEUS_SCHED_ENFORCED : MORPHEUS_SCHED_OBSERVER;
	struct scx *x = calloc(1, sizeof(*x));
	const struct bpf_map *inner;
	struct bpf_map *ops, *regions;
	char obj_path[PATH_MAX + 32];
	int r;

	if (!x)
		return -ENOMEM;
	backend_pins_init(&x->pins);
	b->priv = x;
	x->escalation = mode == MORPHEUS_SCHED_ENFORCED ? cfg->escalation : MORPHEUS_ESC_NONE;
	cgroup_throttles_init(&x->throttles, "/sys/fs/cgroup");
	if ((r = find_object(obj_path, sizeof(obj_path), err, errlen)) || (r = check_kfuncs(err, errlen)))
		goto fail;
	/* open: parse the object */
	x->obj = bpf_object__open_file(obj_path, NULL);
	if (!x->obj) {
		r = -errno;
		snprintf(err, errlen, "open %s: %s", obj_path, strerror(-r));
		goto fail;
	}
	/* configure: settings are read-only once loaded */
	if ((r = set_rodata(x->obj, cfg, mode, err, errlen)))
		goto fail;
	regions = bpf_object__find_map_by_name(x->obj, "regions");
	inner = regions ? bpf_map__inner_map(regions) : NULL;
	if (!inner) {
		r = -ENOENT;
		snprintf(err, errlen, "%s: no regions map of maps", obj_path);
		goto fail;
	}
	b->region = (struct morpheus_region_template){
		.type = bpf_map__type(inner), .key_size = bpf_map__key_size(inner),
		.value_size = bpf_map__value_size(inner), .max_entries = bpf_map__max_entries(inner),
		.map_flags = bpf_map__map_flags(inner),
	};
	/* load: verifier, kfuncs resolved against this kernel */
	r = bpf_object__load(x->obj);
	if (r) {
		snprintf(err, errlen, "load %s: %s (see the verifier log above)", obj_path, strerror(-r));
		goto fail;
	}
	/* pin: the broker's tools and `morpheusd stats` find the maps by name */
	r = backend_pins_claim(&x->pins, cfg->pin_dir, err, errlen);
	if (r)
		goto fail;
	report_previous_exit(cfg->pin_dir);
	r = backend_pins_add(&x->pins, x->obj, pinned_maps,
			     sizeof(pinned_maps) / sizeof(pinned_maps[0]), err, errlen);
	if (r)
		goto fail;
	x->exit_fd = bpf_object__find_map_fd_by_name(x->obj, "exit_info");
	/* attach: from here on every task is scheduled by scx_morpheus */
	ops = bpf_object__find_map_by_name(x->obj, "morpheus_ops");
	x->link = ops ? bpf_map__attach_struct_ops(ops) : NULL;
	if (!x->link) {
		r = ops ? -errno : -ENOENT;
		snprintf(err, errlen, "attach scx_morpheus: %s (another sched_ext scheduler loaded?)",
			 strerror(-r));
		goto fail;
	}
	b->sched_mode = mode;
	b->regions_fd = bpf_map__fd(regions);
	b->workers_fd = bpf_object__find_map_fd_by_name(x->obj, "workers");
	b->timings_fd = -1;
	b->stats_fd = bpf_object__find_map_fd_by_name(x->obj, "stats");
	b->events_fd = bpf_object__find_map_fd_by_name(x->obj, "events");
	log_info("scx backend: scx_morpheus attached from %s, mode %s, escalation %s, hint budget %.3f ms%s, grace %.3f ms, max-critical %.3f ms, maps pinned in %s",
		 obj_path, mode == MORPHEUS_SCHED_ENFORCED ? "enforced" : "observer",
		 config_escalation_name(x->escalation), cfg->hint_budget_ns / 1e6,
		 cfg->fixed_hint_budget ? " (fixed)" : " (unused: the adaptive 2..10 ms task slice from run-queue depth)",
		 cfg->grace_ns / 1e6, cfg->max_critical_ns / 1e6, cfg->pin_dir);
	return 0;
fail:
	scx_stop(b);
	return r < 0 ? r : -EINVAL;
}

static int scx_tick(struct morpheus_backend *b, char *err, size_t errlen)
{
	struct scx *x = b->priv;
	struct morpheus_exit_info xi;
	uint32_t zero = 0;

	cgroup_throttle_restore(&x->throttles, monotonic_ns(), 0);
	if (x->exited || bpf_map_lookup_elem(x->exit_fd, &zero, &xi) || !xi.kind)
		return 0;
	x->exited = true;
	log_exit_info(&xi, "scx_morpheus was unloaded by the kernel");
	snprintf(err, errlen, "scheduler exited by the kernel: kind=%d code=%lld reason='%.*s' msg='%.*s'",
		 xi.kind, (long long)xi.exit_code, 60, xi.reason, 100, xi.msg);
	return -ECANCELED;
}

static void scx_event(struct morpheus_backend *b, const struct morpheus_event *e)
{
	struct scx *x = b->priv;
	char err[200];

	switch (e->type) {
	case MORPHEUS_EV_ESCALATED:
		log_debug("escalated tid %u (region %u slot %u), policy %s", e->tid, e->region, e->slot,
			  config_escalation_name((uint32_t)e->value));
		if (e->value == MORPHEUS_ESC_CGROUP_THROTTLE &&
		    cgroup_throttle_tid(&x->throttles, e->tid, monotonic_ns(), SCX_THROTTLE_NS, err, sizeof(err)))
			log_warn("throttle: %s", err);
		break;
	case MORPHEUS_EV_CRITICAL_OVERRUN:
		log_info("critical overrun: tid %u held a critical section %.1f ms (max-critical exceeded)",
			 e->tid, e->value / 1e6);
		break;
	}
}

const struct morpheus_backend_ops morpheus_scx_backend = {
	.name = "scx",
	.available = scx_available,
	.start = scx_start,
	.stop = scx_stop,
	.tick = scx_tick,
	.event = scx_event,
};
