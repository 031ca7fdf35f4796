/* server.h - the broker: a non-blocking epoll loop over the listening socket, the clients,
 * the backend's ring buffer, a heartbeat timer and a signalfd for SIGTERM/SIGINT. */
#ifndef MORPHEUS_SERVER_H
#define MORPHEUS_SERVER_H

#include "backend.h"
#include "config.h"

/* Serve until SIGTERM/SIGINT. 0 on a clean shutdown, -errno on a setup failure. */
int server_run(const struct morpheusd_config *cfg, struct morpheus_backend *b);

#endif
