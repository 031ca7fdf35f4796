/* SPDX-License-Identifier: GPL-2.0-only OR Apache-2.0 */
/*
 * scx_backend.h - load, attach and watch the sched_ext scheduler scx_morpheus.
 *
 * The scheduler shares its maps (regions, workers, stats, events) and ABI with the observer
 * program, so morpheusd's broker works unchanged on top of either backend. Steps:
 * open the object, write the settings into its rodata, load, pin the shared maps, attach the
 * struct_ops link (the moment every task of the machine moves to sched_ext), then poll events
 * and the exit info. Closing the backend (or the process dying) destroys the link and the
 * kernel returns every task to the fair class by itself.
 *
 * Functions return 0 or -errno; scx_backend_error() is the calling thread's last message.
 */
#ifndef MORPHEUS_SCX_BACKEND_H
#define MORPHEUS_SCX_BACKEND_H

#include <stdbool.h>
#include <stdint.h>
#include "morpheus_abi.h"

struct scx_backend_config {
	const char *object_path;  /* scx_morpheus.bpf.o */
	const char *pin_dir;      /* bpffs directory for the shared maps; NULL: do not pin */
	uint32_t sched_mode;      /* enum morpheus_sched_mode */
	uint32_t escalation;      /* enum morpheus_escalation */
	uint64_t slice_ns;
	uint64_t grace_ns;
	uint64_t max_critical_ns;
	bool adaptive_slice;
};

struct scx_backend;

/* Sets defaults (observer, no escalation, default slice/grace/max-critical, adaptive on). */
void scx_backend_config_init(struct scx_backend_config *cfg);
/* Validates cfg: the error names the key, the value and the allowed range. */
int scx_backend_config_check(const struct scx_backend_config *cfg);
/* True when this kernel can run a sched_ext scheduler (/sys/kernel/sched_ext exists). */
bool scx_backend_available(void);
/* Open, configure, load, pin and attach. */
int scx_backend_start(const struct scx_backend_config *cfg, struct scx_backend **out);
/* Map fds, for the broker: regions (ARRAY_OF_MAPS), workers, stats. */
int scx_backend_regions_fd(const struct scx_backend *b);
int scx_backend_workers_fd(const struct scx_backend *b);
int scx_backend_stats_fd(const struct scx_backend *b);
/* The `events` ring buffer, for a daemon that consumes events itself instead of
 * scx_backend_poll(); and `exit_info` (one struct morpheus_exit_info at key 0). */
int scx_backend_events_fd(const struct scx_backend *b);
int scx_backend_exit_info_fd(const struct scx_backend *b);
/* Calls cb for each ring-buffer event, waiting up to timeout_ms. Returns events seen or -errno. */
typedef int (*scx_event_cb)(void *ctx, const struct morpheus_event *ev);
int scx_backend_poll(struct scx_backend *b, int timeout_ms, scx_event_cb cb, void *ctx);
/* Sums the per-CPU stats into out[MORPHEUS_STAT_NR]. */
int scx_backend_stats(const struct scx_backend *b, uint64_t out[MORPHEUS_STAT_NR]);
/* Copies the exit info; out->kind == 0 while the scheduler is still attached and running. */
int scx_backend_exit_info(const struct scx_backend *b, struct morpheus_exit_info *out);
/* Detaches (the kernel falls back to the fair class), unpins, frees. NULL is fine. */
void scx_backend_stop(struct scx_backend *b);
const char *scx_backend_error(void);

#endif /* MORPHEUS_SCX_BACKEND_H */
