// SPDX-License-Identifier: GPL-2.0
/*
 * test_procfs.c - in-guest tests of the /proc/dvs views: nodes, and the DC
 * views stats, ipcto and dvkcalls (with procs), in the exact formats of
 * docs/proc-debugfs.md: headers, one row per bound slot only, the bitmaps
 * following setpriv, the node row of the local node, the stats counters
 * following sends, reads in small pieces, and many concurrent readers
 * while endpoints bind and unbind.
 *
 * Runs as root with dvk.ko loaded and the DVS not initialised; leaves it so.
 * Output protocol: tests/check.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include "libdvk.h"
#include "check.h"
#include "proc.h"
#include "dvk_params.h"

#define NODE		3	/* not 0: the node row must show the real id */
#define DCID		0
#define DC2		5	/* a second DC, named PF5, for the node's DC bitmap */
#define ME		1	/* the parent: a system slot */
#define RECEIVER	8	/* a child receiving the parent's messages */
#define TASK_EP		(-3)	/* a kernel-task slot (SYSTASK(1)) */
#define USER_EP		100	/* a user slot (p_nr + NR_TASKS >= NR_SYS_PROCS) */
#define CHURN_EP	10	/* first of the endpoints bound and unbound by churners */
#define NCHURN		4
#define NREADERS	8
#define STRESS_MS	1500
#define BUFSZ		65536

#define P_NODES		"/proc/dvs/nodes"
#define P_PROCS		"/proc/dvs/DC0/procs"
#define P_STATS		"/proc/dvs/DC0/stats"
#define P_IPCTO		"/proc/dvs/DC0/ipcto"
#define P_CALLS		"/proc/dvs/DC0/dvkcalls"

/* Headers, literally as the original's (docs/original-dvk.md#the-proc-views). */
static const char H_NODES[] =
	"ID Flags Proxies -pxsent- -pxrcvd- 10987654321098765432109876543210 Name";
static const char H_PROCS[] =
	"DC pnr -endp -lpid/vpid- nd flag misc -getf -sndt -wmig -prxy name";
static const char H_STATS[] =
	"DC pnr -endp -lpid/vpid- nd --lsnt-- --rsnt-- -lcopy-- -rcopy-- name";
static const char H_IPCTO[] = "-nr id --wr- lv "
	"3210987654321098765432109876543210987654321098765432109876543210";
static const char H_CALLS[] = "-nr id --wr- lv "
	"765432109876543210987654321098765432109876543210";

/* Shared with the children (readers, churners, the receiver). */
struct shared {
	volatile int stop;
	volatile long reads[NREADERS];
	volatile long rows[NREADERS];
	volatile long churns[NCHURN];
	volatile long recv_rc;
	char bad[NREADERS][512];	/* the first malformed read of each reader */
};
static struct shared *sh;

/* ---- reading and splitting the views ------------------------------------ */

/* Read a whole file with read()s of @chunk bytes; its length, or -1. */
static long read_view(const char *path, char *buf, size_t size, size_t chunk)
{
	int fd = open(path, O_RDONLY);
	size_t len = 0;
	ssize_t n;

	if (fd < 0)
		return -1;
	while (len + 1 < size) {
		size_t want = size - 1 - len < chunk ? size - 1 - len : chunk;

		n = read(fd, buf + len, want);
		if (n < 0) {
			close(fd);
			return -1;
		}
		if (n == 0)
			break;
		len += n;
	}
	close(fd);
	buf[len] = 0;
	return (long)len;
}

#define MAXLINES 300
struct view {
	char buf[BUFSZ];
	char *line[MAXLINES];
	int n;			/* lines, header included */
};

/* Read @path with reads of @chunk bytes into @v split in lines; 0 on success. */
static int load_by(const char *path, struct view *v, size_t chunk)
{
	char *s, *nl;

	v->n = 0;
	if (read_view(path, v->buf, sizeof(v->buf), chunk) < 0)
		return -1;
	for (s = v->buf; *s && v->n < MAXLINES; s = nl + 1) {
		nl = strchr(s, '\n');
		if (!nl)
			return -1;	/* every line ends with a newline */
		*nl = 0;
		v->line[v->n++] = s;
	}
	return 0;
}

static int load(const char *path, struct view *v)
{
	return load_by(path, v, BUFSZ);
}

