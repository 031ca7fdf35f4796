/* observer_backend.c - the observer BPF program set as a morpheusd backend: hints only,
 * any kernel with BTF (see bpf/morpheus_observer.bpf.c for what it does and its limits).
 * Steps: open the skeleton -> set the const volatile settings -> load -> attach the
 * tracepoints -> one cpu-clock perf event per CPU with the sampler -> pin the maps. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/perf_event.h>
#include <sys/syscall.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "morpheus_observer.skel.h"
#include "backend.h"
#include "log.h"

struct observer {
	struct morpheus_observer *skel;
	struct bpf_link **sample_links;
	int *perf_fds;
	int ncpu;
	struct backend_pins pins;  /* pin directory and maps (see backend.h) */
	void *obj_buf;             /* --bpf-object: the file's bytes, alive as long as skel */
};

static const char *const pinned_maps[] = { "regions", "workers", "stats", "events" };

static bool observer_available(char *why, size_t whylen)
{
	if (access("/sys/kernel/btf/vmlinux", R_OK)) {
		snprintf(why, whylen, "/sys/kernel/btf/vmlinux is missing: the kernel has no BTF");
		return false;
	}
	return true;
}

static void observer_stop(struct morpheus_backend *b)
{
	struct observer *o = b->priv;

	if (!o)
		return;
	for (int c = 0; c < o->ncpu; c++) {
		if (o->sample_links && o->sample_links[c])
			bpf_link__destroy(o->sample_links[c]);
		if (o->perf_fds && o->perf_fds[c] >= 0)
			close(o->perf_fds[c]);
	}
	free(o->sample_links);
	free(o->perf_fds);
	backend_pins_release(&o->pins, pinned_maps, sizeof(pinned_maps) / sizeof(pinned_maps[0]), NULL);
	morpheus_observer__destroy(o->skel);
	free(o->obj_buf);
	free(o);
	b->priv = NULL;
}

static int attach_samplers(struct observer *o, const struct morpheusd_config *cfg, char *err,
			   size_t errlen)
{
	o->ncpu = libbpf_num_possible_cpus();
	if (o->ncpu <= 0)
		return o->ncpu ? o->ncpu : -EINVAL;
	o->sample_links = calloc(o->ncpu, sizeof(*o->sample_links));
	o->perf_fds = malloc(o->ncpu * sizeof(*o->perf_fds));
	if (!o->sample_links || !o->perf_fds)
		return -ENOMEM;
	for (int c = 0; c < o->ncpu; c++)
		o->perf_fds[c] = -1;
	for (int c = 0; c < o->ncpu; c++) {
		struct perf_event_attr attr = {
			.type = PERF_TYPE_SOFTWARE,
			.size = sizeof(attr),
			.config = PERF_COUNT_SW_CPU_CLOCK,
			.sample_period = (uint64_t)cfg->sample_us * 1000,
		};
		int fd = syscall(__NR_perf_event_open, &attr, -1, c, -1, PERF_FLAG_FD_CLOEXEC);

		if (fd < 0) {
			if (errno == ENODEV)
				continue; /* possible but not present */
			snprintf(err, errlen, "perf_event_open(cpu-clock, cpu %d): %s", c,
				 strerror(errno));
			return -errno;
		}
		o->perf_fds[c] = fd;
		o->sample_links[c] = bpf_program__attach_perf_event(o->skel->progs.morpheus_sample, fd);
		if (!o->sample_links[c]) {
			int e = -errno;

			snprintf(err, errlen, "attach sampler to cpu %d: %s", c, strerror(-e));
			return e;
		}
	}
	return 0;
}

/* The skeleton over the object built in, or over the bytes of --bpf-object (whose maps and
 * programs must match the built-in object's; tests point it at broken objects). */
