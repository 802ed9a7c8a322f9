// SPDX-License-Identifier: GPL-2.0
/*
 * test_proxy_log.c - dvk-proxy's logger and stats file, without dvk.ko
 * (tools/dvk-proxy/log.c linked in):
 *  - with JOURNAL_STREAM naming stderr's device:inode (what systemd sets),
 *    or --log-format journal, lines start with <N> (syslog level) and carry
 *    no epoch timestamp; with the variable naming another stream, or unset,
 *    they keep the "SECONDS.MS dvk-proxy[A->B]: " format;
 *  - the log level filters;
 *  - a reader of --stats-file racing the writer never sees a partial or
 *    empty file (temp file + rename), where a plain rewrite would show one.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include "check.h"
#include "proxy.h"

struct proxy_opts opts = { .local_node = 0, .node = 1, .pair = 1, .name = "node1" };
atomic_int stopping;

static char dir[] = "/tmp/test_proxy_log.XXXXXX";

/* Log a few lines with stderr on a file; its contents in @buf. */
static void capture(const char *journal_env, int format, char *buf, size_t size)
{
	char path[64], env[64];
	int saved = dup(2), fd;
	struct stat st;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/log", dir);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	fflush(stderr);
	dup2(fd, 2);
	fstat(fd, &st);
	if (!journal_env) {
		unsetenv("JOURNAL_STREAM");
	} else if (!strcmp(journal_env, "self")) {
		snprintf(env, sizeof(env), "%lu:%lu", (unsigned long)st.st_dev, (unsigned long)st.st_ino);
		setenv("JOURNAL_STREAM", env, 1);
	} else {
		snprintf(env, sizeof(env), "%lu:%lu", (unsigned long)st.st_dev,
			 (unsigned long)st.st_ino + 1);	/* another stream: inherited, stderr redirected */
		setenv("JOURNAL_STREAM", env, 1);
	}
	opts.log_format = format;
	opts.log_level = PL_INFO;
	log_setup();
	plog(PL_ERR, "an error");
	plog(PL_INFO, "some news");
	plog(PL_DEBUG, "a detail");
	pfatal("the end");
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	f = fdopen(fd, "r");
	rewind(f);
	n = fread(buf, 1, size - 1, f);
	buf[n] = '\0';
	fclose(f);
}

static int matches(const char *text, const char *re)
{
	regex_t r;
	int ok;

	if (regcomp(&r, re, REG_EXTENDED | REG_NEWLINE | REG_NOSUB))
		return 0;
	ok = !regexec(&r, text, 0, NULL, 0);
	regfree(&r);
	return ok;
}

static void check_journal(const char *what, const char *env, int format)
{
	static const char want[] = "<3>[0->1] an error\n<6>[0->1] some news\n<3>dvk-proxy: the end\n";
	char buf[1024];

	capture(env, format, buf, sizeof(buf));
	check_report(!strcmp(buf, want), what, "got '%s', want '%s'", buf, want);
}

static void check_text(const char *what, const char *env, int format)
{
	char buf[1024];

	capture(env, format, buf, sizeof(buf));
	check_report(matches(buf, "^[0-9]{10,}\\.[0-9]{3} dvk-proxy\\[0->1\\]: an error\n"
			     "[0-9]{10,}\\.[0-9]{3} dvk-proxy\\[0->1\\]: some news\n"
			     "dvk-proxy: the end\n$") && !strchr(buf, '<'), what, "got '%s'", buf);
}

/* The stats file race: a writer rewriting it, a reader checking each read. */
static atomic_int racing, plain_writer;
static char stats_path[64];

static void *writer(void *arg)
{
	(void)arg;
	while (atomic_load(&racing)) {
		atomic_fetch_add(&stats.msgs_out, 1);
		if (atomic_load(&plain_writer)) {	/* the way not to do it */
			FILE *f = fopen(stats_path, "w");

			if (f) {
				stats_print(f);
				fclose(f);
			}
		} else {
			stats_file();
		}
	}
	return NULL;
}

/* Read the file for @ms while the writer runs: *reads, and the bad ones. */
static int race(int plain, int ms, int *reads)
{
	struct timespec t0, t;
	char buf[8192];
	pthread_t th;
	int bad = 0;

	atomic_store(&plain_writer, plain);
	atomic_store(&racing, 1);
	*reads = 0;
	pthread_create(&th, NULL, writer, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		FILE *f = fopen(stats_path, "r");
		size_t n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;

		if (f)
			fclose(f);
		buf[n] = '\0';
		/* whole: from its first line to its last, ended */
		if (!f || strncmp(buf, "peer=1 name=node1 pair=1\n", 25) ||
		    !strstr(buf, "\nlast_error=") || buf[n - 1] != '\n')
			bad++;
		(*reads)++;
		clock_gettime(CLOCK_MONOTONIC, &t);
	} while ((t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000 < ms);
	atomic_store(&racing, 0);
	pthread_join(th, NULL);
	return bad;
}

int main(void)
{
	int reads, bad;

	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	check_journal("proxy log: JOURNAL_STREAM = stderr's dev:ino -> <3>/<6> prefixes, no timestamp, debug filtered",
		      "self", LOG_FMT_AUTO);
	check_journal("proxy log: --log-format journal without JOURNAL_STREAM -> <N> prefixes", NULL,
		      LOG_FMT_JOURNAL);
	check_text("proxy log: JOURNAL_STREAM naming another stream -> today's timestamped format",
		   "other", LOG_FMT_AUTO);
	check_text("proxy log: no JOURNAL_STREAM -> today's timestamped format", NULL, LOG_FMT_AUTO);
	check_text("proxy log: --log-format text under the journal -> timestamped format", "self",
		   LOG_FMT_TEXT);

	snprintf(stats_path, sizeof(stats_path), "%s/proxy.stats", dir);
	opts.stats_file = stats_path;
	stats_file();
	bad = race(0, 1500, &reads);
	check_report(bad == 0 && reads > 100, "proxy stats file: a concurrent reader never sees it partial or empty",
		     "%d of %d reads partial or empty", bad, reads);
	bad = race(1, 1500, &reads);
	check_report(bad > 0, "proxy stats file: the same reader does catch a plain (non-atomic) rewrite",
		     "0 of %d reads partial: the race check could not fail", reads);
	unlink(stats_path);
	snprintf(stats_path, sizeof(stats_path), "%s/proxy.stats.tmp", dir);
	unlink(stats_path);
	snprintf(stats_path, sizeof(stats_path), "%s/log", dir);
	unlink(stats_path);
	rmdir(dir);
	return check_failures ? 1 : 0;
}
