// SPDX-License-Identifier: GPL-2.0
/*
 * view_text.c - the lines every screen shares (header, the start of the
 * status lines) as plain text, for the TUI (view_tui.c) and plain batch
 * mode (view_batch.c).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "libdvk.h"
#include "view_text.h"
#include "dvk_version.h"	/* DVK_PACKAGE_VERSION, from VERSION */

void vt_append(char *buf, size_t len, const char *fmt, ...)
{
	size_t used = strnlen(buf, len);
	va_list ap;

	if (used + 1 >= len)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + used, len - used, fmt, ap);
	va_end(ap);
}

/* "0x102 (INIT IOCTL)": the number, then libdvk's names of its bits */
static void flags_text(uint64_t flags, char *buf, size_t len)
{
	char names[64];

	snprintf(buf, len, "0x%llx", (unsigned long long)flags);
	if (flags)
		vt_append(buf, len, " (%s)", dvk_dvs_flagstr(flags, names, sizeof(names)));
}

void vt_header1(const struct dvk_model *m, char *buf, size_t len)
{
	const struct dvk_dvs_info *d = &m->cur.dvs;
	char flags[64];

	switch (d->state) {
	case DVK_DVS_INITIALIZED:
		flags_text(d->flags, flags, sizeof(flags));
		snprintf(buf, len, "dvktop %s  node %d \"%s\"  DVS version %d  flags %s",
			 DVK_PACKAGE_VERSION, d->nodeid, d->name, d->version, flags);
		break;
	case DVK_DVS_NOT_INITIALIZED:
		snprintf(buf, len, "dvktop %s  DVS not initialised", DVK_PACKAGE_VERSION);
		break;
	case DVK_DVS_NOT_LOADED:
	default:
		snprintf(buf, len, "dvktop %s  dvk.ko not loaded", DVK_PACKAGE_VERSION);
		break;
	}
}

/* the part after what is replayed: node, start (date_fmt), sample, speed, paused */
static void replay_tail(const struct dvk_model *m, const struct vt_replay *r, const char *date_fmt,
			char *buf, size_t len)
{
	const struct dvk_dvs_info *d = &m->cur.dvs;
	time_t start = (time_t)(r->start_real_ns / 1000000000ull);
	char when[32] = "?";
	struct tm tm;

	if (r->start_real_ns && localtime_r(&start, &tm))
		strftime(when, sizeof(when), date_fmt, &tm);
	if (d->state == DVK_DVS_INITIALIZED)
		snprintf(buf, len, " node %d \"%s\"", d->nodeid, d->name);
	else
		snprintf(buf, len, " (%s)", d->state == DVK_DVS_NOT_INITIALIZED ?
			 "DVS not initialised" : "dvk.ko not loaded");
	vt_append(buf, len, " %s (sample %d/%d", when, r->index + 1, r->count);
	if (r->speed > 0)
		vt_append(buf, len, ", speed %gx", r->speed);
	vt_append(buf, len, "%s)", r->paused ? ", paused" : "");
}

void vt_replay_line(const struct dvk_model *m, const struct vt_replay *r, int width, char *buf,
		    size_t len)
{
	const int head = (int)strlen("REPLAY of ");
	char tail[128];
	int room;

	replay_tail(m, r, "%Y-%m-%d %H:%M:%S", tail, sizeof(tail));
	/* too wide: the start's date goes, then the name of what is replayed
	 * gives way, ending in '~' */
	if (width > 0 && head + (int)strlen(r->what) + (int)strlen(tail) > width)
		replay_tail(m, r, "%H:%M:%S", tail, sizeof(tail));
	room = width - head - (int)strlen(tail);
	if (width > 0 && (int)strlen(r->what) > room && room > 1)
		snprintf(buf, len, "REPLAY of %.*s~%s", room - 1, r->what, tail);
	else
		snprintf(buf, len, "REPLAY of %s%s", r->what, tail);
}

void vt_header2(const struct dvk_model *m, char *buf, size_t len)
{
	const struct dvk_dvs_info *d = &m->cur.dvs;

	switch (d->state) {
	case DVK_DVS_INITIALIZED:
		snprintf(buf, len,
			 "dcs=%d nodes=%d procs=%d tasks=%d sysprocs=%d copybuf=%d copylen=%d",
			 d->nr_dcs, d->nr_nodes, d->max_nr_procs, d->max_nr_tasks,
			 d->max_sys_procs, d->max_copy_buf, d->max_copy_len);
		break;
	case DVK_DVS_NOT_INITIALIZED:
		snprintf(buf, len, "no /proc/dvs/info: dvk.ko is loaded, no dvs_init yet");
		break;
	case DVK_DVS_NOT_LOADED:
	default:
		snprintf(buf, len, "no %s: load dvk.ko to see DVK calls", DVK_DEVICE);
		break;
	}
}

/* local time, PAUSED when paused, the interval, the table's sort and filter */
void vt_status_start(const struct dvk_table *t, const struct vt_status *st, char *buf, size_t len)
{
	char tbuf[16] = "--:--:--";
	time_t now = st->real_ns ? (time_t)(st->real_ns / 1000000000ull) : time(NULL);
	struct tm tm;

	if (localtime_r(&now, &tm))
		strftime(tbuf, sizeof(tbuf), "%H:%M:%S", &tm);
	snprintf(buf, len, "%s", tbuf);
	if (st->paused)
		vt_append(buf, len, "  PAUSED");
	vt_append(buf, len, "  interval %.1fs  sort %s %s", st->delay_s,
		  dvk_table_key_name(t->cls, t->sort), dvk_table_descending(t) ? "desc" : "asc");
	if (t->filter[0])
		vt_append(buf, len, "  filter \"%s\"", t->filter);
}

void vt_fmt_ms(int64_t ms, char *buf, size_t len)
{
	if (ms < 0)
		snprintf(buf, len, "-");
	else if (ms < 1000)
		snprintf(buf, len, "%lldms", (long long)ms);
	else if (ms < 100000)
		snprintf(buf, len, "%.1fs", (double)ms / 1000.0);
	else if (ms < 6000000)
		snprintf(buf, len, "%lldm", (long long)(ms / 60000));
	else
		snprintf(buf, len, "%lldh", (long long)(ms / 3600000));
}

void vt_ms_raw(int64_t ms, char *buf, size_t len)
{
	if (ms < 0)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%lldms", (long long)ms);
}
