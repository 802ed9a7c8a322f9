// SPDX-License-Identifier: GPL-2.0
/*
 * test_migrate.c - migrate() in one guest (harness: rmt_fixture.h; node 1 and
 * node 2 are played by hand through one proxy pair): a remote endpoint
 * moving to a third node and to this node, a local endpoint moving away,
 * rollback; senders parked while an endpoint migrates (WAITMIGR) and
 * replayed to where it is afterwards, senders already queued replayed too,
 * put2lcl to a migrating endpoint (EDVSMIGRATE back to its caller),
 * notifies and replies to a migrating endpoint (the original's EDVSOVERRUN
 * for a second notify; docs/departures.md), a migrating process's own
 * calls, and the bad arguments.
 *
 * Runs as root with dvk.ko loaded and the DVS not initialised; leaves it so.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include "rmt_fixture.h"

#define LCLI2	9	/* a second local client */
#define LMIG	11	/* a local endpoint that migrates */
#define R12	12	/* another system endpoint of node 1 */
#define LMIG2	13	/* another local endpoint */

static long do_send(int dst)
{
	message m = { .m_type = 77 };

	return dvk_send_T(dst, &m, 8000);
}

/* receive from @src (not ANY), so other senders queue */
static long do_receive_from(int src)
{
	message m;

	return dvk_receive_T(src, &m, 4000);
}

static long do_receive_any(int ms)
{
	message m;
	long r = dvk_receive_T(ANY, &m, ms);

	return r ? r : (long)m.m_source * 100000 + m.m_type;
}

static long do_notify(int dst)
{
	return dvk_notify(dst);
}

/* to a migrating local endpoint: OK, EDVSOVERRUN, EDVSMIGRATE, else which failed */
static long notify_twice_and_reply(int dst)
{
	message m = { .m_type = 9 };
	long r1 = dvk_notify(dst), r2 = dvk_notify(dst), r3 = dvk_reply(dst, &m);

	if (r1 != OK)
		return r1;
	if (r2 != EDVSOVERRUN)
		return 1000 - r2;
	return r3 == EDVSMIGRATE ? OK : 2000 - r3;
}

/* running (not blocked) while START comes, then a call */
static long do_late_call(int ms)
{
	message m;

	usleep(ms * 1000);
	return dvk_receive_T(ANY, &m, 100);
}

/*
 * An unbound process: waits to be bound by a MIGR_COMMIT, then receives.
 * It stays bound until @hold_fd's write end is closed (release_migrated()),
 * so that the parent can look at the slot before the exit unbinds it.
 */
static int hold_fd = -1;

static pid_t migrated_child(int ep)
{
	int hold[2];
	pid_t pid;

	if (pipe(hold))
		return -1;
	pid = fork();
	if (pid == 0) {
		long r = dvk_wait4bind_T(5000);
		char c;

		close(hold[1]);
		children.result[ep + NR_TASKS] = r != ep ? r : do_receive_any(5000);
		while (read(hold[0], &c, 1) > 0)
			;
		_exit(0);
	}
	close(hold[0]);
	hold_fd = hold[1];
	return pid;
}

static void release_migrated(void)
{
	close(hold_fd);
	hold_fd = -1;
}

static int node_of(int ep)
{
	proc_usr_t u;

	return dvk_getprocinfo(DCID, ep, &u) ? -99 : u.p_nodeid;
}

static int waitmigr_of(int ep)
{
	proc_usr_t u;

	return dvk_getprocinfo(DCID, ep, &u) ? -99 : u.p_waitmigr;
}

/* answer a SEND_MSG got by get2rmt with an ACK from node @from */
static int ack_send(int from, int want_dnode, int want_dst)
{
	cmd_t h, a;
	int ok = next_cmd(&h, 3000) && h.c_cmd == CMD_SEND_MSG && h.c_dnode == want_dnode &&
		 h.c_dst == want_dst;

	a = header(from, CMD_SEND_ACK, h.c_dst, h.c_src, OK, h.c_snd_seq);
	dvk_put2lcl(&a, NULL);
	return ok;
}

