/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tracefs.h - helpers for tests that read dvk trace events through a
 * private tracefs instance (so they never disturb other tracing).
 */
#ifndef DVK_TESTS_TRACEFS_H
#define DVK_TESTS_TRACEFS_H

#define TRACEFS		"/sys/kernel/tracing"

int tracefs_write(const char *path, const char *s);
/* The whole file in a malloc'ed, NUL-terminated buffer, or NULL. */
char *tracefs_read(const char *path);
/* Create instance @name with the dvk events in @events ("a b c") enabled. */
int tracefs_instance(const char *name, const char *events);
/* Stop instance @name and return its trace (malloc'ed). */
char *tracefs_collect(const char *name);
int tracefs_instance_remove(const char *name);
/* Number of lines of @trace that contain every one of the @n needles. */
int tracefs_count(const char *trace, int n, const char *const *needles);

#endif /* DVK_TESTS_TRACEFS_H */
