// SPDX-License-Identifier: GPL-2.0
/* keyfile.c - load and generate the cluster key file (keyfile.h, docs/security.md). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/random.h>
#include <sys/stat.h>
#include "keyfile.h"

#define KEYFILE_MAX_BYTES 4096	/* a few keys and comments; anything bigger is not ours */
#define KEY_ID_MAX	0x7fffffffu

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* One "ID HEX" line (comments and blanks already skipped); 0 or -1. */
static int parse_line(const char *s, uint32_t *id, uint8_t key[DVKP_KEY_BYTES])
{
	unsigned long v;
	char *end;
	int i;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || v > KEY_ID_MAX || (*end != ' ' && *end != '\t'))
		return -1;
	*id = (uint32_t)v;
	while (*end == ' ' || *end == '\t')
		end++;
	for (i = 0; i < DVKP_KEY_BYTES; i++) {
		int hi = hexval(end[2 * i]), lo = hi < 0 ? -1 : hexval(end[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -1;
		key[i] = (uint8_t)(hi << 4 | lo);
	}
	end += 2 * DVKP_KEY_BYTES;
	while (*end == ' ' || *end == '\t' || *end == '\r')
		end++;
	return *end ? -1 : 0;
}

/* Insert keeping the highest id first. */
static void insert(struct dvkp_keys *k, uint32_t id, const uint8_t key[DVKP_KEY_BYTES])
{
	int i = k->n++;

	for (; i > 0 && k->id[i - 1] < id; i--) {
		k->id[i] = k->id[i - 1];
		memcpy(k->key[i], k->key[i - 1], DVKP_KEY_BYTES);
	}
	k->id[i] = id;
	memcpy(k->key[i], key, DVKP_KEY_BYTES);
}

static int parse(char *text, struct dvkp_keys *k, const char *path, char *err, size_t errlen)
{
	uint8_t key[DVKP_KEY_BYTES];
	char *line, *save = NULL;
	int lineno = 0, r = 0;
	uint32_t id;

	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		lineno++;	/* counts non-empty lines only: strtok skips blank ones */
		while (*line == ' ' || *line == '\t')
			line++;
		if (*line == '#' || *line == '\0' || *line == '\r')
			continue;
		if (parse_line(line, &id, key)) {
			r = fail(err, errlen, "%s: line %d is not 'ID HEX' with 64 hex digits",
				 path, lineno);
			break;
		}
		if (dvkp_keys_find(k, id) >= 0) {
			r = fail(err, errlen, "%s: key id %u appears twice", path, id);
			break;
		}
		if (k->n == DVKP_MAX_KEYS) {
			r = fail(err, errlen, "%s: more than %d keys", path, DVKP_MAX_KEYS);
			break;
		}
		insert(k, id, key);
	}
	explicit_bzero(key, sizeof(key));
	if (!r && k->n == 0)
		r = fail(err, errlen, "%s: no key in the file", path);
	return r;
}

/* Read a key file after checking who may read it; the text in @buf. */
static int read_private(const char *path, char *buf, size_t size, char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	struct stat st;
	ssize_t n;

	if (fd < 0)
		return fail(err, errlen, "%s: %s", path, strerror(errno));
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return fail(err, errlen, "%s: not a regular file", path);
	}
	if (st.st_uid != 0 && st.st_uid != geteuid()) {
		close(fd);
		return fail(err, errlen, "%s: owned by uid %u, not by root or us", path,
			    (unsigned)st.st_uid);
	}
	if (st.st_mode & 077) {
		close(fd);
		return fail(err, errlen, "%s: mode %03o lets others read or change the key "
			    "(chmod 600 it)", path, (unsigned)(st.st_mode & 0777));
	}
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return fail(err, errlen, "%s: %s", path, strerror(errno));
	if ((size_t)n == size - 1)
		return fail(err, errlen, "%s: larger than %zu bytes", path, size - 2);
	buf[n] = '\0';
	return 0;
}

int dvkp_keys_load(const char *path, struct dvkp_keys *k, char *err, size_t errlen)
{
	char buf[KEYFILE_MAX_BYTES];
	int r;

	memset(k, 0, sizeof(*k));
	r = read_private(path, buf, sizeof(buf), err, errlen);
	if (!r)
		r = parse(buf, k, path, err, errlen);
	explicit_bzero(buf, sizeof(buf));
	if (r)
		dvkp_keys_wipe(k);
	return r;
}

int dvkp_keys_find(const struct dvkp_keys *k, uint32_t id)
{
	for (int i = 0; i < k->n; i++)
		if (k->id[i] == id)
			return i;
	return -1;
}

void dvkp_keys_wipe(struct dvkp_keys *k)
{
	explicit_bzero(k, sizeof(*k));
}

/* Write @text to a new file next to @path, then rename it over @path. */
static int replace_file(const char *path, const char *text, int excl, char *err, size_t errlen)
{
	char tmp[4096];
	int fd, ok;

	if (excl) {	/* never overwrite a key by accident */
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd < 0)
			return fail(err, errlen, "%s: %s", path, strerror(errno));
	} else {
		snprintf(tmp, sizeof(tmp), "%s.new", path);
		fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd < 0)
			return fail(err, errlen, "%s: %s", tmp, strerror(errno));
	}
	ok = write(fd, text, strlen(text)) == (ssize_t)strlen(text) && fsync(fd) == 0;
	ok = close(fd) == 0 && ok;
	if (!excl)
		ok = ok && rename(tmp, path) == 0;
	if (!ok) {
		fail(err, errlen, "%s: %s", path, strerror(errno));
		unlink(excl ? path : tmp);
		return -1;
	}
	return 0;
}

long dvkp_keys_generate(const char *path, int add, char *err, size_t errlen)
{
	char text[KEYFILE_MAX_BYTES], *p = text;
	uint8_t key[DVKP_KEY_BYTES];
	struct dvkp_keys k = { 0 };
	uint32_t id = 1;
	int r;

	if (add) {
		if (dvkp_keys_load(path, &k, err, errlen))
			return -1;
		if (k.n == DVKP_MAX_KEYS) {
			dvkp_keys_wipe(&k);
			return fail(err, errlen, "%s: already holds %d keys: remove the old one "
				    "first", path, DVKP_MAX_KEYS);
		}
		if (k.id[0] == KEY_ID_MAX) {
			dvkp_keys_wipe(&k);
			return fail(err, errlen, "%s: key id %u is the last one: renumber the keys "
				    "first", path, KEY_ID_MAX);
		}
		id = k.id[0] + 1;
	}
	if (getrandom(key, sizeof(key), 0) != (ssize_t)sizeof(key)) {
		dvkp_keys_wipe(&k);
		return fail(err, errlen, "getrandom: %s", strerror(errno));
	}
	insert(&k, id, key);
	p += sprintf(p, "# dvk cluster key file (docs/security.md): 'ID HEX', the highest\n"
		     "# id both ends hold secures a link.  Keep it mode 600, owned by root.\n");
	for (int i = 0; i < k.n; i++) {
		p += sprintf(p, "%u ", k.id[i]);
		for (int j = 0; j < DVKP_KEY_BYTES; j++)
			p += sprintf(p, "%02x", k.key[i][j]);
		*p++ = '\n';
	}
	*p = '\0';
	r = replace_file(path, text, !add, err, errlen);
	explicit_bzero(text, sizeof(text));
	explicit_bzero(key, sizeof(key));
	dvkp_keys_wipe(&k);
	return r ? -1 : (long)id;
}
