// SPDX-License-Identifier: GPL-2.0
/*
 * privs/state.c - what DVK looks like to test_privs: the state of a slot, of
 * DC 1, of the nodes and the pairs, and the state every cell must leave.
 */
#include <unistd.h>
#include "privs.h"

/* up to @ms until slot @ep is bound with all of @flags set */
int wait_state(int ep, int flags, int ms)
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

int slot_flags(int ep)
{
	proc_usr_t u;

	return dvk_getprocinfo(DCID, ep, &u) ? -1 : u.p_rts_flags;
}

bool dc1_running(void)
{
	dc_usr_t d;

	return dvk_getdcinfo(DC1, &d) == OK && d.dc_flags != DC_FREE;
}

int node_flags(int node)
{
	node_usr_t n;

	return dvk_getnodeinfo(node, &n) ? -1 : n.n_flags;
}

bool pair_inuse(int px)
{
	proc_usr_t s, r;

	return dvk_getproxyinfo(px, &s, &r) == OK && s.p_lpid != PROC_NO_PID;
}

uint64_t dc0_nodes(void)
{
	dc_usr_t d;

	return dvk_getdcinfo(DCID, &d) ? 0 : d.dc_nodes;
}


/* DVK as every cell must leave it; false with @why set otherwise */
bool clean_state(char *why, size_t n)
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
