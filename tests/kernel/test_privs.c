// SPDX-License-Identifier: GPL-2.0
/*
 * test_privs.c - the privilege table of DVK: every one of the 35 calls made
 * by each class of caller, with well-formed arguments aimed at a realistic
 * target, and the exact result asserted (one PASS/FAIL line per cell).
 *
 * Classes (docs/security.md):
 *   U   uid/gid 65534, no capabilities, bound to no DC
 *   UB  uid 65534 bound by root (LCL_BIND by pid) in user slot UB_EP
 *   SB  uid 65534 bound by root (LCL_BIND by pid) in system slot SB_EP
 *   R   root (CAP_SYS_ADMIN), unbound; bound by root in system slot R_EP
 *       for the calls that need a binding (rows with .rbound)
 *   PS, PR  the sender / receiver proxy of pair PX, uid 65534, bound by
 *       root with proxies_bind (only the rows of the proxies' calls)
 * Each cell forks a fresh caller, prepares its target, makes the call once,
 * checks the result (and for some calls what happened to the target), and
 * leaves DVK as it found it (checked after every cell).
 *
 * The table in docs/security.md is generated from rows[] below
 * (`test_privs --table`); a run compares it with the document.
 *
 * Runs as root with dvk.ko loaded and the DVS not initialised; leaves it so.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/capability.h>
#include "libdvk.h"
#include "check.h"
#include "dc_params.h"

enum { U, UB, SB, R, PS, PR, NCLS };
static const char *const cls_name[NCLS] = { "U", "UB", "SB", "R", "PS", "PR" };

#define NOBODY		65534
#define DCID		0
#define DC1		1	/* a spare DC (dc_init, dc_end) */
#define SRV		2	/* a root server, per cell */
#define TGT		3	/* the target of unbind, per cell */
#define CLI		4	/* a root client, per cell */
#define RMT		5	/* remote descriptor of node 1, for the whole run */
#define PT		6	/* a bound root process asleep, for the whole run */
#define SB_EP		10	/* system slots: p_nr + NR_TASKS < NR_SYS_PROCS */
#define R_EP		11
#define FREE_EP		20
#define UB_EP		40	/* a user slot */
#define PX		1	/* the pair of node 1 (proxies PS, PR) */
#define PX2		2	/* a spare pair (proxies_bind, proxies_unbind) */
#define NODE1		1
#define NODE2		2	/* attached through PX, not in DC 0 */
#define NODE3		3	/* free (node_up, node_down) */
#define VLEN		64

#define NA		LONG_MIN	/* cell not run */
#define PREP_FAILED	7777L		/* a caller could not get ready */
#define CHILD_FAILED	9999L

struct ctx;
struct row {
	int nr;			/* call number */
	const char *call;	/* the call's name in the test names */
	const char *target;	/* what the caller tries */
	bool main;		/* the row of this call in the main table */
	bool rbound;		/* R is bound in system slot R_EP */
	int rphase;		/* the R cell runs at the end (2: dvs_end, 3: dvs_init) */
	long want[NCLS];
	const char *note;	/* footnote of the document */
	void (*setup)(struct ctx *);	/* before the caller exists */
	void (*arm)(struct ctx *);	/* once the caller is bound, just before the call */
	long (*fn)(struct ctx *);	/* the call, in the caller */
	void (*after)(struct ctx *);	/* extra checks and cleanup, the caller gone */
};

struct ctx {
	const struct row *row;
	int cls, ep;		/* the caller's class and endpoint (NONE: unbound) */
	long want, got;
	pid_t peer, helper[2];
	char name[256];
	bool no_clean;		/* the cell ends the DVS: no state check after it */
};

/* ---- state shared with the children -------------------------------------- */
struct peerinfo {
	long r;			/* the peer's DVK result */
	int src, type;		/* the message it received */
	int copied;		/* its vbuf holds vpattern */
};
static struct peerinfo *pinfo;	/* shared, by endpoint + NR_TASKS */
static char vbuf[VLEN];		/* a receiving server's buffer (same address in every fork) */
static const char vpattern[VLEN] = "privs: the bytes of a vcopy, 64 of them ........................";
static pid_t pt_pid, ps_pid, pr_pid;
static int ps_cmd, ps_res, pr_cmd, pr_res;	/* pipes to the proxies */
static priv_usr_t pt_priv;	/* PT's privileges, for setpriv's round trip */

static struct peerinfo *pi(int ep)
{
	return &pinfo[ep + NR_TASKS];
}

static const char *show(long v)
{
	static char b[4][48];
	static int i;
	const char *n;

	i = (i + 1) % 4;
	if (v == NA)
		return "n/a";
	if (v == 0)
		return "OK";
	if (v < 0) {
		n = dvk_errname((int)v);
		if (n)
			return n;
	}
	snprintf(b[i], sizeof(b[i]), "%ld", v);
	return b[i];
}

/* uid/gid 65534, no supplementary groups, no capabilities left: 0 or -1 */
static int drop(void)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2];

	if (setgroups(0, NULL) || setresgid(NOBODY, NOBODY, NOBODY) ||
	    setresuid(NOBODY, NOBODY, NOBODY))
		return -1;
	if (syscall(SYS_capget, &h, d))
		return -1;
	if (d[0].effective || d[1].effective || d[0].permitted || d[1].permitted)
		return -1;
	return geteuid() == NOBODY && getegid() == NOBODY ? 0 : -1;
}

static long read_long(int fd, int ms, long *v)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	if (poll(&p, 1, ms) != 1)
		return -1;
	return read(fd, v, sizeof(*v)) == sizeof(*v) ? 0 : -1;
}

