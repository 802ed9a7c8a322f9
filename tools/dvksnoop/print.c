// SPDX-License-Identifier: GPL-2.0
/*
 * print.c - dvksnoop's output: one text line or one JSON object per DVK
 * call record, and the lines that report lost records.  The formats are
 * documented in docs/probes.md ("dvksnoop").
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "dvkview/dvkview.h"
#include "libdvk.h"
#include "dvksnoop_tool.h"

static int64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void snoop_out_init(struct snoop_out *o, FILE *f, int json)
{
	memset(o, 0, sizeof(*o));
	o->f = f;
	o->json = json;
	o->real_off_ns = clock_ns(CLOCK_REALTIME) - clock_ns(CLOCK_MONOTONIC);
	snoop_out_node(o);
}

void snoop_out_node(struct snoop_out *o)
{
	struct dvk_dvs_info d = { .nodeid = -1 };
	char text[4096];
	size_t n = 0;
	FILE *f = fopen("/proc/dvs/info", "r");

	if (f) {
		n = fread(text, 1, sizeof(text) - 1, f);
		fclose(f);
	}
	text[n] = '\0';
	if (!n || dvk_dvs_parse(text, &d) <= 0)
		d.nodeid = -1;
	o->node = d.nodeid;
}

/* The proxy command names of tracepoints/dvk_trace_rmt.h (dvk_show_cmd). */
static const char *cmd_name(int32_t cmd, char *buf, size_t len)
{
	static const char *const base[] = {
		[CMD_NONE] = "none", [CMD_SEND_MSG] = "send", [CMD_NTFY_MSG] = "notify",
		[CMD_SNDREC_MSG] = "sendrec", [CMD_REPLY_MSG] = "reply",
		[CMD_COPYIN_DATA] = "copyin_data", [CMD_COPYOUT_RQST] = "copyout_rqst",
		[CMD_COPYLCL_RQST] = "copylcl_rqst", [CMD_COPYRMT_RQST] = "copyrmt_rqst",
		[CMD_COPYIN_RQST] = "copyin_rqst", [CMD_HELLO] = "hello",
		[CMD_SHUTDOWN] = "shutdown", [CMD_PROCINFO] = "procinfo",
		[CMD_PROCBIND] = "procbind", [CMD_PROCUNBIND] = "procunbind",
	};
	int32_t b = cmd & ~CMD_ACKNOWLEDGE;

	if (cmd == CMD_SNDREC_ACK)
		return "sndrec_ack";	/* as the trace events spell it */
	if (cmd == CMD_COPYOUT_DATA)
		return "copyout_data";
	if (b >= 0 && b < (int32_t)(sizeof(base) / sizeof(base[0])) && base[b]) {
		snprintf(buf, len, "%s%s", base[b], cmd & CMD_ACKNOWLEDGE ? "_ack" : "");
		return buf;
	}
	snprintf(buf, len, "cmd%d", cmd);
	return buf;
}

/* An endpoint as printed: "-" unknown, ANY, SELF, or the number. */
static const char *ep_str(int32_t ep, char *buf, size_t len)
{
	if (ep == DVKSNOOP_NONE)
		return "-";
	if (ep == ANY)
		return "ANY";
	if (ep == SELF)
		return "SELF";
	snprintf(buf, len, "%d", ep);
	return buf;
}

/* "OK", the EDVS name, or the number when it has no name. */
static const char *result_str(const struct dvksnoop_event *e, char *buf, size_t len)
{
	const char *n;

	if (!(e->flags & DVKSNOOP_F_FAILED))
		return "OK";
	n = dvk_errname((int)e->ret);
	if (n)
		return n;
	snprintf(buf, len, "%lld", (long long)e->ret);
	return buf;
}

/* A message id: "SEQ" made on node 0, "NODE:SEQ" on another (id >> 56, docs/trace-events.md). */
static const char *id_str(uint64_t id, char *buf, size_t len)
{
	if (!id)
		return "-";
	if (id >> 56)
		snprintf(buf, len, "%u:%llu", (unsigned)(id >> 56),
			 (unsigned long long)(id & ((1ull << 56) - 1)));
	else
		snprintf(buf, len, "%llu", (unsigned long long)id);
	return buf;
}

void snoop_print_header(struct snoop_out *o)
{
	if (o->json)
		return;
	fprintf(o->f, "%-12s %4s %7s %-15s %3s %5s    %-5s %-12s %-10s %10s %-14s %s\n", "TIME",
		"NODE", "PID", "COMM", "DC", "SRC", "DST", "CALL", "MSGID", "LAT(us)", "RESULT",
		"NOTE");
	fflush(o->f);
}

/* The NOTE column: where a proxy's command came from or goes, and untimed calls. */
static void note_str(const struct dvksnoop_event *e, char *buf, size_t len)
{
	char cmd[32];

	buf[0] = '\0';
	if (e->flags & DVKSNOOP_F_RMT_IN)
		snprintf(buf, len, "<n%d %s", e->rmt_node, cmd_name(e->rmt_cmd, cmd, sizeof(cmd)));
	else if (e->flags & DVKSNOOP_F_RMT_OUT)
		snprintf(buf, len, ">n%d %s", e->rmt_node, cmd_name(e->rmt_cmd, cmd, sizeof(cmd)));
	if (e->flags & DVKSNOOP_F_UNSEEN)
		snprintf(buf + strlen(buf), len - strlen(buf), "%sentered before attach",
			 buf[0] ? ", " : "");
}

