/* regions.c - see regions.h. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include "morpheus_region.h"
#include "regions.h"

uint64_t monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

int region_map_new(struct region *r, const struct morpheus_backend *b, uint32_t index,
		   char *err, size_t errlen)
{
	char name[16];
	int e;

	r->index = -1;
	r->mem = NULL;
	r->map_id = 0;
	r->size = (size_t)b->region.value_size * b->region.max_entries;
	snprintf(name, sizeof(name), "morpheus_r%u", index);
	r->map_fd = b->bpf->map_create(b->region.type, name, b->region.key_size, b->region.value_size,
				       b->region.max_entries, b->region.map_flags);
	if (r->map_fd < 0) {
		e = -errno;
		snprintf(err, errlen, "create region map: %s", strerror(-e));
		return e;
	}
	if (b->bpf->map_id(r->map_fd, &r->map_id)) {
		e = -errno;
		snprintf(err, errlen, "region map info: %s", strerror(-e));
		goto fail;
	}
	r->mem = mmap(NULL, r->size, PROT_READ | PROT_WRITE, MAP_SHARED, r->map_fd, 0);
	if (r->mem == MAP_FAILED) {
		e = -errno;
		r->mem = NULL;
		snprintf(err, errlen, "mmap region map: %s", strerror(-e));
		goto fail;
	}
	r->index = (int)index;
	return 0;
fail:
	close(r->map_fd);
	r->map_fd = -1;
	return e;
}

void region_header_init(struct region *r, const struct morpheus_backend *b,
			const struct morpheusd_config *cfg, uint64_t epoch)
{
	const struct morpheus_region_params p = {
		.slot_count = b->region.max_entries - 1,
		.sched_mode = b->sched_mode,
		.escalation = b->sched_mode == MORPHEUS_SCHED_ENFORCED ? cfg->escalation : MORPHEUS_ESC_NONE,
		.region_id = (uint32_t)r->index,
		.slice_ns = cfg->hint_budget_ns,
		.grace_ns = cfg->grace_ns,
		.max_critical_ns = cfg->max_critical_ns,
		.daemon_epoch = epoch,
		.heartbeat_ns = monotonic_ns(),
	};

	morpheus_region_header_init(r->mem, &p);
}

void region_unmap(struct region *r)
{
	if (r->mem)
		munmap(r->mem, r->size);
	if (r->map_fd >= 0)
		close(r->map_fd);
	r->index = -1;
	r->mem = NULL;
	r->map_fd = -1;
}

struct morpheus_scb *region_scb(const struct region *r, uint32_t slot)
{
	return (struct morpheus_scb *)((char *)r->mem + (size_t)(slot + 1) * MORPHEUS_ENTRY_SIZE);
}

void region_heartbeat(const struct region *r, uint64_t now_ns)
{
	struct morpheus_region_header *h = r->mem;

	if (h)
		__atomic_store_n(&h->heartbeat_ns, now_ns, __ATOMIC_RELEASE);
}
