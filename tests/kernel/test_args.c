// SPDX-License-Identifier: GPL-2.0
/*
 * test_args.c - every call's arguments reach the dispatcher intact and in
 * order (a calling-convention mismatch scrambles them), as seen in the
 * dvk:dvk_call_enter event; dvk:dvk_call_exit carries the return value the
 * caller got; the record layouts match what bpf/dvkcalls.bpf.c reads.
 *
 * Uses its own tracefs instance so it never disturbs other tracing.  Runs as
 * root in a guest with dvk.ko loaded and the DVS not initialised, so every
 * call fails fast and harmlessly on its (deliberately absurd) arguments.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "libdvk.h"
#include "check.h"
#include "tracefs.h"

#define INSTANCE	TRACEFS "/instances/dvk_test_args"

/* The arguments used for call nr: distinct per call and per position. */
static void args_of(int nr, int *first, uint64_t *second, uint64_t *third, uint64_t *ptr,
		    int64_t *fifth)
{
	*first = -(1000 + nr);				/* negative: sign must survive */
	*second = 0x8877665544332200ULL | nr;		/* high bit set: no truncation */
	*third = 0x1122334455667700ULL + nr;
	*ptr = 0xdead00000000be00ULL + nr;		/* non-canonical: never valid */
	*fifth = -(int64_t)(0x123456789aLL + nr);
}

struct seen {
	int enter, exit;
	int first;
	unsigned long long second, third, ptr;
	long long fifth, ret, dur;
	unsigned int word;
	int tgid;
};

/* Offset of a field in an event's tracefs format file, or -1. */
static int field_offset(const char *event, const char *field)
{
	char path[256], pat[64], *fmt, *p;
	int off = -1;

	snprintf(path, sizeof(path), TRACEFS "/events/dvk/%s/format", event);
	fmt = tracefs_read(path);
	if (!fmt)
		return -1;
	snprintf(pat, sizeof(pat), " %s;", field);
	p = strstr(fmt, pat);
	if (p && (p = strstr(p, "offset:")))
		off = atoi(p + 7);
	free(fmt);
	return off;
}

static void test_layout(void)
{
	static const struct { const char *ev, *field; int off; } f[] = {
		/* bpf/dvkcalls.bpf.c struct dvk_call_exit_rec */
		{ "dvk_call_exit", "duration_ns", 8 },
		{ "dvk_call_exit", "ret", 16 },
		{ "dvk_call_exit", "nr", 24 },
		{ "dvk_call_exit", "failed", 28 },
		{ "dvk_call_exit", "tgid", 32 },
		{ "dvk_call_enter", "second", 8 },
		{ "dvk_call_enter", "nr", 44 },
		{ "dvk_call_enter", "tgid", 52 },
	};

	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		char name[96];
		int off = field_offset(f[i].ev, f[i].field);

		snprintf(name, sizeof(name), "tracefs layout %s.%s at offset %d", f[i].ev,
			 f[i].field, f[i].off);
		CHECK(name, off == f[i].off, "offset %d", off);
	}
}

