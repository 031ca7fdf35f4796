/* cgroup_throttle.c - see cgroup_throttle.h. */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include "cgroup_throttle.h"
#include "log.h"

void cgroup_throttles_init(struct cgroup_throttles *t, const char *cgroup_root)
{
	memset(t, 0, sizeof(*t));
	t->cgroup_root = cgroup_root;
}

static int read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return -errno;
	n = fread(buf, 1, len - 1, f);
	fclose(f);
	buf[n] = '\0';
	while (n && buf[n - 1] == '\n')
		buf[--n] = '\0';
	return 0;
}

static int write_line(const char *path, const char *val)
{
	FILE *f = fopen(path, "w");
	int e = 0;

	if (!f)
		return -errno;
	if (fputs(val, f) < 0)
		e = -errno;
	if (fclose(f) && !e)
		e = -errno;
	return e;
}

int cgroup_throttle_tid(struct cgroup_throttles *t, uint32_t tid, uint64_t now_ns, uint64_t dur_ns,
			char *err, size_t errlen)
{
	char p[64], line[256], path[320];
	struct cgroup_throttle_entry *free_e = NULL;
	int r;

	snprintf(p, sizeof(p), "/proc/%u/cgroup", tid);
	r = read_line(p, line, sizeof(line));
	if (r || strncmp(line, "0::", 3)) {
		snprintf(err, errlen, "tid %u: no cgroup v2 membership (%s)", tid, r ? strerror(-r) : line);
		return r ? r : -ENOENT;
	}
	if (!strcmp(line + 3, "/")) {
		snprintf(err, errlen, "tid %u is in the root cgroup, which has no cpu.max", tid);
		return -EPERM;
	}
	snprintf(path, sizeof(path), "%s%s/cpu.max", t->cgroup_root, line + 3);
	for (int i = 0; i < CGROUP_THROTTLE_MAX; i++) {
		if (t->e[i].active && !strcmp(t->e[i].path, path)) {
			t->e[i].until_ns = now_ns + dur_ns; /* repeated: extend */
			return 0;
		}
		if (!t->e[i].active && !free_e)
			free_e = &t->e[i];
	}
	if (!free_e) {
		snprintf(err, errlen, "tid %u: already %d cgroups throttled", tid, CGROUP_THROTTLE_MAX);
		return -ENOSPC;
	}
	r = read_line(path, free_e->saved, sizeof(free_e->saved));
	if (!r)
		r = write_line(path, CGROUP_THROTTLE_CPU_MAX);
	if (r) {
		snprintf(err, errlen, "tid %u: %s: %s (is the cpu controller enabled?)", tid, path,
			 strerror(-r));
		return r;
	}
	snprintf(free_e->path, sizeof(free_e->path), "%s", path);
	free_e->until_ns = now_ns + dur_ns;
	free_e->active = 1;
	t->applied++;
	log_info("throttle: tid %u, %s = '%s' for %.0f ms (was '%s')", tid, path,
		 CGROUP_THROTTLE_CPU_MAX, dur_ns / 1e6, free_e->saved);
	return 0;
}

int cgroup_throttle_restore(struct cgroup_throttles *t, uint64_t now_ns, int all)
{
	int n = 0;

	for (int i = 0; i < CGROUP_THROTTLE_MAX; i++) {
		struct cgroup_throttle_entry *e = &t->e[i];
		int r;

		if (!e->active || (!all && now_ns < e->until_ns))
			continue;
		r = write_line(e->path, e->saved);
		if (r)
			log_warn("throttle: restore %s = '%s': %s", e->path, e->saved, strerror(-r));
		else
			log_info("throttle: restored %s = '%s'", e->path, e->saved);
		e->active = 0;
		t->restored++;
		n++;
	}
	return n;
}
