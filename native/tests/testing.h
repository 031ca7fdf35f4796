/* testing.h - a minimal test harness: CHECK records a failure with file:line and goes on;
 * TEST_MAIN runs the listed tests and prints the closing "N passed, N failed" line. */
#ifndef MORPHEUS_TESTING_H
#define MORPHEUS_TESTING_H

#include <stdio.h>

static int checks_failed_in_test;

#define CHECK(cond) do { if (!(cond)) { \
	fprintf(stderr, "  %s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond); \
	checks_failed_in_test++; } } while (0)
#define CHECK_EQ(a, b) do { long long _a = (long long)(a), _b = (long long)(b); if (_a != _b) { \
	fprintf(stderr, "  %s:%d: %s == %s failed: %lld != %lld\n", __FILE__, __LINE__, #a, #b, _a, _b); \
	checks_failed_in_test++; } } while (0)

typedef void (*test_fn)(void);
struct test_case { const char *name; test_fn fn; };
#define T(fn) { #fn, fn }

static int run_tests(const struct test_case *tests, int n)
{
	int passed = 0, failed = 0;

	for (int i = 0; i < n; i++) {
		checks_failed_in_test = 0;
		tests[i].fn();
		if (checks_failed_in_test) {
			failed++;
			printf("FAIL %s\n", tests[i].name);
		} else {
			passed++;
			printf("ok   %s\n", tests[i].name);
		}
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}

#define TEST_MAIN(...) int main(void) { \
	static const struct test_case tests[] = { __VA_ARGS__ }; \
	return run_tests(tests, (int)(sizeof(tests) / sizeof(tests[0]))); }

#endif
