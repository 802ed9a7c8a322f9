/* SPDX-License-Identifier: GPL-2.0 */
/*
 * privs.h - what the parts of test_privs share: the caller classes, the
 * endpoints, nodes and pairs of the set-up, a row of the privilege table and
 * the context of one cell, the state shared with the children, and the
 * functions each part offers the others.
 *
 *   test_privs.c      main, the set-up of the DVS and the runner of the cells
 *   privs/procs.c     the processes: dropping to uid 65534, root peers,
 *                     unbound helpers, the SIGTERM-counting target, the proxies
 *   privs/state.c     what DVK looks like, and the state every cell must leave
 *   privs/calls.c     the cell bodies: the one call each caller makes
 *   privs/targets.c   the targets each cell prepares and the checks of what
 *                     happened to them
 *   privs/rows.c      the rows: every call, its target and expected results
 *   privs/table.c     the test names and the markdown tables of docs/security.md
 */
#ifndef DVK_TESTS_PRIVS_H
#define DVK_TESTS_PRIVS_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>
#include "libdvk.h"

enum { U, UB, SB, R, PS, PR, NCLS };

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

#define UNUSED(c) (void)(c)

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

/* ---- state shared with the children (defined in privs/procs.c) ----------- */
struct peerinfo {
	long r;			/* the peer's DVK result */
	int src, type;		/* the message it received */
	int copied;		/* its vbuf holds vpattern */
};
extern struct peerinfo *pinfo;	/* shared, by endpoint + NR_TASKS */
extern char vbuf[VLEN];		/* a receiving server's buffer (same address in every fork) */
extern const char vpattern[VLEN];
extern pid_t pt_pid, ps_pid, pr_pid;
extern int ps_cmd, ps_res, pr_cmd, pr_res;	/* pipes to the proxies */
extern priv_usr_t pt_priv;	/* PT's privileges, for setpriv's round trip */
extern int tgt_cmd, tgt_res;	/* pipes to the counting target */

static inline struct peerinfo *pi(int ep)
{
	return &pinfo[ep + NR_TASKS];
}

/* ---- the rows (privs/rows.c) --------------------------------------------- */
extern const struct row rows[];
extern const int nrows;

/* ---- the runner (test_privs.c): the one file that counts checks ---------- */
/* an extra check of a cell: "<cell name>: <what>" */
void sub_check(struct ctx *c, bool ok, const char *what, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* ---- processes (privs/procs.c) ------------------------------------------- */
int drop(void);
long read_long(int fd, int ms, long *v);
int finish(pid_t pid, int ms);

typedef long (*peer_fn)(int ep, int arg);
pid_t peer(int ep, peer_fn fn, int arg);
long p_receive(int ep, int ms);
long p_serve(int ep, int ms);
long p_send(int ep, int dst);
long p_sendrec(int ep, int dst);
long p_sleep(int ep, int arg);
pid_t helper(int nobody);
pid_t counting_target(void);
pid_t proxy_child(int cls, int *cmd, int *res);

/* ---- what DVK looks like (privs/state.c) --------------------------------- */
int wait_state(int ep, int flags, int ms);
int slot_flags(int ep);
bool dc1_running(void);
int node_flags(int node);
bool pair_inuse(int px);
uint64_t dc0_nodes(void);
bool clean_state(char *why, size_t n);

/* ---- cell bodies: what the caller does (privs/calls.c) ------------------- */
extern pid_t bind_helper;	/* the unbound process of f_bind_other */
extern pid_t px2_pids[2];	/* the two unbound processes of pair PX2 */

long f_void0(struct ctx *c);
long f_dc_init(struct ctx *c);
long f_send(struct ctx *c);
long f_receive(struct ctx *c);
long f_notify(struct ctx *c);
long f_hdw_notify(struct ctx *c);
long f_sendrec(struct ctx *c);
long f_rcvrqst(struct ctx *c);
long f_reply(struct ctx *c);
long f_dc_end(struct ctx *c);
long f_bind_self(struct ctx *c);
long f_bind_other(struct ctx *c);
long f_unbind_tgt(struct ctx *c);
long f_unbind_same(struct ctx *c);
long f_unbind_self(struct ctx *c);
long f_unbind_rmt(struct ctx *c);
long f_getpriv(struct ctx *c);
long f_setpriv(struct ctx *c);
long f_vcopy(struct ctx *c);
long f_getdcinfo(struct ctx *c);
long f_getprocinfo(struct ctx *c);
long f_relay(struct ctx *c);
long f_proxies_bind(struct ctx *c);
long f_proxies_unbind(struct ctx *c);
long f_proxies_unbind_own(struct ctx *c);
long f_getnodeinfo(struct ctx *c);
long f_put2lcl(struct ctx *c);
long f_get2rmt(struct ctx *c);
long f_add_node(struct ctx *c);
long f_del_node(struct ctx *c);
long f_dvs_init(struct ctx *c);
long f_dvs_end(struct ctx *c);
long f_getep(struct ctx *c);
long f_getdvsinfo(struct ctx *c);
long f_proxy_conn(struct ctx *c);
long f_wait4bind(struct ctx *c);
long f_wait4bind_self(struct ctx *c);
long f_migrate(struct ctx *c);
long f_node_up(struct ctx *c);
long f_node_down(struct ctx *c);
long f_getproxyinfo(struct ctx *c);
long f_wakeup(struct ctx *c);

/*
 * ---- targets (privs/targets.c): s_ set-ups before the caller exists, a_ arms
 * once it is bound, t_ after-checks and cleanup once it is gone
 */
void s_receiver(struct ctx *c);
void s_server(struct ctx *c);
void a_sender(struct ctx *c);
void a_client(struct ctx *c);
void t_send(struct ctx *c);
void t_notify(struct ctx *c);
void t_hdw_notify(struct ctx *c);
void t_sendrec(struct ctx *c);
void t_receive(struct ctx *c);
void t_rcvrqst(struct ctx *c);
void t_reply(struct ctx *c);
void s_dc1(struct ctx *c);
void t_dc1(struct ctx *c);
void t_dc1_end(struct ctx *c);
void s_bind_other(struct ctx *c);
void t_helpers(struct ctx *c);
void s_counting(struct ctx *c);
void t_counting(struct ctx *c);
void s_same_uid(struct ctx *c);
void t_same_uid(struct ctx *c);
void t_rmt(struct ctx *c);
void t_vcopy(struct ctx *c);
void s_px2(struct ctx *c);
void s_px2_bound(struct ctx *c);
void t_px2(struct ctx *c);
void s_node2_member(struct ctx *c);
void t_node2(struct ctx *c);
void t_dvs(struct ctx *c);
void t_reconnect(struct ctx *c);
void t_migrate(struct ctx *c);
void s_node3(struct ctx *c);
void t_node3(struct ctx *c);
void t_wakeup(struct ctx *c);

/* ---- names and tables (privs/table.c) ------------------------------------ */
#define PRIVS_DOC	"docs/security.md"

void cell_name(const struct row *r, int cls, long want, char *b, size_t n);
void print_tables(FILE *f);
/* the table between the markers of PRIVS_DOC against print_tables()'s:
 * 1 the same, 0 not (@why says how), -1 no PRIVS_DOC here */
int doc_has_table(const char **why);

#endif /* DVK_TESTS_PRIVS_H */
