/* peer.h - who is at the other end of a client socket, in a form that cannot be recycled.
 *
 * SO_PEERCRED names the pid of the process that called connect(), once. The socket outlives
 * that process (it forks, the parent exits, the child keeps the socket), and the kernel may
 * then give the pid to anyone, root included: a check "is tid a thread of pid" would then
 * vouch for a stranger's thread. A pidfd refers to the process itself, not to its number: it
 * never points at a later process with the same pid. So the daemon takes one per connection
 * at accept (SO_PEERPIDFD, Linux 6.5+, which the kernel fills at connect time; elsewhere
 * pidfd_open(pid) at accept, accepted only if that process has the peer's uid, so a pid
 * recycled before accept can at worst name another process of the same user), and every
 * thread check pairs a /proc lookup by pid with a liveness test of the pidfd AFTER it: if the
 * process is still alive then, the pid was not recycled when /proc was read.
 *
 * A thread counts as "live" only if it is not exiting (PF_EXITING unset): the kernel sets
 * that flag before the sched_process_exit hook runs, so a thread that is live after its
 * `workers` entry was inserted will have that entry removed by the hook when it exits. */
#ifndef MORPHEUS_PEER_H
#define MORPHEUS_PEER_H

#include <stddef.h>
#include <sys/types.h>

/* A pidfd for the peer of `sock` whose SO_PEERCRED is (pid, uid): >= 0, or -errno + err. */
int peer_pidfd(int sock, pid_t pid, uid_t uid, char *err, size_t errlen);

/* The fallback where the kernel has no SO_PEERPIDFD: pidfd_open(pid), accepted only if that
 * process's real uid is `uid`. >= 0, or -errno + err. */
int peer_pidfd_of_pid(pid_t pid, uid_t uid, char *err, size_t errlen);

/* 0 while the process behind pidfd exists (a zombie too: its pid is not free before it is
 * reaped), -ESRCH after. */
int peer_alive(int pidfd);

/* Is tid a live, not exiting thread of the process `pid` that `pidfd` refers to?
 * 0; -ESRCH (no such thread, it is exiting, or the process itself is gone: *why says which)
 * or -EPERM (a thread of another process). */
int peer_thread_of(pid_t pid, int pidfd, pid_t tid, const char **why);

#endif
