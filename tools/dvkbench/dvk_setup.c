// SPDX-License-Identifier: GPL-2.0
/*
 * dvk_setup.c - what the DVK modes of dvkbench need before the first
 * round trip: the DVS and the DC (initialised here when they are not, and
 * then ended again at exit) and the client's endpoint.
 */
#include <stdio.h>
#include <string.h>
#include "dvk_params.h"
#include "dvkbench.h"

static int made_dvs, made_dc, client_bound;

int dvk_fail(const char *what, long rc)
{
	fprintf(stderr, "dvkbench: %s: %s\n", what, dvk_strerror((int)rc));
	return -1;
}

/* The DVS as found, or initialised here unless --no-init. */
static int dvs_ensure(void)
{
	dvs_usr_t d;
	long rc = dvk_getdvsinfo(&d);

	if (rc >= 0)
		return 0;
	if (rc != EDVSDVSINIT)
		return dvk_fail("getdvsinfo", rc);
	if (opt.no_init)
		return dvk_fail("the DVS is not initialised (--no-init)", rc);
	d = dvk_dvs_params("BENCH");
	rc = dvk_dvs_init(opt.nodeid, &d);
	if (rc < 0)
		return dvk_fail("dvs_init", rc);
	made_dvs = 1;
	return 0;
}

/* The DC of --dcid as found running, or initialised here unless --no-init. */
static int dc_ensure(void)
{
	char name[MAXDCNAME];
	dc_usr_t dc;
	long rc = dvk_getdcinfo(opt.dcid, &dc);

	if (rc < 0)
		return dvk_fail("getdcinfo", rc);
	if (dc.dc_flags != DC_FREE)
		return 0;
	if (opt.no_init) {
		fprintf(stderr, "dvkbench: DC %d is not running (--no-init)\n", opt.dcid);
		return -1;
	}
	snprintf(name, sizeof(name), "BENCH%d", opt.dcid);
	dc = dvk_dc_params(opt.dcid, name);
	rc = dvk_dc_init(&dc);
	if (rc < 0)
		return dvk_fail("dc_init", rc);
	made_dc = 1;
	return 0;
}

int dvk_setup(void)
{
	long rc = dvk_open();

	if (rc < 0) {
		fprintf(stderr, "dvkbench: cannot open %s: %s (is dvk.ko loaded?)\n", DVK_DEVICE,
			strerror((int)-rc));
		return -1;
	}
	if (dvs_ensure() || dc_ensure())
		return -1;
	rc = dvk_bind(opt.dcid, opt.client_ep);
	if (rc != opt.client_ep) {
		char what[64];

		snprintf(what, sizeof(what), "bind the client to endpoint %d", opt.client_ep);
		return dvk_fail(what, rc);
	}
	client_bound = 1;
	return 0;
}

/*
 * Undo dvk_setup.  dvs_end ends every DC with it, so a DC made here is
 * ended on its own only when the DVS stays.
 */
void dvk_teardown(void)
{
	long rc;

	if (client_bound) {
		rc = dvk_unbind_T(opt.dcid, opt.client_ep, 5000);
		if (rc < 0)
			dvk_fail("unbind the client", rc);
		client_bound = 0;
	}
	if (made_dc && !made_dvs) {
		rc = dvk_dc_end(opt.dcid);
		if (rc < 0)
			dvk_fail("dc_end", rc);
	}
	if (made_dvs) {
		rc = dvk_dvs_end();
		if (rc < 0)
			dvk_fail("dvs_end", rc);
	}
	made_dc = made_dvs = 0;
}