static void print_text(struct snoop_out *o, const struct dvksnoop_event *e)
{
	char tbuf[16], dc[16], src[16], dst[16], id[32], lat[24], res[24], note[64];
	int64_t wall = (int64_t)e->ts_ns + o->real_off_ns;
	time_t secs = wall / 1000000000;
	struct tm tm;

	localtime_r(&secs, &tm);
	strftime(tbuf, sizeof(tbuf), "%H:%M:%S", &tm);
	if (e->lat_ns)
		snprintf(lat, sizeof(lat), "%.1f", e->lat_ns / 1000.0);
	else
		snprintf(lat, sizeof(lat), "-");
	note_str(e, note, sizeof(note));
	fprintf(o->f, "%s.%03d ", tbuf, (int)(wall / 1000000 % 1000));
	if (o->node >= 0)
		fprintf(o->f, "%4d ", o->node);
	else
		fprintf(o->f, "%4s ", "-");
	fprintf(o->f, "%7u %-15.15s %3s %5s -> %-5s %-12s %-10s %10s %-14s %s\n", e->pid, e->comm,
		ep_str(e->dcid, dc, sizeof(dc)), ep_str(e->src, src, sizeof(src)),
		ep_str(e->dst, dst, sizeof(dst)), dvk_callname(e->nr), id_str(e->msg_id, id, sizeof(id)),
		lat, result_str(e, res, sizeof(res)), note);
}

/* @s as a JSON string (comm may hold any byte but NUL). */
static void json_str(FILE *f, const char *s, size_t max)
{
	fputc('"', f);
	for (size_t i = 0; i < max && s[i]; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

/* "key":value or "key":null when @v is DVKSNOOP_NONE. */
static void json_int(FILE *f, const char *key, int32_t v)
{
	if (v == DVKSNOOP_NONE)
		fprintf(f, ",\"%s\":null", key);
	else
		fprintf(f, ",\"%s\":%d", key, v);
}

static void print_json(struct snoop_out *o, const struct dvksnoop_event *e)
{
	int64_t wall = (int64_t)e->ts_ns + o->real_off_ns;
	char res[24], cmd[32];

	fprintf(o->f, "{\"type\":\"call\",\"ts\":%lld.%06lld,\"mono_ns\":%llu",
		(long long)(wall / 1000000000), (long long)(wall / 1000 % 1000000),
		(unsigned long long)e->ts_ns);
	if (o->node >= 0)
		fprintf(o->f, ",\"node\":%d", o->node);
	else
		fprintf(o->f, ",\"node\":null");
	fprintf(o->f, ",\"pid\":%u,\"tid\":%u,\"comm\":", e->pid, e->tid);
	json_str(o->f, e->comm, sizeof(e->comm));
	fprintf(o->f, ",\"call\":\"%s\",\"nr\":%d", dvk_callname(e->nr), e->nr);
	json_int(o->f, "dcid", e->dcid);
	json_int(o->f, "src", e->src);
	json_int(o->f, "dst", e->dst);
	if (e->msg_id)
		fprintf(o->f, ",\"msg_id\":%llu,\"msg_node\":%u,\"msg_seq\":%llu",
			(unsigned long long)e->msg_id, (unsigned)(e->msg_id >> 56),
			(unsigned long long)(e->msg_id & ((1ull << 56) - 1)));
	else
		fprintf(o->f, ",\"msg_id\":null");
	if (e->lat_ns)
		fprintf(o->f, ",\"lat_ns\":%llu", (unsigned long long)e->lat_ns);
	else
		fprintf(o->f, ",\"lat_ns\":null");
	fprintf(o->f, ",\"ret\":%lld,\"result\":\"%s\",\"failed\":%s", (long long)e->ret,
		result_str(e, res, sizeof(res)), e->flags & DVKSNOOP_F_FAILED ? "true" : "false");
	fprintf(o->f, ",\"seen_enter\":%s", e->flags & DVKSNOOP_F_UNSEEN ? "false" : "true");
	if (e->flags & (DVKSNOOP_F_RMT_IN | DVKSNOOP_F_RMT_OUT))
		fprintf(o->f, ",\"rmt\":\"%s\",\"rmt_node\":%d,\"rmt_cmd\":\"%s\"",
			e->flags & DVKSNOOP_F_RMT_IN ? "in" : "out", e->rmt_node,
			cmd_name(e->rmt_cmd, cmd, sizeof(cmd)));
	fprintf(o->f, "}\n");
}

void snoop_print_event(struct snoop_out *o, const struct dvksnoop_event *e)
{
	if (o->json)
		print_json(o, e);
	else
		print_text(o, e);
	o->lines++;
}

void snoop_print_lost(struct snoop_out *o, uint64_t lost)
{
	uint64_t n = lost - o->lost_shown;
	int64_t now = clock_ns(CLOCK_REALTIME);

	if (!n)
		return;
	o->lost_shown = lost;
	if (o->json)
		fprintf(o->f, "{\"type\":\"lost\",\"ts\":%" PRId64 ".%06" PRId64
			",\"lost\":%" PRIu64 ",\"lost_total\":%" PRIu64 "}\n",
			now / 1000000000, now / 1000 % 1000000, n, lost);
	else
		fprintf(o->f, "LOST %" PRIu64 " records: the ring buffer was full (%" PRIu64
			" lost in all)\n", n, lost);
	fflush(o->f);
}
