/* log.c - one line per message on stderr: "morpheusd: <level>: <text>". */
#include <stdarg.h>
#include <stdio.h>
#include "log.h"

int morpheus_log_debug_enabled;

void morpheus_log(const char *level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "morpheusd: %s: ", level);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}
