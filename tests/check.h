/* SPDX-License-Identifier: GPL-2.0 */
/*
 * check.h - the output protocol of every test program of this project:
 * one line per check, "PASS <name>", "FAIL <name>: <why>" or
 * "SKIP <name>: <why>"; the program exits 1 if any check failed.
 * tests/run collects these lines into the suite's summary.
 */
#ifndef DVK_TESTS_CHECK_H
#define DVK_TESTS_CHECK_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>

/*
 * One count for the whole program, whichever of its files (or of tests/lib)
 * reported the check: every file that includes this header defines it weak,
 * and the linker keeps one.
 */
__attribute__((weak)) int check_failures;

static inline void check_report(int ok, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static inline void check_report(int ok, const char *name, const char *fmt, ...)
{
	va_list ap;

	if (ok) {
		printf("PASS %s\n", name);
	} else {
		check_failures++;
		printf("FAIL %s: ", name);
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
		printf("\n");
	}
	fflush(stdout);
}

static inline void check_skip(const char *name, const char *why)
{
	printf("SKIP %s: %s\n", name, why);
	fflush(stdout);
}

/* A boolean check with a message saying what was seen. */
#define CHECK(name, cond, ...) check_report(!!(cond), name, __VA_ARGS__)

/* A DVK return code equals the expected one; names both on failure. */
#define CHECK_RC(name, got, want) do {						\
	long _g = (got), _w = (want);						\
	char _b[160];								\
	snprintf(_b, sizeof(_b), "%s", dvk_strerror((int)_g));			\
	check_report(_g == _w, name, "got %ld [%s], want %ld [%s]", _g, _b,	\
		     _w, dvk_strerror((int)_w));				\
} while (0)

#define CHECK_EXIT() (check_failures ? 1 : 0)

/* A pointer as the u64 the DVK ABI carries. */
#define TPTR(p) ((uint64_t)(uintptr_t)(p))

#endif /* DVK_TESTS_CHECK_H */
