// SPDX-License-Identifier: GPL-2.0-only OR Apache-2.0
/*
 * mixload - a mixed load for scheduler soak tests: spinning threads, wake-up heavy thread pairs
 * (pipe ping-pong) and fork/exit churn, for --duration-s. Prints how much each part got done;
 * exits 1 if any part made no progress (a starved class of task).
 *   mixload [--duration-s S] [--spinners N] [--pairs N]
 */
#include <getopt.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile int running = 1;
static unsigned long long spins, pings, forks;

static void *spinner(void *a)
{
	unsigned long long n = 0;

	(void)a;
	while (running)
		n++;
	__atomic_add_fetch(&spins, n / 1000000, __ATOMIC_RELAXED);
	return NULL;
}

struct pair { int ab[2], ba[2]; };

static void *ping(void *a)
{
	struct pair *p = a;
	char c = 0;

	while (running) {
		if (write(p->ab[1], &c, 1) != 1 || read(p->ba[0], &c, 1) != 1)
			break;
		__atomic_add_fetch(&pings, 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

static void *pong(void *a)
{
	struct pair *p = a;
	char c;

	while (read(p->ab[0], &c, 1) == 1)
		if (write(p->ba[1], &c, 1) != 1)
			break;
	return NULL;
}

static void *churn(void *a)
{
	(void)a;
	while (running) {
		pid_t pid = fork();

		if (pid == 0)
			_exit(0);
		if (pid > 0) {
			waitpid(pid, NULL, 0);
			__atomic_add_fetch(&forks, 1, __ATOMIC_RELAXED);
		}
	}
	return NULL;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "duration-s", required_argument, 0, 'd' }, { "spinners", required_argument, 0, 's' },
		{ "pairs", required_argument, 0, 'p' }, { 0 }
	};
	int dur = 10, ns = 2, np = 2, c, i;
	pthread_t t[64];
	struct pair pr[16];
	int nt = 0;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': dur = atoi(optarg); break;
		case 's': ns = atoi(optarg); break;
		case 'p': np = atoi(optarg); break;
		default: fprintf(stderr, "mixload: bad option\n"); return 2;
		}
	}
	if (dur < 1 || dur > 3600 || ns < 0 || ns > 16 || np < 0 || np > 16) {
		fprintf(stderr, "mixload: --duration-s %d (1-3600) --spinners %d (0-16) --pairs %d (0-16) out of range\n",
			dur, ns, np);
		return 2;
	}
	for (i = 0; i < ns; i++)
		pthread_create(&t[nt++], NULL, spinner, NULL);
	for (i = 0; i < np; i++) {
		if (pipe(pr[i].ab) || pipe(pr[i].ba))
			return 1;
		pthread_create(&t[nt++], NULL, ping, &pr[i]);
		pthread_create(&t[nt++], NULL, pong, &pr[i]);
	}
	pthread_create(&t[nt++], NULL, churn, NULL);
	sleep((unsigned)dur);
	running = 0;
	for (i = 0; i < np; i++) {
		close(pr[i].ab[1]);
	}
	for (i = 0; i < nt; i++)
		pthread_join(t[i], NULL);
	printf("mixload: duration_s=%d mspins=%llu pingpongs=%llu forks=%llu\n", dur, spins, pings, forks);
	return (ns && !spins) || (np && !pings) || !forks ? 1 : 0;
}
