// SPDX-License-Identifier: GPL-2.0
/*
 * test_dvkarchive.c - host unit tests of lib/dvkarchive: captures opened
 * from .tar.gz, .tar.zst and directories; the manifest's lookups and its
 * schema check; and hostile archives (names with "..", absolute names,
 * links) refused before anything is written outside the temporary directory.
 */
#define _GNU_SOURCE
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "dvkarchive/dvkarchive.h"
#include "check.h"

static char work[4096];

static void put_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (!f || fputs(text, f) < 0 || fclose(f)) {
		perror(path);
		exit(2);
	}
}

static int sh(const char *fmt, const char *arg)
{
	char cmd[8192];

	snprintf(cmd, sizeof(cmd), fmt, arg, arg, arg);
	return system(cmd);
}

/* work/cap/dvk-capture-h-1/{manifest.json,samples.jsonl}, SCHEMA in the manifest */
static void make_capture(const char *dir, const char *schema)
{
	char p[8192];

	snprintf(p, sizeof(p), "%s/dvk-capture-h-1", dir);
	mkdir(dir, 0700);
	mkdir(p, 0700);
	snprintf(p, sizeof(p), "%s/dvk-capture-h-1/manifest.json", dir);
	FILE *f = fopen(p, "w");

	fprintf(f, "{\"schema\":\"%s\",\"host\":\"h\",\"node\":{\"id\":1,\"name\":\"n1\"},"
		"\"window\":{\"start\":{\"monotonic_ns\":1234567890123456789}}}\n", schema);
	fclose(f);
	snprintf(p, sizeof(p), "%s/dvk-capture-h-1/samples.jsonl", dir);
	put_file(p, "{}\n");
}

static void test_archive(const char *what, const char *tar_flags, const char *suffix)
{
	char arch[4200], name[128], p[16384], err[256], tmp[4096];
	struct dvk_capture c;
	struct stat st;
	int rc;

	snprintf(arch, sizeof(arch), "%s/cap%s", work, suffix);
	snprintf(p, sizeof(p), "tar -C %s/cap %s -cf %s dvk-capture-h-1", work, tar_flags, arch);
	if (system(p)) {
		check_skip(what, "tar cannot make this archive here");
		return;
	}
	rc = dvk_capture_open(arch, &c, err, sizeof(err));
	snprintf(name, sizeof(name), "%s: opens", what);
	CHECK(name, rc == 0, "rc %d: %s", rc, err);
	snprintf(name, sizeof(name), "%s: root is the one top directory", what);
	CHECK(name, strstr(c.root, "/dvk-capture-h-1") && c.tmpdir[0], "root %s", c.root);
	snprintf(name, sizeof(name), "%s: manifest fields by dotted path", what);
	CHECK(name, !strcmp(dvk_manifest_str(&c, "node.name", "?"), "n1") &&
	      dvk_manifest_i64(&c, "node.id", -9) == 1 &&
	      dvk_manifest_i64(&c, "window.start.monotonic_ns", 0) == 1234567890123456789LL &&
	      dvk_manifest_i64(&c, "window.end.monotonic_ns", -5) == -5 &&
	      !strcmp(dvk_manifest_str(&c, "node.id", "dflt"), "dflt"),
	      "node.name %s node.id %lld", dvk_manifest_str(&c, "node.name", "?"),
	      (long long)dvk_manifest_i64(&c, "node.id", -9));
	snprintf(name, sizeof(name), "%s: members found, a missing one -ENOENT", what);
	rc = dvk_capture_member(&c, "samples.jsonl", p, sizeof(p));
	CHECK(name, rc == 0 && !stat(p, &st) && st.st_size == 3 &&
	      dvk_capture_member(&c, "trace.dat", p, sizeof(p)) == -ENOENT, "rc %d", rc);
	snprintf(tmp, sizeof(tmp), "%s", c.tmpdir);
	dvk_capture_close(&c);
	snprintf(name, sizeof(name), "%s: close removes the extracted copy", what);
	CHECK(name, stat(tmp, &st) && errno == ENOENT, "%s still there", tmp);
}

