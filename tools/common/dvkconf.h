/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dvkconf.h - the node configuration file, /etc/dvk/dvk.conf (docs/config.md):
 * this node, its DVS and DCs, its peers, the proxies' ports, key, protection
 * and logging.  The one parser of that file: dvk-proxy links it, and
 * dvk-service reads the file through `dvk-proxy --print-config`.
 */
#ifndef DVK_TOOLS_DVKCONF_H
#define DVK_TOOLS_DVKCONF_H

#include <stdio.h>
#include "dvk.h"

#define DVKCONF_FILE		"/etc/dvk/dvk.conf"
#define DVKCONF_KEY_FILE	"/etc/dvk/cluster.key"
#define DVKCONF_PORT_BASE	3000
#define DVKCONF_HEARTBEAT_MS	HELLO_PERIOD
#define DVKCONF_BACKOFF_MS	4000
#define DVKCONF_MODULE		"dvk"
#define DVKCONF_HOST_MAX	256	/* a peer's host name or address, with its NUL */
#define DVKCONF_PATH_MAX	4096

/* The log levels, as syslog and sd-daemon(3) number them. */
enum dvkconf_level {
	DVKCONF_ERR = 3, DVKCONF_WARNING = 4, DVKCONF_NOTICE = 5, DVKCONF_INFO = 6,
	DVKCONF_DEBUG = 7,
};

struct dvkconf {
	int node;			/* this node's id (required) */
	char name[MAXDVSNAME];		/* the DVS name for dvs_init; "" = dvkctl's default */
	int ndcs;
	struct { int id; char name[MAXDCNAME]; } dcs[NR_DCS];	/* in file order */
	char peer[NR_NODES][DVKCONF_HOST_MAX];	/* host of peer node i, "" = none */
	int port_base, encrypt, log_level, heartbeat_ms, backoff_max_ms;
	char key_file[DVKCONF_PATH_MAX];
	char module[DVKCONF_PATH_MAX];	/* a module name (modprobe) or a .ko path (insmod) */
};

/* @c with every setting at its default and no node (-1), DC or peer. */
void dvkconf_defaults(struct dvkconf *c);

/*
 * Read @path into @c (defaults where the file says nothing).  0, or -1 with
 * the reason in @err ("PATH:LINE: what", or "PATH: what" for the whole
 * file: missing, not root's, no node); *@missing is set when the file does
 * not exist (so a caller may go without it).
 */
int dvkconf_load(const char *path, struct dvkconf *c, int *missing, char *err, size_t errlen);

/* @c in the file's own syntax, every setting (defaults included). */
void dvkconf_print(const struct dvkconf *c, FILE *f);

/* A level's name ("info") and back (-1: none such). */
const char *dvkconf_level_name(int level);
int dvkconf_level(const char *name);

#endif /* DVK_TOOLS_DVKCONF_H */
