/* backend.c - backend selection and what all backends share (see backend.h). */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "backend.h"

#ifndef BPF_FS_MAGIC
#define BPF_FS_MAGIC 0xcafe4a11
#endif

int backend_select(const struct morpheusd_config *cfg, const struct morpheus_backend_ops **out,
		   char *err, size_t errlen)
{
	const struct morpheus_backend_ops *scx = &morpheus_scx_backend;
	char why[160] = "";

	switch (cfg->scheduler) {
	case SCHED_SCX:
		if (!scx) {
			snprintf(err, errlen, "--scheduler scx: this morpheusd was built without the sched_ext backend");
			return -ENOTSUP;
		}
		if (!scx->available(why, sizeof(why))) {
			snprintf(err, errlen, "--scheduler scx: %s", why);
			return -ENOTSUP;
		}
		*out = scx;
		return 0;
	case SCHED_OBSERVER:
		if (cfg->enforce) {
			snprintf(err, errlen, "--enforce with --scheduler observer: the observer cannot enforce (use scx or auto)");
			return -EINVAL;
		}
		*out = &morpheus_observer_backend;
		return 0;
	case SCHED_AUTO:
	default:
		if (scx && scx->available(why, sizeof(why))) {
			*out = scx;
			return 0;
		}
		*out = &morpheus_observer_backend;
		return 0;
	}
}

/* The pin directory must belong to this daemon's uid and be closed to everyone else (0700;
 * a directory left by an earlier daemon of ours passes, it was created the same way). */
static int pin_dir_is_ours(int fd, const char *dir, char *err, size_t errlen)
{
	struct stat st;

	if (fstat(fd, &st)) {
		snprintf(err, errlen, "--pin-dir '%s': stat: %s", dir, strerror(errno));
		return -errno;
	}
	if (st.st_uid != geteuid()) {
		snprintf(err, errlen, "--pin-dir '%s': owned by uid %u, not by this daemon (uid %u): "
			 "someone else created it; remove it or choose another --pin-dir",
			 dir, (unsigned)st.st_uid, (unsigned)geteuid());
		return -EPERM;
	}
	if (st.st_mode & 077) {
		snprintf(err, errlen, "--pin-dir '%s': mode %04o, must be 0700 (others could replace the pins)",
			 dir, (unsigned)(st.st_mode & 07777));
		return -EPERM;
	}
	return 0;
}

int backend_prepare_pin_dir(const char *dir, char *err, size_t errlen)
{
	char parent[256];
	struct statfs fs;
	int fd, r;

	snprintf(parent, sizeof(parent), "%s", dir);
	dirname(parent);
	if (statfs(parent, &fs) || (unsigned long)fs.f_type != BPF_FS_MAGIC) {
		snprintf(err, errlen, "--pin-dir '%s': %s is not a bpffs mount (mount -t bpf bpf %s)",
			 dir, parent, parent);
		return -ENOTDIR;
	}
	if (mkdir(dir, 0700) && errno != EEXIST) {
		snprintf(err, errlen, "--pin-dir '%s': mkdir: %s", dir, strerror(errno));
		return -errno;
	}
	/* O_NOFOLLOW: a symlink planted at the path is refused, not followed */
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "--pin-dir '%s': open: %s%s", dir, strerror(errno),
			 errno == ELOOP || errno == ENOTDIR ? " (not a directory of this daemon)" : "");
		return -errno;
	}
	/* The parent may be world-writable (bpffs is often 1777): a directory someone else
	 * created there is theirs, and so would be everything pinned in it. Refuse it before
	 * the lock, so a squatter's flock cannot pass for another daemon. */
	r = pin_dir_is_ours(fd, dir, err, errlen);
	if (r) {
		close(fd);
		return r;
	}
	if (flock(fd, LOCK_EX | LOCK_NB)) {
		int e = errno;

		close(fd);
		if (e == EWOULDBLOCK) {
			snprintf(err, errlen, "--pin-dir '%s': another morpheusd (with a socket of its own) "
				 "pins its maps there; give each daemon its own --pin-dir", dir);
			return -EADDRINUSE;
		}
		snprintf(err, errlen, "--pin-dir '%s': flock: %s", dir, strerror(e));
		return -e;
	}
	return fd;
}

int backend_pin_path(char *buf, size_t n, const char *dir, const char *name)
{
	int len = snprintf(buf, n, "%s/%s", dir, name);

	return len < 0 || (size_t)len >= n ? -ENAMETOOLONG : 0;
}

void backend_pins_init(struct backend_pins *p)
{
	p->dir[0] = '\0';
	p->lock = -1;
}

int backend_pins_claim(struct backend_pins *p, const char *dir, char *err, size_t errlen)
{
	int r = backend_prepare_pin_dir(dir, err, errlen);

	if (r < 0)
		return r;
	p->lock = r;
	snprintf(p->dir, sizeof(p->dir), "%s", dir);
	return 0;
}

int backend_pins_add(struct backend_pins *p, struct bpf_object *obj, const char *const *names,
		     size_t n, char *err, size_t errlen)
{
	char path[320];

	for (size_t i = 0; i < n; i++) {
		struct bpf_map *m = bpf_object__find_map_by_name(obj, names[i]);
		int r = m ? backend_pin_path(path, sizeof(path), p->dir, names[i]) : -ENOENT;

		if (!r) {
			unlink(path); /* a stale pin from a daemon that was killed */
			r = bpf_map__pin(m, path);
		}
		if (r) {
			snprintf(err, errlen, "pin %s/%s: %s", p->dir, names[i], strerror(-r));
			return r;
		}
	}
	return 0;
}

void backend_pins_release(struct backend_pins *p, const char *const *names, size_t n,
			  const char *keep)
{
	char path[320];

	if (p->dir[0]) {
		for (size_t i = 0; i < n; i++) {
			if (keep && !strcmp(names[i], keep))
				continue;
			if (!backend_pin_path(path, sizeof(path), p->dir, names[i]))
				unlink(path);
		}
		rmdir(p->dir);
		p->dir[0] = '\0';
	}
	if (p->lock >= 0)
		close(p->lock);
	p->lock = -1;
}
