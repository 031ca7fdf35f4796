/* log.h - the daemon's and tools' stderr logger; library code never uses it. */
#ifndef MORPHEUS_LOG_H
#define MORPHEUS_LOG_H

extern int morpheus_log_debug_enabled;

void morpheus_log(const char *level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_info(...)  morpheus_log("info", __VA_ARGS__)
#define log_warn(...)  morpheus_log("warn", __VA_ARGS__)
#define log_error(...) morpheus_log("error", __VA_ARGS__)
#define log_debug(...) do { if (morpheus_log_debug_enabled) morpheus_log("debug", __VA_ARGS__); } while (0)

#endif
