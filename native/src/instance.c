/* instance.c - one morpheusd per socket (see instance.h). */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include "instance.h"

/* Creates every missing directory on the way to the socket path (mode 0755). 0 / -errno. */
static int socket_dir(const char *socket_path)
{
	char dir[sizeof(((struct sockaddr_un *)0)->sun_path)], *p;

	snprintf(dir, sizeof(dir), "%s", socket_path);
	dirname(dir);
	for (p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0755) && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(dir, 0755) && errno != EEXIST)
		return -errno;
	return 0;
}

/* Does a daemon answer on the socket? */
static bool live_daemon_on(const char *path)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	bool live;

	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", path);
	live = fd >= 0 && connect(fd, (struct sockaddr *)&addr, sizeof(addr)) == 0;
	if (fd >= 0)
		close(fd);
	return live;
}

static void lock_path(char *buf, size_t n, const char *socket_path)
{
	snprintf(buf, n, "%s.lock", socket_path);
}

int instance_claim(const char *socket_path, char *err, size_t errlen)
{
	char lock[sizeof(((struct sockaddr_un *)0)->sun_path) + 8];
	struct stat held, named;
	int fd, r;

	/* The socket path is replaced at start (rename) and removed at exit: only ever a socket.
	 * Anything else there (a file, a directory, a symlink) is the operator's, never ours. */
	if (!lstat(socket_path, &named) && !S_ISSOCK(named.st_mode)) {
		snprintf(err, errlen, "--socket '%s': exists and is not a socket; refusing to replace it",
			 socket_path);
		return -EEXIST;
	}
	r = socket_dir(socket_path);
	if (r) {
		snprintf(err, errlen, "--socket '%s': cannot create its directory: %s", socket_path, strerror(-r));
		return r;
	}
	lock_path(lock, sizeof(lock), socket_path);
	for (int attempt = 0; attempt < 3; attempt++) {
		fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
		if (fd < 0) {
			r = -errno;
			snprintf(err, errlen, "--socket '%s': lock file '%s': %s", socket_path, lock, strerror(-r));
			return r;
		}
		if (flock(fd, LOCK_EX | LOCK_NB)) {
			r = -errno;
			close(fd);
			if (r == -EWOULDBLOCK) {
				snprintf(err, errlen, "--socket '%s': another morpheusd %s there (it holds '%s')",
					 socket_path, live_daemon_on(socket_path) ? "is listening" : "is starting", lock);
				return -EADDRINUSE;
			}
			snprintf(err, errlen, "--socket '%s': lock file '%s': %s", socket_path, lock, strerror(-r));
			return r;
		}
		/* the holder before us may have removed the file between our open and our flock:
		 * then we hold a lock nobody else can see; take the file that is there now */
		if (!fstat(fd, &held) && !stat(lock, &named) && held.st_ino == named.st_ino &&
		    held.st_dev == named.st_dev)
			break;
		close(fd);
		fd = -1;
	}
	if (fd < 0) {
		snprintf(err, errlen, "--socket '%s': lock file '%s' keeps being replaced", socket_path, lock);
		return -EAGAIN;
	}
	if (live_daemon_on(socket_path)) {
		close(fd);
		snprintf(err, errlen, "--socket '%s': another morpheusd is listening there", socket_path);
		return -EADDRINUSE;
	}
	return fd;
}

void instance_release(int lock_fd, const char *socket_path)
{
	char lock[sizeof(((struct sockaddr_un *)0)->sun_path) + 8];

	lock_path(lock, sizeof(lock), socket_path);
	unlink(lock); /* while still holding it: see instance_claim's inode check */
	close(lock_fd);
}
