/* regions.h - one client's SCB region: an mmapable BPF array created from the backend's
 * template, its header filled (magic last), inserted into `regions` at its index. */
#ifndef MORPHEUS_REGIONS_H
#define MORPHEUS_REGIONS_H

#include <stdint.h>
#include "backend.h"

struct region {
	int index;                 /* in `regions`, -1 when none */
	int map_fd;
	void *mem;                 /* the daemon's own mapping */
	size_t size;
};

int region_create(struct region *r, const struct morpheus_backend *b, uint32_t index,
		  const struct morpheusd_config *cfg, uint64_t epoch, char *err, size_t errlen);
void region_destroy(struct region *r, const struct morpheus_backend *b);
struct morpheus_scb *region_scb(const struct region *r, uint32_t slot);
void region_heartbeat(const struct region *r, uint64_t now_ns);

uint64_t monotonic_ns(void);

#endif
