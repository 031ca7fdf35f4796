/* region_pool.c - see region_pool.h. */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "log.h"
#include "region_pool.h"

#define LINGER_MAX        1024  /* maps of closed connections tracked until freed */
#define CHECK_EVERY_MS    100   /* the worker's idle wake-up: lingering maps, retries */

enum slot_state {
	IDX_EMPTY,      /* nothing of ours in `regions` at this index (start, failed create) */
	IDX_READY,      /* a fresh map, in `regions`, not handed out */
	IDX_IN_USE,     /* a client's */
	IDX_RETIRING,   /* given back: the worker replaces it */
	IDX_BUSY,       /* the worker is working on it */
	IDX_RESERVED,   /* --direct-regions: left empty for region owners outside the daemon (test tools) */
};

struct lingering { uid_t uid; uint32_t map_id; bool released; };

struct region_pool {
	const struct morpheus_backend *b;
	pthread_t worker;
	pthread_mutex_t lock;
	pthread_cond_t wake, changed;
	bool stop, started;
	bool blind;                /* cannot look maps up by id (no CAP_SYS_ADMIN) */
	enum slot_state state[MORPHEUS_MAX_REGIONS];
	struct region reg[MORPHEUS_MAX_REGIONS];       /* the daemon's map + mapping per index */
	struct lingering linger[LINGER_MAX];
	uint32_t nlinger;
	uint32_t ready;
	char last_error[128];
};

static void deadline_ms(struct timespec *ts, long ms)
{
	clock_gettime(CLOCK_MONOTONIC, ts);
	ts->tv_sec += ms / 1000;
	ts->tv_nsec += (ms % 1000) * 1000000L;
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	}
}

static void mark_released(struct region_pool *p, uint32_t map_id)
{
	for (uint32_t i = 0; i < p->nlinger; i++)
		if (p->linger[i].map_id == map_id)
			p->linger[i].released = true;
}

/* Replace every EMPTY or RETIRING index by a fresh map, in one batch update of `regions`. */
static void refill(struct region_pool *p)
{
	struct region fresh[MORPHEUS_MAX_REGIONS], old[MORPHEUS_MAX_REGIONS];
	uint32_t keys[MORPHEUS_MAX_REGIONS], count, idx[MORPHEUS_MAX_REGIONS], n = 0, made = 0;
	int fds[MORPHEUS_MAX_REGIONS];
	bool inserted[MORPHEUS_MAX_REGIONS] = { false }, replaced[MORPHEUS_MAX_REGIONS],
	     had_old[MORPHEUS_MAX_REGIONS];
	uint32_t old_id[MORPHEUS_MAX_REGIONS];
	char err[128] = "";

	pthread_mutex_lock(&p->lock);
	for (uint32_t i = 0; i < MORPHEUS_MAX_REGIONS; i++) {
		if (p->state[i] != IDX_EMPTY && p->state[i] != IDX_RETIRING)
			continue;
		old[n] = p->reg[i];          /* index -1 for EMPTY */
		if (p->state[i] == IDX_EMPTY)
			old[n].index = -1;
		p->state[i] = IDX_BUSY;
		idx[n++] = i;
	}
	pthread_mutex_unlock(&p->lock);
	if (!n)
		return;
	for (uint32_t k = 0; k < n; k++) {
		if (region_map_new(&fresh[k], p->b, idx[k], err, sizeof(err))) {
			fresh[k].index = -1;
			continue;
		}
		keys[made] = idx[k];
		fds[made++] = fresh[k].map_fd;
	}
	count = made;
	if (made && p->b->bpf->map_update_batch(p->b->regions_fd, keys, fds, &count)) {
		/* count says how many went in; the rest one by one */
		for (uint32_t k = count; k < made; k++)
			if (p->b->bpf->map_update(p->b->regions_fd, &keys[k], &fds[k], BPF_ANY) == 0)
				inserted[k] = true;
			else
				snprintf(err, sizeof(err), "insert region %u: %s", keys[k], strerror(errno));
	} else {
		count = made;
	}
	for (uint32_t k = 0; k < count && k < made; k++)
		inserted[k] = true;
	/* the old maps are out of the kernel's reach once `regions` holds the new ones; drop the
	 * daemon's references before taking the lock: the loop must never wait for munmap */
	for (uint32_t k = 0; k < n; k++) {
		replaced[k] = false;
		if (fresh[k].index >= 0)
			for (uint32_t j = 0; j < made; j++)
				if (keys[j] == idx[k] && inserted[j])
					replaced[k] = true;
		if (!replaced[k] && fresh[k].index >= 0)
			region_unmap(&fresh[k]);
		old_id[k] = old[k].map_id;
		had_old[k] = old[k].index >= 0;
		if (replaced[k] && had_old[k])
			region_unmap(&old[k]);
	}
	pthread_mutex_lock(&p->lock);
	for (uint32_t k = 0; k < n; k++) {
		uint32_t i = idx[k];

		if (replaced[k]) {
			if (had_old[k])
				mark_released(p, old_id[k]);
			p->reg[i] = fresh[k];
			p->state[i] = IDX_READY;
			p->ready++;
		} else {
			p->reg[i] = old[k];
			p->state[i] = had_old[k] ? IDX_RETIRING : IDX_EMPTY;
		}
	}
	if (err[0])
		snprintf(p->last_error, sizeof(p->last_error), "%s", err);
	pthread_cond_broadcast(&p->changed);
	pthread_mutex_unlock(&p->lock);
	if (err[0])
		log_warn("region pool: %s (retried in %d ms)", err, CHECK_EVERY_MS);
}