/* The row of @v whose first fields print as @prefix, or NULL. */
static const char *row_with(const struct view *v, const char *prefix)
{
	for (int i = 1; i < v->n; i++)
		if (!strncmp(v->line[i], prefix, strlen(prefix)))
			return v->line[i];
	return NULL;
}

/* CHECK that the row of view @path starting with @prefix reads @want. */
static void check_row(const char *name, const char *path, const char *prefix, const char *want)
{
	static struct view v;
	const char *row = load(path, &v) ? NULL : row_with(&v, prefix);

	if (!row)
		row = "(no row)";
	CHECK(name, !strcmp(row, want), "row '%s'", row);
}

static void bitmap_str(uint64_t bits, int nbits, char *out)
{
	for (int i = nbits - 1; i >= 0; i--)
		*out++ = bits & (1ULL << i) ? 'X' : '-';
	*out = 0;
}

/* The p_nr of each row, in order, as a string like "-3 1 8 100". */
static void pnr_list(const struct view *v, int col_is_second, char *out, size_t size)
{
	size_t len = 0;

	out[0] = 0;
	for (int i = 1; i < v->n; i++) {
		int dc, nr;

		if (col_is_second ? sscanf(v->line[i], "%d %d", &dc, &nr) != 2 :
				    sscanf(v->line[i], "%d", &nr) != 1)
			nr = 9999;
		len += snprintf(out + len, size - len, "%s%d", i > 1 ? " " : "", nr);
		if (len >= size)
			return;
	}
}

/* Check that view @path has @want header and exactly the rows of @pnrs. */
static void check_rows(const char *what, const char *path, const char *hdr, int second,
		       const char *pnrs)
{
	static struct view v;
	char name[160], got[512];

	snprintf(name, sizeof(name), "%s: header, then one row per bound slot (%s)", what, pnrs);
	if (load(path, &v)) {
		CHECK(name, 0, "cannot read %s: %s", path, strerror(errno));
		return;
	}
	pnr_list(&v, second, got, sizeof(got));
	CHECK(name, v.n >= 1 && !strcmp(v.line[0], hdr) && !strcmp(got, pnrs),
	      "header '%s', rows p_nr '%s'", v.n ? v.line[0] : "", got);
}

/* ---- children ----------------------------------------------------------- */

static int wait_free(int ep, int ms)
{
	proc_usr_t u;

	for (int i = 0; i < ms / 5; i++) {
		if (!dvk_getprocinfo(DCID, ep, &u) && u.p_rts_flags == SLOT_FREE)
			return 1;
		usleep(5000);
	}
	return 0;
}

/* A child that sleeps until killed, bound by the parent with lclbind. */
static pid_t spawn_sleeper(int ep)
{
	pid_t pid = idle_child();

	if (pid > 0 && dvk_lclbind(DCID, pid, ep) != ep) {
		kill_reap(pid);
		return -1;
	}
	return pid;
}

/* What the parent vcopies into the receiver (same address in both). */
static char copybuf[64];
#define COPY_TEXT "copied by vcopy into the receiver"

/* Binds RECEIVER, receives 4 messages (the third after a pause, so that
 * the parent's send queues; during the fourth the parent vcopies into
 * copybuf), then sleeps bound until killed. */
static pid_t spawn_receiver(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		message m;
		long rc = OK;

		if (dvk_bind(DCID, RECEIVER) != RECEIVER)
			_exit(90);
		for (int i = 0; i < 4 && rc == OK; i++) {
			if (i == 2)
				usleep(300000);
			rc = dvk_receive_T(ANY, &m, 10000);
			if (rc == OK && (m.m_source != ME || m.m_type != 100 + i))
				rc = 1;
		}
		if (rc == OK && strcmp(copybuf, COPY_TEXT))
			rc = 2;
		sh->recv_rc = rc;
		for (;;)
			pause();
	}
	return pid;
}

/* ---- the static checks -------------------------------------------------- */

#define NODE_ROW(dcs) " 3     E      -1        0        0 " dcs " node3           "

static void test_nodes_before_dcs(void)
{
	static struct view v;

	CHECK("nodes: present after dvs_init", !load(P_NODES, &v), "cannot read %s", P_NODES);
	CHECK("nodes: header as the reference, one row", v.n == 2 && !strcmp(v.line[0], H_NODES),
	      "%d lines, header '%s'", v.n, v.n ? v.line[0] : "");
	check_row("nodes: the local node, flags E, no proxy, no DC yet", P_NODES, " 3 ",
		  NODE_ROW("--------------------------------"));
}

