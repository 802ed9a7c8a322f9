// SPDX-License-Identifier: GPL-2.0
/* proc.c - the process helpers of the kernel tests (proc.h). */
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include "libdvk.h"
#include "proc.h"

struct children children;

int children_init(void)
{
	void *p;

	if (children.result)
		return 1;
	p = mmap(NULL, CHILD_SLOTS * sizeof(long), PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return 0;
	children.result = p;
	return 1;
}

int timeout_scale(void)
{
	const char *e = getenv("DVK_TIMEOUT_SCALE");
	int s = e ? atoi(e) : 1;

	return s < 1 ? 1 : s;
}

long ms_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (t1.tv_sec - t0->tv_sec) * 1000 + (t1.tv_nsec - t0->tv_nsec) / 1000000;
}

pid_t child_in(int dcid, int ep, long (*fn)(int arg), int arg)
{
	pid_t pid = fork();

	if (pid == 0) {
		if (dvk_bind(dcid, ep) != ep)
			_exit(90);
		children.result[ep + NR_TASKS] = fn(arg);
		_exit(0);
	}
	return pid;
}

pid_t child(int ep, long (*fn)(int arg), int arg)
{
	return child_in(0, ep, fn, arg);
}

pid_t child_receiving(int ep, long (*fn)(int arg), int arg)
{
	pid_t pid = child(ep, fn, arg);

	wait_flags(ep, RECEIVING, 2000);
	return pid;
}

pid_t idle_child(void)
{
	pid_t pid = fork();

	if (pid == 0)
		for (;;)
			pause();
	return pid;
}

long wait_child(pid_t pid, int ep)
{
	int st;

	if (pid <= 0 || waitpid(pid, &st, 0) != pid)
		return CHILD_FAILED;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? children.result[ep + NR_TASKS] : CHILD_FAILED;
}

void reap(pid_t pid)
{
	waitpid(pid, NULL, 0);
}

void kill_reap(pid_t pid)
{
	if (pid <= 0)	/* kill(-1, ...) would be every process */
		return;
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

void wait_flags_in(int dcid, int ep, int flags, int ms)
{
	proc_usr_t u;

	for (int i = 0; i < ms / 5; i++) {
		if (!dvk_getprocinfo(dcid, ep, &u) && (u.p_rts_flags & flags) == flags)
			return;
		usleep(5000);
	}
}

void wait_flags(int ep, int flags, int ms)
{
	wait_flags_in(0, ep, flags, ms);
}

int wait_bound_secs(int ep, int secs)
{
	proc_usr_t u;

	for (int t = 0; t < secs * 200; t++) {
		if (!dvk_getprocinfo(0, ep, &u) && !(u.p_rts_flags & SLOT_FREE))
			return 1;
		usleep(5000);
	}
	return 0;
}

void wait_bound(int ep)
{
	wait_bound_secs(ep, 2);
}
