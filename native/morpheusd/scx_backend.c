// SPDX-License-Identifier: GPL-2.0-only OR Apache-2.0
/* scx_backend.c - see scx_backend.h. Uses libbpf's plain object API: bpftool 7.5's struct_ops
 * skeletons do not compile against libbpf 1.4 (see the kernel-toolchain notes). */
#include "scx_backend.h"

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct scx_backend {
	struct bpf_object *obj;
	struct bpf_link *link;
	struct ring_buffer *rb;
	int regions_fd, workers_fd, stats_fd, exit_fd;
	char pin_dir[256];
	scx_event_cb cb;
	void *cb_ctx;
	int nr_cpus;
};

static __thread char err_buf[256];

static int fail(int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err_buf, sizeof(err_buf), fmt, ap);
	va_end(ap);
	return err < 0 ? err : -err;
}

const char *scx_backend_error(void)
{
	return err_buf;
}

void scx_backend_config_init(struct scx_backend_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->sched_mode = MORPHEUS_SCHED_OBSERVER;
	cfg->escalation = MORPHEUS_ESC_NONE;
	cfg->slice_ns = MORPHEUS_SLICE_DEFAULT_NS;
	cfg->grace_ns = MORPHEUS_GRACE_DEFAULT_NS;
	cfg->max_critical_ns = MORPHEUS_MAX_CRITICAL_DEFAULT_NS;
	cfg->adaptive_slice = true;
}

int scx_backend_config_check(const struct scx_backend_config *cfg)
{
	if (!cfg->object_path)
		return fail(-EINVAL, "object_path: missing (path of scx_morpheus.bpf.o)");
	if (cfg->sched_mode > MORPHEUS_SCHED_ENFORCED)
		return fail(-EINVAL, "sched_mode %u out of range: 0 (observer) - 1 (enforced)", cfg->sched_mode);
	if (cfg->escalation > MORPHEUS_ESC_HYBRID)
		return fail(-EINVAL, "escalation %u out of range: 0 (none) - 3 (hybrid)", cfg->escalation);
	if (cfg->slice_ns < MORPHEUS_SLICE_MIN_NS || cfg->slice_ns > MORPHEUS_SLICE_MAX_NS)
		return fail(-EINVAL, "slice_ns %llu out of range: %llu - %llu", (unsigned long long)cfg->slice_ns,
			    MORPHEUS_SLICE_MIN_NS, MORPHEUS_SLICE_MAX_NS);
	if (cfg->grace_ns > MORPHEUS_GRACE_MAX_NS)
		return fail(-EINVAL, "grace_ns %llu out of range: %llu - %llu", (unsigned long long)cfg->grace_ns,
			    MORPHEUS_GRACE_MIN_NS, MORPHEUS_GRACE_MAX_NS);
	if (cfg->max_critical_ns < MORPHEUS_MAX_CRITICAL_MIN_NS || cfg->max_critical_ns > MORPHEUS_MAX_CRITICAL_MAX_NS)
		return fail(-EINVAL, "max_critical_ns %llu out of range: %llu - %llu",
			    (unsigned long long)cfg->max_critical_ns, MORPHEUS_MAX_CRITICAL_MIN_NS,
			    MORPHEUS_MAX_CRITICAL_MAX_NS);
	return 0;
}

bool scx_backend_available(void)
{
	struct stat st;

	return stat("/sys/kernel/sched_ext", &st) == 0;
}

/* rodata lives in the object's .rodata map; libbpf exposes it as mmapped initial value. */
static int set_rodata(struct bpf_object *obj, const struct scx_backend_config *cfg, int nr_cpus)
{
	struct bpf_map *m = bpf_object__find_map_by_name(obj, ".rodata");
	const struct btf *btf = bpf_object__btf(obj);
	const struct btf_type *sec;
	const struct btf_var_secinfo *vs;
	size_t size;
	char *data;
	int id, i;

	if (!m || !btf)
		return fail(-ENOENT, "scx_morpheus object has no .rodata or BTF");
	data = bpf_map__initial_value(m, &size);
	id = btf__find_by_name_kind(btf, ".rodata", BTF_KIND_DATASEC);
	if (!data || id < 0)
		return fail(-ENOENT, "scx_morpheus .rodata not found");
	sec = btf__type_by_id(btf, id);
	vs = btf_var_secinfos(sec);
	for (i = 0; i < btf_vlen(sec); i++, vs++) {
		const char *name = btf__name_by_offset(btf, btf__type_by_id(btf, vs->type)->name_off);
		void *p = data + vs->offset;

		if (!strcmp(name, "sched_mode"))
			*(uint32_t *)p = cfg->sched_mode;
		else if (!strcmp(name, "escalation"))
			*(uint32_t *)p = cfg->escalation;
		else if (!strcmp(name, "slice_ns"))
			*(uint64_t *)p = cfg->slice_ns;
		else if (!strcmp(name, "grace_ns"))
			*(uint64_t *)p = cfg->grace_ns;
		else if (!strcmp(name, "max_critical_ns"))
			*(uint64_t *)p = cfg->max_critical_ns;
		else if (!strcmp(name, "adaptive_slice"))
			*(uint8_t *)p = cfg->adaptive_slice;
		else if (!strcmp(name, "nr_cpus"))
			*(uint32_t *)p = (uint32_t)nr_cpus;
	}
	return 0;
}