/* reap @pid within @ms, else SIGKILL it; its wait status (-1 if killed) */
static int finish(pid_t pid, int ms)
{
	int st = -1;

	if (pid <= 0)
		return -1;
	for (int i = 0; i <= ms / 5; i++) {
		if (waitpid(pid, &st, WNOHANG) == pid)
			return st;
		usleep(5000);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	return -1;
}

/* up to @ms until slot @ep is bound with all of @flags set */
static int wait_state(int ep, int flags, int ms)
{
	proc_usr_t u;

	for (int i = 0; i <= ms / 5; i++) {
		if (!dvk_getprocinfo(DCID, ep, &u) && !(u.p_rts_flags & SLOT_FREE) &&
		    (u.p_rts_flags & flags) == flags)
			return 1;
		usleep(5000);
	}
	return 0;
}

static int slot_flags(int ep)
{
	proc_usr_t u;

	return dvk_getprocinfo(DCID, ep, &u) ? -1 : u.p_rts_flags;
}

/* ---- peers: root processes bound (by themselves) to an endpoint ---------- */
typedef long (*peer_fn)(int ep, int arg);

static pid_t peer(int ep, peer_fn fn, int arg)
{
	pid_t pid;

	memset(pi(ep), 0, sizeof(*pi(ep)));
	pid = fork();
	if (pid == 0) {
		if (dvk_bind(DCID, ep) != ep)
			_exit(90);
		pi(ep)->r = fn(ep, arg);
		_exit(0);
	}
	return pid;
}

static long p_receive(int ep, int ms)
{
	message m;
	long r;

	memset(vbuf, 0, sizeof(vbuf));
	memset(&m, 0, sizeof(m));
	r = dvk_receive_T(ANY, &m, ms);
	pi(ep)->src = m.m_source;
	pi(ep)->type = m.m_type;
	pi(ep)->copied = !memcmp(vbuf, vpattern, VLEN);
	return r;
}

/* rcvrqst, then reply to the requester */
static long p_serve(int ep, int ms)
{
	message m;
	long r = dvk_rcvrqst_T(&m, ms);

	if (r)
		return r;
	pi(ep)->src = m.m_source;
	pi(ep)->type = m.m_type;
	m.m_type++;
	return dvk_reply_T(m.m_source, &m, 1000);
}

static long p_send(int ep, int dst)
{
	message m = { .m_type = 3 };

	(void)ep;
	return dvk_send_T(dst, &m, 10000);
}

static long p_sendrec(int ep, int dst)
{
	message m = { .m_type = 6 };

	(void)ep;
	return dvk_sendrec_T(dst, &m, 10000);
}

static long p_sleep(int ep, int arg)
{
	(void)ep;
	(void)arg;
	for (;;)
		pause();
	return 0;
}

/* an unbound process asleep (uid 65534 with @nobody); returns once it runs as such */
static pid_t helper(int nobody)
{
	int fd[2];
	pid_t pid;
	char b = 0;

	if (pipe(fd))
		return -1;
	pid = fork();
	if (pid == 0) {
		close(fd[0]);
		if (nobody && drop())
			_exit(91);
		if (write(fd[1], "r", 1) != 1)
			_exit(92);
		for (;;)
			pause();
	}
	close(fd[1]);
	if (read(fd[0], &b, 1) != 1)
		b = 0;
	close(fd[0]);
	if (b != 'r') {
		finish(pid, 0);
		return -1;
	}
	return pid;
}

/* ---- the SIGTERM-counting root target of unbind -------------------------- */
static volatile sig_atomic_t nterm;
static int tgt_cmd, tgt_res;

static void count_term(int sig)
{
	(void)sig;
	nterm++;
}

static pid_t counting_target(void)
{
	int c[2], r[2];
	pid_t pid;

	if (pipe(c) || pipe(r))
		return -1;
	pid = fork();
	if (pid == 0) {
		struct sigaction sa = { .sa_handler = count_term };
		long n;
		char b;

		close(c[1]);
		close(r[0]);
		sigaction(SIGTERM, &sa, NULL);	/* no SA_RESTART: read() sees EINTR */
		n = dvk_bind(DCID, TGT);
		if (write(r[1], &n, sizeof(n)) != sizeof(n))
			_exit(1);
		for (;;) {
			ssize_t k = read(c[0], &b, 1);

			if (k < 0 && errno == EINTR)
				continue;
			if (k != 1)
				_exit(0);
			n = nterm;
			if (write(r[1], &n, sizeof(n)) != sizeof(n))
				_exit(1);
		}
	}
	close(c[0]);
	close(r[1]);
	tgt_cmd = c[1];
	tgt_res = r[0];
	return pid;
}

/* ---- cell bodies: what the caller does ---------------------------------- */
static dvs_usr_t dvs_params(void)
{
	dvs_usr_t d = {
		.d_name = "PRIVS", .d_nr_dcs = NR_DCS, .d_nr_nodes = NR_NODES,
		.d_nr_procs = NR_PROCS, .d_nr_tasks = NR_TASKS, .d_nr_sysprocs = NR_SYS_PROCS,
		.d_max_copybuf = MAXCOPYBUF, .d_max_copylen = MAXCOPYLEN,
	};
	return d;
}

#define UNUSED(c) (void)(c)

static long f_void0(struct ctx *c) { UNUSED(c); return dvk_ipc(DVK_VOID0, 0, 0, 0, 0, 0); }
static long f_dc_init(struct ctx *c)
{
	dc_usr_t d = dc_params(DC1, "DC1");

	UNUSED(c);
	return dvk_dc_init(&d);
}
static long f_send(struct ctx *c)
{
	message m = { .m_type = 2 };

	UNUSED(c);
	return dvk_send_T(SRV, &m, 2000);
}
static long f_receive(struct ctx *c)
{
	message m;

	UNUSED(c);
	return dvk_receive_T(ANY, &m, 2000);
}
static long f_notify(struct ctx *c) { UNUSED(c); return dvk_ntfy_value(SELF, SRV, 5); }
static long f_hdw_notify(struct ctx *c) { UNUSED(c); return dvk_hdw_notify(DCID, SRV); }
static long f_sendrec(struct ctx *c)
{
	message m = { .m_type = 5 };

	UNUSED(c);
	return dvk_sendrec_T(SRV, &m, 3000);
}
static long f_rcvrqst(struct ctx *c)
{
	message m;

	UNUSED(c);
	return dvk_rcvrqst_T(&m, 2000);
}
static long f_reply(struct ctx *c)
{
	message m;

	UNUSED(c);
	dvk_rcvrqst_T(&m, 2000);	/* take the request first (refused to U and UB) */
	m.m_type = 7;
	return dvk_reply_T(CLI, &m, 1000);
}
static long f_dc_end(struct ctx *c) { UNUSED(c); return dvk_dc_end(DC1); }
static long f_bind_self(struct ctx *c)
{
	UNUSED(c);
	return dvk_bind_X(SELF_BIND, DCID, getpid(), FREE_EP, LOCALNODE);
}
static pid_t bind_helper;	/* the unbound process of f_bind_other */
static long f_bind_other(struct ctx *c) { UNUSED(c); return dvk_lclbind(DCID, bind_helper, FREE_EP); }
static long f_unbind_tgt(struct ctx *c) { UNUSED(c); return dvk_unbind_T(DCID, TGT, 2000); }
static long f_unbind_same(struct ctx *c) { UNUSED(c); return dvk_unbind_T(DCID, TGT, 3000); }
static long f_unbind_self(struct ctx *c) { return dvk_unbind_T(DCID, c->ep, 0); }
static long f_unbind_rmt(struct ctx *c) { UNUSED(c); return dvk_unbind_T(DCID, RMT, 0); }
static long f_getpriv(struct ctx *c)
{
	priv_usr_t u;

	UNUSED(c);
	return dvk_getpriv(DCID, PT, &u);
}
static long f_setpriv(struct ctx *c)
{
	priv_usr_t u = pt_priv;

	UNUSED(c);
	return dvk_setpriv(DCID, PT, &u);
}
static long f_vcopy(struct ctx *c) { UNUSED(c); return dvk_vcopy(SELF, vpattern, SRV, vbuf, VLEN); }
static long f_getdcinfo(struct ctx *c)
{
	dc_usr_t d;

	UNUSED(c);
	return dvk_getdcinfo(DCID, &d);
}
static long f_getprocinfo(struct ctx *c)
{
	proc_usr_t u;

	UNUSED(c);
	return dvk_getprocinfo(DCID, PT, &u);
}
static long f_relay(struct ctx *c)
{
	message m = { .m_type = 16 };

	UNUSED(c);
	return dvk_relay(PT, &m);
}
static pid_t px2_pids[2];	/* the two unbound processes of pair PX2 */
static long f_proxies_bind(struct ctx *c)
{
	UNUSED(c);
	return dvk_proxies_bind("px2", PX2, px2_pids[0], px2_pids[1], 4096);
}
static long f_proxies_unbind(struct ctx *c) { UNUSED(c); return dvk_proxies_unbind(PX2); }
static long f_proxies_unbind_own(struct ctx *c) { UNUSED(c); return dvk_proxies_unbind(PX); }
static long f_getnodeinfo(struct ctx *c)
{
	node_usr_t n;

	UNUSED(c);
	return dvk_getnodeinfo(NODE1, &n);
}
static long f_put2lcl(struct ctx *c)
{
	cmd_t h;

	UNUSED(c);
	memset(&h, 0, sizeof(h));
	h.c_cmd = CMD_NONE;	/* a heartbeat from node 1 */
	h.c_dcid = DCID;
	h.c_src = NONE;
	h.c_dst = NONE;
	h.c_snode = NODE1;
	h.c_dnode = 0;
	return dvk_put2lcl(&h, NULL);
}
static long f_get2rmt(struct ctx *c)
{
	static char payload[MAXCOPYBUF];
	cmd_t h;

	UNUSED(c);
	return dvk_get2rmt_T(&h, payload, 0);
}
static long f_add_node(struct ctx *c) { UNUSED(c); return dvk_add_node(DCID, NODE2); }
static long f_del_node(struct ctx *c) { UNUSED(c); return dvk_del_node(DCID, NODE2); }
static long f_dvs_init(struct ctx *c)
{
	dvs_usr_t d = dvs_params();

	UNUSED(c);
	return dvk_dvs_init(0, &d);
}
static long f_dvs_end(struct ctx *c) { UNUSED(c); return dvk_dvs_end(); }
static long f_getep(struct ctx *c) { UNUSED(c); return dvk_getep(pt_pid); }
static long f_getdvsinfo(struct ctx *c)
{
	dvs_usr_t d;

	UNUSED(c);
	return dvk_getdvsinfo(&d);
}
static long f_proxy_conn(struct ctx *c) { UNUSED(c); return dvk_proxy_conn(PX, DISCONNECT_SPROXY); }
static long f_wait4bind(struct ctx *c) { UNUSED(c); return dvk_wait4bindep_T(PT, 1000); }
static long f_wait4bind_self(struct ctx *c) { UNUSED(c); return dvk_wait4bind_T(0); }
static long f_migrate(struct ctx *c) { UNUSED(c); return dvk_migr_start(DCID, PT); }
static long f_node_up(struct ctx *c) { UNUSED(c); return dvk_node_up("node3", NODE3, PX); }
static long f_node_down(struct ctx *c) { UNUSED(c); return dvk_node_down(NODE3); }
static long f_getproxyinfo(struct ctx *c)
{
	proc_usr_t s, r;

	UNUSED(c);
	return dvk_getproxyinfo(PX, &s, &r);
}
static long f_wakeup(struct ctx *c) { UNUSED(c); return dvk_wakeup(DCID, SRV); }

/* ---- setups and after-checks (root, in the test's main process) ---------- */
static void sub_check(struct ctx *c, bool ok, const char *what, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* an extra check of a cell: "<cell name>: <what>" */
static void sub_check(struct ctx *c, bool ok, const char *what, const char *fmt, ...)
{
	char n[400], m[200];
	va_list ap;

	snprintf(n, sizeof(n), "%s: %s", c->name, what);
	va_start(ap, fmt);
	vsnprintf(m, sizeof(m), fmt, ap);
	va_end(ap);
	check_report(ok, n, "%s", m);
}

static bool dc1_running(void)
{
	dc_usr_t d;

	return dvk_getdcinfo(DC1, &d) == OK && d.dc_flags != DC_FREE;
}

static int node_flags(int node)
{
	node_usr_t n;

	return dvk_getnodeinfo(node, &n) ? -1 : n.n_flags;
}

static bool pair_inuse(int px)
{
	proc_usr_t s, r;

	return dvk_getproxyinfo(px, &s, &r) == OK && s.p_lpid != PROC_NO_PID;
}

static uint64_t dc0_nodes(void)
{
	dc_usr_t d;

	return dvk_getdcinfo(DCID, &d) ? 0 : d.dc_nodes;
}

/* a root server in receive(ANY) at SRV */
static void s_receiver(struct ctx *c)
{
	c->peer = peer(SRV, p_receive, 10000);
	wait_state(SRV, RECEIVING, 5000);
}

static void s_server(struct ctx *c)
{
	c->peer = peer(SRV, p_serve, 10000);
	wait_state(SRV, RECEIVING, 5000);
}

/* a root sender queued on the caller (none for U: it has no endpoint) */
static void a_sender(struct ctx *c)
{
	if (c->ep == NONE)
		return;
	c->peer = peer(SRV, p_send, c->ep);
	wait_state(SRV, SENDING, 5000);
}

/* a root client queued in sendrec on the caller */
static void a_client(struct ctx *c)
{
	if (c->ep == NONE)
		return;
	c->peer = peer(CLI, p_sendrec, c->ep);
	wait_state(CLI, SENDING, 5000);
}

/* what the server at SRV received: the caller's message (@notify: its notify) or nothing */
static void after_receiver(struct ctx *c, bool notify, int from)
{
	struct peerinfo *p = pi(SRV);
	bool delivered = c->got == OK;
	int st;

	if (!delivered)
		dvk_wakeup(DCID, SRV);	/* ends its receive(ANY) with EDVSWOKENUP */
	st = finish(c->peer, 5000);
	if (st != 0) {
		sub_check(c, false, "the server ran", "status %d", st);
		return;
	}
	if (delivered)
		sub_check(c, p->r == OK && p->src == from &&
			  (!notify || IS_NOTIFY(p->type)), "the server received it",
			  "server result %ld, from %d", p->r, p->src);
	else
		sub_check(c, p->r == EDVSWOKENUP, "the server received nothing",
			  "server result %ld (source %d)", p->r, p->src);
}

static void t_send(struct ctx *c) { after_receiver(c, false, c->ep); }
static void t_notify(struct ctx *c) { after_receiver(c, true, c->ep); }
static void t_hdw_notify(struct ctx *c) { after_receiver(c, true, HARDWARE); }

static void t_sendrec(struct ctx *c)
{
	struct peerinfo *p = pi(SRV);
	bool served = c->got == OK;

	if (!served)
		dvk_wakeup(DCID, SRV);
	finish(c->peer, 5000);
	if (served)
		sub_check(c, p->r == OK && p->src == c->ep, "the server took the request and replied",
			  "server result %ld, from %d", p->r, p->src);
	else
		sub_check(c, p->r == EDVSWOKENUP, "the server got no request",
			  "server result %ld (source %d)", p->r, p->src);
}

/* the sender queued on the caller: its message taken (OK) or not (the caller left: EDVSDSTDIED) */
static void t_receive(struct ctx *c)
{
	long r;

	if (c->ep == NONE)
		return;
	finish(c->peer, 5000);
	r = pi(SRV)->r;
	if (c->got == OK)
		sub_check(c, r == OK, "the queued sender's message was taken", "sender %ld", r);
	else
		sub_check(c, r == EDVSDSTDIED, "the queued sender's message was not taken",
			  "sender %ld", r);
}

/* the client in sendrec: request taken, then the caller left (EDVSSRCDIED), or never taken */
static void t_rcvrqst(struct ctx *c)
{
	long r;

	if (c->ep == NONE)
		return;
	finish(c->peer, 5000);
	r = pi(CLI)->r;
	if (c->got == OK)
		sub_check(c, r == EDVSSRCDIED, "the client's request was taken",
			  "client %ld", r);
	else
		sub_check(c, r == EDVSDSTDIED, "the client's request was not taken",
			  "client %ld", r);
}

static void t_reply(struct ctx *c)
{
	long r;

	if (c->ep == NONE)
		return;
	finish(c->peer, 5000);
	r = pi(CLI)->r;
	if (c->got == OK)
		sub_check(c, r == OK, "the client got the reply", "client %ld", r);
	else
		sub_check(c, r == EDVSDSTDIED, "the client got no reply", "client %ld", r);
}

static void s_dc1(struct ctx *c)
{
	dc_usr_t d = dc_params(DC1, "DC1");

	UNUSED(c);
	dvk_dc_init(&d);
}

static void t_dc1(struct ctx *c)
{
	UNUSED(c);
	if (dc1_running())
		dvk_dc_end(DC1);
}

static void t_dc1_end(struct ctx *c)
{
	bool runs = dc1_running();

	sub_check(c, runs == (c->got != OK), c->got == OK ? "DC 1 ended" : "DC 1 still runs",
		  "running %d after %ld", runs, c->got);
	t_dc1(c);
}

static void s_bind_other(struct ctx *c)
{
	c->helper[0] = bind_helper = helper(1);
}

static void t_helpers(struct ctx *c)
{
	finish(c->helper[0], 0);
	finish(c->helper[1], 0);
}

static void s_counting(struct ctx *c)
{
	long b = 0;

	c->peer = counting_target();
	if (read_long(tgt_res, 10000, &b) || b != TGT)
		fprintf(stderr, "test_privs: the counting target did not bind: %ld\n", b);
}

static void t_counting(struct ctx *c)
{
	bool bound = wait_state(TGT, 0, 0);
	long n = -1;

	if (write(tgt_cmd, "n", 1) != 1 || read_long(tgt_res, 5000, &n))
		n = -1;
	/* by the rule (the cell's want), not by what the call returned */
	if (c->want == EDVSPRIVILEGES)
		sub_check(c, n == 0 && bound, "the root target got no SIGTERM and stays bound",
			  "SIGTERMs %ld, bound %d", n, bound);
	else
		sub_check(c, n == 1, "the root target got one SIGTERM", "SIGTERMs %ld", n);
	close(tgt_cmd);
	close(tgt_res);
	finish(c->peer, 0);
}

/* a uid 65534 process (default SIGTERM action) bound by root at TGT */
static void s_same_uid(struct ctx *c)
{
	c->helper[0] = helper(1);
	if (dvk_lclbind(DCID, c->helper[0], TGT) != TGT)
		fprintf(stderr, "test_privs: lclbind of the uid 65534 target failed\n");
}

static void t_same_uid(struct ctx *c)
{
	int st = finish(c->helper[0], 5000);
	bool term = st != -1 && WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM;

	if (c->got == OK || c->got == EDVSAGAIN)
		sub_check(c, term, "the target got SIGTERM and was unbound", "status %d", st);
	else
		sub_check(c, !term, "the target got no SIGTERM", "status %d", st);
}

static void t_rmt(struct ctx *c)
{
	if (slot_flags(RMT) & SLOT_FREE) {
		if (c->got != OK)
			sub_check(c, false, "the remote descriptor stays bound", "flags %#x",
				  slot_flags(RMT));
		dvk_rmtbind(DCID, "rmt", RMT, NODE1);
	}
}

static void t_vcopy(struct ctx *c)
{
	struct peerinfo *p = pi(SRV);

	dvk_wakeup(DCID, SRV);
	finish(c->peer, 5000);
	if (c->got == OK)
		sub_check(c, p->copied == 1, "the bytes are in the server's buffer",
			  "copied %d, server %ld", p->copied, p->r);
	else
		sub_check(c, p->copied == 0, "the server's buffer is untouched",
			  "copied %d, server %ld", p->copied, p->r);
}

static void s_px2(struct ctx *c)
{
	c->helper[0] = px2_pids[0] = helper(0);
	c->helper[1] = px2_pids[1] = helper(0);
}

static void s_px2_bound(struct ctx *c)
{
	s_px2(c);
	dvk_proxies_bind("px2", PX2, px2_pids[0], px2_pids[1], 4096);
}

static void t_px2(struct ctx *c)
{
	bool inuse = pair_inuse(PX2);

	if (c->row->nr == DVK_PROXYBIND)
		sub_check(c, inuse == (c->got == OK), inuse ? "pair 2 is in use" : "pair 2 stays free",
			  "in use %d after %ld", inuse, c->got);
	else
		sub_check(c, inuse == (c->got != OK), inuse ? "pair 2 stays in use" : "pair 2 is free",
			  "in use %d after %ld", inuse, c->got);
	if (inuse)
		dvk_proxies_unbind(PX2);
	t_helpers(c);
}

static void s_node2_member(struct ctx *c)
{
	UNUSED(c);
	dvk_add_node(DCID, NODE2);
}

static void t_node2(struct ctx *c)
{
	UNUSED(c);
	if (dc0_nodes() & (1ULL << NODE2))
		dvk_del_node(DCID, NODE2);
}

static void t_dvs(struct ctx *c)
{
	c->no_clean = c->cls == R;	/* the DVS is gone, or a new one */
}

static void t_reconnect(struct ctx *c)
{
	UNUSED(c);
	dvk_proxy_conn(PX, CONNECT_SPROXY);
}

static void t_migrate(struct ctx *c)
{
	UNUSED(c);
	if (slot_flags(PT) & MIGRATING)
		dvk_migr_rollback(DCID, PT);
}

static void s_node3(struct ctx *c)
{
	UNUSED(c);
	dvk_node_up("node3", NODE3, PX);
}

static void t_node3(struct ctx *c)
{
	UNUSED(c);
	if (node_flags(NODE3) != NODE_FREE)
		dvk_node_down(NODE3);
}

static void t_wakeup(struct ctx *c)
{
	struct peerinfo *p = pi(SRV);

	if (c->got != OK) {
		sub_check(c, (slot_flags(SRV) & RECEIVING) != 0, "the server still waits",
			  "flags %#x", slot_flags(SRV));
		dvk_wakeup(DCID, SRV);
	}
	finish(c->peer, 5000);
	if (c->got == OK)
		sub_check(c, p->r == EDVSWOKENUP, "the server's receive ended with EDVSWOKENUP",
			  "server %ld", p->r);
}

/* ---- the table ----------------------------------------------------------- */
#define W4(...)		W4_(__VA_ARGS__)
#define W4_(u, ub, sb, r)	{ u, ub, sb, r, NA, NA }
#define WP(ps, pr)		{ NA, NA, NA, NA, ps, pr }
#define PRIV3			EDVSPRIVILEGES, EDVSPRIVILEGES, EDVSPRIVILEGES

static const struct row rows[] = {
	{ DVK_VOID0, "void0", "(no such call)", true, false, 0,
	  W4(EDVSNOSYS, EDVSNOSYS, EDVSNOSYS, EDVSNOSYS),
	  "Number 0 has no handler: EDVSNOSYS for every caller, before any check.",
	  NULL, NULL, f_void0, NULL },
	{ DVK_DC_INIT, "dc_init", "start DC 1 (free)", true, false, 0,
	  W4(PRIV3, OK),
	  "Every control call checks CAP_SYS_ADMIN before anything else (arguments, state, "
	  "binding). R: dc_init returns the node id, 0 here.",
	  NULL, NULL, f_dc_init, t_dc1 },
	{ DVK_SEND, "send", "to a root server (slot 2) in receive(ANY)", true, true, 0,
	  W4(EDVSNOTBIND, EDVSBADCALL, OK, OK),
	  "IPC calls check no capability: the caller's slot decides. A user slot may make "
	  "only sendrec, unbind, getep and wait4bind (its priv_dvk_allowed: EDVSBADCALL), a "
	  "system slot every call; by default every slot may send to every slot (priv_ipc_to). "
	  "The test also checks that the server got the message, or nothing.",
	  s_receiver, NULL, f_send, t_send },
	{ DVK_RECEIVE, "receive", "receive(ANY) with a root sender (slot 2) queued on the caller",
	  true, true, 0, W4(EDVSNOTBIND, EDVSBADCALL, OK, OK),
	  "U has no endpoint for a sender to queue on; the test also checks that the queued "
	  "sender's message was taken, or not.",
	  NULL, a_sender, f_receive, t_receive },
	{ DVK_NOTIFY, "notify", "SELF to a root server (slot 2) in receive(ANY)", true, true, 0,
	  W4(EDVSNOTBIND, EDVSBADCALL, OK, OK),
	  "The destination must be a system slot (EDVSTRAPDENIED otherwise). The server got the "
	  "notify, or nothing.",
	  s_receiver, NULL, f_notify, t_notify },
	{ DVK_NOTIFY, "notify", "from HARDWARE (dcid 0) to a root server (slot 2) in receive(ANY)",
	  false, false, 0, W4(PRIV3, OK),
	  "A HARDWARE notify speaks for the kernel: CAP_SYS_ADMIN, no binding needed.",
	  s_receiver, NULL, f_hdw_notify, t_hdw_notify },
	{ DVK_SENDREC, "sendrec", "to a root server (slot 2) in rcvrqst", true, true, 0,
	  W4(EDVSNOTBIND, OK, OK, OK),
	  "The one IPC call of user slots. The server took the request and replied, or got none.",
	  s_server, NULL, f_sendrec, t_sendrec },
	{ DVK_RCVRQST, "rcvrqst", "with a root client (slot 4) queued in sendrec on the caller",
	  true, true, 0, W4(EDVSNOTBIND, EDVSBADCALL, OK, OK),
	  "The client's request was taken (it gets EDVSSRCDIED when the caller exits without "
	  "replying) or not (EDVSDSTDIED).",
	  NULL, a_client, f_rcvrqst, t_rcvrqst },
	{ DVK_REPLY, "reply", "to a root client (slot 4) in sendrec on the caller", true, true, 0,
	  W4(EDVSNOTBIND, EDVSBADCALL, OK, OK),
	  "The caller first takes the request with rcvrqst (refused to U and UB), then replies; "
	  "the client got the reply, or none.",
	  NULL, a_client, f_reply, t_reply },
	{ DVK_DC_END, "dc_end", "end DC 1 (running, empty)", true, false, 0,
	  W4(PRIV3, OK), NULL,
	  s_dc1, NULL, f_dc_end, t_dc1_end },
	{ DVK_BIND, "bind", "SELF_BIND itself into free system slot 20", true, false, 0,
	  W4(PRIV3, FREE_EP),
	  "Every bind type needs CAP_SYS_ADMIN, so an unprivileged process is bound by root: "
	  "LCL_BIND by pid (how this test binds UB and SB), or it binds itself while root and "
	  "drops its privileges after (a binding is by pid and survives setuid). R: returns the "
	  "endpoint, 20.",
	  NULL, NULL, f_bind_self, NULL },
	{ DVK_BIND, "bind", "LCL_BIND of an unbound uid 65534 process into free slot 20", false,
	  false, 0, W4(PRIV3, FREE_EP), NULL,
	  s_bind_other, NULL, f_bind_other, t_helpers },
	{ DVK_UNBIND, "unbind", "a root process bound in DC 0 (slot 3)", true, false, 0,
	  W4(PRIV3, EDVSAGAIN),
	  "Unbinding another local process needs CAP_SYS_ADMIN or kill(2)'s permission to "
	  "signal it (same uid, or CAP_KILL); otherwise EDVSPRIVILEGES and no signal (the root "
	  "target counts its SIGTERMs: 0). An allowed unbind of another process sends it "
	  "SIGTERM; an unbound caller does not wait for it to go (EDVSAGAIN), a bound one does.",
	  s_counting, NULL, f_unbind_tgt, t_counting },
	{ DVK_UNBIND, "unbind", "a uid 65534 process bound in DC 0 (slot 3)", false, false, 0,
	  W4(EDVSAGAIN, OK, OK, EDVSAGAIN),
	  "Same uid: allowed. The target dies of the SIGTERM; bound callers wait for it (OK).",
	  s_same_uid, NULL, f_unbind_same, t_same_uid },
	{ DVK_UNBIND, "unbind", "itself", false, true, 0, W4(NA, OK, OK, OK),
	  "Unbinding oneself is always allowed (U has no binding).",
	  NULL, NULL, f_unbind_self, NULL },
	{ DVK_UNBIND, "unbind", "the remote descriptor of node 1's process (slot 5)", false, false,
	  0, W4(PRIV3, OK),
	  "Unbinding a remote descriptor needs CAP_SYS_ADMIN.",
	  NULL, NULL, f_unbind_rmt, t_rmt },
	{ DVK_GETPRIV, "getpriv", "of a bound root process (slot 6)", true, false, 0,
	  W4(PRIV3, OK), NULL, NULL, NULL, f_getpriv, NULL },
	{ DVK_SETPRIV, "setpriv", "of a bound root process (slot 6), its current values", true,
	  false, 0, W4(PRIV3, OK), NULL, NULL, NULL, f_setpriv, NULL },
	{ DVK_VCOPY, "vcopy", "64 bytes from itself to a root server (slot 2) in receive(ANY)",
	  true, true, 0, W4(PRIV3, OK),
	  "vcopy needs CAP_SYS_ADMIN (checked first) and a system slot: an unprivileged server "
	  "in a system slot cannot vcopy. The server's buffer holds the bytes, or is untouched.",
	  s_receiver, NULL, f_vcopy, t_vcopy },
	{ DVK_GETDCINFO, "getdcinfo", "DC 0", true, false, 0, W4(PRIV3, OK), NULL,
	  NULL, NULL, f_getdcinfo, NULL },
	{ DVK_GETPROCINFO, "getprocinfo", "slot 6 of DC 0", true, false, 0, W4(PRIV3, OK), NULL,
	  NULL, NULL, f_getprocinfo, NULL },
	{ DVK_RELAY, "relay", "to a bound endpoint (slot 6)", true, true, 0,
	  W4(EDVSNOTBIND, EDVSBADCALL, OK, OK),
	  "A no-op kept for compatibility: OK for a bound caller allowed the call.",
	  NULL, NULL, f_relay, NULL },
	{ DVK_PROXYBIND, "proxies_bind", "pair 2 (free) to two unbound root processes", true,
	  false, 0, W4(PRIV3, OK), NULL, s_px2, NULL, f_proxies_bind, t_px2 },
	{ DVK_PROXYUNBIND, "proxies_unbind", "pair 2 (in use)", true, false, 0, W4(PRIV3, OK),
	  NULL, s_px2_bound, NULL, f_proxies_unbind, t_px2 },
	{ DVK_GETNODEINFO, "getnodeinfo", "node 1", true, false, 0, W4(PRIV3, OK), NULL,
	  NULL, NULL, f_getnodeinfo, NULL },
	{ DVK_PUT2LCL, "put2lcl", "a heartbeat (CMD_NONE) from node 1", true, false, 0,
	  W4(EDVSNOPROXY, EDVSNOPROXY, EDVSNOPROXY, EDVSNOPROXY),
	  "get2rmt and put2lcl are the proxies' calls: refused to anyone but the bound proxies "
	  "of a pair, root included (table of the proxies below).",
	  NULL, NULL, f_put2lcl, NULL },
	{ DVK_GET2RMT, "get2rmt", "the next command of pair 1, timeout 0", true, false, 0,
	  W4(EDVSNOPROXY, EDVSNOPROXY, EDVSNOPROXY, EDVSNOPROXY), NULL,
	  NULL, NULL, f_get2rmt, NULL },
	{ DVK_ADDNODE, "add_node", "node 2 (attached) to DC 0", true, false, 0, W4(PRIV3, OK),
	  NULL, NULL, NULL, f_add_node, t_node2 },
	{ DVK_DELNODE, "del_node", "node 2 from DC 0", true, false, 0, W4(PRIV3, OK), NULL,
	  s_node2_member, NULL, f_del_node, t_node2 },
	{ DVK_DVSINIT, "dvs_init", "node 0", true, false, 3, W4(PRIV3, OK),
	  "R ran last, after its dvs_end: returns the node id, 0 (on a running DVS root gets "
	  "EDVSDVSBUSY; the others get EDVSPRIVILEGES either way).",
	  NULL, NULL, f_dvs_init, t_dvs },
	{ DVK_DVSEND, "dvs_end", "the running DVS", true, false, 2, W4(PRIV3, OK), NULL,
	  NULL, NULL, f_dvs_end, t_dvs },
	{ DVK_GETEP, "getep", "pid of a bound root process (slot 6)", true, true, 0,
	  W4(PRIV3, PT),
	  "getep is in the user slots' priv_dvk_allowed, but needs CAP_SYS_ADMIN (checked "
	  "first) and a bound caller: no unprivileged process can use it. R: returns the "
	  "endpoint, 6.",
	  NULL, NULL, f_getep, NULL },
	{ DVK_GETDVSINFO, "getdvsinfo", "", true, false, 0, W4(PRIV3, OK),
	  "R: returns the node id, 0.", NULL, NULL, f_getdvsinfo, NULL },
	{ DVK_PROXYCONN, "proxy_conn", "DISCONNECT_SPROXY of pair 1 (connected)", true, false, 0,
	  W4(PRIV3, OK), NULL, NULL, NULL, f_proxy_conn, t_reconnect },
	{ DVK_WAIT4BIND, "wait4bind", "WAIT_BIND of bound slot 6, 1 s", true, true, 0,
	  W4(EDVSNOTBIND, PT, PT, PT),
	  "No capability and no priv_dvk_allowed bit: any bound caller may watch any endpoint "
	  "of its DC. Returns the endpoint, 6.",
	  NULL, NULL, f_wait4bind, NULL },
	{ DVK_WAIT4BIND, "wait4bind", "WAIT_BIND of SELF, timeout 0", false, false, 0,
	  W4(EDVSAGAIN, UB_EP, SB_EP, EDVSAGAIN),
	  "How a process bound by another waits for its binding: its endpoint (40, 10), or "
	  "EDVSAGAIN while unbound.",
	  NULL, NULL, f_wait4bind_self, NULL },
	{ DVK_MIGRATE, "migrate", "MIGR_START of bound slot 6", true, false, 0, W4(PRIV3, OK), NULL,
	  NULL, NULL, f_migrate, t_migrate },
	{ DVK_NODEUP, "node_up", "node 3 through pair 1", true, false, 0, W4(PRIV3, OK), NULL,
	  NULL, NULL, f_node_up, t_node3 },
	{ DVK_NODEDOWN, "node_down", "node 3 (attached)", true, false, 0, W4(PRIV3, OK), NULL,
	  s_node3, NULL, f_node_down, t_node3 },
	{ DVK_GETPROXYINFO, "getproxyinfo", "pair 1", true, false, 0, W4(PRIV3, OK), NULL,
	  NULL, NULL, f_getproxyinfo, NULL },
	{ DVK_WAKEUPEP, "wakeup", "a root server (slot 2) in receive(ANY)", true, false, 0,
	  W4(PRIV3, OK),
	  "The server still waits after a refused wakeup; after R's, its receive returned "
	  "EDVSWOKENUP.",
	  s_receiver, NULL, f_wakeup, t_wakeup },
	/* the bound proxies of pair 1 (uid 65534) */
	{ DVK_PROXYUNBIND, "proxies_unbind", "its own pair (pair 1)", false, false, 0,
	  WP(EDVSPRIVILEGES, EDVSPRIVILEGES),
	  "Unprivileged proxies cannot free their own pair (dvk-proxy does on SIGTERM: it must "
	  "run as root, or be helped by root).",
	  NULL, NULL, f_proxies_unbind_own, NULL },
	{ DVK_PUT2LCL, "put2lcl", "a heartbeat (CMD_NONE) from node 1", false, false, 0,
	  WP(EDVSBADCALL, OK),
	  "Each proxy may make only its own data call: put2lcl the receiver, get2rmt the sender "
	  "(the other one gets EDVSBADCALL). No capability is checked: being bound as a proxy "
	  "by root (proxies_bind) is the privilege, so proxies of uid 65534 work.",
	  NULL, NULL, f_put2lcl, NULL },
	{ DVK_GET2RMT, "get2rmt", "the next command of its pair, timeout 0", false, false, 0,
	  WP(EDVSTIMEDOUT, EDVSBADCALL),
	  "The sender proxy finds no command queued: EDVSTIMEDOUT (it would send a heartbeat).",
	  NULL, NULL, f_get2rmt, NULL },
};
static const int nrows = sizeof(rows) / sizeof(rows[0]);

/* ---- the proxies of pair PX: uid 65534, they run rows[i].fn on request ---- */
static pid_t proxy_child(int cls, int *cmd, int *res)
{
	int c[2], r[2];
	pid_t pid;

	if (pipe(c) || pipe(r))
		return -1;
	pid = fork();
	if (pid == 0) {
		long v = 0;
		int i;

		close(c[1]);
		close(r[0]);
		dvk_close();
		if (drop() || dvk_open() < 0)
			v = PREP_FAILED;
		if (write(r[1], &v, sizeof(v)) != sizeof(v))
			_exit(1);
		while (read(c[0], &i, sizeof(i)) == sizeof(i)) {
			struct ctx x = { .row = &rows[i], .cls = cls, .ep = NONE };

			v = i >= 0 && i < nrows ? rows[i].fn(&x) : PREP_FAILED;
			if (write(r[1], &v, sizeof(v)) != sizeof(v))
				_exit(1);
		}
		_exit(0);
	}
	close(c[0]);
	close(r[1]);
	*cmd = c[1];
	*res = r[0];
	return pid;
}

static void cell_name(const struct row *r, int cls, long want, char *b, size_t n)
{
	snprintf(b, n, "privs: %s (%s) %s%s-> %s", r->call, cls_name[cls], r->target,
		 r->target[0] ? " " : "", show(want));
}

/* ---- the markdown tables (docs/security.md) ------------------------------ */
static void print_tables(FILE *f)
{
	int note_of[sizeof(rows) / sizeof(rows[0])], notes = 0, i, k;

	/* footnotes numbered as they appear: main table, more cells, proxies */
	for (i = 0; i < nrows; i++)
		note_of[i] = rows[i].note && rows[i].main ? ++notes : 0;
	for (i = 0; i < nrows; i++)
		if (rows[i].note && !rows[i].main && rows[i].want[PS] == NA)
			note_of[i] = ++notes;
	for (i = 0; i < nrows; i++)
		if (rows[i].note && rows[i].want[PS] != NA)
			note_of[i] = ++notes;

	fprintf(f, "| # | call | the caller tries | U | UB | SB | R |\n");
	fprintf(f, "|---|---|---|---|---|---|---|\n");
	for (i = 0; i < nrows; i++) {
		const struct row *r = &rows[i];

		if (!r->main)
			continue;
		fprintf(f, "| %d | %s", r->nr, r->call);
		if (note_of[i])
			fprintf(f, " [^%d]", note_of[i]);
		fprintf(f, " | %s |", r->target[0] ? r->target : "–");
		for (k = U; k <= R; k++)
			fprintf(f, " %s%s |", show(r->want[k]), k == R && r->rbound ? "†" : "");
		fprintf(f, "\n");
	}
	fprintf(f, "\n† R bound in system slot %d (the call needs a binding); every other R "
		   "caller is unbound.\n\n", R_EP);

	fprintf(f, "More cells of the same calls:\n\n");
	fprintf(f, "| # | call | the caller tries | U | UB | SB | R |\n");
	fprintf(f, "|---|---|---|---|---|---|---|\n");
	for (i = 0; i < nrows; i++) {
		const struct row *r = &rows[i];

		if (r->main || (r->want[U] == NA && r->want[UB] == NA && r->want[SB] == NA &&
				r->want[R] == NA))
			continue;
		fprintf(f, "| %d | %s", r->nr, r->call);
		if (note_of[i])
			fprintf(f, " [^%d]", note_of[i]);
		fprintf(f, " | %s |", r->target);
		for (k = U; k <= R; k++)
			fprintf(f, " %s%s |", show(r->want[k]), k == R && r->rbound ? "†" : "");
		fprintf(f, "\n");
	}

	fprintf(f, "\nThe bound proxies of pair 1 (processes of uid 65534 that root bound with "
		   "proxies_bind):\n\n");
	fprintf(f, "| # | call | the proxy tries | sender proxy (PS) | receiver proxy (PR) |\n");
	fprintf(f, "|---|---|---|---|---|\n");
	for (i = 0; i < nrows; i++) {
		const struct row *r = &rows[i];

		if (r->want[PS] == NA && r->want[PR] == NA)
			continue;
		fprintf(f, "| %d | %s", r->nr, r->call);
		if (note_of[i])
			fprintf(f, " [^%d]", note_of[i]);
		fprintf(f, " | %s | %s | %s |\n", r->target, show(r->want[PS]), show(r->want[PR]));
	}
	fprintf(f, "\n");
	for (k = 1; k <= notes; k++)
		for (i = 0; i < nrows; i++)
			if (note_of[i] == k)
				fprintf(f, "[^%d]: %s\n", k, rows[i].note);
}

#define DOC		"docs/security.md"
#define DOC_BEGIN	"<!-- BEGIN privilege table: generated by `build/tests/kernel/test_privs --table` -->\n"
#define DOC_END		"<!-- END privilege table -->\n"

/* the table in docs/security.md is the one print_tables() makes */
static void check_doc(void)
{
	char *want = NULL, *doc = NULL, *b, *e;
	size_t wn = 0, dn = 0;
	FILE *f = open_memstream(&want, &wn);

	print_tables(f);
	fclose(f);
	f = fopen(DOC, "r");
	if (!f) {
		check_skip("privs: " DOC " carries this test's table", "no " DOC " here");
		free(want);
		return;
	}
	FILE *m = open_memstream(&doc, &dn);
	char buf[4096];
	size_t k;

	while ((k = fread(buf, 1, sizeof(buf), f)) > 0)
		fwrite(buf, 1, k, m);
	fclose(f);
	fclose(m);
	b = strstr(doc, DOC_BEGIN);
	e = b ? strstr(b, DOC_END) : NULL;
	if (b && e) {
		b += strlen(DOC_BEGIN);
		*e = 0;
	}
	CHECK("privs: " DOC " carries this test's table", b && e && !strcmp(b, want),
	      "%s", b && e ? "differs: regenerate with build/tests/kernel/test_privs --table" :
	      "markers not found");
	free(want);
	free(doc);
}

/* ---- running the cells -------------------------------------------------- */
static int cls_ep(const struct row *r, int cls)
{
	switch (cls) {
	case UB: return UB_EP;
	case SB: return SB_EP;
	case R: return r->rbound ? R_EP : NONE;
	default: return NONE;
	}
}

/* DVK as every cell must leave it; false with @why set otherwise */
static bool clean_state(char *why, size_t n)
{
	proc_usr_t u;
	int p;

	for (p = -NR_TASKS; p < NR_PROCS; p++) {
		bool bound, want = p == PT || p == RMT;

		if (dvk_getprocinfo(DCID, p, &u)) {
			snprintf(why, n, "getprocinfo %d failed", p);
			return false;
		}
		bound = !(u.p_rts_flags & SLOT_FREE);
		if (bound != want || (p == PT && u.p_rts_flags) ||
		    (p == RMT && u.p_rts_flags != REMOTE)) {
			snprintf(why, n, "slot %d flags %#x", p, u.p_rts_flags);
			return false;
		}
	}
	if (dc1_running()) {
		snprintf(why, n, "DC 1 runs");
		return false;
	}
	if (dc0_nodes() != ((1ULL << 0) | (1ULL << NODE1))) {
		snprintf(why, n, "DC 0 nodes %#llx", (unsigned long long)dc0_nodes());
		return false;
	}
	if (node_flags(NODE1) != (NODE_ATTACHED | NODE_SCONNECTED | NODE_RCONNECTED) ||
	    node_flags(NODE2) != (NODE_ATTACHED | NODE_SCONNECTED | NODE_RCONNECTED) ||
	    node_flags(NODE3) != NODE_FREE) {
		snprintf(why, n, "node flags %#x %#x %#x", node_flags(NODE1), node_flags(NODE2),
			 node_flags(NODE3));
		return false;
	}
	if (pair_inuse(PX2) || !pair_inuse(PX)) {
		snprintf(why, n, "pair 2 in use or pair 1 free");
		return false;
	}
	return true;
}

static int dirty_cells;

static void run_cell(const struct row *r, int cls)
{
	struct ctx c = { .row = r, .cls = cls, .ep = cls_ep(r, cls), .want = r->want[cls],
			 .got = CHILD_FAILED, .peer = -1, .helper = { -1, -1 } };
	char why[128];

	cell_name(r, cls, c.want, c.name, sizeof(c.name));
	if (r->setup)
		r->setup(&c);
	if (cls == PS || cls == PR) {
		int i = (int)(r - rows), cmd = cls == PS ? ps_cmd : pr_cmd;
		int res = cls == PS ? ps_res : pr_res;

		if (write(cmd, &i, sizeof(i)) != sizeof(i) || read_long(res, 30000, &c.got))
			c.got = CHILD_FAILED;
	} else {
		int up[2], down[2];
		long v = CHILD_FAILED;
		pid_t pid;

		if (pipe(up) || pipe(down)) {
			CHECK(c.name, false, "pipe: %s", strerror(errno));
			return;
		}
		pid = fork();
		if (pid == 0) {
			close(up[0]);
			close(down[1]);
			dvk_close();	/* reopen /dev/dvk as the class (mode 0666) */
			v = 0;
			if (cls != R && drop())
				v = PREP_FAILED;
			if (!v && dvk_open() < 0)
				v = PREP_FAILED;
			if (!v && c.ep != NONE && dvk_wait4bind_T(20000) != c.ep)
				v = PREP_FAILED;
			if (write(up[1], &v, sizeof(v)) != sizeof(v) || v)
				_exit(1);
			if (read(down[0], &v, 1) != 1)
				_exit(1);
			v = r->fn(&c);
			if (write(up[1], &v, sizeof(v)) != sizeof(v))
				_exit(1);
			_exit(0);
		}
		close(up[1]);
		close(down[0]);
		if (c.ep != NONE && dvk_lclbind(DCID, pid, c.ep) != c.ep)
			fprintf(stderr, "test_privs: %s: lclbind of the caller failed\n", c.name);
		if (read_long(up[0], 30000, &v) == 0 && v == 0) {
			if (r->arm)
				r->arm(&c);
			if (write(down[1], "g", 1) != 1 || read_long(up[0], 30000, &c.got))
				c.got = CHILD_FAILED;
		} else {
			c.got = PREP_FAILED;
		}
		close(up[0]);
		close(down[1]);
		if (finish(pid, 10000) != 0)
			fprintf(stderr, "test_privs: %s: the caller did not exit cleanly\n", c.name);
	}
	CHECK_RC(c.name, c.got, c.want);
	if (r->after)
		r->after(&c);
	else
		finish(c.peer, 5000);
	if (!c.no_clean && !clean_state(why, sizeof(why))) {
		dirty_cells++;
		sub_check(&c, false, "DVK is left as it was", "%s", why);
		fprintf(stderr, "test_privs: after %s: %s\n", c.name, why);
	}
}

static void setup(void)
{
	dvs_usr_t d = dvs_params();
	dc_usr_t dc = dc_params(DCID, "DC0");
	long v = 0;

	pinfo = mmap(NULL, (NR_TASKS + NR_PROCS) * sizeof(*pinfo), PROT_READ | PROT_WRITE,
		     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (pinfo == MAP_FAILED)
		exit(1);
	signal(SIGPIPE, SIG_IGN);
	CHECK_RC("privs: setup: dvs_init", dvk_dvs_init(0, &d), 0);
	CHECK_RC("privs: setup: dc_init DC 0", dvk_dc_init(&dc), 0);
	pt_pid = peer(PT, p_sleep, 0);
	CHECK("privs: setup: a root process asleep in slot 6", wait_state(PT, 0, 10000), "not bound");
	CHECK_RC("privs: setup: getpriv of slot 6", dvk_getpriv(DCID, PT, &pt_priv), OK);
	ps_pid = proxy_child(PS, &ps_cmd, &ps_res);
	pr_pid = proxy_child(PR, &pr_cmd, &pr_res);
	CHECK("privs: setup: the two proxies run as uid 65534 without capabilities",
	      !read_long(ps_res, 10000, &v) && v == 0 && !read_long(pr_res, 10000, &v) && v == 0,
	      "%ld", v);
	CHECK_RC("privs: setup: proxies_bind pair 1", dvk_proxies_bind("node1", PX, ps_pid, pr_pid,
		 MAXCOPYBUF), OK);
	CHECK_RC("privs: setup: connect its sender", dvk_proxy_conn(PX, CONNECT_SPROXY), OK);
	CHECK_RC("privs: setup: connect its receiver", dvk_proxy_conn(PX, CONNECT_RPROXY), OK);
	CHECK_RC("privs: setup: node_up 1", dvk_node_up("node1", NODE1, PX), OK);
	CHECK_RC("privs: setup: add_node 1 to DC 0", dvk_add_node(DCID, NODE1), OK);
	CHECK_RC("privs: setup: node_up 2", dvk_node_up("node2", NODE2, PX), OK);
	CHECK_RC("privs: setup: rmtbind slot 5 on node 1", dvk_rmtbind(DCID, "rmt", RMT, NODE1), RMT);
}

int main(int argc, char **argv)
{
	struct timespec t0, t1;
	char why[128];
	int phase, i, k, cells = 0;

	if (argc > 1 && !strcmp(argv[1], "--table")) {
		print_tables(stdout);
		return 0;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	setup();
	CHECK("privs: the state before the first cell is the baseline", clean_state(why, sizeof(why)),
	      "%s", why);
	for (phase = 0; phase <= 3; phase++) {
		for (i = 0; i < nrows; i++) {
			for (k = 0; k < NCLS; k++) {
				int ph = k == R ? rows[i].rphase : 0;

				if (rows[i].want[k] == NA || ph != phase)
					continue;
				run_cell(&rows[i], k);
				cells++;
			}
		}
	}
	CHECK("privs: every cell left DVK as it found it", dirty_cells == 0, "%d cells did not",
	      dirty_cells);
	/* R's dvs_init (phase 3) left a fresh DVS; the old one's processes got SIGTERM */
	CHECK_RC("privs: teardown: dvs_end", dvk_dvs_end(), OK);
	finish(pt_pid, 5000);
	finish(ps_pid, 5000);
	finish(pr_pid, 5000);
	check_doc();
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("test_privs: %d cells in %.1f s\n", cells,
	       (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	return CHECK_EXIT();
}
