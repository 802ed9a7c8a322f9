// SPDX-License-Identifier: GPL-2.0
/*
 * checks.c - the state the fuzz starts from, and the checks once every
 * worker is gone: nothing of a dead process may stay in the kernel (a
 * bound slot, a proxy pair, a bind wait), and the DVS must still do its
 * job (end, start again, a DC, a bind, an unbind).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "check.h"
#include "fuzz.h"
#include "dvk_params.h"

const char *fz_callname(uint32_t w)
{
	if ((w & 0xff) || DVK_CALL_VERSION(w) > DVKIPC_VERSION || DVK_CALL_NR(w) >= DVK_NR_CALLS)
		return "malformed";
	return dvk_callname((int)DVK_CALL_NR(w));
}

/* As root: the DVS (if none runs) and the DCs the fuzz uses. */
void fz_setup_dvs(void)
{
	dvs_usr_t d = dvk_dvs_params("FUZZ");
	dvs_usr_t now;

	if (dvk_getdvsinfo(&now) == EDVSDVSINIT)
		dvk_dvs_init(0, &d);
	for (int i = 0; i < FZ_DCS; i++) {
		char name[16];
		dc_usr_t dc;

		snprintf(name, sizeof(name), "DC%d", i);
		dc = dvk_dc_params(i, name);
		dvk_dc_init(&dc);
	}
}

static int gone(int pid)
{
	return pid > 0 && kill(pid, 0) && errno == ESRCH;
}

/* Local slots of every running DC bound to a process that no longer exists. */
static int dead_slots(char *why, size_t n)
{
	int found = 0;

	for (int dc = 0; dc < NR_DCS; dc++) {
		dc_usr_t d;

		if (dvk_getdcinfo(dc, &d) || d.dc_flags != DC_RUNNING)
			continue;
		for (int p = -d.dc_nr_tasks; p < d.dc_nr_procs; p++) {
			proc_usr_t u;

			if (dvk_getprocinfo(dc, p, &u) || (u.p_rts_flags & (SLOT_FREE | REMOTE)) ||
			    !gone(u.p_lpid))
				continue;
			if (!found++)
				snprintf(why, n, "DC %d slot %d bound to pid %d, which is gone "
					 "(flags 0x%x)", dc, p, u.p_lpid, u.p_rts_flags);
		}
	}
	return found;
}

/* Proxy pairs whose proxies no longer exist. */
static int dead_pairs(char *why, size_t n)
{
	dvs_usr_t d;
	int found = 0;

	if (dvk_getdvsinfo(&d) < 0)
		return 0;
	for (int px = 0; px < d.d_nr_nodes; px++) {
		proc_usr_t s, r;

		if (dvk_getproxyinfo(px, &s, &r) || (!gone(s.p_lpid) && !gone(r.p_lpid)))
			continue;
		if (!found++)
			snprintf(why, n, "pair %d has proxies %d and %d, one of them gone", px,
				 s.p_lpid, r.p_lpid);
	}
	return found;
}

/* debugfs dvk/bindwaits rows of processes that are gone (none if unmounted). */
static int dead_waits(char *why, size_t n)
{
	FILE *f = fopen("/sys/kernel/debug/dvk/bindwaits", "r");
	char line[256];
	int pid, found = 0;

	while (f && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%d", &pid) == 1 && gone(pid) && !found++)
			snprintf(why, n, "bindwaits still lists pid %d: %s", pid, line);
	}
	if (f)
		fclose(f);
	return found;
}

/* The DVS ends and starts again, and a DC, a bind and an unbind work in it. */
static void still_works(const char *who)
{
	dvs_usr_t d = dvk_dvs_params("FUZZ2"), now;
	dc_usr_t dc = dvk_dc_params(0, "DC0");
	char name[128];
	long r;

	r = dvk_getdvsinfo(&now) >= 0 ? dvk_dvs_end() : OK;
	snprintf(name, sizeof(name), "fuzz (%s): dvs_end after the fuzz", who);
	CHECK_RC(name, r, OK);
	snprintf(name, sizeof(name), "fuzz (%s): then dvs_init, dc_init, bind, unbind, dvs_end",
		 who);
	r = dvk_dvs_init(0, &d);
	r = r ? r : dvk_dc_init(&dc);
	r = r ? r : dvk_bind(0, 1) == 1 ? OK : EDVSGENERIC;
	r = r ? r : dvk_unbind(0, 1);
	r = r ? r : dvk_dvs_end();
	CHECK_RC(name, r, OK);
}

/* After the run (root only): leaks, then a working DVS.  The number of failed checks. */
int fz_final_checks(void)
{
	const char *who = fz->replaying ? "replay" : fz->opts.user ? "user" : "root";
	char why[512] = "", name[128];
	int n;

	if (geteuid() != 0)
		return 0;
	n = dead_slots(why, sizeof(why));
	snprintf(name, sizeof(name), "fuzz (%s): no slot stays bound to a dead process", who);
	CHECK(name, !n, "%d such slots; first: %s", n, why);
	n = dead_pairs(why, sizeof(why));
	snprintf(name, sizeof(name), "fuzz (%s): no proxy pair of a dead process", who);
	CHECK(name, !n, "%d; %s", n, why);
	n = dead_waits(why, sizeof(why));
	snprintf(name, sizeof(name), "fuzz (%s): no bind wait of a dead process", who);
	CHECK(name, !n, "%d; %s", n, why);
	still_works(who);
	return check_failures;
}
