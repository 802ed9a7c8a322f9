// SPDX-License-Identifier: GPL-2.0
/*
 * smoke - a program as a user of the installed libdvk writes it: built by
 * tests/install/host.sh with `pkg-config --cflags --libs [--static] libdvk`
 * against a staging root only, run in the guest by tests/kernel/install.sh.
 *
 *   smoke DCID SERVER_EP CLIENT_EP
 *
 * With the DVS and DC DCID up: getdvsinfo; a forked server binds SERVER_EP,
 * receives one request (ANY) and answers it with send; the parent binds
 * CLIENT_EP, waits for the server's binding, sendrecs, checks the answer;
 * dvk_strerror names a code.  Then prints where libdvk came from: the path
 * of the libdvk.so mapped into this process ("libdvk: PATH"), or
 * "libdvk: static" when none is.  One PASS/FAIL line per check; exit 1 on
 * any FAIL.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <libdvk.h>

#define TMO_MS	10000

static int fails;

static void check(int ok, const char *what, long got)
{
	if (ok)
		printf("PASS %s\n", what);
	else
		printf("FAIL %s: got %ld (%s)\n", what, got, dvk_strerror((int)got));
	fails += !ok;
}

/* the server: one request, answered by send with m_type + 1 */
static int server(int dcid, int ep)
{
	message m;

	if (dvk_bind(dcid, ep) != ep)
		return 1;
	if (dvk_receive_T(ANY, &m, TMO_MS) != 0)
		return 2;
	m.m_type += 1;
	m.m1_i1 *= 2;
	if (dvk_send_T(m.m_source, &m, TMO_MS) != 0)
		return 3;
	return dvk_unbind(dcid, ep) == 0 ? 0 : 4;
}

/* the libdvk.so mapped into this process, from /proc/self/maps */
static void where_from(void)
{
	char line[512], *path;
	FILE *f = fopen("/proc/self/maps", "r");

	if (!f) {
		printf("FAIL /proc/self/maps readable\n");
		fails++;
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		path = strchr(line, '/');
		if (path && strstr(path, "/libdvk.so")) {
			printf("libdvk: %s", path);
			fclose(f);
			return;
		}
	}
	fclose(f);
	printf("libdvk: static\n");
}

int main(int argc, char **argv)
{
	dvs_usr_t d;
	message m;
	int dcid, srv, cli, status;
	long r;
	pid_t pid;

	if (argc != 4) {
		fprintf(stderr, "usage: smoke DCID SERVER_EP CLIENT_EP\n");
		return 2;
	}
	dcid = atoi(argv[1]);
	srv = atoi(argv[2]);
	cli = atoi(argv[3]);
	r = dvk_open();
	check(r >= 0, "dvk_open opens /dev/dvk (a descriptor)", r);
	r = dvk_getdvsinfo(&d);
	check(r >= 0 && d.d_nr_dcs > dcid, "getdvsinfo: the DVS is up (node id >= 0)", r);
	fflush(stdout);
	pid = fork();
	if (pid == 0)
		_exit(server(dcid, srv));
	r = dvk_bind(dcid, cli);
	check(r == cli, "bind the client endpoint", r);
	r = dvk_wait4bindep_T(srv, TMO_MS);
	check(r == srv, "wait4bind: the server bound", r);
	memset(&m, 0, sizeof(m));
	m.m_type = 41;
	m.m1_i1 = 21;
	r = dvk_sendrec_T(srv, &m, TMO_MS);
	check(r == 0 && m.m_type == 42 && m.m1_i1 == 42 && m.m_source == srv,
	      "sendrec answered by the server's receive + send (m_type 42, m1_i1 42)", r);
	r = dvk_unbind(dcid, cli);
	check(r == 0, "unbind the client endpoint", r);
	waitpid(pid, &status, 0);
	check(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "the server process bound, received, sent and unbound", WEXITSTATUS(status));
	check(strncmp(dvk_strerror(EDVSNOTBIND), "EDVSNOTBIND", 11) == 0,
	      "dvk_strerror names EDVSNOTBIND", EDVSNOTBIND);
	where_from();
	return fails ? 1 : 0;
}
