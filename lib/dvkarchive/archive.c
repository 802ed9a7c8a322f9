// SPDX-License-Identifier: GPL-2.0
/*
 * archive.c - find a capture's directory, extracting an archive first.
 *
 * The archive may come from another host: every member is checked before a
 * byte is written (safe_member), only regular files and directories are
 * made, files are created O_EXCL|O_NOFOLLOW inside our own mkdtemp()
 * directory, and the total is capped.  libarchive does the reading and the
 * decompression (gzip, zstd, xz... whatever it was built with).
 */
#define _GNU_SOURCE
#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "dvkarchive.h"
#include "manifest.h"

int dvk_capture_errf(char *err, size_t len, int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
	return rc;
}

/* BUF = A/B, or 0 when it does not fit */
static int join(char *buf, size_t len, const char *a, const char *b)
{
	int n = snprintf(buf, len, "%s/%s", a, b);

	return n > 0 && (size_t)n < len;
}

/* A member name we are willing to create: relative, no "..", no empty part. */
static int safe_member(const char *name)
{
	const char *p = name;

	if (!*name || *name == '/' || strlen(name) >= 1024)
		return 0;
	while (*p) {
		size_t n = strcspn(p, "/");

		if ((n == 2 && !strncmp(p, "..", 2)) || (n == 0 && p != name && p[1]))
			return 0;
		p += n;
		if (*p == '/')
			p++;
	}
	return 1;
}

/* mkdir -p of NAME's directories below BASE (NAME already checked safe). */
static int make_parents(const char *base, const char *name, int include_last)
{
	char path[8192];
	size_t blen = strlen(base);
	const char *p = name;

	if (blen + strlen(name) + 2 > sizeof(path))
		return -ENAMETOOLONG;
	memcpy(path, base, blen);
	path[blen++] = '/';
	for (;;) {
		const char *slash = strchr(p, '/');

		if (!slash && !include_last)
			return 0;
		size_t n = slash ? (size_t)(slash - name) : strlen(name);

		memcpy(path + blen, name, n);
		path[blen + n] = '\0';
		if (n && mkdir(path, 0700) && errno != EEXIST)
			return -errno;
		if (!slash)
			return 0;
		p = slash + 1;
	}
}

