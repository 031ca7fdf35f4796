/* test_peer.c - peer identity (src/peer.c) on this machine's kernel: the pidfd of a socket's
 * peer, the pidfd_open fallback and its uid check, and "is tid a live thread of that very
 * process" for our own threads, a thread that exited, another process's thread, a process
 * that exited (its pid possibly recycled). Runs unprivileged too. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "peer.h"
#include "testing.h"

static void *record_tid(void *arg)
{
	*(pid_t *)arg = (pid_t)syscall(SYS_gettid);
	return NULL;
}

static void socket_peer_is_this_process(void)
{
	char err[128] = "";
	const char *why;
	int sv[2], fd;

	CHECK_EQ(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv), 0);
	fd = peer_pidfd(sv[0], getpid(), getuid(), err, sizeof(err));
	CHECK(fd >= 0);
	CHECK_EQ(peer_alive(fd), 0);
	CHECK_EQ(peer_thread_of(getpid(), fd, (pid_t)syscall(SYS_gettid), &why), 0);
	close(fd);
	close(sv[0]);
	close(sv[1]);
}

static void fallback_checks_the_uid(void)
{
	char err[128] = "";
	int fd = peer_pidfd_of_pid(getpid(), getuid(), err, sizeof(err));

	CHECK(fd >= 0);
	if (fd >= 0)
		close(fd);
	fd = peer_pidfd_of_pid(getpid(), getuid() + 1, err, sizeof(err));
	CHECK_EQ(fd, -ESRCH);
	CHECK(strstr(err, "no longer the process of uid") != NULL);
	CHECK(peer_pidfd_of_pid(0x3ffffff0, getuid(), err, sizeof(err)) < 0);
}

static void threads_dead_foreign_and_exiting(void)
{
	char err[128];
	const char *why;
	pthread_t t;
	pid_t tid = 0, child;
	int self = peer_pidfd_of_pid(getpid(), getuid(), err, sizeof(err)), fd;

	/* a thread of ours that exited: its tid names nothing now (or another process's thread) */
	CHECK_EQ(pthread_create(&t, NULL, record_tid, &tid), 0);
	pthread_join(t, NULL);
	CHECK(peer_thread_of(getpid(), self, tid, &why) < 0);
	/* pid 1's main thread: a thread of another process */
	CHECK_EQ(peer_thread_of(getpid(), self, 1, &why), -EPERM);
	CHECK(strstr(why, "another process") != NULL);
	CHECK_EQ(peer_thread_of(getpid(), self, 0x3ffffff0, &why), -ESRCH);
	close(self);
	/* a process that exited and was reaped: its pidfd says so, whatever owns the pid now */
	child = fork();
	if (child == 0) {
		pause();
		_exit(0);
	}
	fd = peer_pidfd_of_pid(child, getuid(), err, sizeof(err));
	CHECK(fd >= 0);
	CHECK_EQ(peer_thread_of(child, fd, child, &why), 0);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	CHECK_EQ(peer_alive(fd), -ESRCH);
	CHECK_EQ(peer_thread_of(child, fd, child, &why), -ESRCH);
	close(fd);
}

TEST_MAIN(T(socket_peer_is_this_process), T(fallback_checks_the_uid), T(threads_dead_foreign_and_exiting))
