// SPDX-License-Identifier: GPL-2.0
/*
 * ipc.c - the IPC workload's parent: find or create the DVS and the DC,
 * lay out the endpoints, start the servers (and wait until they are bound)
 * then the clients, replace the client that exits on purpose, and at the
 * end stop the clients, then the servers, check that every slot it used is
 * free, end the DC and the DVS if it created them, and print the summary.
 *
 * Endpoint layout in the DC: servers at ep_base.., system clients right
 * after them (all below the first user slot, dc_nr_sysprocs - dc_nr_tasks),
 * user clients from the first user slot on.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include "libdvk.h"
#include "dvk_params.h"
#include "ipc.h"

struct ipc_shared *ipc_sh;

static pid_t server_pid[MAX_SERVERS], client_pid[MAX_CLIENTS];
/* the last process started for each slot, to tell our leftovers from others' */
static pid_t last_server_pid[MAX_SERVERS], last_client_pid[MAX_CLIENTS];
static int created_dvs, created_dc, started;
static long rebinds, setup_errors;
static double t_start;

/* The DVS (as found, or initialised here); 0 or an exit status. */
static int find_dvs(void)
{
	dvs_usr_t d = dvk_dvs_params("DVKLOAD");
	dvs_usr_t cur;
	long rc = dvk_open();

	if (rc < 0) {
		fprintf(stderr, "dvkload: cannot open /dev/dvk (%s): is dvk.ko loaded?\n",
			strerror((int)-rc));
		return 1;
	}
	rc = dvk_getdvsinfo(&cur);
	if (rc >= 0)
		return 0;
	if (rc != EDVSDVSINIT) {
		fprintf(stderr, "dvkload: getdvsinfo: %s\n", dvk_strerror((int)rc));
		return 1;
	}
	rc = dvk_dvs_init(0, &d);
	if (rc < 0) {
		fprintf(stderr, "dvkload: dvs_init: %s\n", dvk_strerror((int)rc));
		return 1;
	}
	created_dvs = 1;
	return 0;
}

/* The DC (running already, or initialised here) into *dc. */
static int find_dc(int dcid, dc_usr_t *dc)
{
	dvs_usr_t d;
	long rc = dvk_getdvsinfo(&d);

	if (rc >= 0)
		rc = dvk_getdcinfo(dcid, dc);
	if (rc < 0) {
		fprintf(stderr, "dvkload: getdcinfo(%d): %s\n", dcid, dvk_strerror((int)rc));
		return 1;
	}
	if (dc->dc_flags != DC_FREE)
		return 0;
	memset(dc, 0, sizeof(*dc));
	dc->dc_dcid = dcid;
	dc->dc_nr_procs = d.d_nr_procs;
	dc->dc_nr_tasks = d.d_nr_tasks;
	dc->dc_nr_sysprocs = d.d_nr_sysprocs < d.d_nr_procs + d.d_nr_tasks ?
			     d.d_nr_sysprocs : d.d_nr_procs + d.d_nr_tasks;
	dc->dc_nr_nodes = d.d_nr_nodes;
	snprintf(dc->dc_name, sizeof(dc->dc_name), "LOAD%d", dcid);
	rc = dvk_dc_init(dc);
	if (rc < 0) {
		fprintf(stderr, "dvkload: dc_init(%d): %s\n", dcid, dvk_strerror((int)rc));
		return 1;
	}
	created_dc = 1;
	rc = dvk_getdcinfo(dcid, dc);
	if (rc < 0) {
		fprintf(stderr, "dvkload: getdcinfo(%d): %s\n", dcid, dvk_strerror((int)rc));
		return 1;
	}
	return 0;
}

/* Endpoints for everyone; 0, or 2 with a message if they do not fit. */
static int layout(const struct dvkload_opts *o, const dc_usr_t *dc)
{
	int first_user = o->user_base >= 0 ? (int)o->user_base :
			 dc->dc_nr_sysprocs - dc->dc_nr_tasks;
	int nuser = (int)o->clients / 2, nsys = (int)o->clients - nuser;
	int ep = (int)o->ep_base;

	if (ep + o->servers + nsys > first_user) {
		fprintf(stderr, "dvkload: %ld servers and %d system clients from endpoint %d do "
			"not fit below DC %ld's first user slot %d\n", o->servers, nsys, ep,
			o->dcid, first_user);
		return 2;
	}
	if (first_user + nuser > dc->dc_nr_procs) {
		fprintf(stderr, "dvkload: %d user clients do not fit in DC %ld (%d procs)\n",
			nuser, o->dcid, dc->dc_nr_procs);
		return 2;
	}
	if (o->servers + o->nremote > MAX_SERVERS) {
		fprintf(stderr, "dvkload: at most %d servers, local and remote\n", MAX_SERVERS);
		return 2;
	}
	for (int k = 0; k < o->servers; k++)
		ipc_sh->server_ep[k] = ep++;
	for (int k = 0; k < o->nremote; k++)	/* called, not started, by us */
		ipc_sh->server_ep[o->servers + k] = o->remote_ep[k];
	ipc_sh->nremote = o->nremote;
	for (int i = 0; i < nsys; i++)
		ipc_sh->client_ep[i] = ep++;
	for (int i = 0; i < nuser; i++)
		ipc_sh->client_ep[nsys + i] = first_user + i;
	ipc_sh->nservers = (int)o->servers;
	ipc_sh->nclients = (int)o->clients;
	/* the churning client: a user slot if there is one */
	ipc_sh->churn = o->lifetime_ms ? (int)o->clients - 1 : -1;
	return 0;
}

