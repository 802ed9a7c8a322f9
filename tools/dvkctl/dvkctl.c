// SPDX-License-Identifier: GPL-2.0
/*
 * dvkctl - set up and inspect the DVK of this node.
 *
 *   dvkctl init -n NODEID [--name NAME] [--dcs N] [--nodes N] [--procs N]
 *               [--tasks N] [--sysprocs N] [--copybuf B] [--copylen B]
 *               [--dbglvl MASK] [--usermode]
 *   dvkctl end
 *   dvkctl info
 *   dvkctl strerror CODE...
 *   dvkctl keygen [--add] FILE                   (the proxies' cluster key)
 *   dvkctl wait4bind [-t MS] [-u] [ENDPOINT]   (default SELF: wait to be bound)
 *   dvkctl call NR [FIRST [SECOND [THIRD [PTR [FIFTH]]]]]   (raw ipc() call)
 *   dvkctl waits [-j] [-F] [FILE...]            (who waits on whom: waits.c)
 *
 * Errors go to stderr naming the DVK error, e.g.
 *   dvkctl: init: EDVSDVSBUSY (-317): DVS already initialized
 * and the exit status is 1 (2 for bad usage; waits: 3 for a deadlock).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dvkctl.h"
#include "keyfile.h"
#include "libdvk.h"
#include "dvk_params.h"
#include "dvk_version.h"	/* DVK_PACKAGE_VERSION, from VERSION */


static void usage(FILE *f)
{
	fprintf(f,
		"usage: dvkctl [--help] [--version] COMMAND [ARGS]\n"
		"commands:\n"
		"  init -n NODEID [options]  initialise the DVS on this node (dvs_init)\n"
		"      --name NAME  --dcs N  --nodes N  --procs N  --tasks N  --sysprocs N\n"
		"      --copybuf BYTES  --copylen BYTES  --dbglvl MASK  --usermode\n"
		"      (defaults: DVS_IPC 32 32 221 35 64 65536 1048576 0)\n"
		"  end                       leave the DVS (dvs_end)\n"
		"  info                      print the DVS parameters (getdvsinfo)\n"
		"  strerror CODE...          name and meaning of DVK error codes\n"
		"  keygen [--add] FILE       write a new cluster key file for dvk-proxy (mode\n"
		"                            600; --add: one more key for a rotation)\n"
		"  wait4bind [-t MS] [-u] [ENDPOINT]\n"
		"                            wait until ENDPOINT (default: this process)\n"
		"                            is bound, or with -u unbound; -t timeout in ms\n"
		"  dc-init DCID NAME         start a DC with the DVS's limits (dc_init)\n"
		"  dc-end DCID               end a DC (dc_end)\n"
		"  add-node DCID NODEID      make a remote node a member of a DC (add_node)\n"
		"  rmtbind DCID EP NODEID NAME\n"
		"                            bind EP of DCID as a process of remote NODEID\n"
		"  migrate start DCID EP     MIGR_START: EP is moving; senders wait\n"
		"  migrate commit DCID EP NODEID [PID]\n"
		"                            MIGR_COMMIT: EP now lives on NODEID (PID: the\n"
		"                            process to bind, when NODEID is this node)\n"
		"  migrate rollback DCID EP  MIGR_ROLLBACK: EP stays where it was\n"
		"                            (run start, then commit or rollback, on every\n"
		"                            node of the DC: docs/design-remote.md)\n"
		"  call NR [FIRST [SECOND [THIRD [PTR [FIFTH]]]]]\n"
		"                            raw DVK call, prints its return value\n"
		"  waits [-j] [-F] [FILE...] who waits on whom (debugfs dvk/waits, merged\n"
		"                            with FILEs: other nodes' copies); cycles first;\n"
		"                            -j JSON, -F the FILEs only; exit status 3 when\n"
		"                            a cycle is found\n");
}

