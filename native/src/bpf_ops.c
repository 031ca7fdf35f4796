/* bpf_ops.c - morpheus_libbpf_ops: the broker's BPF calls on libbpf (see bpf_ops.h). */
#include <errno.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "morpheus_abi.h"
#include "bpf_ops.h"

static int lb_map_create(enum bpf_map_type type, const char *name, uint32_t key_size,
			 uint32_t value_size, uint32_t max_entries, uint32_t map_flags)
{
	LIBBPF_OPTS(bpf_map_create_opts, opts, .map_flags = map_flags);

	return bpf_map_create(type, name, key_size, value_size, max_entries, &opts);
}

static int lb_map_id(int fd, uint32_t *id)
{
	struct bpf_map_info info;
	__u32 len = sizeof(info);
	int r;

	memset(&info, 0, sizeof(info));
	r = bpf_map_get_info_by_fd(fd, &info, &len);
	if (!r)
		*id = info.id;
	return r;
}

static int lb_map_fd_by_id(uint32_t id)
{
	return bpf_map_get_fd_by_id(id);
}

static int lb_map_lookup(int fd, const void *key, void *value)
{
	return bpf_map_lookup_elem(fd, key, value);
}

static int lb_map_update(int fd, const void *key, const void *value, uint64_t flags)
{
	return bpf_map_update_elem(fd, key, value, flags);
}

static int lb_map_delete(int fd, const void *key)
{
	return bpf_map_delete_elem(fd, key);
}

static int lb_map_update_batch(int fd, const void *keys, const void *values, uint32_t *count)
{
	LIBBPF_OPTS(bpf_map_batch_opts, opts);

	return bpf_map_update_batch(fd, keys, values, count, &opts);
}

static int lb_read_stats(int stats_fd, __u64 *out)
{
	int ncpu = libbpf_num_possible_cpus();
	uint64_t vals[ncpu > 0 ? ncpu : 1];

	if (ncpu <= 0)
		return ncpu ? ncpu : -EINVAL;
	for (uint32_t id = 0; id < MORPHEUS_STAT_NR; id++) {
		out[id] = 0;
		if (bpf_map_lookup_elem(stats_fd, &id, vals))
			return -errno;
		for (int c = 0; c < ncpu; c++)
			out[id] += vals[c];
	}
	return 0;
}

static struct morpheus_events *lb_events_open(int map_fd, morpheus_event_fn fn, void *ctx)
{
	return (struct morpheus_events *)ring_buffer__new(map_fd, fn, ctx, NULL);
}

static int lb_events_fd(const struct morpheus_events *ev)
{
	return ring_buffer__epoll_fd((const struct ring_buffer *)ev);
}

static int lb_events_consume(struct morpheus_events *ev)
{
	return ring_buffer__consume((struct ring_buffer *)ev);
}

static void lb_events_close(struct morpheus_events *ev)
{
	ring_buffer__free((struct ring_buffer *)ev);
}

const struct morpheus_bpf_ops morpheus_libbpf_ops = {
	.map_create = lb_map_create,
	.map_id = lb_map_id,
	.map_fd_by_id = lb_map_fd_by_id,
	.map_lookup = lb_map_lookup,
	.map_update = lb_map_update,
	.map_delete = lb_map_delete,
	.map_update_batch = lb_map_update_batch,
	.read_stats = lb_read_stats,
	.events_open = lb_events_open,
	.events_fd = lb_events_fd,
	.events_consume = lb_events_consume,
	.events_close = lb_events_close,
};
