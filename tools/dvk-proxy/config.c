// SPDX-License-Identifier: GPL-2.0
/*
 * config.c - dvk-proxy's settings file (default /etc/dvk/proxy.conf): one
 * "name = value" a line, '#' comments.  Settings: key-file (the cluster key
 * file) and encrypt (yes or no).  The command line wins over the file; an
 * unknown setting or a bad value is an error (exit 2), never ignored.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "proxy.h"

static char key_file[4096];

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

static void bad(const char *path, int lineno, const char *what)
{
	fprintf(stderr, "dvk-proxy: %s:%d: %s\n", path, lineno, what);
	exit(2);
}

/* One "name = value" line. */
static void setting(const char *path, int lineno, char *line, int mode_set)
{
	char *eq = strchr(line, '='), *name, *value;

	if (!eq)
		bad(path, lineno, "not 'name = value'");
	*eq = '\0';
	name = trim(line);
	value = trim(eq + 1);
	if (!strcmp(name, "key-file")) {
		if (!*value || strlen(value) >= sizeof(key_file))
			bad(path, lineno, "key-file needs a path");
		if (!opts.key_file) {
			strcpy(key_file, value);
			opts.key_file = key_file;
		}
	} else if (!strcmp(name, "encrypt")) {
		if (strcmp(value, "yes") && strcmp(value, "no"))
			bad(path, lineno, "encrypt is 'yes' or 'no'");
		if (!mode_set)
			opts.mode = strcmp(value, "yes") ? LINK_AUTH : LINK_ENCRYPT;
	} else {
		bad(path, lineno, "unknown setting (key-file, encrypt)");
	}
}

void config_read(const char *path, int must_exist, int mode_set)
{
	FILE *f = fopen(path, "re");
	char line[4200];
	struct stat st;
	int lineno = 0;

	if (!f) {
		if (!must_exist && errno == ENOENT)
			return;
		fprintf(stderr, "dvk-proxy: %s: %s\n", path, strerror(errno));
		exit(2);
	}
	/* it names the key and may turn encryption off: only root (or we) may write it */
	if (fstat(fileno(f), &st) || (st.st_uid != 0 && st.st_uid != geteuid()) ||
	    (st.st_mode & 022)) {
		fprintf(stderr, "dvk-proxy: %s: must be owned by root and writable by it alone\n",
			path);
		exit(2);
	}
	while (fgets(line, sizeof(line), f)) {
		char *s = trim(line);

		lineno++;
		if (*s && *s != '#')
			setting(path, lineno, s, mode_set);
	}
	fclose(f);
}