/* keygen [--add] FILE: a new cluster key (docs/security.md, "Keys"). */
static int cmd_keygen(int argc, char **argv)
{
	int add = argc == 3 && !strcmp(argv[1], "--add");
	const char *path = argv[argc - 1];
	char err[256];
	long id;

	if (argc != 2 + add || path[0] == '-') {
		fprintf(stderr, "dvkctl: usage: keygen [--add] FILE\n");
		return 2;
	}
	id = dvkp_keys_generate(path, add, err, sizeof(err));
	if (id < 0) {
		fprintf(stderr, "dvkctl: keygen: %s\n", err);
		return 1;
	}
	printf("%s: key %ld written%s\n", path, id,
	       add ? "; copy the file to every node, then SIGHUP every dvk-proxy" : "");
	return 0;
}

static int fail(const char *what, long rc)
{
	fprintf(stderr, "dvkctl: %s: %s\n", what, dvk_strerror((int)rc));
	return 1;
}

/* Parse a whole-string integer (decimal, 0x hex, 0 octal); exit 2 if bad. */
static long long parse_num(const char *opt, const char *s)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 0);
	if (errno || end == s || *end) {
		fprintf(stderr, "dvkctl: %s: not a number: '%s'\n", opt, s);
		exit(2);
	}
	return v;
}

static void print_dvs(const dvs_usr_t *d, long nodeid)
{
	printf("nodeid=%ld\n", nodeid);
	printf("d_name=%s d_nr_dcs=%d d_nr_nodes=%d d_nr_procs=%d d_nr_tasks=%d d_nr_sysprocs=%d\n",
	       d->d_name, d->d_nr_dcs, d->d_nr_nodes, d->d_nr_procs, d->d_nr_tasks,
	       d->d_nr_sysprocs);
	printf("d_max_copybuf=%d d_max_copylen=%d\n", d->d_max_copybuf, d->d_max_copylen);
	printf("d_dbglvl=%" PRIX64 " version=%d flags=%" PRIX64 " sizeof(proc)=%d\n",
	       (uint64_t)d->d_dbglvl, d->d_version, (uint64_t)d->d_flags, d->d_size_proc);
}

static int cmd_init(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "node", required_argument, NULL, 'n' },
		{ "name", required_argument, NULL, 'N' },
		{ "dcs", required_argument, NULL, 'D' },
		{ "nodes", required_argument, NULL, 'O' },
		{ "procs", required_argument, NULL, 'P' },
		{ "tasks", required_argument, NULL, 'T' },
		{ "sysprocs", required_argument, NULL, 'S' },
		{ "copybuf", required_argument, NULL, 'B' },
		{ "copylen", required_argument, NULL, 'L' },
		{ "dbglvl", required_argument, NULL, 'g' },
		{ "usermode", no_argument, NULL, 'u' },
		{ NULL, 0, NULL, 0 }
	};
	dvs_usr_t d = dvk_dvs_params("DVS_IPC");
	long nodeid = -1, rc;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "n:", opts, NULL)) != -1) {
		switch (c) {
		case 'n': nodeid = parse_num("--node", optarg); break;
		case 'N':
			if (strlen(optarg) >= sizeof(d.d_name)) {
				fprintf(stderr, "dvkctl: --name: at most %zu characters\n",
					sizeof(d.d_name) - 1);
				return 2;
			}
			strcpy(d.d_name, optarg);
			break;
		case 'D': d.d_nr_dcs = parse_num("--dcs", optarg); break;
		case 'O': d.d_nr_nodes = parse_num("--nodes", optarg); break;
		case 'P': d.d_nr_procs = parse_num("--procs", optarg); break;
		case 'T': d.d_nr_tasks = parse_num("--tasks", optarg); break;
		case 'S': d.d_nr_sysprocs = parse_num("--sysprocs", optarg); break;
		case 'B': d.d_max_copybuf = parse_num("--copybuf", optarg); break;
		case 'L': d.d_max_copylen = parse_num("--copylen", optarg); break;
		case 'g': d.d_dbglvl = parse_num("--dbglvl", optarg); break;
		case 'u': d.d_flags |= DVK_USERMODE; break;
		default: usage(stderr); return 2;
		}
	}
	if (nodeid < 0) {
		fprintf(stderr, "dvkctl: init: -n NODEID is required\n");
		return 2;
	}
	rc = dvk_dvs_init((int)nodeid, &d);
	if (rc < 0)
		return fail("init", rc);
	printf("DVS initialised: node %ld\n", rc);
	return 0;
}