static void test_nodes_with_dcs(void)
{
	dc_usr_t d = {
		.dc_dcid = DC2, .dc_nr_procs = 16, .dc_nr_tasks = 4, .dc_nr_sysprocs = 8,
		.dc_nr_nodes = NR_NODES, .dc_warn2proc = NONE, .dc_name = "PF5",
	};

	CHECK_RC("dc_init DC 5 named PF5", dvk_dc_init(&d), NODE);
	CHECK("PF5: the DC views exist, named after dc_name",
	      !access("/proc/dvs/PF5/stats", R_OK) && !access("/proc/dvs/PF5/ipcto", R_OK) &&
	      !access("/proc/dvs/PF5/dvkcalls", R_OK), "missing");
	check_row("nodes: DC bitmap shows DCs 0 and 5", P_NODES, " 3 ",
		  NODE_ROW("--------------------------X----X"));
	check_rows("PF5 stats (empty DC)", "/proc/dvs/PF5/stats", H_STATS, 1, "");
	check_rows("PF5 ipcto (empty DC)", "/proc/dvs/PF5/ipcto", H_IPCTO, 0, "");
	CHECK_RC("dc_end DC 5", dvk_dc_end(DC2), OK);
	CHECK("PF5 views removed by dc_end", access("/proc/dvs/PF5", F_OK) != 0, "still there");
	check_row("nodes: DC 5 gone from the bitmap", P_NODES, " 3 ",
		  NODE_ROW("-------------------------------X"));
}

/* The stats row of @ep, pid @pid, with @lsnt messages sent, @lcopy vcopies. */
static int stats_row_is(int ep, pid_t pid, int lsnt, int lcopy, char *got, size_t size)
{
	static struct view v;
	char want[200], prefix[32];
	const char *row;

	snprintf(want, sizeof(want), "%2d %3d %5d %5d/%-5d %2d %8d %8d %8d %8d %-15.15s",
		 DCID, ep, ep, (int)pid, (int)pid, NODE, lsnt, 0, lcopy, 0, "test_procfs");
	snprintf(prefix, sizeof(prefix), "%2d %3d ", DCID, ep);
	row = load(P_STATS, &v) ? NULL : row_with(&v, prefix);
	snprintf(got, size, "got '%s' want '%s'", row ? row : "(no row)", want);
	return row && !strcmp(row, want);
}

static void test_stats(pid_t receiver)
{
	char got[512];
	message m;

	memset(&m, 0, sizeof(m));
	CHECK("stats: a fresh binding has zero counters",
	      stats_row_is(ME, getpid(), 0, 0, got, sizeof(got)), "%s", got);
	for (int i = 0; i < 2; i++) {
		char name[96];

		wait_flags(RECEIVER, RECEIVING, 3000);
		m.m_type = 100 + i;
		CHECK_RC("send to a waiting receive", dvk_send_T(RECEIVER, &m, 5000), OK);
		snprintf(name, sizeof(name), "stats: lsnt of the sender is %d after %d sends",
			 i + 1, i + 1);
		CHECK(name, stats_row_is(ME, getpid(), i + 1, 0, got, sizeof(got)), "%s", got);
	}
	m.m_type = 102;
	CHECK_RC("send before the receive (queued)", dvk_send_T(RECEIVER, &m, 5000), OK);
	CHECK("stats: lsnt is 3 after a queued send",
	      stats_row_is(ME, getpid(), 3, 0, got, sizeof(got)), "%s", got);
	CHECK_RC("send to a free slot fails", dvk_send_T(9, &m, 100), EDVSDSTDIED);
	CHECK("stats: a failed send does not count",
	      stats_row_is(ME, getpid(), 3, 0, got, sizeof(got)), "%s", got);
	/* a vcopy from the parent into the receiver, blocked in its 4th receive */
	wait_flags(RECEIVER, RECEIVING, 3000);
	CHECK("vcopy into the waiting receiver",
	      dvk_vcopy(SELF, COPY_TEXT, RECEIVER, copybuf, sizeof(COPY_TEXT)) >= 0, "failed");
	CHECK("stats: lcopy of the copy's source is 1",
	      stats_row_is(ME, getpid(), 3, 1, got, sizeof(got)), "%s", got);
	m.m_type = 103;
	CHECK_RC("the 4th send releases the receiver", dvk_send_T(RECEIVER, &m, 5000), OK);
	CHECK("stats: lsnt 4 and lcopy 1 after the 4th send",
	      stats_row_is(ME, getpid(), 4, 1, got, sizeof(got)), "%s", got);
	for (int i = 0; i < 200 && sh->recv_rc == 4242; i++)
		usleep(10000);
	CHECK("the receiver got the 4 messages and the copied bytes", sh->recv_rc == OK,
	      "rc %ld", sh->recv_rc);
	CHECK("stats: the receiver sent nothing",
	      stats_row_is(RECEIVER, receiver, 0, 0, got, sizeof(got)), "%s", got);
}