/* Forget the lingering maps the kernel has freed. */
static void check_lingering(struct region_pool *p)
{
	uint32_t ids[LINGER_MAX], n = 0;
	bool gone[LINGER_MAX];

	pthread_mutex_lock(&p->lock);
	for (uint32_t i = 0; i < p->nlinger; i++)
		if (p->linger[i].released)
			ids[n++] = p->linger[i].map_id;
	pthread_mutex_unlock(&p->lock);
	for (uint32_t k = 0; k < n; k++) {
		int fd = p->b->bpf->map_fd_by_id(ids[k]);

		gone[k] = fd < 0 && errno == ENOENT;
		if (fd < 0 && errno == EPERM) {
			/* BPF_MAP_GET_FD_BY_ID needs CAP_SYS_ADMIN: without it the daemon cannot
			 * tell which maps clients kept, and does not count them */
			gone[k] = true;
			if (!p->blind) {
				p->blind = true;
				log_warn("region pool: no CAP_SYS_ADMIN: regions kept by clients after "
					 "their connection are not counted against --max-clients-per-uid");
			}
		}
		if (fd >= 0)
			close(fd);
	}
	pthread_mutex_lock(&p->lock);
	for (uint32_t k = 0; k < n; k++) {
		if (!gone[k])
			continue;
		for (uint32_t i = 0; i < p->nlinger; i++)
			if (p->linger[i].map_id == ids[k]) {
				p->linger[i] = p->linger[--p->nlinger];
				break;
			}
	}
	pthread_mutex_unlock(&p->lock);
}

static bool has_work(const struct region_pool *p)
{
	for (uint32_t i = 0; i < MORPHEUS_MAX_REGIONS; i++)
		if (p->state[i] == IDX_EMPTY || p->state[i] == IDX_RETIRING)
			return true;
	return false;
}

static void *worker_main(void *arg)
{
	struct region_pool *p = arg;

	for (;;) {
		struct timespec until;

		pthread_mutex_lock(&p->lock);
		deadline_ms(&until, CHECK_EVERY_MS);
		while (!p->stop && !has_work(p))
			if (pthread_cond_timedwait(&p->wake, &p->lock, &until) == ETIMEDOUT)
				break;
		if (p->stop) {
			pthread_mutex_unlock(&p->lock);
			return NULL;
		}
		pthread_mutex_unlock(&p->lock);
		refill(p);
		check_lingering(p);
	}
}

int region_pool_start(struct region_pool **out, const struct morpheus_backend *b,
		      uint32_t ready_at_start, uint32_t reserved, char *err, size_t errlen)
{
	struct region_pool *p = calloc(1, sizeof(*p));
	pthread_condattr_t ca;
	struct timespec until;
	int r;

	*out = NULL;
	if (!p) {
		snprintf(err, errlen, "region pool: out of memory");
		return -ENOMEM;
	}
	p->b = b;
	if (reserved >= MORPHEUS_MAX_REGIONS) {
		snprintf(err, errlen, "region pool: %u reserved regions leave none of %d", reserved, MORPHEUS_MAX_REGIONS);
		free(p);
		return -EINVAL;
	}
	for (uint32_t i = 0; i < MORPHEUS_MAX_REGIONS; i++) {
		p->state[i] = i < MORPHEUS_MAX_REGIONS - reserved ? IDX_EMPTY : IDX_RESERVED;
		p->reg[i] = (struct region){ .index = -1, .map_fd = -1 };
	}
	if (ready_at_start > MORPHEUS_MAX_REGIONS - reserved)
		ready_at_start = MORPHEUS_MAX_REGIONS - reserved;
	pthread_mutex_init(&p->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&p->wake, &ca);
	pthread_cond_init(&p->changed, &ca);
	pthread_condattr_destroy(&ca);
	r = -pthread_create(&p->worker, NULL, worker_main, p);
	if (r) {
		snprintf(err, errlen, "region pool: start the worker: %s", strerror(-r));
		region_pool_stop(p);
		return r;
	}
	p->started = true;
	pthread_mutex_lock(&p->lock);
	deadline_ms(&until, 5000);
	while (p->ready < ready_at_start)
		if (pthread_cond_timedwait(&p->changed, &p->lock, &until) == ETIMEDOUT)
			break;
	r = p->ready < ready_at_start ? -EIO : 0;
	if (r)
		snprintf(err, errlen, "region pool: %u of %u regions ready after 5 s: %s", p->ready,
			 ready_at_start, p->last_error[0] ? p->last_error : "(no error)");
	pthread_mutex_unlock(&p->lock);
	if (r) {
		region_pool_stop(p);
		return r;
	}
	*out = p;
	return 0;
}