int main(void)
{
	struct seen seen[DVK_NR_CALLS + 1];
	long rets[DVK_NR_CALLS];
	char *trace, *line, *save = NULL;
	int bad_args = 0, bad_ret = 0, missing = 0, bad_tgid = 0, zero_dur = 0, invalid_seen = 0;
	long rc;

	test_layout();

	rmdir(INSTANCE);
	if (mkdir(INSTANCE, 0755) && errno != EEXIST) {
		CHECK("create tracefs instance", 0, "%s", strerror(errno));
		return CHECK_EXIT();
	}
	CHECK("enable dvk:dvk_call_enter",
	      !tracefs_write(INSTANCE "/events/dvk/dvk_call_enter/enable", "1"), "cannot enable");
	CHECK("enable dvk:dvk_call_exit",
	      !tracefs_write(INSTANCE "/events/dvk/dvk_call_exit/enable", "1"), "cannot enable");

	for (int nr = 0; nr < DVK_NR_CALLS; nr++) {
		int first;
		uint64_t second, third, ptr;
		int64_t fifth;

		args_of(nr, &first, &second, &third, &ptr, &fifth);
		rets[nr] = dvk_ipc(nr, first, second, third, ptr, fifth);
	}
	rc = dvk_ipc_word(DVK_CALL_WORD(DVK_GETDVSINFO) | 0x7, 1, 2, 3, 4, 5);	/* malformed */

	tracefs_write(INSTANCE "/tracing_on", "0");
	trace = tracefs_read(INSTANCE "/trace");
	CHECK("read the instance's trace", trace != NULL, "%s", strerror(errno));
	if (!trace)
		return CHECK_EXIT();

	memset(seen, 0, sizeof(seen));
	for (line = strtok_r(trace, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		const char *p;
		int nr;

		if ((p = strstr(line, "dvk_call_enter: "))) {
			struct seen s = { 0 };

			p = strstr(p, " nr=");
			if (!p || sscanf(p, " nr=%d word=0x%x first=%d second=0x%llx third=0x%llx "
					 "ptr=0x%llx fifth=%lld tgid=%d", &nr, &s.word, &s.first,
					 &s.second, &s.third, &s.ptr, &s.fifth, &s.tgid) != 8)
				continue;
			if (nr == -1 && s.word == (DVK_CALL_WORD(DVK_GETDVSINFO) | 0x7))
				invalid_seen++;
			if (nr < 0 || nr >= DVK_NR_CALLS)
				continue;
			s.enter = seen[nr].enter + 1;
			s.exit = seen[nr].exit;
			s.ret = seen[nr].ret;
			s.dur = seen[nr].dur;
			seen[nr] = s;
		} else if ((p = strstr(line, "dvk_call_exit: "))) {
			long long ret, dur;
			int failed, tgid;

			p = strstr(p, " nr=");
			if (!p || sscanf(p, " nr=%d ret=%lld failed=%d duration_ns=%lld tgid=%d", &nr,
					 &ret, &failed, &dur, &tgid) != 5)
				continue;
			if (nr < 0 || nr >= DVK_NR_CALLS)
				continue;
			seen[nr].exit++;
			seen[nr].ret = ret;
			seen[nr].dur = dur;
		}
	}

	for (int nr = 0; nr < DVK_NR_CALLS; nr++) {
		int first;
		uint64_t second, third, ptr;
		int64_t fifth;

		args_of(nr, &first, &second, &third, &ptr, &fifth);
		if (seen[nr].enter != 1 || seen[nr].exit != 1) {
			missing++;
			printf("  call %d: %d enter, %d exit events\n", nr, seen[nr].enter,
			       seen[nr].exit);
			continue;
		}
		if (seen[nr].word != DVK_CALL_WORD((unsigned int)nr) || seen[nr].first != first ||
		    seen[nr].second != second || seen[nr].third != third || seen[nr].ptr != ptr ||
		    seen[nr].fifth != fifth) {
			bad_args++;
			printf("  call %d (%s): word=0x%x first=%d second=0x%llx third=0x%llx "
			       "ptr=0x%llx fifth=%lld\n", nr, dvk_callname(nr), seen[nr].word,
			       seen[nr].first, seen[nr].second, seen[nr].third, seen[nr].ptr,
			       seen[nr].fifth);
		}
		if (seen[nr].ret != rets[nr])
			bad_ret++;
		if (seen[nr].tgid != getpid())
			bad_tgid++;
		if (seen[nr].dur <= 0)
			zero_dur++;
	}
	CHECK("an enter and an exit event for each of the 35 calls", missing == 0,
	      "%d calls without their events", missing);
	CHECK("all five arguments of every call arrive intact and in order", bad_args == 0 &&
	      missing == 0, "%d calls with scrambled arguments", bad_args);
	CHECK("exit event carries the value the caller got", bad_ret == 0 && missing == 0,
	      "%d mismatches", bad_ret);
	CHECK("enter event names the calling process", bad_tgid == 0 && missing == 0,
	      "%d wrong tgids", bad_tgid);
	CHECK("exit event has a duration when enabled", zero_dur == 0 && missing == 0,
	      "%d zero durations", zero_dur);
	CHECK_RC("malformed call word gives EDVSNOSYS", rc, EDVSNOSYS);
	CHECK("malformed call word traced with nr=-1", invalid_seen == 1, "seen %d times",
	      invalid_seen);

	free(trace);
	tracefs_write(INSTANCE "/events/dvk/enable", "0");
	CHECK("remove the tracefs instance", rmdir(INSTANCE) == 0, "%s", strerror(errno));
	return CHECK_EXIT();
}