static pid_t spawn(void (*body)(int), int arg)
{
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid == 0)
		body(arg);
	if (pid < 0)
		perror("dvkload: fork");
	return pid;
}

static const char *bind_error(int idx)
{
	return dvk_strerror((int)ipc_sh->bind_rc[idx]);
}

/* Wait (up to 10 s) until every server is bound; 0, or 1 with a message. */
static int servers_bound(void)
{
	for (int t = 0; t < 1000 && !dvkload_stop; t++) {
		int n = 0, st;

		for (int k = 0; k < ipc_sh->nservers; k++) {
			n += __atomic_load_n(&ipc_sh->bound_server[k], __ATOMIC_RELAXED);
			if (waitpid(server_pid[k], &st, WNOHANG) == server_pid[k]) {
				server_pid[k] = 0;
				if (WIFEXITED(st) && WEXITSTATUS(st) == EXIT_BIND)
					fprintf(stderr, "dvkload: server %d: bind endpoint %d in DC %d: "
						"%s\n", k, ipc_sh->server_ep[k], ipc_sh->dcid,
						bind_error(k));
				else
					fprintf(stderr, "dvkload: server %d exited at start\n", k);
				return 1;
			}
		}
		if (n == ipc_sh->nservers)
			return 0;
		usleep(10000);
	}
	if (!dvkload_stop)
		fprintf(stderr, "dvkload: servers not bound after 10 s\n");
	return 1;
}

int ipc_start(const struct dvkload_opts *o)
{
	dc_usr_t dc;
	int rc;

	ipc_sh = mmap(NULL, sizeof(*ipc_sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
		      -1, 0);
	if (ipc_sh == MAP_FAILED) {
		perror("dvkload: mmap");
		return 1;
	}
	memset(ipc_sh, 0, sizeof(*ipc_sh));
	ipc_sh->dcid = (int)o->dcid;
	ipc_sh->nslow = (int)o->slow;
	ipc_sh->slow_ms = o->slow_ms;
	ipc_sh->copy_bytes = o->copy_bytes;
	ipc_sh->lifetime_ms = o->lifetime_ms;
	ipc_sh->rate = o->rate;
	rc = find_dvs();
	if (!rc)
		rc = find_dc((int)o->dcid, &dc);
	if (!rc)
		rc = layout(o, &dc);
	started = 1;
	t_start = dvkload_now();
	for (int k = 0; !rc && k < ipc_sh->nservers; k++)
		if ((last_server_pid[k] = server_pid[k] = spawn(ipc_server, k)) < 0)
			rc = 1;
	if (!rc)
		rc = servers_bound();
	for (int i = 0; !rc && i < ipc_sh->nclients; i++)
		if ((last_client_pid[i] = client_pid[i] = spawn(ipc_client, i)) < 0)
			rc = 1;
	if (rc) {
		setup_errors = 1;
		ipc_finish();
	}
	return rc;
}

/* A child ended while running: replace the churn client, report the rest. */
static void child_ended(pid_t pid, int st)
{
	int code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);

	for (int k = 0; k < ipc_sh->nservers; k++) {
		if (server_pid[k] != pid)
			continue;
		server_pid[k] = 0;
		fprintf(stderr, "dvkload: server %d (ep %d) ended (status %d); stopping\n", k,
			ipc_sh->server_ep[k], code);
		setup_errors++;
		dvkload_stop = 1;
		return;
	}
	for (int i = 0; i < ipc_sh->nclients; i++) {
		if (client_pid[i] != pid)
			continue;
		client_pid[i] = 0;
		/* a churn client that left on purpose just as we stop: not an error */
		if (code == EXIT_REBIND && dvkload_stop)
			return;
		if (code == EXIT_REBIND) {
			rebinds++;
			last_client_pid[i] = client_pid[i] = spawn(ipc_client, i);
			return;
		}
		if (code == EXIT_BIND)
			fprintf(stderr, "dvkload: client %d: bind endpoint %d in DC %d: %s\n", i,
				ipc_sh->client_ep[i], ipc_sh->dcid, bind_error(MAX_SERVERS + i));
		else
			fprintf(stderr, "dvkload: client %d (ep %d) ended (status %d)\n", i,
				ipc_sh->client_ep[i], code);
		setup_errors++;
		dvkload_stop = 1;
		return;
	}
}