static void test_errors(void)
{
	CHECK_RC("START of a free slot gives EDVSNOTBIND", dvk_migr_start(DCID, FREE_EP),
		 EDVSNOTBIND);
	CHECK_RC("COMMIT without START gives EDVSPROCSTS", dvk_migr_commit(-1, DCID, RSRV, 2),
		 EDVSPROCSTS);
	CHECK_RC("ROLLBACK without START gives EDVSPROCSTS", dvk_migr_rollback(DCID, RSRV),
		 EDVSPROCSTS);
	CHECK_RC("a bad operation gives EDVSNOSYS", dvk_migrate(7, -1, DCID, RSRV, 1), EDVSNOSYS);
	CHECK_RC("a bad DC gives EDVSBADDCID", dvk_migr_start(99, RSRV), EDVSBADDCID);
	CHECK_RC("START", dvk_migr_start(DCID, RSRV), OK);
	CHECK("... the descriptor is MIGRATING", flags_of(RSRV) & MIGRATING, "flags %x",
	      flags_of(RSRV));
	CHECK_RC("START twice gives EDVSMIGRATE", dvk_migr_start(DCID, RSRV), EDVSMIGRATE);
	CHECK_RC("COMMIT to the node it is on gives EDVSBADNODEID",
		 dvk_migr_commit(-1, DCID, RSRV, RNODE), EDVSBADNODEID);
	CHECK_RC("COMMIT to a node outside the DC gives EDVSDCNODE",
		 dvk_migr_commit(-1, DCID, RSRV, 3), EDVSDCNODE);
	CHECK_RC("COMMIT to node 32 gives EDVSBADNODEID", dvk_migr_commit(-1, DCID, RSRV, 32),
		 EDVSBADNODEID);
	CHECK_RC("ROLLBACK", dvk_migr_rollback(DCID, RSRV), OK);
	CHECK("... not MIGRATING any more", !(flags_of(RSRV) & MIGRATING), "flags %x",
	      flags_of(RSRV));
}

static void test_rollback_and_third_node(void)
{
	pid_t c;

	CHECK_RC("START of remote RSRV", dvk_migr_start(DCID, RSRV), OK);
	c = child(LMIG2, do_notify, RSRV);
	CHECK_RC("a notify to it gives EDVSMIGRATE (the original kept it pending and lost it)",
		 wait_child(c, LMIG2), EDVSMIGRATE);
	c = child(LCLI, do_send, RSRV);
	wait_flags(LCLI, WAITMIGR, 2000);
	CHECK("a sender to it parks: WAITMIGR on RSRV, nothing sent",
	      (flags_of(LCLI) & WAITMIGR) && waitmigr_of(LCLI) == RSRV,
	      "flags %x waitmigr %d", flags_of(LCLI), waitmigr_of(LCLI));
	CHECK_RC("ROLLBACK", dvk_migr_rollback(DCID, RSRV), OK);
	CHECK("... the parked send replays to node 1", ack_send(RNODE, RNODE, RSRV), "no");
	CHECK_RC("... and completes", wait_child(c, LCLI), OK);

	CHECK_RC("START of RSRV again", dvk_migr_start(DCID, RSRV), OK);
	c = child(LCLI, do_send, RSRV);
	wait_flags(LCLI, WAITMIGR, 2000);
	CHECK_RC("COMMIT: RSRV moved from node 1 to node 2",
		 dvk_migr_commit(-1, DCID, RSRV, RNODE2), OK);
	CHECK("... its descriptor names node 2, not MIGRATING", node_of(RSRV) == RNODE2 &&
	      flags_of(RSRV) == REMOTE, "node %d flags %x", node_of(RSRV), flags_of(RSRV));
	CHECK("... the parked send replays to node 2", ack_send(RNODE2, RNODE2, RSRV), "no");
	CHECK_RC("... and completes with node 2's ACK", wait_child(c, LCLI), OK);
}

static void test_remote_to_local(void)
{
	pid_t c, p;

	CHECK_RC("START of remote RCLI", dvk_migr_start(DCID, RCLI), OK);
	c = child(LCLI, do_send, RCLI);
	wait_flags(LCLI, WAITMIGR, 2000);
	p = migrated_child(RCLI);
	CHECK_RC("COMMIT: RCLI's process now runs here", dvk_migr_commit(p, DCID, RCLI, 0), OK);
	CHECK("... the slot is bound locally to it", node_of(RCLI) == 0 &&
	      !(flags_of(RCLI) & (REMOTE | MIGRATING)), "node %d flags %x", node_of(RCLI),
	      flags_of(RCLI));
	CHECK_RC("... the parked send replays locally", wait_child(c, LCLI), OK);
	release_migrated();
	CHECK_RC("... and the moved process receives it", wait_child(p, RCLI),
		 (long)LCLI * 100000 + 77);
	CHECK_RC("COMMIT here with a pid that does not exist gives EDVSBADPID",
		 (dvk_migr_start(DCID, R12), dvk_migr_commit(999999, DCID, R12, 0)), EDVSBADPID);
	dvk_migr_rollback(DCID, R12);
}

