// SPDX-License-Identifier: GPL-2.0
/*
 * dvs_dc_init.c - an original-style program: initialise the DVS and a DC,
 * then print what getdvsinfo, getdcinfo and getnodeinfo say with the
 * original print macros.  Exit 0 when the values read back are the ones
 * set.  Usage: dvs_dc_init <nodeid> <dvs_name> <dcid> <dc_name>
 */
#include "tests.h"

int main(int argc, char *argv[])
{
	dvs_usr_t dvs, *dvs_ptr = &dvs;
	dc_usr_t dcu, *dc_ptr = &dcu;
	node_usr_t node, *node_ptr = &node;
	int nodeid, dcid, ret;

	if (argc != 5) {
		fprintf(stderr, "Usage: %s <nodeid> <dvs_name> <dcid> <dc_name>\n", argv[0]);
		exit(EXIT_FAILURE);
	}
	nodeid = atoi(argv[1]);
	dcid = atoi(argv[3]);
	if (dcid < 0 || dcid >= NR_DCS) {
		fprintf(stderr, "Invalid dcid [0-%d]\n", NR_DCS - 1);
		exit(EXIT_FAILURE);
	}

	ret = dvk_open();
	if (ret != OK)
		ERROR_EXIT(ret);
	if (dvk_fd < 0)
		ERROR_EXIT(dvk_fd);
	printf("dvk_open: %s opened, dvk_fd=%d\n", DVK_FILE_NAME, dvk_fd);

	/* the DVS */
	memset(dvs_ptr, 0, sizeof(dvs_usr_t));
	snprintf(dvs.d_name, sizeof(dvs.d_name), "%s", argv[2]);
	dvs.d_nr_dcs = NR_DCS;
	dvs.d_nr_nodes = NR_NODES;
	dvs.d_nr_procs = NR_PROCS;
	dvs.d_nr_tasks = NR_TASKS;
	dvs.d_nr_sysprocs = NR_SYS_PROCS;
	dvs.d_max_copybuf = MAXCOPYBUF;
	dvs.d_max_copylen = MAXCOPYLEN;
	dvs.d_dbglvl = 0;
	ret = dvk_dvs_init(nodeid, dvs_ptr);
	if (ret < 0)
		ERROR_EXIT(ret);
	printf("dvk_dvs_init: local_nodeid=%d\n", local_nodeid);
	if (local_nodeid != nodeid)
		ERROR_EXIT(EDVSBADNODEID);

	memset(dvs_ptr, 0, sizeof(dvs_usr_t));
	ret = dvk_getdvsinfo(dvs_ptr);
	if (ret < 0)
		ERROR_EXIT(ret);
	printf(DVS_USR_FORMAT, DVS_USR_FIELDS(dvs_ptr));
	printf(DVS_MAX_FORMAT, DVS_MAX_FIELDS(dvs_ptr));
	printf(DVS_VER_FORMAT, DVS_VER_FIELDS(dvs_ptr));
	if (ret != nodeid || strcmp(dvs.d_name, argv[2]) != 0 || dvs.d_version != DVS_VERSION ||
	    !(dvs.d_flags & DVK_INITIALIZED) || dvs.d_nr_procs != NR_PROCS) {
		fprintf(stderr, "getdvsinfo: not the parameters given to dvs_init\n");
		exit(EXIT_FAILURE);
	}

	/* the DC */
	memset(dc_ptr, 0, sizeof(dc_usr_t));
	dcu.dc_dcid = dcid;
	dcu.dc_nr_procs = NR_PROCS;
	dcu.dc_nr_tasks = NR_TASKS;
	dcu.dc_nr_sysprocs = NR_SYS_PROCS;
	dcu.dc_nr_nodes = NR_NODES;
	dcu.dc_warn2proc = NONE;
	dcu.dc_warnmsg = 0;
	snprintf(dcu.dc_name, sizeof(dcu.dc_name), "%s", argv[4]);
	ret = dvk_dc_init(dc_ptr);
	if (ret < 0)
		ERROR_EXIT(ret);

	memset(dc_ptr, 0, sizeof(dc_usr_t));
	ret = dvk_getdcinfo(dcid, dc_ptr);
	if (ret < 0)
		ERROR_EXIT(ret);
	printf(DC_USR_FORMAT, DC_USR_FIELDS(dc_ptr));
	printf(DC_WARN_FORMAT, DC_WARN_FIELDS(dc_ptr));
	printf(DC_CPU_FORMAT, DC_CPU_FIELDS(dc_ptr));
	if (dcu.dc_flags != DC_RUNNING || !TEST_BIT(dcu.dc_nodes, local_nodeid) ||
	    strcmp(dcu.dc_name, argv[4]) != 0 || dcu.dc_warn2proc != NONE) {
		fprintf(stderr, "getdcinfo: not the DC just initialised\n");
		exit(EXIT_FAILURE);
	}

	/* this node */
	memset(node_ptr, 0, sizeof(node_usr_t));
	ret = dvk_getnodeinfo(local_nodeid, node_ptr);
	if (ret < 0)
		ERROR_EXIT(ret);
	printf(NODE_USR_FORMAT, NODE_USR_FIELDS(node_ptr));
	printf(NODE_TIME_FORMAT, NODE_TIME_FIELDS(node_ptr));
	if (node.n_nodeid != local_nodeid || !TEST_BIT(node.n_dcs, dcid)) {
		fprintf(stderr, "getnodeinfo: node %d is not in DC %d\n", node.n_nodeid, dcid);
		exit(EXIT_FAILURE);
	}

	printf("dvs_dc_init: OK\n");
	return 0;
}
