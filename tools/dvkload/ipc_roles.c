// SPDX-License-Identifier: GPL-2.0
/*
 * ipc_roles.c - the processes of the IPC workload.
 *
 * Servers (system slots) take requests with rcvrqst and answer with reply;
 * server 1 uses receive(ANY) instead, because server 0 notifies it every
 * NOTIFY_EVERY requests (rcvrqst does not take notifies).  Server 0 also
 * vcopies copy_bytes into every VCOPY_EVERY-th client it serves, while that
 * client waits for the reply; the client checks the bytes.  The last nslow
 * servers sleep slow_ms per request, so senders queue on them.
 *
 * Clients sendrec to a random server at their rate and check each reply.
 * The churn client exits after about lifetime_ms (without unbinding: the
 * kernel unbinds a task that exits) and the parent starts a new process on
 * the same endpoint.
 *
 * Errors are counted only while nobody is stopping: SIGTERM ends a blocked
 * call with EINTR, and a server may find its client gone during shutdown.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include "libdvk.h"
#include "ipc.h"

static volatile sig_atomic_t child_stop;

static void on_term(int sig)
{
	(void)sig;
	child_stop = 1;
}

static int stopping(void)
{
	return child_stop || __atomic_load_n(&ipc_sh->stopping, __ATOMIC_RELAXED);
}

static void add(long *counter, long n)
{
	__atomic_fetch_add(counter, n, __ATOMIC_RELAXED);
}

/* Count an error (unless stopping) and keep the first one's description. */
static void error(long *counter, const char *who, const char *what, long rc)
{
	if (stopping())
		return;
	add(counter, 1);
	if (!__atomic_exchange_n(&ipc_sh->first_error_taken, 1, __ATOMIC_RELAXED))
		snprintf(ipc_sh->first_error, sizeof(ipc_sh->first_error), "%s: %s: %s", who,
			 what, rc < 0 ? dvk_strerror((int)rc) : "unexpected contents");
}

/* Signals, death of the parent, and the bind; exits on failure. */
static void child_setup(int ep, int bind_idx, int retry)
{
	struct sigaction sa;
	long rc = 0;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGINT, SIG_IGN);	/* Ctrl-C: the parent stops us in order */
	signal(SIGALRM, SIG_DFL);
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() == 1)
		_exit(EXIT_STOPPED);
	/* a replaced client's slot may take a moment to be freed */
	for (int i = 0; i < (retry ? 100 : 1); i++) {
		rc = dvk_bind(ipc_sh->dcid, ep);
		if (rc == ep)
			return;
		if (rc != EDVSSLOTUSED || child_stop)
			break;
		usleep(10000);
	}
	ipc_sh->bind_rc[bind_idx] = rc;
	_exit(EXIT_BIND);
}

