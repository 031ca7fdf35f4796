/* peer.c - see peer.h. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include "peer.h"

#ifndef SO_PEERPIDFD
#define SO_PEERPIDFD 77
#endif
#define PF_EXITING_FLAG 0x00000004 /* include/linux/sched.h; /proc/<pid>/stat field 9 */

static int sys_pidfd_open(pid_t pid)
{
	return (int)syscall(SYS_pidfd_open, pid, 0);
}

/* The real uid of process pid from /proc/<pid>/status, or -1. */
static long proc_uid(pid_t pid)
{
	char path[64], line[128];
	long uid = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Uid: %ld", &uid) == 1)
			break;
	fclose(f);
	return uid;
}

int peer_pidfd(int sock, pid_t pid, uid_t uid, char *err, size_t errlen)
{
	socklen_t len = sizeof(int);
	int fd = -1, e;

	if (!getsockopt(sock, SOL_SOCKET, SO_PEERPIDFD, &fd, &len) && fd >= 0) {
		fcntl(fd, F_SETFD, FD_CLOEXEC);
		return fd;
	}
	e = errno;
	if (e != ENOPROTOOPT && e != EINVAL) {
		snprintf(err, errlen, "SO_PEERPIDFD: %s", strerror(e));
		return -e;
	}
	return peer_pidfd_of_pid(pid, uid, err, errlen);
}

int peer_pidfd_of_pid(pid_t pid, uid_t uid, char *err, size_t errlen)
{
	int fd = sys_pidfd_open(pid), e;

	if (fd < 0) {
		e = errno;
		snprintf(err, errlen, "pidfd_open(%d): %s", (int)pid, strerror(e));
		return -e;
	}
	/* the uid is read after the pidfd exists: if it is the peer's, the pidfd's process is
	 * the peer or another process of the same user, never someone else's */
	if (proc_uid(pid) != (long)uid || peer_alive(fd)) {
		close(fd);
		snprintf(err, errlen, "pid %d is no longer the process of uid %u that connected", (int)pid,
			 (unsigned)uid);
		return -ESRCH;
	}
	return fd;
}

int peer_alive(int pidfd)
{
	/* signal 0 delivers nothing; EPERM (no CAP_KILL, as under the systemd unit) still says
	 * the process exists, only ESRCH says it is gone */
	if (syscall(SYS_pidfd_send_signal, pidfd, 0, NULL, 0) == 0 || errno != ESRCH)
		return 0;
	return -ESRCH;
}

int peer_thread_of(pid_t pid, int pidfd, pid_t tid, const char **why)
{
	char path[96], buf[512], *p;
	unsigned long flags = 0;
	char state = '?';
	ssize_t n;
	int fd;

	*why = "";
	/* /proc/<pid>/task/<tid> resolves only for a thread of the process now at <pid> */
	snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", (int)pid, (int)tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(path, sizeof(path), "/proc/%d", (int)tid);
		if (peer_alive(pidfd)) {
			*why = "the process that connected has exited";
			return -ESRCH;
		}
		if (access(path, F_OK) == 0) {
			*why = "is a thread of another process";
			return -EPERM;
		}
		*why = "does not exist";
		return -ESRCH;
	}
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0) {
		*why = "does not exist";
		return -ESRCH;
	}
	buf[n] = '\0';
	/* "tid (comm) S ppid pgrp session tty tpgid flags ...": comm may hold anything, so
	 * parse after its last ')' */
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 1, " %c %*d %*d %*d %*d %*d %lu", &state, &flags) != 2) {
		*why = "has an unreadable /proc entry";
		return -ESRCH;
	}
	if (state == 'Z' || state == 'X' || (flags & PF_EXITING_FLAG)) {
		*why = "is exiting";
		return -ESRCH;
	}
	/* after the lookup: if the process still lives, <pid> was not recycled when it was read */
	if (peer_alive(pidfd)) {
		*why = "the process that connected has exited";
		return -ESRCH;
	}
	return 0;
}
