// SPDX-License-Identifier: GPL-2.0
/* tracefs.c - the tracefs helpers of the kernel tests (tracefs.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "tracefs.h"

int tracefs_write(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_TRUNC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, s, strlen(s));
	close(fd);
	return n == (ssize_t)strlen(s) ? 0 : -EIO;
}

/* The whole file in a malloc'ed, NUL-terminated buffer, or NULL. */
char *tracefs_read(const char *path)
{
	size_t cap = 1 << 16, len = 0;
	char *buf = malloc(cap);
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0 || !buf) {
		free(buf);
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	while ((n = read(fd, buf + len, cap - len - 1)) > 0) {
		len += n;
		if (cap - len < 4096) {
			char *nb = realloc(buf, cap *= 2);

			if (!nb)
				break;
			buf = nb;
		}
	}
	buf[len] = 0;
	close(fd);
	return buf;
}

/* Create instance @name with the dvk events in @events ("a b c") enabled. */
int tracefs_instance(const char *name, const char *events)
{
	char path[256], list[256], *ev, *save = NULL;

	snprintf(path, sizeof(path), TRACEFS "/instances/%s", name);
	rmdir(path);
	if (mkdir(path, 0755) && errno != EEXIST)
		return -errno;
	snprintf(list, sizeof(list), "%s", events);
	for (ev = strtok_r(list, " ", &save); ev; ev = strtok_r(NULL, " ", &save)) {
		snprintf(path, sizeof(path), TRACEFS "/instances/%s/events/dvk/%s/enable", name, ev);
		if (tracefs_write(path, "1"))
			return -EINVAL;
	}
	return 0;
}

/* Stop instance @name and return its trace (malloc'ed). */
char *tracefs_collect(const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), TRACEFS "/instances/%s/tracing_on", name);
	tracefs_write(path, "0");
	snprintf(path, sizeof(path), TRACEFS "/instances/%s/trace", name);
	return tracefs_read(path);
}

int tracefs_instance_remove(const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), TRACEFS "/instances/%s/events/dvk/enable", name);
	tracefs_write(path, "0");
	snprintf(path, sizeof(path), TRACEFS "/instances/%s", name);
	return rmdir(path);
}

/* Number of lines of @trace that contain every one of the @n needles. */
int tracefs_count(const char *trace, int n, const char *const *needles)
{
	const char *line = trace;
	int count = 0;

	while (line && *line) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		char buf[512];
		int ok = 1;

		snprintf(buf, sizeof(buf), "%.*s", (int)len, line);
		for (int i = 0; i < n && ok; i++)
			ok = strstr(buf, needles[i]) != NULL;
		count += ok;
		line = end ? end + 1 : NULL;
	}
	return count;
}