int region_pool_take(struct region_pool *p, uid_t uid, struct region *out)
{
	int r = -ENOSPC;

	(void)uid;
	pthread_mutex_lock(&p->lock);
	if (p->nlinger >= LINGER_MAX) {
		pthread_mutex_unlock(&p->lock);
		return -ENOSPC;
	}
	for (uint32_t i = 0; i < MORPHEUS_MAX_REGIONS; i++) {
		if (p->state[i] == IDX_READY) {
			p->state[i] = IDX_IN_USE;
			p->ready--;
			*out = p->reg[i];
			r = 0;
			break;
		}
		if (p->state[i] != IDX_IN_USE)
			r = -EAGAIN;      /* one is on its way */
	}
	pthread_mutex_unlock(&p->lock);
	return r;
}

void region_pool_give_back(struct region_pool *p, uid_t uid, struct region *r)
{
	int i = r->index;

	if (i < 0 || i >= MORPHEUS_MAX_REGIONS)
		return;
	pthread_mutex_lock(&p->lock);
	if (p->state[i] == IDX_IN_USE) {
		p->state[i] = IDX_RETIRING;
		if (p->nlinger < LINGER_MAX)
			p->linger[p->nlinger++] = (struct lingering){ .uid = uid, .map_id = p->reg[i].map_id };
		pthread_cond_signal(&p->wake);
	}
	pthread_mutex_unlock(&p->lock);
	*r = (struct region){ .index = -1, .map_fd = -1 };
}

uint32_t region_pool_lingering(struct region_pool *p, uid_t uid, uint32_t *pending)
{
	uint32_t n = 0;

	*pending = 0;
	pthread_mutex_lock(&p->lock);
	for (uint32_t i = 0; i < p->nlinger; i++) {
		if (p->linger[i].uid != uid)
			continue;
		if (p->linger[i].released)
			n++;
		else
			(*pending)++;
	}
	pthread_mutex_unlock(&p->lock);
	return n;
}

uint32_t region_pool_lingering_total(struct region_pool *p)
{
	uint32_t n = 0;

	pthread_mutex_lock(&p->lock);
	for (uint32_t i = 0; i < p->nlinger; i++)
		n += p->linger[i].released;
	pthread_mutex_unlock(&p->lock);
	return n;
}

void region_pool_settle(struct region_pool *p)
{
	bool busy = true;

	while (busy) {
		struct timespec until;

		pthread_mutex_lock(&p->lock);
		busy = false;
		for (uint32_t i = 0; i < MORPHEUS_MAX_REGIONS; i++)
			busy |= p->state[i] == IDX_RETIRING || p->state[i] == IDX_BUSY ||
				p->state[i] == IDX_EMPTY;
		if (busy) {
			deadline_ms(&until, 10);
			pthread_cond_timedwait(&p->changed, &p->lock, &until);
		}
		pthread_mutex_unlock(&p->lock);
	}
	check_lingering(p);
}

void region_pool_stop(struct region_pool *p)
{
	if (!p)
		return;
	if (p->started) {
		pthread_mutex_lock(&p->lock);
		p->stop = true;
		pthread_cond_signal(&p->wake);
		pthread_mutex_unlock(&p->lock);
		pthread_join(p->worker, NULL);
	}
	for (uint32_t i = 0; i < MORPHEUS_MAX_REGIONS; i++)
		region_unmap(&p->reg[i]);   /* `regions` goes with the backend */
	pthread_cond_destroy(&p->wake);
	pthread_cond_destroy(&p->changed);
	pthread_mutex_destroy(&p->lock);
	free(p);
}
