// SPDX-License-Identifier: GPL-2.0
/* log.c - dvk-proxy's log lines (to a terminal, a file or the journal) and counters (proxy.h). */
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdarg.h>
#include <stdlib.h>
#include <syslog.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include "proxy.h"

struct proxy_stats stats = { .key_in = -1, .key_out = -1 };

_Static_assert(PL_ERR == LOG_ERR && PL_WARNING == LOG_WARNING && PL_NOTICE == LOG_NOTICE &&
	       PL_INFO == LOG_INFO && PL_DEBUG == LOG_DEBUG, "journald reads syslog's numbers");

static int journal;

/*
 * systemd sets JOURNAL_STREAM to "DEVICE:INODE" of the stream it connects
 * to stderr (systemd.exec(5)); a child whose stderr was redirected inherits
 * the variable but not the stream, hence the comparison with fd 2.
 */
void log_setup(void)
{
	const char *e = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;
	char end;

	if (opts.log_format != LOG_FMT_AUTO) {
		journal = opts.log_format == LOG_FMT_JOURNAL;
		return;
	}
	journal = e && sscanf(e, "%llu:%llu%c", &dev, &ino, &end) == 2 && !fstat(2, &st) &&
		  (unsigned long long)st.st_dev == dev && (unsigned long long)st.st_ino == ino;
}

int log_to_journal(void)
{
	return journal;
}

void plog(int level, const char *fmt, ...)
{
	struct timespec ts;
	char line[512];
	va_list ap;

	if (level > opts.log_level)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (journal) {	/* journald stamps the time itself */
		fprintf(stderr, "<%d>[%d->%d] %s\n", level, opts.local_node, opts.node, line);
		return;
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	fprintf(stderr, "%ld.%03ld dvk-proxy[%d->%d]: %s\n", (long)ts.tv_sec,
		ts.tv_nsec / 1000000, opts.local_node, opts.node, line);
}

void pfatal(const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	fprintf(stderr, "%sdvk-proxy: %s\n", journal ? "<3>" : "", line);
}

void sleep_ms(int ms)
{
	for (; ms > 0 && !atomic_load(&stopping); ms -= 10)
		usleep(ms < 10 ? ms * 1000 : 10000);
}

void stats_print(FILE *f)
{
	fprintf(f, "peer=%d name=%s pair=%d\n", opts.node, opts.name, opts.pair);
	fprintf(f, "out: msgs=%lu bytes=%lu heartbeats=%lu lost=%lu get2rmt_errors=%lu "
		"connects=%lu disconnects=%lu\n", atomic_load(&stats.msgs_out),
		atomic_load(&stats.bytes_out), atomic_load(&stats.heartbeats_out),
		atomic_load(&stats.lost_out), atomic_load(&stats.get2rmt_errors),
		atomic_load(&stats.connects_out), atomic_load(&stats.disconnects_out));
	fprintf(f, "in: msgs=%lu bytes=%lu heartbeats=%lu put2lcl_errors=%lu retries=%lu "
		"accepts=%lu disconnects=%lu replaced=%lu\n", atomic_load(&stats.msgs_in),
		atomic_load(&stats.bytes_in), atomic_load(&stats.heartbeats_in),
		atomic_load(&stats.put2lcl_errors), atomic_load(&stats.put2lcl_retries),
		atomic_load(&stats.accepts), atomic_load(&stats.disconnects_in),
		atomic_load(&stats.replaced_in));
	fprintf(f, "link: mode=%s key_out=%ld key_in=%ld handshakes_out=%lu handshake_fails_out=%lu "
		"rekeys_out=%lu handshakes_in=%lu handovers_in=%lu\n",
		opts.mode == LINK_ENCRYPT ? "encrypt" : opts.mode == LINK_AUTH ? "auth" : "plain",
		atomic_load(&stats.key_out), atomic_load(&stats.key_in),
		atomic_load(&stats.handshakes_out), atomic_load(&stats.handshake_fails_out),
		atomic_load(&stats.rekeys_out), atomic_load(&stats.handshakes_in),
		atomic_load(&stats.handovers_in));
	fprintf(f, "frame_errors:");
	for (int i = 1; i < DVKP_NERR; i++)
		fprintf(f, " %s=%lu", dvkp_strerr(i), atomic_load(&stats.frame_errors[i]));
	fprintf(f, "\nlast_error=%ld\n", atomic_load(&stats.last_error));
	fflush(f);
}

/*
 * The counters into --stats-file: written to FILE.tmp and renamed over FILE,
 * so a reader never sees a half-written or empty file (it is rewritten every
 * second).  Never through a symbolic link (we run as root): O_NOFOLLOW on
 * the temporary file, and rename() replaces a link, it does not follow it.
 */
void stats_file(void)
{
	char tmp[PATH_MAX];
	bool ok;
	int fd;
	FILE *f;

	if (!opts.stats_file ||
	    snprintf(tmp, sizeof(tmp), "%s.tmp", opts.stats_file) >= (int)sizeof(tmp))
		return;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0 || !(f = fdopen(fd, "w"))) {
		if (fd >= 0)
			close(fd);
		return;
	}
	stats_print(f);
	ok = !ferror(f);
	ok = fclose(f) == 0 && ok;
	if (!ok || rename(tmp, opts.stats_file))
		unlink(tmp);
}

