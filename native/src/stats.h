/* stats.h - `morpheusd stats [--json]`: ask the running daemon (OP_STATS) and print. */
#ifndef MORPHEUS_STATS_H
#define MORPHEUS_STATS_H

#include "config.h"

/* Returns a morpheusd exit code. */
int stats_command(const struct morpheusd_config *cfg);

#endif