static void test_dirs(void)
{
	char p[8192], err[256];
	struct dvk_capture c;
	int rc;

	snprintf(p, sizeof(p), "%s/cap/dvk-capture-h-1", work);
	rc = dvk_capture_open(p, &c, err, sizeof(err));
	CHECK("capture directory opens in place", rc == 0 && !c.tmpdir[0] && !strcmp(c.root, p),
	      "rc %d %s root %s", rc, err, c.root);
	dvk_capture_close(&c);
	snprintf(p, sizeof(p), "%s/cap", work);
	rc = dvk_capture_open(p, &c, err, sizeof(err));
	CHECK("a directory holding one capture opens", rc == 0 && strstr(c.root, "/cap/dvk-capture-h-1"),
	      "rc %d %s", rc, err);
	dvk_capture_close(&c);
	snprintf(p, sizeof(p), "%s/two", work);
	make_capture(p, "dvk-capture/1");
	sh("cp -r %s/dvk-capture-h-1 %s/dvk-capture-h-2", p);
	rc = dvk_capture_open(p, &c, err, sizeof(err));
	CHECK("a directory of two captures: -EINVAL, says to name one", rc == -EINVAL && strstr(err, "name one"),
	      "rc %d %s", rc, err);
	dvk_capture_close(&c);
	rc = dvk_capture_open(work, &c, err, sizeof(err));
	CHECK("a directory without a manifest: -ENOENT", rc == -ENOENT && strstr(err, "no manifest.json"),
	      "rc %d %s", rc, err);
	dvk_capture_close(&c);
}

static void test_manifests(void)
{
	char p[8192], err[256];
	struct dvk_capture c;
	int rc;

	snprintf(p, sizeof(p), "%s/v2", work);
	make_capture(p, "dvk-capture/2");
	rc = dvk_capture_open(p, &c, err, sizeof(err));
	CHECK("schema dvk-capture/2 refused, named", rc == -EINVAL && strstr(err, "dvk-capture/2"),
	      "rc %d %s", rc, err);
	dvk_capture_close(&c);
	snprintf(p, sizeof(p), "%s/v1minor", work);
	make_capture(p, "dvk-capture/1.3");
	rc = dvk_capture_open(p, &c, err, sizeof(err));
	CHECK("schema dvk-capture/1.3 (a later minor) read", rc == 0, "rc %d %s", rc, err);
	dvk_capture_close(&c);
	snprintf(p, sizeof(p), "%s/v10", work);
	make_capture(p, "dvk-capture/10");
	rc = dvk_capture_open(p, &c, err, sizeof(err));
	CHECK("schema dvk-capture/10 is not major 1", rc == -EINVAL, "rc %d %s", rc, err);
	dvk_capture_close(&c);
	snprintf(p, sizeof(p), "%s/v1minor/dvk-capture-h-1/manifest.json", work);
	put_file(p, "[1,2]");
	snprintf(p, sizeof(p), "%s/v1minor", work);
	rc = dvk_capture_open(p, &c, err, sizeof(err));
	CHECK("a manifest that is not an object: -EINVAL", rc == -EINVAL && strstr(err, "not a JSON object"),
	      "rc %d %s", rc, err);
	dvk_capture_close(&c);
	snprintf(p, sizeof(p), "%s/plain.tar.gz", work);
	put_file(p, "this is no archive at all\n");
	rc = dvk_capture_open(p, &c, err, sizeof(err));
	CHECK("a text file: -EINVAL, not a capture archive", rc == -EINVAL, "rc %d %s", rc, err);
	dvk_capture_close(&c);
	rc = dvk_capture_open("/nonexistent/x.tar.gz", &c, err, sizeof(err));
	CHECK("a missing path: -ENOENT", rc == -ENOENT, "rc %d %s", rc, err);
	dvk_capture_close(&c);
}