static int write_all(int fd, const void *buf, size_t len)
{
	const char *b = buf;

	while (len) {
		ssize_t w = write(fd, b, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno;
		b += w;
		len -= (size_t)w;
	}
	return 0;
}

/* Copy the current member's data into BASE/NAME; *total counts the bytes. */
static int extract_file(struct archive *ar, const char *base, const char *name,
			uint64_t *total, char *err, size_t errlen)
{
	char path[8192];
	const void *buf;
	size_t size;
	int64_t off;
	int fd, rc = 0, r;

	if (!join(path, sizeof(path), base, name))
		return dvk_capture_errf(err, errlen, -ENAMETOOLONG, "%s: name too long", name);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return dvk_capture_errf(err, errlen, -errno, "cannot create %s: %s", path, strerror(errno));
	while ((r = archive_read_data_block(ar, &buf, &size, &off)) == ARCHIVE_OK) {
		*total += size;
		if (*total > DVK_CAPTURE_MAX_BYTES) {
			rc = dvk_capture_errf(err, errlen, -EFBIG, "archive unpacks to more than %llu bytes",
					      (unsigned long long)DVK_CAPTURE_MAX_BYTES);
			break;
		}
		/* sparse members: the offset says where this block goes */
		if (lseek(fd, (off_t)off, SEEK_SET) < 0 || (rc = write_all(fd, buf, size))) {
			rc = rc ? rc : -errno;
			dvk_capture_errf(err, errlen, rc, "cannot write %s: %s", path, strerror(-rc));
			break;
		}
	}
	if (!rc && r != ARCHIVE_EOF)
		rc = dvk_capture_errf(err, errlen, -EINVAL, "%s: %s", name, archive_error_string(ar));
	if (close(fd) && !rc)
		rc = dvk_capture_errf(err, errlen, -errno, "cannot write %s: %s", path, strerror(errno));
	return rc;
}

/* One member: check it, then make the directory or the file. */
static int extract_member(struct archive *ar, struct archive_entry *e, const char *base,
			  uint64_t *total, char *err, size_t errlen)
{
	const char *name = archive_entry_pathname(e);
	mode_t type = archive_entry_filetype(e);
	int rc;

	if (!name || !safe_member(name))
		return dvk_capture_errf(err, errlen, -EINVAL, "unsafe member name \"%s\"", name ? name : "");
	if (archive_entry_hardlink(e) || (type != AE_IFREG && type != AE_IFDIR))
		return dvk_capture_errf(err, errlen, -EINVAL,
					"member \"%s\" is not a regular file or directory", name);
	rc = make_parents(base, name, type == AE_IFDIR);
	if (rc)
		return dvk_capture_errf(err, errlen, rc, "cannot create the directories of %s: %s",
					name, strerror(-rc));
	return type == AE_IFREG ? extract_file(ar, base, name, total, err, errlen) : 0;
}

static int extract(const char *path, const char *base, char *err, size_t errlen)
{
	struct archive *ar = archive_read_new();
	struct archive_entry *e;
	uint64_t total = 0;
	int rc = 0, r;

	if (!ar)
		return dvk_capture_errf(err, errlen, -ENOMEM, "out of memory");
	archive_read_support_filter_all(ar);
	archive_read_support_format_tar(ar);
	if (archive_read_open_filename(ar, path, 65536) != ARCHIVE_OK) {
		rc = dvk_capture_errf(err, errlen, -EINVAL, "%s: not a capture archive: %s",
				      path, archive_error_string(ar));
		goto out;
	}
	while ((r = archive_read_next_header(ar, &e)) == ARCHIVE_OK) {
		rc = extract_member(ar, e, base, &total, err, errlen);
		if (rc)
			goto out;
	}
	if (r != ARCHIVE_EOF)
		rc = dvk_capture_errf(err, errlen, -EINVAL, "%s: %s", path, archive_error_string(ar));
out:
	archive_read_free(ar);
	return rc;
}

static int has_manifest(const char *dir)
{
	char p[8192];
	struct stat st;

	return join(p, sizeof(p), dir, "manifest.json") && !stat(p, &st) && S_ISREG(st.st_mode);
}

/* DIR itself, or the one directory in it, holds manifest.json. */
static int find_root(struct dvk_capture *c, const char *dir, char *err, size_t errlen)
{
	char sub[8192];
	struct dirent *d;
	DIR *dp;
	int found = 0;

	if (strlen(dir) >= sizeof(c->root))
		return dvk_capture_errf(err, errlen, -ENAMETOOLONG, "%s: name too long", dir);
	if (has_manifest(dir)) {
		memcpy(c->root, dir, strlen(dir) + 1);
		return 0;
	}
	dp = opendir(dir);
	if (!dp)
		return dvk_capture_errf(err, errlen, -errno, "%s: %s", dir, strerror(errno));
	while ((d = readdir(dp))) {
		if (d->d_name[0] == '.')
			continue;
		if (!join(sub, sizeof(c->root), dir, d->d_name) || !has_manifest(sub))
			continue;
		if (found++ == 0)
			memcpy(c->root, sub, strlen(sub) + 1);
	}
	closedir(dp);
	if (found == 1)
		return 0;
	return dvk_capture_errf(err, errlen, found ? -EINVAL : -ENOENT,
				found ? "%s holds %d captures: name one" : "%s: no manifest.json (not a capture)",
				dir, found);
}

int dvk_capture_open(const char *path, struct dvk_capture *c, char *err, size_t errlen)
{
	const char *tmp = getenv("TMPDIR");
	struct stat st;
	int rc;

	memset(c, 0, sizeof(*c));
	if (stat(path, &st))
		return dvk_capture_errf(err, errlen, -errno, "%s: %s", path, strerror(errno));
	if (S_ISDIR(st.st_mode)) {
		rc = find_root(c, path, err, errlen);
	} else {
		snprintf(c->tmpdir, sizeof(c->tmpdir), "%s/dvkcapture-XXXXXX", tmp && *tmp ? tmp : "/tmp");
		if (!mkdtemp(c->tmpdir)) {
			rc = dvk_capture_errf(err, errlen, -errno, "cannot make a directory in %s: %s",
					      tmp && *tmp ? tmp : "/tmp", strerror(errno));
			c->tmpdir[0] = '\0';
			return rc;
		}
		rc = extract(path, c->tmpdir, err, errlen);
		if (!rc)
			rc = find_root(c, c->tmpdir, err, errlen);
		if (rc == -ENOENT)
			dvk_capture_errf(err, errlen, rc, "%s: no manifest.json (not a capture)", path);
	}
	return rc ? rc : dvk_manifest_load(c, err, errlen);
}

int dvk_capture_member(const struct dvk_capture *c, const char *member, char *buf, size_t len)
{
	struct stat st;

	if (!join(buf, len, c->root, member))
		return -ENAMETOOLONG;
	return stat(buf, &st) ? -ENOENT : 0;
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)st; (void)flag; (void)f;
	return remove(path) ? -1 : 0;
}

void dvk_capture_close(struct dvk_capture *c)
{
	dvk_manifest_free(c);
	if (c->tmpdir[0])
		nftw(c->tmpdir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
	c->tmpdir[0] = '\0';
	c->root[0] = '\0';
}