static int open_observer(struct observer *o, const struct morpheusd_config *cfg, char *err,
			 size_t errlen)
{
	const char *path = cfg->bpf_object;
	FILE *f;
	long size;
	int r;

	if (!path[0]) {
		o->skel = morpheus_observer__open();
		if (!o->skel) {
			r = -errno;
			snprintf(err, errlen, "open the observer BPF object: %s", strerror(-r));
			return r;
		}
		return 0;
	}
	f = fopen(path, "rbe");
	if (!f || fseek(f, 0, SEEK_END) || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
		r = -errno;
		snprintf(err, errlen, "--bpf-object '%s': %s", path, strerror(-r));
		goto out;
	}
	o->obj_buf = malloc(size ? (size_t)size : 1);
	if (!o->obj_buf || fread(o->obj_buf, 1, (size_t)size, f) != (size_t)size) {
		r = o->obj_buf ? -EIO : -ENOMEM;
		snprintf(err, errlen, "--bpf-object '%s': read: %s", path, strerror(-r));
		goto out;
	}
	o->skel = calloc(1, sizeof(*o->skel));
	if (!o->skel) {
		r = -ENOMEM;
		goto out;
	}
	r = morpheus_observer__create_skeleton(o->skel);
	if (!r) {
		o->skel->skeleton->data = o->obj_buf;
		o->skel->skeleton->data_sz = (size_t)size;
		r = bpf_object__open_skeleton(o->skel->skeleton, NULL);
	}
	if (r) {
		char why[128];

		if (r == -ESRCH)  /* bpf_object__open_skeleton: a named map/program is absent */
			snprintf(why, sizeof(why), "a map or program of the observer is missing");
		else
			libbpf_strerror(r, why, sizeof(why)); /* also names libbpf's own codes */
		snprintf(err, errlen, "--bpf-object '%s': not the observer's BPF object: %s", path, why);
		goto out;
	}
	/* the settings are written through the skeleton's view of .rodata: same size or refuse */
	{
		struct morpheus_observer *builtin = morpheus_observer__open();
		uint32_t want = builtin ? bpf_map__value_size(builtin->maps.rodata) : 0;
		uint32_t have = bpf_map__value_size(o->skel->maps.rodata);

		morpheus_observer__destroy(builtin);
		if (have != want) {
			r = -EINVAL;
			snprintf(err, errlen, "--bpf-object '%s': not the observer's BPF object: .rodata has %u bytes, the built-in object's %u",
				 path, have, want);
		}
	}
out:
	if (f)
		fclose(f);
	return r;
}

static int observer_start(struct morpheus_backend *b, const struct morpheusd_config *cfg,
			  char *err, size_t errlen)
{
	struct observer *o = calloc(1, sizeof(*o));
	struct bpf_map *tmpl;
	int r;

	if (!o)
		return -ENOMEM;
	backend_pins_init(&o->pins);
	b->priv = o;
	/* open: parse the embedded object */
	r = open_observer(o, cfg, err, errlen);
	if (r)
		goto fail;
	/* configure: settings are read-only once loaded */
	o->skel->rodata->hint_budget_ns = cfg->hint_budget_ns;
	o->skel->rodata->grace_ns = cfg->grace_ns;
	o->skel->rodata->debug_events = cfg->debug;
	tmpl = o->skel->maps.region_template;
	b->region = (struct morpheus_region_template){
		.type = bpf_map__type(tmpl), .key_size = bpf_map__key_size(tmpl),
		.value_size = bpf_map__value_size(tmpl), .max_entries = bpf_map__max_entries(tmpl),
		.map_flags = bpf_map__map_flags(tmpl),
	};
	bpf_map__set_autocreate(tmpl, false); /* only its shape is needed */
	/* load: verifier */
	r = morpheus_observer__load(o->skel);
	if (r) {
		snprintf(err, errlen, "load the observer BPF programs: %s (run as root; see the verifier log above)",
			 strerror(-r));
		goto fail;
	}
	/* attach: tracepoints, then one sampler per CPU */
	r = morpheus_observer__attach(o->skel);
	if (r) {
		snprintf(err, errlen, "attach the observer tracepoints: %s", strerror(-r));
		goto fail;
	}
	r = attach_samplers(o, cfg, err, errlen);
	if (r)
		goto fail;
	/* pin: other tools (and the scx backend's tests) find the maps by name */
	r = backend_pins_claim(&o->pins, cfg->pin_dir, err, errlen);
	if (!r)
		r = backend_pins_add(&o->pins, o->skel->obj, pinned_maps,
				     sizeof(pinned_maps) / sizeof(pinned_maps[0]), err, errlen);
	if (r)
		goto fail;
	b->sched_mode = MORPHEUS_SCHED_OBSERVER;
	b->regions_fd = bpf_map__fd(o->skel->maps.regions);
	b->workers_fd = bpf_map__fd(o->skel->maps.workers);
	b->timings_fd = bpf_map__fd(o->skel->maps.timings);
	b->stats_fd = bpf_map__fd(o->skel->maps.stats);
	b->events_fd = bpf_map__fd(o->skel->maps.events);
	log_info("observer backend: hint budget %.3f ms, grace %.3f ms, sampling every %u us on %d CPUs, maps pinned in %s",
		 cfg->hint_budget_ns / 1e6, cfg->grace_ns / 1e6, cfg->sample_us, o->ncpu, cfg->pin_dir);
	return 0;
fail:
	observer_stop(b);
	return r < 0 ? r : -EINVAL;
}

const struct morpheus_backend_ops morpheus_observer_backend = {
	.name = "observer",
	.available = observer_available,
	.start = observer_start,
	.stop = observer_stop,
};
