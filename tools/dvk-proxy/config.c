// SPDX-License-Identifier: GPL-2.0
/*
 * config.c - dvk-proxy's side of the node configuration file
 * (tools/common/dvkconf.c parses it; docs/config.md).  The command line
 * wins; what it leaves unset comes from the file, else from the defaults.
 * /etc/dvk/proxy.conf (key-file, encrypt) is no longer read: its two
 * settings have the same names in dvk.conf (docs/config.md says why).
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "proxy.h"

#define OLD_CONFIG "/etc/dvk/proxy.conf"

static struct dvkconf conf;

/* The file: --config FILE must exist; the default one may be absent. */
static void load(void)
{
	const char *path = opts.config ? opts.config : DVKCONF_FILE;
	char err[DVKCONF_PATH_MAX + 256];
	int missing;

	if (!dvkconf_load(path, &conf, &missing, err, sizeof(err)))
		return;
	if (missing && !opts.config) {
		dvkconf_defaults(&conf);
		if (!access(OLD_CONFIG, F_OK))	/* a warning: the proxy goes on */
			fprintf(stderr, "%sdvk-proxy: %s is no longer read: put its settings into %s\n",
				log_to_journal() ? "<4>" : "", OLD_CONFIG, DVKCONF_FILE);
		return;
	}
	pfatal("%s", err);
	exit(2);
}

void config_print(void)
{
	if (!opts.config)
		opts.config = DVKCONF_FILE;
	load();
	dvkconf_print(&conf, stdout);
	exit(fflush(stdout) ? 1 : 0);
}

void config_apply(void)
{
	load();
	if (!opts.peer && conf.peer[opts.node][0])
		opts.peer = conf.peer[opts.node];
	if (!opts.peer) {
		pfatal("no address for node %d: --peer HOST, or 'peer %d = HOST' in %s", opts.node,
		       opts.node, opts.config ? opts.config : DVKCONF_FILE);
		exit(2);
	}
	if (opts.local_node < 0 && conf.node >= 0) {
		opts.local_node = conf.node;
		opts.local_from_config = 1;
	}
	if (opts.port_base < 0)
		opts.port_base = conf.port_base;
	if (opts.heartbeat_ms < 0)
		opts.heartbeat_ms = conf.heartbeat_ms;
	if (opts.backoff_max_ms < 0)
		opts.backoff_max_ms = conf.backoff_max_ms;
	if (opts.log_level < 0)
		opts.log_level = conf.log_level;
	if (!opts.key_file)
		opts.key_file = conf.key_file;
	if (!opts.mode_set)
		opts.mode = conf.encrypt ? LINK_ENCRYPT : LINK_AUTH;
}
