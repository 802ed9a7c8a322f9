// SPDX-License-Identifier: GPL-2.0
/*
 * transport.c - one round trip of each dvkbench mode: the client's half
 * (round_trip), the server process that echoes (start_server), and the
 * queue or pipes the msgq and pipe modes carry the messages on.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include "dvkbench.h"

int msqid = -1;
int to_server[2] = { -1, -1 }, to_client[2] = { -1, -1 };
pid_t server_pid = -1;

struct msgq_buf {
	long mtype;
	message m;
};

int pin_to(int cpu, const char *who)
{
	cpu_set_t set;

	if (cpu < 0)
		return 0;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set)) {
		fprintf(stderr, "dvkbench: cannot pin the %s to CPU %d: %s\n", who, cpu,
			strerror(errno));
		return -1;
	}
	return 0;
}

/* ---- I/O helpers of the byte and queue transports ------------------------- */

static int read_full(int fd, void *buf, size_t len)
{
	char *p = buf;

	while (len) {
		ssize_t n = read(fd, p, len);

		if (n < 0)
			return -errno;
		if (n == 0)
			return -EPIPE;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int write_full(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0)
			return -errno;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int msgq_send(long mtype, const message *m)
{
	struct msgq_buf b;

	b.mtype = mtype;
	b.m = *m;
	return msgsnd(msqid, &b, sizeof(b.m), 0) ? -errno : 0;
}

static int msgq_recv(long mtype, message *m)
{
	struct msgq_buf b;
	ssize_t n = msgrcv(msqid, &b, sizeof(b.m), mtype, 0);

	if (n < 0)
		return -errno;
	if ((size_t)n != sizeof(b.m))
		return -EPROTO;
	*m = b.m;
	return 0;
}

/* The queue (msgq) or the two pipes (pipe) of the mode; 0 or -1 (printed). */
int transport_open(void)
{
	if (opt.mode == M_MSGQ) {
		msqid = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
		if (msqid < 0) {
			perror("dvkbench: msgget");
			return -1;
		}
	} else if (opt.mode == M_PIPE) {
		if (pipe(to_server) || pipe(to_client)) {
			perror("dvkbench: pipe");
			return -1;
		}
	}
	return 0;
}

/* ---- server ---------------------------------------------------------------- */

/* one request in, one reply out; returns 1 after STOP, 0 to go on, <0 error */
static long serve_one(void)
{
	message m;
	long rc;

	switch (opt.mode) {
	case M_DVK:
	case M_DVK_SR:
		rc = dvk_receive(ANY, &m);
		if (rc)
			return rc;
		if (opt.mode == M_DVK && opt.use_reply)
			rc = dvk_reply(m.m_source, &m);
		else
			rc = dvk_send(m.m_source, &m);
		break;
	case M_MSGQ:
		rc = msgq_recv(1, &m);
		if (rc)
			return rc;
		rc = msgq_send(2, &m);
		break;
	case M_PIPE:
	default:
		rc = read_full(to_server[0], &m, sizeof(m));
		if (rc)
			return rc;
		rc = write_full(to_client[1], &m, sizeof(m));
		break;
	}
	if (rc)
		return rc;
	return m.m_type == STOP;
}

static void server_error(long rc)
{
	if (is_dvk())
		fprintf(stderr, "dvkbench: server: %s\n", dvk_strerror((int)rc));
	else
		fprintf(stderr, "dvkbench: server: %s\n", strerror((int)-rc));
}

/* the child: bind, say so on the ready pipe, echo until STOP */
static void server_main(int ready_fd)
{
	long rc = 0;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() == 1)
		_exit(1);
	if (pin_to(opt.cpu_server, "server"))
		rc = -EINVAL;
	if (!rc && is_dvk()) {
		rc = dvk_bind(opt.dcid, opt.server_ep);
		rc = rc == opt.server_ep ? 0 : (rc < 0 ? rc : EDVSENDPOINT);
	}
	if (write_full(ready_fd, &rc, sizeof(rc)))
		_exit(1);
	close(ready_fd);
	if (rc)
		_exit(1);
	for (;;) {
		rc = serve_one();
		if (rc == 1)
			break;
		if (rc < 0) {
			server_error(rc);
			_exit(1);
		}
	}
	if (is_dvk())
		dvk_unbind_T(opt.dcid, opt.server_ep, 5000);
	_exit(0);
}

int start_server(void)
{
	int ready[2];
	long rc;

	if (pipe(ready)) {
		perror("dvkbench: pipe");
		return -1;
	}
	server_pid = fork();
	if (server_pid < 0) {
		perror("dvkbench: fork");
		return -1;
	}
	if (server_pid == 0) {
		close(ready[0]);
		server_main(ready[1]);
	}
	close(ready[1]);
	if (read_full(ready[0], &rc, sizeof(rc))) {
		close(ready[0]);
		fprintf(stderr, "dvkbench: the server died while starting\n");
		return -1;
	}
	close(ready[0]);
	if (rc) {
		if (is_dvk()) {
			char what[64];

			snprintf(what, sizeof(what), "bind the server to endpoint %d",
				 opt.server_ep);
			dvk_fail(what, rc);
		} else {
			fprintf(stderr, "dvkbench: the server could not start\n");
		}
		return -1;
	}
	return 0;
}

/* ---- client ---------------------------------------------------------------- */

/* one round trip carrying type and seq; checks that the echo is intact */
long round_trip(int type, int seq)
{
	message m;
	long rc;

	memset(&m, 0, sizeof(m));
	m.m_type = type;
	m.m1_i1 = seq;
	switch (opt.mode) {
	case M_DVK:
		rc = dvk_sendrec(opt.server_ep, &m);
		break;
	case M_DVK_SR:
		rc = dvk_send(opt.server_ep, &m);
		if (!rc)
			rc = dvk_receive(opt.server_ep, &m);
		break;
	case M_MSGQ:
		rc = msgq_send(1, &m);
		if (!rc)
			rc = msgq_recv(2, &m);
		break;
	case M_PIPE:
	default:
		rc = write_full(to_server[1], &m, sizeof(m));
		if (!rc)
			rc = read_full(to_client[0], &m, sizeof(m));
		break;
	}
	if (rc)
		return rc;
	if (m.m_type != type || m.m1_i1 != seq)
		return 1;	/* a wrong echo */
	return 0;
}

void stop_server(int clean)
{
	int st;

	if (server_pid <= 0)
		return;
	if (clean) {
		long rc = round_trip(STOP, 0);

		if (rc)
			clean = 0;
	}
	if (!clean)
		kill(server_pid, SIGKILL);
	while (waitpid(server_pid, &st, 0) < 0 && errno == EINTR)
		;
	server_pid = -1;
}

void cleanup(void)
{
	if (msqid >= 0)
		msgctl(msqid, IPC_RMID, NULL);
	msqid = -1;
	for (int i = 0; i < 2; i++) {
		if (to_server[i] >= 0)
			close(to_server[i]);
		if (to_client[i] >= 0)
			close(to_client[i]);
		to_server[i] = to_client[i] = -1;
	}
	if (is_dvk())
		dvk_teardown();
}