/* The kfuncs scx_morpheus calls, in one of their names (bpf/include/scx_compat.bpf.h). */
static int check_kfuncs(void)
{
	static const char *const need[][2] = {
		{ "scx_bpf_dsq_insert", "scx_bpf_dispatch" },
		{ "scx_bpf_dsq_insert_vtime", "scx_bpf_dispatch_vtime" },
		{ "scx_bpf_dsq_move_to_local", "scx_bpf_consume" },
		{ "scx_bpf_kick_cpu", NULL },
		{ "scx_bpf_create_dsq", NULL },
	};
	struct btf *vm = btf__load_vmlinux_btf();
	size_t i;
	int err = 0;

	if (!vm)
		return fail(-errno, "cannot read the kernel's BTF: %s", strerror(errno));
	for (i = 0; i < sizeof(need) / sizeof(need[0]) && !err; i++) {
		if (btf__find_by_name_kind(vm, need[i][0], BTF_KIND_FUNC) >= 0)
			continue;
		if (need[i][1] && btf__find_by_name_kind(vm, need[i][1], BTF_KIND_FUNC) >= 0)
			continue;
		err = fail(-EOPNOTSUPP, "kernel lacks kfunc %s%s%s that scx_morpheus needs", need[i][0],
			   need[i][1] ? " (or " : "", need[i][1] ? need[i][1] : "");
		if (need[i][1])
			strncat(err_buf, ")", sizeof(err_buf) - strlen(err_buf) - 1);
	}
	btf__free(vm);
	return err;
}

static int map_fd(struct bpf_object *obj, const char *name, int *fd)
{
	struct bpf_map *m = bpf_object__find_map_by_name(obj, name);

	if (!m)
		return fail(-ENOENT, "scx_morpheus map '%s' not found", name);
	*fd = bpf_map__fd(m);
	return 0;
}

static int pin_maps(struct scx_backend *b, const char *dir)
{
	static const char *const names[] = { "regions", "workers", "stats", "events", "exit_info" };
	char path[320];
	size_t i;
	int err;

	if (mkdir(dir, 0700) && errno != EEXIST)
		return fail(-errno, "pin_dir '%s': %s", dir, strerror(errno));
	snprintf(b->pin_dir, sizeof(b->pin_dir), "%s", dir);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct bpf_map *m = bpf_object__find_map_by_name(b->obj, names[i]);

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		unlink(path); /* a stale pin of an earlier run */
		err = m ? bpf_map__pin(m, path) : -ENOENT;
		if (err)
			return fail(err, "pin %s: %s", path, strerror(-err));
	}
	return 0;
}

static int on_ringbuf(void *ctx, void *data, size_t len)
{
	struct scx_backend *b = ctx;

	if (len < sizeof(struct morpheus_event) || !b->cb)
		return 0;
	return b->cb(b->cb_ctx, data);
}