static void test_priv_views(void)
{
	char bm[80], want[160];
	priv_usr_t p;

	/* defaults of bind (docs/original-dvk.md#checks-shared-by-the-ipc-calls), literally as the original shows them */
	check_row("dvkcalls: a user slot may sendrec, unbind, getep, wait4bind", P_CALLS, "100 ",
		  "100 64 27342  0 ------------------X--X---------------X----X-----");
	check_row("dvkcalls: a task slot may make all 35 calls", P_CALLS, " -3 ",
		  " -3 32 27342  2 -------------XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX");
	bitmap_str(~0ULL, 64, bm);
	snprintf(want, sizeof(want), "  1 36 27342  1 %s", bm);
	check_row("ipcto: a server slot may send to every system slot", P_IPCTO, "  1 ", want);

	/* setpriv changes show at once; bits beyond the columns do not */
	CHECK_RC("getpriv of the receiver", dvk_getpriv(DCID, RECEIVER, &p), OK);
	p.priv_warn = ME;
	p.priv_level = SYSTEM_PRIV;
	p.priv_ipc_to = (1ULL << 63) | (1ULL << 36) | 1;
	p.priv_dvk_allowed = (1ULL << 50) | (1ULL << 47) | (1ULL << DVK_SEND) |
			     (1ULL << DVK_RECEIVE) | (1ULL << DVK_SENDREC);
	CHECK_RC("setpriv of the receiver", dvk_setpriv(DCID, RECEIVER, &p), OK);
	check_row("ipcto: setpriv's warn, level and ipc_to bits 63, 36, 0", P_IPCTO, "  8 ",
		  "  8 43     1  3 X--------------------------X-----------------------------------X");
	check_row("dvkcalls: setpriv's call bits 47, 5, 3, 2 (bit 50 has no column)",
		  P_CALLS, "  8 ",
		  "  8 43     1  3 X-----------------------------------------X-XX--");
	p.priv_ipc_to = 0;
	p.priv_dvk_allowed = 0;
	p.priv_level = USER_PRIV;
	p.priv_warn = NONE;
	CHECK_RC("setpriv clears the receiver's bitmaps", dvk_setpriv(DCID, RECEIVER, &p), OK);
	bitmap_str(0, 64, bm);
	snprintf(want, sizeof(want), "  8 43 27342  0 %s", bm);
	check_row("ipcto: cleared bitmap shows all '-'", P_IPCTO, "  8 ", want);
}

/* Each view read 1 and 7 bytes at a time equals the same view read at once. */
static void test_small_reads(void)
{
	static char whole[BUFSZ], piece[BUFSZ];
	const char *paths[] = { P_NODES, P_PROCS, P_STATS, P_IPCTO, P_CALLS };
	int ok = 1;
	char why[256] = "";

	for (unsigned int i = 0; i < sizeof(paths) / sizeof(paths[0]) && ok; i++) {
		long n = read_view(paths[i], whole, sizeof(whole), BUFSZ);

		for (size_t chunk = 1; chunk <= 7 && ok; chunk += 6) {
			long m = read_view(paths[i], piece, sizeof(piece), chunk);

			if (n <= 0 || m != n || memcmp(whole, piece, n)) {
				ok = 0;
				snprintf(why, sizeof(why), "%s: %ld bytes at once, %ld by %zu",
					 paths[i], n, m, chunk);
			}
		}
	}
	CHECK("every view read in 1- and 7-byte pieces equals one read", ok, "%s", why);
}

/* ---- concurrent readers --------------------------------------------------- */

