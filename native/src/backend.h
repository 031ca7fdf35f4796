/* backend.h - what a kernel backend gives the daemon. A backend loads its BPF programs,
 * attaches them, pins its maps and hands over the map fds the broker needs; the broker
 * (regions, clients, socket) is the same for every backend.
 *
 * Backends: observer_backend.c (tracepoints + perf sampling, any BTF kernel) and, when it is
 * compiled in, scx_backend.c (the sched_ext scheduler), which defines
 * `morpheus_scx_backend`; the weak reference below lets `auto` see whether it exists. */
#ifndef MORPHEUS_BACKEND_H
#define MORPHEUS_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "morpheus_abi.h"
#include "config.h"
#include "bpf_ops.h"

struct morpheus_backend;

struct morpheus_backend_ops {
	const char *name;
	/* can it run on this machine? false with a reason in why */
	bool (*available)(char *why, size_t whylen);
	/* load, attach, pin under cfg->pin_dir; fill the fds below. 0 or -errno + err */
	int (*start)(struct morpheus_backend *b, const struct morpheusd_config *cfg, char *err,
		     size_t errlen);
	/* detach, unpin, free; safe after a failed start */
	void (*stop)(struct morpheus_backend *b);
	/* optional: every heartbeat. Nonzero = the backend is gone (e.g. the kernel unloaded the
	 * scheduler): the daemon logs err and stops with a runtime error. */
	int (*tick)(struct morpheus_backend *b, char *err, size_t errlen);
	/* optional: ring-buffer events the broker does not handle itself (e.g. EV_ESCALATED) */
	void (*event)(struct morpheus_backend *b, const struct morpheus_event *e);
};

/* Parameters of the `regions` inner map, read from the BPF object's template. */
struct morpheus_region_template {
	uint32_t type, key_size, value_size, max_entries, map_flags;
};

struct morpheus_backend {
	const struct morpheus_backend_ops *ops;
	const struct morpheus_bpf_ops *bpf; /* the broker's BPF calls (bpf_ops.h) */
	void *priv;
	uint32_t sched_mode;       /* enum morpheus_sched_mode actually in force */
	int regions_fd;            /* ARRAY_OF_MAPS: region index -> inner map */
	int workers_fd;            /* HASH: tid -> struct morpheus_worker_ref */
	int timings_fd;            /* HASH: tid -> backend-private timing, -1 if none */
	int stats_fd;              /* PERCPU_ARRAY of MORPHEUS_STAT_NR u64 */
	int events_fd;             /* RINGBUF of struct morpheus_event */
	struct morpheus_region_template region;
};

extern const struct morpheus_backend_ops morpheus_observer_backend;
extern const struct morpheus_backend_ops morpheus_scx_backend __attribute__((weak));

/* Pick the backend for cfg->scheduler (auto: scx if compiled in and the kernel has
 * sched_ext, else observer). 0 or -errno with a reason. */
int backend_select(const struct morpheusd_config *cfg, const struct morpheus_backend_ops **out,
		   char *err, size_t errlen);

/* bpffs helpers shared by the backends. backend_prepare_pin_dir makes the pin directory
 * (checking it is on bpffs) and takes an exclusive flock on it: the lock fd (>= 0; close it
 * after unpinning) or -errno + err, -EADDRINUSE when another daemon (one with another
 * --socket, which instance_claim cannot see) pins there: the caller must then leave the
 * directory alone. backend_pin_path: the path of one map by name. */
int backend_prepare_pin_dir(const char *dir, char *err, size_t errlen);
int backend_pin_path(char *buf, size_t n, const char *dir, const char *name);

/* One backend's pins: the pin directory, locked while it is ours, and the maps pinned in it
 * by name. The one pin and unpin sequence of every backend:
 *   backend_pins_claim    backend_prepare_pin_dir; remembers dir and the lock. 0 or -errno + err
 *   backend_pins_add      pins obj's maps `names` there (a stale pin of a killed daemon is
 *                         replaced). 0 or -errno + err
 *   backend_pins_release  unlinks every pin of `names` but `keep` (NULL: none), removes the
 *                         directory (fails, harmlessly, while `keep` stays), drops the lock.
 *                         Safe on pins never claimed. */
struct bpf_object;
struct backend_pins {
	char dir[256];             /* empty until claimed */
	int lock;                  /* flock on dir while it is ours, or -1 */
};
void backend_pins_init(struct backend_pins *p);
int backend_pins_claim(struct backend_pins *p, const char *dir, char *err, size_t errlen);
int backend_pins_add(struct backend_pins *p, struct bpf_object *obj, const char *const *names,
		     size_t n, char *err, size_t errlen);
void backend_pins_release(struct backend_pins *p, const char *const *names, size_t n,
			  const char *keep);

#endif