int scx_backend_start(const struct scx_backend_config *cfg, struct scx_backend **out)
{
	struct scx_backend *b;
	struct bpf_map *ops;
	int err;

	*out = NULL;
	err = scx_backend_config_check(cfg);
	if (err)
		return err;
	if (!scx_backend_available())
		return fail(-EOPNOTSUPP, "this kernel has no sched_ext (/sys/kernel/sched_ext absent)");
	err = check_kfuncs();
	if (err)
		return err;
	b = calloc(1, sizeof(*b));
	if (!b)
		return fail(-ENOMEM, "out of memory");
	b->nr_cpus = libbpf_num_possible_cpus();
	/* open: parse the object */
	b->obj = bpf_object__open_file(cfg->object_path, NULL);
	if (!b->obj) {
		err = fail(-errno, "open %s: %s", cfg->object_path, strerror(errno));
		b->obj = NULL;
		goto cleanup;
	}
	/* configure: settings into rodata before load */
	err = set_rodata(b->obj, cfg, b->nr_cpus);
	if (err)
		goto cleanup;
	/* load: verifier, kfunc resolution against this kernel */
	err = bpf_object__load(b->obj);
	if (err) {
		err = fail(err, "load %s: %s (see the verifier log above)", cfg->object_path, strerror(-err));
		goto cleanup;
	}
	if ((err = map_fd(b->obj, "regions", &b->regions_fd)) || (err = map_fd(b->obj, "workers", &b->workers_fd)) ||
	    (err = map_fd(b->obj, "stats", &b->stats_fd)) || (err = map_fd(b->obj, "exit_info", &b->exit_fd)))
		goto cleanup;
	/* pin: the shared maps, for the broker and the tools */
	if (cfg->pin_dir && (err = pin_maps(b, cfg->pin_dir)))
		goto cleanup;
	b->rb = ring_buffer__new(bpf_object__find_map_fd_by_name(b->obj, "events"), on_ringbuf, b, NULL);
	if (!b->rb) {
		err = fail(-errno, "ring buffer: %s", strerror(errno));
		goto cleanup;
	}
	/* attach: from here on every task is scheduled by scx_morpheus */
	ops = bpf_object__find_map_by_name(b->obj, "morpheus_ops");
	if (!ops) {
		err = fail(-ENOENT, "struct_ops map morpheus_ops not found");
		goto cleanup;
	}
	b->link = bpf_map__attach_struct_ops(ops);
	if (!b->link) {
		err = fail(-errno, "attach scx_morpheus: %s (another sched_ext scheduler loaded?)", strerror(errno));
		goto cleanup;
	}
	*out = b;
	return 0;
cleanup:
	scx_backend_stop(b);
	return err;
}

int scx_backend_regions_fd(const struct scx_backend *b) { return b->regions_fd; }
int scx_backend_workers_fd(const struct scx_backend *b) { return b->workers_fd; }
int scx_backend_stats_fd(const struct scx_backend *b) { return b->stats_fd; }
int scx_backend_events_fd(const struct scx_backend *b)
{
	return bpf_object__find_map_fd_by_name(b->obj, "events");
}
int scx_backend_exit_info_fd(const struct scx_backend *b) { return b->exit_fd; }

int scx_backend_poll(struct scx_backend *b, int timeout_ms, scx_event_cb cb, void *ctx)
{
	int n;

	b->cb = cb;
	b->cb_ctx = ctx;
	n = ring_buffer__poll(b->rb, timeout_ms);
	if (n < 0 && n != -EINTR)
		return fail(n, "ring buffer poll: %s", strerror(-n));
	return n < 0 ? 0 : n;
}

int scx_backend_stats(const struct scx_backend *b, uint64_t out[MORPHEUS_STAT_NR])
{
	uint64_t *vals = calloc((size_t)b->nr_cpus, sizeof(uint64_t));
	uint32_t id;
	int c;

	if (!vals)
		return fail(-ENOMEM, "out of memory");
	for (id = 0; id < MORPHEUS_STAT_NR; id++) {
		out[id] = 0;
		if (bpf_map_lookup_elem(b->stats_fd, &id, vals))
			continue;
		for (c = 0; c < b->nr_cpus; c++)
			out[id] += vals[c];
	}
	free(vals);
	return 0;
}

int scx_backend_exit_info(const struct scx_backend *b, struct morpheus_exit_info *out)
{
	uint32_t zero = 0;

	if (bpf_map_lookup_elem(b->exit_fd, &zero, out))
		return fail(-errno, "exit_info lookup: %s", strerror(errno));
	out->reason[sizeof(out->reason) - 1] = 0;
	out->msg[sizeof(out->msg) - 1] = 0;
	return 0;
}

void scx_backend_stop(struct scx_backend *b)
{
	static const char *const names[] = { "regions", "workers", "stats", "events", "exit_info" };
	char path[320];
	size_t i;

	if (!b)
		return;
	bpf_link__destroy(b->link); /* detach first: tasks go back to the fair class */
	ring_buffer__free(b->rb);
	if (b->pin_dir[0]) {
		for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
			snprintf(path, sizeof(path), "%s/%s", b->pin_dir, names[i]);
			unlink(path);
		}
		rmdir(b->pin_dir);
	}
	bpf_object__close(b->obj);
	free(b);
}
