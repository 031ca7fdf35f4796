/* instance.h - one morpheusd per socket.
 *
 * A daemon owns its socket path and, with it, its pin directory: two daemons on one socket
 * would attach the BPF programs twice, rename their sockets over each other and, when one of
 * them gives up, unpin the other's maps. instance_claim() is the first thing a daemon does,
 * before any backend starts: it creates the socket's directory and takes an exclusive flock
 * on "<socket>.lock" beside the socket, held (open, close-on-exec) until the process exits.
 * The kernel drops the lock when the holder dies, even by SIGKILL, so a lock is never
 * stale (the file of a killed daemon stays and is reused). A daemon that stops cleanly
 * removes the file while it still holds the lock; a claimant that locked the removed file
 * notices (the path names another inode) and tries the new one. A daemon of an older
 * version that takes no lock is still caught by the live-socket check that follows. */
#ifndef MORPHEUS_INSTANCE_H
#define MORPHEUS_INSTANCE_H

#include <stddef.h>

/* Claims the socket path for this process: the lock fd (>= 0, keep it open) or -errno with
 * the reason in err: -EADDRINUSE when another daemon holds the lock or answers on the socket. */
int instance_claim(const char *socket_path, char *err, size_t errlen);

/* Removes the lock file and drops the lock: the last thing a daemon does after it stopped. */
void instance_release(int lock_fd, const char *socket_path);

#endif
