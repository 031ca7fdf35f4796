/* bpf_ops.h - the seam between the broker and the bpf() system call: every BPF call the
 * broker makes (server.c, regions.c, region_pool.c) goes through the table a backend
 * carries (struct morpheus_backend.bpf), as the backends themselves go through
 * struct morpheus_backend_ops. morpheusd uses morpheus_libbpf_ops (bpf_ops.c, libbpf); the
 * fuzz harness (fuzz/fuzz_server.c) links server.o against a table of in-memory maps.
 *
 * The contract is libbpf's: 0 (or an fd, for map_create/map_fd_by_id) on success, a negative
 * -errno on failure with errno set to the same error. The loaders (observer_backend.c,
 * scx_backend.c) and `morpheusd stats` call libbpf directly: they are the kernel's side. */
#ifndef MORPHEUS_BPF_OPS_H
#define MORPHEUS_BPF_OPS_H

#include <stddef.h>
#include <stdint.h>
#include <linux/bpf.h>

/* A ring buffer of the backend's `events` map, opaque to the broker. */
struct morpheus_events;
/* Called for each record by events_consume; same shape as libbpf's ring_buffer_sample_fn. */
typedef int (*morpheus_event_fn)(void *ctx, void *data, size_t size);

struct morpheus_bpf_ops {
	/* a new map; its fd */
	int (*map_create)(enum bpf_map_type type, const char *name, uint32_t key_size,
			  uint32_t value_size, uint32_t max_entries, uint32_t map_flags);
	/* the kernel's id of the map behind fd */
	int (*map_id)(int fd, uint32_t *id);
	/* an fd of the map with that id (-ENOENT: freed) */
	int (*map_fd_by_id)(uint32_t id);
	int (*map_lookup)(int fd, const void *key, void *value);
	int (*map_update)(int fd, const void *key, const void *value, uint64_t flags);
	int (*map_delete)(int fd, const void *key);
	/* *count pairs (BPF_ANY); on failure *count says how many went in */
	int (*map_update_batch)(int fd, const void *keys, const void *values, uint32_t *count);
	/* sum the per-CPU stats map into out[MORPHEUS_STAT_NR] */
	int (*read_stats)(int stats_fd, __u64 *out);
	/* the ring buffer: open (NULL + errno on failure), its epoll fd, consume, close */
	struct morpheus_events *(*events_open)(int map_fd, morpheus_event_fn fn, void *ctx);
	int (*events_fd)(const struct morpheus_events *ev);
	int (*events_consume)(struct morpheus_events *ev);
	void (*events_close)(struct morpheus_events *ev);
};

extern const struct morpheus_bpf_ops morpheus_libbpf_ops;

#endif
