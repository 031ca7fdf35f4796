/* client_channel.h - libmorpheus's request channel to morpheusd, beneath the public API of
 * include/morpheus.h: a client on a connected socket, and one request/reply exchange on it.
 *
 * Internal to the library: libmorpheus.so exports morpheus_* only (src/libmorpheus.map), so
 * these are hidden there. What links libmorpheus.o directly uses them: morpheus_open (a
 * client on the socket it connected, then HELLO), and the fuzz harness (fuzz/fuzz_client.c),
 * which plays the daemon on the other end of a socketpair. */
#ifndef MORPHEUS_CLIENT_CHANNEL_H
#define MORPHEUS_CLIENT_CHANNEL_H

struct morpheus_client;
struct morpheus_msg;

/* A client on `fd`, a connected SOCK_SEQPACKET socket (the client owns it from now on, and
 * morpheus_close closes it), before any HELLO: no region yet. 0 or -ENOMEM (fd untouched). */
int client_on_socket(int fd, struct morpheus_client **out);

/* Sends req and waits for its reply (5 s at most): 0 / -errno, with the calling thread's
 * morpheus_last_error() set on failure. A file descriptor passed with a successful reply goes
 * to *fd_out (when fd_out is not NULL); every other one is closed. Callers serialize. */
int client_transact(struct morpheus_client *c, struct morpheus_msg *req, struct morpheus_msg *rep,
		    int *fd_out);

/* Empties the calling thread's morpheus_last_error() message. */
void client_clear_error(void);

#endif