static int cmd_info(void)
{
	dvs_usr_t d;
	long rc = dvk_getdvsinfo(&d);

	if (rc < 0)
		return fail("info", rc);
	print_dvs(&d, rc);
	return 0;
}

static int cmd_wait4bind(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "timeout", required_argument, NULL, 't' },
		{ "unbind", no_argument, NULL, 'u' },
		{ NULL, 0, NULL, 0 }
	};
	long timeout = TIMEOUT_FOREVER, rc;
	int oper = WAIT_BIND, ep = SELF, c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "t:u", opts, NULL)) != -1) {
		switch (c) {
		case 't': timeout = parse_num("--timeout", optarg); break;
		case 'u': oper = WAIT_UNBIND; break;
		default: usage(stderr); return 2;
		}
	}
	if (optind < argc)
		ep = (int)parse_num("wait4bind", argv[optind]);
	rc = dvk_wait4bindep_X(oper, ep, timeout);
	if (dvk_call_failed(DVK_WAIT4BIND, rc))
		return fail("wait4bind", rc);
	printf("%ld\n", rc);
	return 0;
}

static int cmd_call(int argc, char **argv)
{
	long long a[6] = { 0 };
	long rc;

	if (argc < 2 || argc > 7) {
		usage(stderr);
		return 2;
	}
	for (int i = 1; i < argc; i++)
		a[i - 1] = parse_num("call", argv[i]);
	rc = dvk_ipc((int)a[0], (int)a[1], a[2], a[3], a[4], a[5]);
	printf("%s = %ld", dvk_callname((int)a[0]), rc);
	if (dvk_call_failed((int)a[0], rc))
		printf(" %s", dvk_strerror((int)rc));
	printf("\n");
	return dvk_call_failed((int)a[0], rc) ? 1 : 0;
}

/* dc-init, dc-end, add-node, rmtbind: positional arguments only */
static int cmd_dc(const char *cmd, int argc, char **argv)
{
	long rc;

	if (!strcmp(cmd, "dc-init") && argc == 3) {
		dvs_usr_t d;
		dc_usr_t dc;

		rc = dvk_getdvsinfo(&d);
		if (rc < 0)
			return fail("getdvsinfo", rc);
		memset(&dc, 0, sizeof(dc));
		dc.dc_dcid = (int)parse_num("DCID", argv[1]);
		dc.dc_nr_procs = d.d_nr_procs;
		dc.dc_nr_tasks = d.d_nr_tasks;
		dc.dc_nr_sysprocs = d.d_nr_sysprocs;
		dc.dc_nr_nodes = d.d_nr_nodes;
		if (strlen(argv[2]) >= sizeof(dc.dc_name)) {
			fprintf(stderr, "dvkctl: dc-init: name longer than %zu bytes\n",
				sizeof(dc.dc_name) - 1);
			return 2;
		}
		strcpy(dc.dc_name, argv[2]);
		rc = dvk_dc_init(&dc);
		return rc < 0 ? fail("dc_init", rc) : 0;
	}
	if (!strcmp(cmd, "dc-end") && argc == 2) {
		rc = dvk_dc_end((int)parse_num("DCID", argv[1]));
		return rc < 0 ? fail("dc_end", rc) : 0;
	}
	if (!strcmp(cmd, "add-node") && argc == 3) {
		rc = dvk_add_node((int)parse_num("DCID", argv[1]), (int)parse_num("NODEID", argv[2]));
		return rc < 0 ? fail("add_node", rc) : 0;
	}
	if (!strcmp(cmd, "rmtbind") && argc == 5) {
		rc = dvk_rmtbind((int)parse_num("DCID", argv[1]), argv[4],
				 (int)parse_num("EP", argv[2]), (int)parse_num("NODEID", argv[3]));
		if (rc < EDVSERRCODE)
			return fail("rmtbind", rc);
		printf("%ld\n", rc);
		return 0;
	}
	fprintf(stderr, "dvkctl: %s: wrong number of arguments\n", cmd);
	usage(stderr);
	return 2;
}

