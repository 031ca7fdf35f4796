/* regions.h - one client's SCB region: an mmapable BPF array made from the backend's
 * template. region_map_new makes the map and the daemon's mapping (region_pool.c inserts it
 * into `regions` off the request path); region_header_init fills the header at HELLO
 * (magic last); region_unmap drops the daemon's references. */
#ifndef MORPHEUS_REGIONS_H
#define MORPHEUS_REGIONS_H

#include <stdint.h>
#include "backend.h"

struct region {
	int index;                 /* in `regions`, -1 when none */
	int map_fd;
	void *mem;                 /* the daemon's own mapping */
	size_t size;
	uint32_t map_id;           /* the kernel's id of the map: is it still alive? */
};

/* A fresh, zeroed map for `index` and the daemon's mapping of it. 0 or -errno + err. */
int region_map_new(struct region *r, const struct morpheus_backend *b, uint32_t index,
		   char *err, size_t errlen);
void region_header_init(struct region *r, const struct morpheus_backend *b,
			const struct morpheusd_config *cfg, uint64_t epoch);
/* munmap + close; r becomes empty (index -1) */
void region_unmap(struct region *r);
struct morpheus_scb *region_scb(const struct region *r, uint32_t slot);
void region_heartbeat(const struct region *r, uint64_t now_ns);

uint64_t monotonic_ns(void);

#endif
