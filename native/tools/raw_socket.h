/* raw_socket.h - a connection to morpheusd that bypasses libmorpheus, for the tools and tests
 * that send the daemon hand-made (hostile) datagrams: morpheus-probe hostile, hostile_client. */
#ifndef MORPHEUS_RAW_SOCKET_H
#define MORPHEUS_RAW_SOCKET_H

#include <stdio.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>

/* A SOCK_SEQPACKET connection to the daemon's socket: the fd, or -1 (errno set). */
static inline int raw_connect(const char *socket_path)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);

	snprintf(a.sun_path, sizeof(a.sun_path), "%s", socket_path);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof(a))) {
		close(fd);
		return -1;
	}
	return fd;
}

#endif