/* Is @row a well-formed row of the view with header @hdr?  Sets *pnr. */
static int row_ok(const char *hdr, const char *row, int *pnr)
{
	size_t len = strlen(row);
	int dc, nr, ep, lpid, vpid, nd, id, wr, lv, rts, misc, gf, st, wm, px, n = 0;
	unsigned long long a, b, c, d;
	char name[32];

	if (hdr == H_IPCTO || hdr == H_CALLS) {
		size_t bits = hdr == H_IPCTO ? 64 : 48;

		if (len != 16 + bits || strspn(row + 16, "X-") != bits ||
		    sscanf(row, "%3d %2d %5d %2d %n", &nr, &id, &wr, &lv, &n) != 4 || n != 16)
			return 0;
		*pnr = nr;
		return lv >= 0 && lv <= PROXY_PRIV;
	}
	if (hdr == H_STATS) {
		if (sscanf(row, "%d %d %d %d/%d %d %llu %llu %llu %llu %15s", &dc, &nr, &ep,
			   &lpid, &vpid, &nd, &a, &b, &c, &d, name) != 11)
			return 0;
		*pnr = nr;
		return dc == DCID && nr == ep && nd == NODE && len == 79;
	}
	if (hdr == H_PROCS) {
		if (sscanf(row, "%d %d %d %d/%d %d %x %x %d %d %d %d %15s", &dc, &nr, &ep, &lpid,
			   &vpid, &nd, &rts, &misc, &gf, &st, &wm, &px, name) != 13)
			return 0;
		*pnr = nr;
		return dc == DCID && nr == ep && nd == NODE && !(rts & SLOT_FREE);
	}
	*pnr = NODE;	/* nodes */
	return !strncmp(row, " 3     E      -1        0        0 ", 35) && len == 35 + 32 + 17;
}

static void reader(int k)
{
	static struct view v;
	const char *paths[] = { P_NODES, P_PROCS, P_STATS, P_IPCTO, P_CALLS };
	const char *hdrs[] = { H_NODES, H_PROCS, H_STATS, H_IPCTO, H_CALLS };
	const int nviews = 5;

	for (long it = 0; !sh->stop; it++) {
		int f = (int)((it + k) % nviews), prev = -1000, nr = 0;
		const char *why = NULL, *line = "";

		/* odd readers read in 61-byte pieces: one show, many read()s */
		if (load_by(paths[f], &v, k & 1 ? 61 : BUFSZ))
			why = "unreadable or a line without newline";
		else if (!v.n || strcmp(v.line[0], hdrs[f])) {
			why = "bad header";
			line = v.n ? v.line[0] : "";
		}
		for (int i = 1; !why && i < v.n; i++) {
			line = v.line[i];
			if (!row_ok(hdrs[f], line, &nr))
				why = "malformed row";
			else if (nr <= prev)
				why = "rows out of slot order";
			prev = nr;
			sh->rows[k]++;
		}
		if (why) {
			snprintf(sh->bad[k], sizeof(sh->bad[k]), "%s: %s: '%s'", paths[f], why, line);
			_exit(1);
		}
		sh->reads[k]++;
	}
	_exit(0);
}

/* Binds itself, changes its privileges, unbinds, until told to stop. */
static void churner(int k)
{
	int ep = CHURN_EP + k;
	priv_usr_t p;

	while (!sh->stop) {
		if (dvk_bind(DCID, ep) != ep)
			_exit(2);
		if (dvk_getpriv(DCID, ep, &p))
			_exit(3);
		p.priv_ipc_to = (uint64_t)rand() << 32 | (uint64_t)rand();
		p.priv_dvk_allowed = (uint64_t)rand();
		if (dvk_setpriv(DCID, ep, &p))
			_exit(4);
		if (dvk_unbind(DCID, ep))
			_exit(5);
		sh->churns[k]++;
	}
	_exit(0);
}

