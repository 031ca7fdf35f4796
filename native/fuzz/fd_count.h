/* fd_count.h - what the fuzz harnesses use to catch fd leaks: the number of open fds below 256
 * (a harness compares it before and after each input). */
#ifndef MORPHEUS_FUZZ_FD_COUNT_H
#define MORPHEUS_FUZZ_FD_COUNT_H

#include <fcntl.h>

static inline int count_fds(void)
{
	int n = 0;

	for (int fd = 0; fd < 256; fd++)
		if (fcntl(fd, F_GETFD) >= 0)
			n++;
	return n;
}

#endif