void ipc_supervise(void)
{
	while (!dvkload_stop) {
		int st;
		pid_t pid = waitpid(-1, &st, 0);

		if (pid > 0)
			child_ended(pid, st);
		else if (errno != EINTR)
			break;
	}
}

/* SIGTERM the processes in pids[], reap them, SIGKILL any left after 2 s. */
static void stop_all(pid_t *pids, int n)
{
	for (int i = 0; i < n; i++)
		if (pids[i] > 0)
			kill(pids[i], SIGTERM);
	for (int t = 0; t <= 200; t++) {
		int left = 0;

		for (int i = 0; i < n; i++) {
			if (pids[i] <= 0)
				continue;
			if (t == 200)
				kill(pids[i], SIGKILL);
			if (waitpid(pids[i], NULL, t == 200 ? 0 : WNOHANG) == pids[i])
				pids[i] = 0;
			else
				left++;
		}
		if (!left)
			return;
		usleep(10000);
	}
}

/*
 * Endpoint ep still bound to our process pid after it was reaped: free it,
 * count it.  A slot bound by anyone else (say another dvkload that we found
 * in the DC) is not ours to touch.
 */
static long check_free(int ep, pid_t pid)
{
	proc_usr_t u;

	if (pid <= 0 || dvk_getprocinfo(ipc_sh->dcid, ep, &u) < 0 ||
	    (u.p_rts_flags & SLOT_FREE) || u.p_lpid != pid)
		return 0;
	fprintf(stderr, "dvkload: endpoint %d still bound (pid %d) after its process ended\n",
		ep, u.p_lpid);
	dvk_unbind_T(ipc_sh->dcid, ep, 1000);
	return 1;
}

int ipc_finish(void)
{
	struct ipc_counters t = { 0 };
	long rc, leftover = 0;
	double secs = 0;

	if (!started)
		goto end;
	__atomic_store_n(&ipc_sh->stopping, 1, __ATOMIC_RELAXED);
	stop_all(client_pid, ipc_sh->nclients);	/* clients first: servers answer them */
	stop_all(server_pid, ipc_sh->nservers);
	secs = dvkload_now() - t_start;
	for (int k = 0; k < ipc_sh->nservers; k++)
		leftover += check_free(ipc_sh->server_ep[k], last_server_pid[k]);
	for (int i = 0; i < ipc_sh->nclients; i++)
		leftover += check_free(ipc_sh->client_ep[i], last_client_pid[i]);
end:
	if (created_dc && (rc = dvk_dc_end(ipc_sh->dcid)) < 0) {
		fprintf(stderr, "dvkload: dc_end(%d): %s\n", ipc_sh->dcid, dvk_strerror((int)rc));
		setup_errors++;
	}
	if (created_dvs && (rc = dvk_dvs_end()) < 0) {
		fprintf(stderr, "dvkload: dvs_end: %s\n", dvk_strerror((int)rc));
		setup_errors++;
	}
	if (!started || setup_errors)
		return 1;
	for (int k = 0; k < ipc_sh->nservers; k++) {
		t.errors += ipc_sh->srv[k].errors;
		t.vcopies += ipc_sh->srv[k].vcopies;
		t.vcopy_bytes += ipc_sh->srv[k].vcopy_bytes;
		t.notifies_sent += ipc_sh->srv[k].notifies_sent;
		t.notifies_rcvd += ipc_sh->srv[k].notifies_rcvd;
	}
	for (int i = 0; i < ipc_sh->nclients; i++) {
		t.round_trips += ipc_sh->cli[i].round_trips;
		t.errors += ipc_sh->cli[i].errors;
	}
	t.errors += leftover;
	printf("dvkload: ipc: %ld round trips, %ld errors, %ld vcopies (%ld bytes), "
	       "%ld notifies (%ld received), %ld rebinds, %d servers (%d slow), %d clients, "
	       "%.1f s\n", t.round_trips, t.errors, t.vcopies, t.vcopy_bytes, t.notifies_sent,
	       t.notifies_rcvd, rebinds, ipc_sh->nservers, ipc_sh->nslow, ipc_sh->nclients,
	       secs);
	if (t.errors && ipc_sh->first_error_taken)
		fprintf(stderr, "dvkload: first error: %s\n", ipc_sh->first_error);
	return t.errors ? 1 : 0;
}