static void test_local_to_remote(void)
{
	pid_t s, q, c;

	s = child_receiving(LMIG, do_receive_from, RSRV);	/* blocked; others queue on it */
	q = child(LCLI2, do_send, LMIG);
	wait_flags(LCLI2, SENDING, 2000);
	CHECK_RC("START of local LMIG (blocked receiving)", dvk_migr_start(DCID, LMIG), OK);
	c = child(LCLI, do_send, LMIG);
	wait_flags(LCLI, WAITMIGR, 2000);
	CHECK("a new sender parks, the queued one stays queued",
	      (flags_of(LCLI) & WAITMIGR) && (flags_of(LCLI2) & SENDING), "flags %x %x",
	      flags_of(LCLI), flags_of(LCLI2));
	CHECK_RC("COMMIT: LMIG moved to node 1", dvk_migr_commit(-1, DCID, LMIG, RNODE), OK);
	CHECK_RC("... the process left behind ends its receive with EDVSNOTBIND",
		 wait_child(s, LMIG), EDVSNOTBIND);
	CHECK("... the slot is its remote descriptor on node 1", flags_of(LMIG) == REMOTE &&
	      node_of(LMIG) == RNODE, "flags %x node %d", flags_of(LMIG), node_of(LMIG));
	CHECK("... both senders replay to node 1", ack_send(RNODE, RNODE, LMIG) &&
	      ack_send(RNODE, RNODE, LMIG), "no");
	CHECK_RC("... the parked one completes", wait_child(c, LCLI), OK);
	CHECK_RC("... the queued one completes", wait_child(q, LCLI2), OK);
}

static void test_incoming_and_own_calls(void)
{
	message m = { .m_type = 3 };
	pid_t s, q;
	cmd_t h;
	int got;

	s = child_receiving(LMIG2, do_receive_any, 3000);
	CHECK_RC("START of a local receiver", dvk_migr_start(DCID, LMIG2), OK);
	q = child(LCLI2, notify_twice_and_reply, LMIG2);
	CHECK_RC("notifies to it: OK (pending), then EDVSOVERRUN (the original's code while it "
		 "migrates); a reply to it gives EDVSMIGRATE at once (the original waited)",
		 wait_child(q, LCLI2), OK);
	CHECK_RC("put2lcl SEND_MSG to it gives EDVSMIGRATE",
		 put(CMD_SEND_MSG, R12, LMIG2, 0, ++rmt.rid, &m), EDVSMIGRATE);
	got = next_cmd(&h, 3000);
	CHECK("... and an error ACK tells its caller's node to replay",
	      got && h.c_cmd == CMD_SEND_ACK && h.c_rcode == EDVSMIGRATE, "cmd %x rcode %d",
	      h.c_cmd, h.c_rcode);
	CHECK_RC("ROLLBACK", dvk_migr_rollback(DCID, LMIG2), OK);
	CHECK_RC("... the receiver still waits and gets the replayed message",
		 put(CMD_SEND_MSG, R12, LMIG2, 0, ++rmt.rid, &m), OK);
	CHECK_RC("... from R12", wait_child(s, LMIG2), (long)R12 * 100000 + 3);
	next_cmd(&h, 3000);	/* its ACK */

	s = child(LMIG2, do_late_call, 300);
	wait_bound(LMIG2);
	CHECK_RC("START of a running local process", dvk_migr_start(DCID, LMIG2), OK);
	CHECK_RC("... its own next call gives EDVSMIGRATE", wait_child(s, LMIG2), EDVSMIGRATE);
}

int main(void)
{
	rmt_setup("MIGR");
	rmt_add_node2();
	CHECK_RC("rmtbind R12", dvk_rmtbind(DCID, "r12", R12, RNODE), R12);
	rmt_connect();
	test_errors();
	test_rollback_and_third_node();
	test_remote_to_local();
	test_local_to_remote();
	test_incoming_and_own_calls();
	rmt_teardown();
	return CHECK_EXIT();
}