/* The task name dvktop's NAME column shows (15 characters at most). */
static void set_name(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void set_name(const char *fmt, ...)
{
	char name[16];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(name, sizeof(name), fmt, ap);
	va_end(ap);
	prctl(PR_SET_NAME, name);
}

static unsigned char pattern(int seq, long i)
{
	return (unsigned char)(seq * 31 + i * 7 + 1);
}

/* The process name of server @k: what it does besides answering. */
static void name_server(int k, int slow)
{
	if (k == 0)
		set_name("srv0-vcopy");
	else if (k == 1)
		set_name(slow ? "srv1-ntfy-slow" : "srv1-notify");
	else
		set_name(slow ? "srv%d-slow" : "srv%d", k);
}

/* Server 0: vcopy a pattern of the request's seq into the client's buffer; bytes copied. */
static long copy_to_client(struct ipc_counters *c, const char *who, unsigned char *buf,
			   const message *m)
{
	long rc;

	for (long i = 0; i < ipc_sh->copy_bytes; i++)
		buf[i] = pattern(m->m1_i2, i);
	rc = dvk_vcopy(SELF, buf, m->m_source, (void *)(uintptr_t)m->m1_p1, ipc_sh->copy_bytes);
	if (rc) {
		error(&c->errors, who, "vcopy to its client", rc);
		return 0;
	}
	add(&c->vcopies, 1);
	add(&c->vcopy_bytes, ipc_sh->copy_bytes);
	return ipc_sh->copy_bytes;
}

/* Server 0: a notify to server 1, which receives with dvk_receive to get it. */
static void notify_server1(struct ipc_counters *c, const char *who)
{
	long rc = dvk_notify(ipc_sh->server_ep[1]);

	if (rc)
		error(&c->errors, who, "notify server 1", rc);
	else
		add(&c->notifies_sent, 1);
}

void ipc_server(int k)
{
	struct ipc_counters *c = &ipc_sh->srv[k];
	int ep = ipc_sh->server_ep[k];
	int slow = k >= ipc_sh->nservers - ipc_sh->nslow;
	unsigned char *buf = NULL;
	char who[48];
	message m;
	long rc;

	snprintf(who, sizeof(who), "server %d (ep %d)", k, ep);
	name_server(k, slow);
	child_setup(ep, k, 0);
	if (k == 0 && ipc_sh->copy_bytes)
		buf = malloc(ipc_sh->copy_bytes);
	__atomic_store_n(&ipc_sh->bound_server[k], 1, __ATOMIC_RELAXED);
	while (!stopping()) {
		long copied = 0;

		rc = k == 1 ? dvk_receive(ANY, &m) : dvk_rcvrqst(&m);
		if (rc) {
			error(&c->errors, who, k == 1 ? "receive" : "rcvrqst", rc);
			if (!stopping())
				usleep(10000);
			continue;
		}
		if (IS_NOTIFY(m.m_type)) {
			add(&c->notifies_rcvd, 1);
			continue;
		}
		add(&c->handled, 1);
		if (m.m_type != T_REQ) {
			error(&c->errors, who, "request type", 0);
			m.m_type = -1;
			dvk_reply(m.m_source, &m);
			continue;
		}
		if (buf && c->handled % VCOPY_EVERY == 0)
			copied = copy_to_client(c, who, buf, &m);
		if (k == 0 && ipc_sh->nservers > 1 && c->handled % NOTIFY_EVERY == 0)
			notify_server1(c, who);
		if (slow && ipc_sh->slow_ms)
			usleep(ipc_sh->slow_ms * 1000);
		m.m_type = T_REPLY;
		m.m1_i3 = (int)copied;
		rc = dvk_reply(m.m_source, &m);
		if (rc)
			error(&c->errors, who, "reply", rc);
	}
	dvk_unbind(ipc_sh->dcid, ep);
	_exit(EXIT_STOPPED);
}

void ipc_client(int i)
{
	struct ipc_counters *c = &ipc_sh->cli[i];
	int ep = ipc_sh->client_ep[i];
	unsigned int seed = (unsigned int)getpid() * 2654435761u;
	long nbuf = ipc_sh->copy_bytes ? ipc_sh->copy_bytes : 1;
	unsigned char *buf = malloc(nbuf);
	double die_at = 0;
	struct timespec next;
	char who[48];
	message m;

	snprintf(who, sizeof(who), "client %d (ep %d)", i, ep);
	set_name(i < ipc_sh->nclients - ipc_sh->nclients / 2 ? "client%d" : "uclient%d", ep);
	child_setup(ep, MAX_SERVERS + i, 1);
	if (!buf)
		_exit(EXIT_STOPPED);
	if (i == ipc_sh->churn && ipc_sh->lifetime_ms)	/* 0.5 .. 1.5 lifetimes */
		die_at = dvkload_now() + ipc_sh->lifetime_ms / 1000.0 *
			 (0.5 + (double)(rand_r(&seed) % 1000) / 1000.0);
	clock_gettime(CLOCK_MONOTONIC, &next);
	while (!stopping()) {
		int k = (int)(rand_r(&seed) % (unsigned int)(ipc_sh->nservers + ipc_sh->nremote));
		int seq = ipc_sh->next_seq[i];
		int srv = ipc_sh->server_ep[k];
		long rc, bad = 0;

		memset(&m, 0, sizeof(m));
		m.m_type = T_REQ;
		m.m1_i1 = i;
		m.m1_i2 = seq;
		m.m1_p1 = (uint64_t)(uintptr_t)buf;
		if (k == 0)
			memset(buf, 0, nbuf);
		rc = dvk_sendrec_T(srv, &m, CALL_TIMEOUT_MS);
		if (rc) {
			error(&c->errors, who, "sendrec", rc);
			if (!stopping())
				usleep(10000);
			continue;
		}
		if (m.m_type != T_REPLY || m.m_source != srv || m.m1_i1 != i || m.m1_i2 != seq ||
		    m.m1_i3 < 0 || m.m1_i3 > nbuf)
			bad = 1;
		for (long b = 0; !bad && b < m.m1_i3; b++)
			bad = buf[b] != pattern(seq, b);
		if (bad)
			error(&c->errors, who, "reply", 0);
		else
			add(&c->round_trips, 1);
		ipc_sh->next_seq[i] = seq + 1;
		if (die_at && dvkload_now() >= die_at)
			_exit(EXIT_REBIND);	/* the kernel unbinds us */
		dvkload_pace(&next, ipc_sh->rate);
	}
	dvk_unbind(ipc_sh->dcid, ep);
	_exit(EXIT_STOPPED);
}