static void test_concurrent(void)
{
	pid_t readers[NREADERS], churners[NCHURN];
	long reads = 0, rows = 0, churns = 0;
	int bad_readers = 0, bad_churners = 0;
	char first_bad[512] = "";

	sh->stop = 0;
	for (int k = 0; k < NREADERS; k++) {
		readers[k] = fork();
		if (readers[k] == 0)
			reader(k);
	}
	for (int k = 0; k < NCHURN; k++) {
		churners[k] = fork();
		if (churners[k] == 0) {
			srand(k + 1);
			churner(k);
		}
	}
	usleep(STRESS_MS * 1000);
	sh->stop = 1;
	for (int k = 0; k < NREADERS; k++) {
		int st;

		if (readers[k] < 0 || waitpid(readers[k], &st, 0) != readers[k] ||
		    !WIFEXITED(st) || WEXITSTATUS(st)) {
			if (!bad_readers++)
				snprintf(first_bad, sizeof(first_bad), "%s", sh->bad[k]);
		}
		reads += sh->reads[k];
		rows += sh->rows[k];
	}
	for (int k = 0; k < NCHURN; k++) {
		int st;

		if (churners[k] < 0 || waitpid(churners[k], &st, 0) != churners[k] ||
		    !WIFEXITED(st) || WEXITSTATUS(st))
			bad_churners++;
		churns += sh->churns[k];
	}
	printf("# %d readers: %ld reads, %ld rows in %d ms; %d churners: %ld bind/setpriv/unbind\n",
	       NREADERS, reads, rows, STRESS_MS, NCHURN, churns);
	CHECK("8 concurrent readers: every read well-formed (header, rows, slot order)",
	      bad_readers == 0, "%d readers saw a bad read, first: %s", bad_readers, first_bad);
	CHECK("concurrent readers made progress", reads >= 5 * NREADERS, "%ld reads", reads);
	CHECK("churners bound, set privileges and unbound meanwhile",
	      bad_churners == 0 && churns >= NCHURN, "%d failed, %ld cycles", bad_churners,
	      churns);
}

int main(void)
{
	dvs_usr_t dvs = dvk_dvs_params("PROCFS");
	dc_usr_t d = dvk_dc_params(DCID, "DC0");
	pid_t receiver, task_sleeper, user_sleeper;

	setvbuf(stdout, NULL, _IOLBF, 0);
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED) {
		CHECK("shared memory", 0, "%s", strerror(errno));
		return CHECK_EXIT();
	}
	sh->recv_rc = 4242;
	CHECK("no /proc/dvs/nodes before dvs_init", access(P_NODES, F_OK) != 0, "present");
	CHECK_RC("dvs_init node 3", dvk_dvs_init(NODE, &dvs), NODE);
	test_nodes_before_dcs();
	CHECK_RC("dc_init DC0", dvk_dc_init(&d), NODE);
	test_nodes_with_dcs();

	check_rows("stats of an empty DC", P_STATS, H_STATS, 1, "");
	check_rows("ipcto of an empty DC", P_IPCTO, H_IPCTO, 0, "");
	check_rows("dvkcalls of an empty DC", P_CALLS, H_CALLS, 0, "");

	CHECK_RC("bind the parent", dvk_bind(DCID, ME), ME);
	receiver = spawn_receiver();
	task_sleeper = spawn_sleeper(TASK_EP);
	user_sleeper = spawn_sleeper(USER_EP);
	CHECK("lclbind a task slot and a user slot", task_sleeper > 0 && user_sleeper > 0,
	      "pids %d %d", task_sleeper, user_sleeper);
	wait_flags(RECEIVER, RECEIVING, 3000);

	check_rows("procs", P_PROCS, H_PROCS, 1, "-3 1 8 100");
	check_rows("stats", P_STATS, H_STATS, 1, "-3 1 8 100");
	check_rows("ipcto", P_IPCTO, H_IPCTO, 0, "-3 1 8 100");
	check_rows("dvkcalls", P_CALLS, H_CALLS, 0, "-3 1 8 100");

	test_stats(receiver);
	test_priv_views();
	test_small_reads();

	kill_reap(task_sleeper);
	CHECK("the task slot is freed when its process dies", wait_free(TASK_EP, 3000), "still bound");
	check_rows("stats after an exit", P_STATS, H_STATS, 1, "1 8 100");
	check_rows("ipcto after an exit", P_IPCTO, H_IPCTO, 0, "1 8 100");
	check_rows("dvkcalls after an exit", P_CALLS, H_CALLS, 0, "1 8 100");

	test_concurrent();
	check_rows("stats after the churn", P_STATS, H_STATS, 1, "1 8 100");

	kill_reap(receiver);
	kill_reap(user_sleeper);
	CHECK_RC("dc_end DC0", dvk_dc_end(DCID), OK);
	CHECK("dc_end removes the DC views", access(P_STATS, F_OK) != 0 &&
	      access(P_IPCTO, F_OK) != 0 && access(P_CALLS, F_OK) != 0, "still there");
	CHECK_RC("dvs_end", dvk_dvs_end(), OK);
	CHECK("dvs_end removes /proc/dvs/nodes", access(P_NODES, F_OK) != 0, "still there");
	return CHECK_EXIT();
}
