// SPDX-License-Identifier: GPL-2.0
/*
 * privs/targets.c - the targets of test_privs's cells, all root, in the test's
 * main process: the set-ups before the caller exists (s_), the arms once it is
 * bound (a_), and the after-checks once it is gone (t_): what happened to the
 * target, and the cleanup that leaves DVK as it was.
 */
#include <signal.h>
#include <unistd.h>
#include <sys/wait.h>
#include "privs.h"
#include "dvk_params.h"

/* a root server in receive(ANY) at SRV */
void s_receiver(struct ctx *c)
{
	c->peer = peer(SRV, p_receive, 10000);
	wait_state(SRV, RECEIVING, 5000);
}

void s_server(struct ctx *c)
{
	c->peer = peer(SRV, p_serve, 10000);
	wait_state(SRV, RECEIVING, 5000);
}

/* a root sender queued on the caller (none for U: it has no endpoint) */
void a_sender(struct ctx *c)
{
	if (c->ep == NONE)
		return;
	c->peer = peer(SRV, p_send, c->ep);
	wait_state(SRV, SENDING, 5000);
}

/* a root client queued in sendrec on the caller */
void a_client(struct ctx *c)
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

void t_send(struct ctx *c) { after_receiver(c, false, c->ep); }
void t_notify(struct ctx *c) { after_receiver(c, true, c->ep); }
void t_hdw_notify(struct ctx *c) { after_receiver(c, true, HARDWARE); }

void t_sendrec(struct ctx *c)
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

/*
 * A root peer blocked on the caller of the cell (@ep's result): the call
 * went through (the peer got @if_ok) or it did not, and the caller's exit
 * failed the peer with EDVSDSTDIED.
 */
static void after_peer(struct ctx *c, int ep, long if_ok, const char *taken,
		       const char *not_taken)
{
	long r;

	if (c->ep == NONE)
		return;
	finish(c->peer, 5000);
	r = pi(ep)->r;
	if (c->got == OK)
		sub_check(c, r == if_ok, taken, "peer result %ld", r);
	else
		sub_check(c, r == EDVSDSTDIED, not_taken, "peer result %ld", r);
}

/* the sender queued on the caller */
void t_receive(struct ctx *c)
{
	after_peer(c, SRV, OK, "the queued sender's message was taken",
		   "the queued sender's message was not taken");
}

/* the client in sendrec: its request taken, then the caller left (EDVSSRCDIED) */
void t_rcvrqst(struct ctx *c)
{
	after_peer(c, CLI, EDVSSRCDIED, "the client's request was taken",
		   "the client's request was not taken");
}

void t_reply(struct ctx *c)
{
	after_peer(c, CLI, OK, "the client got the reply", "the client got no reply");
}

void s_dc1(struct ctx *c)
{
	dc_usr_t d = dvk_dc_params(DC1, "DC1");

	UNUSED(c);
	dvk_dc_init(&d);
}

void t_dc1(struct ctx *c)
{
	UNUSED(c);
	if (dc1_running())
		dvk_dc_end(DC1);
}

void t_dc1_end(struct ctx *c)
{
	bool runs = dc1_running();

	sub_check(c, runs == (c->got != OK), c->got == OK ? "DC 1 ended" : "DC 1 still runs",
		  "running %d after %ld", runs, c->got);
	t_dc1(c);
}

void s_bind_other(struct ctx *c)
{
	c->helper[0] = bind_helper = helper(1);
}

void t_helpers(struct ctx *c)
{
	finish(c->helper[0], 0);
	finish(c->helper[1], 0);
}

void s_counting(struct ctx *c)
{
	long b = 0;

	c->peer = counting_target();
	if (read_long(tgt_res, 10000, &b) || b != TGT)
		fprintf(stderr, "test_privs: the counting target did not bind: %ld\n", b);
}

void t_counting(struct ctx *c)
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
void s_same_uid(struct ctx *c)
{
	c->helper[0] = helper(1);
	if (dvk_lclbind(DCID, c->helper[0], TGT) != TGT)
		fprintf(stderr, "test_privs: lclbind of the uid 65534 target failed\n");
}

void t_same_uid(struct ctx *c)
{
	int st = finish(c->helper[0], 5000);
	bool term = st != -1 && WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM;

	if (c->got == OK || c->got == EDVSAGAIN)
		sub_check(c, term, "the target got SIGTERM and was unbound", "status %d", st);
	else
		sub_check(c, !term, "the target got no SIGTERM", "status %d", st);
}

void t_rmt(struct ctx *c)
{
	if (slot_flags(RMT) & SLOT_FREE) {
		if (c->got != OK)
			sub_check(c, false, "the remote descriptor stays bound", "flags %#x",
				  slot_flags(RMT));
		dvk_rmtbind(DCID, "rmt", RMT, NODE1);
	}
}

void t_vcopy(struct ctx *c)
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

void s_px2(struct ctx *c)
{
	c->helper[0] = px2_pids[0] = helper(0);
	c->helper[1] = px2_pids[1] = helper(0);
}

void s_px2_bound(struct ctx *c)
{
	s_px2(c);
	dvk_proxies_bind("px2", PX2, px2_pids[0], px2_pids[1], 4096);
}

void t_px2(struct ctx *c)
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

void s_node2_member(struct ctx *c)
{
	UNUSED(c);
	dvk_add_node(DCID, NODE2);
}

void t_node2(struct ctx *c)
{
	UNUSED(c);
	if (dc0_nodes() & (1ULL << NODE2))
		dvk_del_node(DCID, NODE2);
}

void t_dvs(struct ctx *c)
{
	c->no_clean = c->cls == R;	/* the DVS is gone, or a new one */
}

void t_reconnect(struct ctx *c)
{
	UNUSED(c);
	dvk_proxy_conn(PX, CONNECT_SPROXY);
}

void t_migrate(struct ctx *c)
{
	UNUSED(c);
	if (slot_flags(PT) & MIGRATING)
		dvk_migr_rollback(DCID, PT);
}

void s_node3(struct ctx *c)
{
	UNUSED(c);
	dvk_node_up("node3", NODE3, PX);
}

void t_node3(struct ctx *c)
{
	UNUSED(c);
	if (node_flags(NODE3) != NODE_FREE)
		dvk_node_down(NODE3);
}

void t_wakeup(struct ctx *c)
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