/* migrate start|commit|rollback: the front end of the migrate call */
static int cmd_migrate(int argc, char **argv)
{
	const char *op = argc > 1 ? argv[1] : "";
	int dcid, ep;
	long rc;

	if (!strcmp(op, "start") && argc == 4) {
		dcid = (int)parse_num("DCID", argv[2]);
		ep = (int)parse_num("EP", argv[3]);
		rc = dvk_migr_start(dcid, ep);
	} else if (!strcmp(op, "rollback") && argc == 4) {
		dcid = (int)parse_num("DCID", argv[2]);
		ep = (int)parse_num("EP", argv[3]);
		rc = dvk_migr_rollback(dcid, ep);
	} else if (!strcmp(op, "commit") && (argc == 5 || argc == 6)) {
		dcid = (int)parse_num("DCID", argv[2]);
		ep = (int)parse_num("EP", argv[3]);
		rc = dvk_migr_commit(argc == 6 ? (int)parse_num("PID", argv[5]) : PROC_NO_PID,
				     dcid, ep, (int)parse_num("NODEID", argv[4]));
	} else {
		fprintf(stderr, "dvkctl: migrate: expected start|rollback DCID EP, or commit DCID "
			"EP NODEID [PID]\n");
		usage(stderr);
		return 2;
	}
	return rc < 0 ? fail(op, rc) : 0;
}

/* strerror CODE...: the names of DVK error codes, no module needed. */
static int cmd_strerror(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	for (int i = 1; i < argc; i++)
		printf("%s\n", dvk_strerror((int)parse_num("strerror", argv[i])));
	return 0;
}

static int run_module_command(const char *cmd, int argc, char **argv);

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	const char *cmd;
	long rc;
	int c;

	/* "+": stop at the command, its options are parsed by the command */
	while ((c = getopt_long(argc, argv, "+hV", opts, NULL)) != -1) {
		switch (c) {
		case 'h': usage(stdout); return 0;
		case 'V': printf("dvkctl %s (DVK ABI %d)\n", DVK_PACKAGE_VERSION, DVS_VERSION); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return 2;
	}
	cmd = argv[optind];
	argc -= optind;
	argv += optind;

	if (!strcmp(cmd, "strerror"))
		return cmd_strerror(argc, argv);
	if (!strcmp(cmd, "keygen"))	/* needs no module: keys are made anywhere */
		return cmd_keygen(argc, argv);
	if (!strcmp(cmd, "waits"))	/* reads debugfs: no call, works while all are stuck */
		return dvkctl_waits(argc, argv);

	rc = dvk_open();
	if (rc < 0) {
		fprintf(stderr, "dvkctl: cannot open %s: %s (is dvk.ko loaded?)\n", DVK_DEVICE,
			strerror((int)-rc));
		return 1;
	}
	return run_module_command(cmd, argc, argv);
}

/* The commands that call dvk.ko, with /dev/dvk open. */
static int run_module_command(const char *cmd, int argc, char **argv)
{
	long rc;

	if (!strcmp(cmd, "init"))
		return cmd_init(argc, argv);
	if (!strcmp(cmd, "end")) {
		rc = dvk_dvs_end();
		return rc < 0 ? fail("end", rc) : 0;
	}
	if (!strcmp(cmd, "info"))
		return cmd_info();
	if (!strcmp(cmd, "call"))
		return cmd_call(argc, argv);
	if (!strcmp(cmd, "wait4bind"))
		return cmd_wait4bind(argc, argv);
	if (!strcmp(cmd, "migrate"))
		return cmd_migrate(argc, argv);
	if (!strcmp(cmd, "dc-init") || !strcmp(cmd, "dc-end") || !strcmp(cmd, "add-node") ||
	    !strcmp(cmd, "rmtbind"))
		return cmd_dc(cmd, argc, argv);
	fprintf(stderr, "dvkctl: unknown command '%s'\n", cmd);
	usage(stderr);
	return 2;
}
