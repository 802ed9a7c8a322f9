// SPDX-License-Identifier: GPL-2.0
/*
 * privs/procs.c - the processes of test_privs: the state it shares with its
 * children, dropping to uid 65534, root peers bound to an endpoint, unbound
 * helpers, the SIGTERM-counting root target of unbind, and the two proxies of
 * pair PX (uid 65534) that make a row's call on request.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/capability.h>
#include "privs.h"

/* ---- state shared with the children -------------------------------------- */
struct peerinfo *pinfo;		/* shared, by endpoint + NR_TASKS */
char vbuf[VLEN];		/* a receiving server's buffer (same address in every fork) */
const char vpattern[VLEN] = "privs: the bytes of a vcopy, 64 of them ........................";
pid_t pt_pid, ps_pid, pr_pid;
int ps_cmd, ps_res, pr_cmd, pr_res;	/* pipes to the proxies */
priv_usr_t pt_priv;		/* PT's privileges, for setpriv's round trip */

/* uid/gid 65534, no supplementary groups, no capabilities left: 0 or -1 */
int drop(void)
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

long read_long(int fd, int ms, long *v)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	if (poll(&p, 1, ms) != 1)
		return -1;
	return read(fd, v, sizeof(*v)) == sizeof(*v) ? 0 : -1;
}

/* reap @pid within @ms, else SIGKILL it; its wait status (-1 if killed) */
int finish(pid_t pid, int ms)
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


/* ---- peers: root processes bound (by themselves) to an endpoint ---------- */
pid_t peer(int ep, peer_fn fn, int arg)
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

long p_receive(int ep, int ms)
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
long p_serve(int ep, int ms)
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

long p_send(int ep, int dst)
{
	message m = { .m_type = 3 };

	(void)ep;
	return dvk_send_T(dst, &m, 10000);
}

long p_sendrec(int ep, int dst)
{
	message m = { .m_type = 6 };

	(void)ep;
	return dvk_sendrec_T(dst, &m, 10000);
}

long p_sleep(int ep, int arg)
{
	(void)ep;
	(void)arg;
	for (;;)
		pause();
	return 0;
}

/* an unbound process asleep (uid 65534 with @nobody); returns once it runs as such */
pid_t helper(int nobody)
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
int tgt_cmd, tgt_res;

static void count_term(int sig)
{
	(void)sig;
	nterm++;
}

/*
 * fork with a pipe of commands to the child and one of results back; *cmd
 * and *res get the ends of the caller's side: in the child the command
 * pipe's read end and the result pipe's write end, in the parent the others.
 */
static pid_t fork_piped(int *cmd, int *res)
{
	int c[2], r[2];
	pid_t pid;

	if (pipe(c) || pipe(r))
		return -1;
	pid = fork();
	if (pid == 0) {
		close(c[1]);
		close(r[0]);
		*cmd = c[0];
		*res = r[1];
	} else {
		close(c[0]);
		close(r[1]);
		*cmd = c[1];
		*res = r[0];
	}
	return pid;
}

pid_t counting_target(void)
{
	int cmd = -1, res = -1;
	pid_t pid = fork_piped(&cmd, &res);

	if (pid == 0) {
		struct sigaction sa = { .sa_handler = count_term };
		long n;
		char b;

		sigaction(SIGTERM, &sa, NULL);	/* no SA_RESTART: read() sees EINTR */
		n = dvk_bind(DCID, TGT);
		if (write(res, &n, sizeof(n)) != sizeof(n))
			_exit(1);
		for (;;) {
			ssize_t k = read(cmd, &b, 1);

			if (k < 0 && errno == EINTR)
				continue;
			if (k != 1)
				_exit(0);
			n = nterm;
			if (write(res, &n, sizeof(n)) != sizeof(n))
				_exit(1);
		}
	}
	tgt_cmd = cmd;
	tgt_res = res;
	return pid;
}


/* ---- the proxies of pair PX: uid 65534, they run rows[i].fn on request ---- */
pid_t proxy_child(int cls, int *cmd, int *res)
{
	pid_t pid = fork_piped(cmd, res);

	if (pid == 0) {
		long v = 0;
		int i;

		dvk_close();
		if (drop() || dvk_open() < 0)
			v = PREP_FAILED;
		if (write(*res, &v, sizeof(v)) != sizeof(v))
			_exit(1);
		while (read(*cmd, &i, sizeof(i)) == sizeof(i)) {
			struct ctx x = { .row = &rows[i], .cls = cls, .ep = NONE };

			v = i >= 0 && i < nrows ? rows[i].fn(&x) : PREP_FAILED;
			if (write(*res, &v, sizeof(v)) != sizeof(v))
				_exit(1);
		}
		_exit(0);
	}
	return pid;
}
