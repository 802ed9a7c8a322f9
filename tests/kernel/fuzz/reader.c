// SPDX-License-Identifier: GPL-2.0
/*
 * reader.c - a process that reads the views while the actors change what
 * they show: /proc/dvs (the DVS, every DC's procs, stats, ipcto, dvkcalls,
 * the nodes and proxies) and debugfs dvk/ (endpoints, proxies, bindwaits).
 * DCs, slots and pairs come and go under it (dc_end, unbind, exits), the
 * race the views' locking must survive.  With --user it reads as uid
 * 65534, through the views' filtering of others' processes.  Errors of a
 * read (a DC gone between the listing and the open) are expected; only its
 * death counts (the supervisor judges it like a worker).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <glob.h>
#include <grp.h>
#include <signal.h>
#include <unistd.h>
#include <sys/prctl.h>
#include "fuzz.h"

static const char *const patterns[] = {
	"/proc/dvs/*", "/proc/dvs/*/*", "/sys/kernel/debug/dvk/*",
};

/* The view files that exist now. */
static void list_views(glob_t *g)
{
	globfree(g);
	for (size_t i = 0; i < sizeof(patterns) / sizeof(patterns[0]); i++)
		glob(patterns[i], i ? GLOB_APPEND : 0, NULL, g);
}

static void read_view(const char *path)
{
	char buf[4096];
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0)
		return;
	while (read(fd, buf, sizeof(buf)) > 0)
		;
	close(fd);
}

/* The reader's loop (in its own process, forked by the supervisor); never returns. */
void fz_reader_main(uint64_t seed, int user)
{
	glob_t g = { 0 };
	uint64_t r = seed;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (user && geteuid() == 0 && (setgroups(0, NULL) ||
				       setresgid(FZ_USER_UID, FZ_USER_UID, FZ_USER_UID) ||
				       setresuid(FZ_USER_UID, FZ_USER_UID, FZ_USER_UID)))
		_exit(3);
	for (unsigned n = 0; !fz->stop; n++) {
		if (n % 64 == 0)
			list_views(&g);
		if (g.gl_pathc)
			read_view(g.gl_pathv[fz_below(&r, g.gl_pathc)]);
		usleep(2000);	/* a steady trickle, not a fight with the actors for the CPU */
	}
	_exit(0);
}