/* A tar.gz with the members NAMES (a name starting with "@" is a symlink to /etc). */
static void hostile(const char *path, const char *const *names)
{
	struct archive *a = archive_write_new();

	archive_write_add_filter_gzip(a);
	archive_write_set_format_pax_restricted(a);
	archive_write_open_filename(a, path);
	for (; *names; names++) {
		struct archive_entry *e = archive_entry_new();
		int link = **names == '@';

		archive_entry_set_pathname(e, *names + link);
		archive_entry_set_filetype(e, link ? AE_IFLNK : AE_IFREG);
		if (link)
			archive_entry_set_symlink(e, "/etc");
		archive_entry_set_perm(e, 0644);
		archive_entry_set_size(e, link ? 0 : 4);
		archive_write_header(a, e);
		if (!link)
			archive_write_data(a, "pwn\n", 4);
		archive_entry_free(e);
	}
	archive_write_close(a);
	archive_write_free(a);
}

static void test_hostile(void)
{
	static const char *const dotdot[] = { "cap/manifest.json", "cap/../../escaped", NULL };
	static const char *const absolute[] = { "/tmp/dvkarchive-absolute", NULL };
	static const char *const symlink[] = { "@cap/etc", "cap/etc/passwd-dvk", NULL };
	char p[8192], err[256], tmpdir[4200];
	struct dvk_capture c;
	struct stat st;
	int rc;

	/* extraction happens below TMPDIR = work/t: escaping would land in work/ */
	snprintf(tmpdir, sizeof(tmpdir), "%s/t", work);
	mkdir(tmpdir, 0700);
	setenv("TMPDIR", tmpdir, 1);
	snprintf(p, sizeof(p), "%s/dotdot.tar.gz", work);
	hostile(p, dotdot);
	rc = dvk_capture_open(p, &c, err, sizeof(err));
	dvk_capture_close(&c);
	snprintf(p, sizeof(p), "%s/escaped", work);
	CHECK("a member with \"..\" refused, nothing written outside",
	      rc == -EINVAL && strstr(err, "unsafe member") && stat(p, &st), "rc %d %s", rc, err);
	snprintf(p, sizeof(p), "%s/absolute.tar.gz", work);
	hostile(p, absolute);
	rc = dvk_capture_open(p, &c, err, sizeof(err));
	dvk_capture_close(&c);
	CHECK("an absolute member refused", rc == -EINVAL && stat("/tmp/dvkarchive-absolute", &st),
	      "rc %d %s", rc, err);
	snprintf(p, sizeof(p), "%s/symlink.tar.gz", work);
	hostile(p, symlink);
	rc = dvk_capture_open(p, &c, err, sizeof(err));
	dvk_capture_close(&c);
	CHECK("a symlink member refused (no write through it)",
	      rc == -EINVAL && strstr(err, "not a regular file") && stat("/etc/passwd-dvk", &st),
	      "rc %d %s", rc, err);
	snprintf(p, sizeof(p), "rmdir %s", tmpdir);
	CHECK("every refused archive's temporary directory removed", system(p) == 0, "%s not empty", tmpdir);
	unsetenv("TMPDIR");
}

int main(void)
{
	char p[8192];

	snprintf(work, sizeof(work), "/tmp/test_dvkarchive-XXXXXX");
	if (!mkdtemp(work))
		return 2;
	snprintf(p, sizeof(p), "%s/cap", work);
	make_capture(p, "dvk-capture/1");
	test_archive("tar.gz", "-z", ".tar.gz");
	test_archive("tar.zst", "--zstd", ".tar.zst");
	test_dirs();
	test_manifests();
	test_hostile();
	sh("rm -rf %s", work);
	return CHECK_EXIT();
}
