/* instance.h - one morpheusd per socket.
 *
 * A daemon owns its socket path and, with it, its pin directory: two daemons on one socket
 * would attach the BPF programs twice, rename their sockets over each other and, when one of
 * them gives up, unpin the other's maps. instance_claim() is the first thing a daemon does,
 * before any backend starts: it creates the socket's directory and takes an exclusive flock
 * on "<socket>.lock" beside the socket, held (open, close-on-exec) until the process exits.
 * The kernel drops the lock when the holder dies, even by SIGKILL, so a lock is never
 * stale; the file itself stays (removing it would let a third daemon lock a fresh inode
 * while a second one waits on the old). A daemon of an older version that takes no lock is
 * still caught by the live-socket check that follows. */
#ifndef MORPHEUS_INSTANCE_H
#define MORPHEUS_INSTANCE_H

#include <stddef.h>

/* Creates every missing directory on the way to the socket path (mode 0755). 0 / -errno. */
int instance_socket_dir(const char *socket_path);

/* Claims the socket path for this process: the lock fd (>= 0, keep it open) or -errno with
 * the reason in err: -EADDRINUSE when another daemon holds the lock or answers on the socket. */
int instance_claim(const char *socket_path, char *err, size_t errlen);

#endif
