/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * dvk_abi_info.h - the DVS, DC, node, process, privilege and proxy-pair
 * descriptors of the info calls (part of dvk.h).
 */
#ifndef _UAPI_DVK_ABI_INFO_H
#define _UAPI_DVK_ABI_INFO_H

#include <linux/types.h>
#include "dvk_abi_const.h"

/* DVS parameters (getdvsinfo, dvs_init).  72 bytes. */
struct dvs_usr {
	char	d_name[MAXDVSNAME];
	__s32	d_nr_dcs;
	__s32	d_nr_nodes;
	__s32	d_nr_procs;
	__s32	d_nr_tasks;
	__s32	d_nr_sysprocs;
	__s32	d_max_copybuf;
	__s32	d_max_copylen;
	__s32	d_version;
	__s32	d_size_proc;
	__s32	d_pad0;		/* zero */
	__u64	d_dbglvl;
	__u64	d_flags;
};
typedef struct dvs_usr dvs_usr_t;

/* DC descriptor (getdcinfo, dc_init).  72 bytes. */
struct dc_usr {
	__s32	dc_dcid;
	__s32	dc_flags;
	__s32	dc_nr_procs;
	__s32	dc_nr_tasks;
	__s32	dc_nr_sysprocs;
	__s32	dc_nr_nodes;
	__s32	dc_warn2proc;
	__s32	dc_warnmsg;
	__s32	dc_pid;
	__s32	dc_pad0;	/* zero */
	__u64	dc_nodes;	/* bitmap of member nodes */
	__u64	dc_cpumask;
	char	dc_name[MAXDCNAME];
};
typedef struct dc_usr dc_usr_t;

/* Node descriptor (getnodeinfo).  72 bytes; timestamps in ns (CLOCK_REALTIME). */
struct node_usr {
	__s32	n_nodeid;
	__s32	n_flags;
	__s32	n_proxies;	/* proxy pair id, -1 none */
	__s32	n_pad0;
	__u64	n_dcs;		/* bitmap of DCs */
	__s64	n_stimestamp;
	__s64	n_rtimestamp;
	__u64	n_pxsent;
	__u64	n_pxrcvd;
	char	n_name[MAXNODENAME];
};
typedef struct node_usr node_usr_t;

/* Process / endpoint descriptor (getprocinfo).  120 bytes. */
struct proc_usr {
	__s32	p_nr;
	__s32	p_endpoint;
	__s32	p_dcid;
	__s32	p_rts_flags;
	__s32	p_lpid;		/* host PID */
	__s32	p_vpid;		/* PID in the DC's namespace */
	__s32	p_nodeid;
	__s32	p_misc_flags;
	__s32	p_getfrom;
	__s32	p_sendto;
	__s32	p_waitmigr;
	__s32	p_waitunbind;
	__s32	p_proxy;
	__s32	p_pad0;
	__u64	p_nodemap;
	__u64	p_lclsent;
	__u64	p_rmtsent;
	__u64	p_lclcopy;
	__u64	p_rmtcopy;
	__u64	p_cpumask;
	char	p_name[MAXPROCNAME];
};
typedef struct proc_usr proc_usr_t;

/* Privileges (getpriv/setpriv).  40 bytes. */
struct priv_usr {
	__s16	priv_id;
	__s16	priv_pad0;
	__s32	priv_warn;
	__s32	priv_level;
	__s32	priv_trap_mask;
	__u64	priv_ipc_from;		/* bitmap of system slots */
	__u64	priv_ipc_to;		/* bitmap of system slots */
	__u64	priv_dvk_allowed;	/* bitmap of DVK call numbers */
};
typedef struct priv_usr priv_usr_t;

/* Proxy pair (getproxyinfo).  32 bytes. */
struct proxies_usr {
	__s32	px_id;
	__s32	px_flags;
	__s32	px_maxbytes;
	__s32	px_maxbcmds;
	char	px_name[MAXPROXYNAME];
};
typedef struct proxies_usr proxies_usr_t;

/* Layout checks: these sizes are ABI. */
_Static_assert(sizeof(struct dvs_usr) == 72, "dvs_usr ABI");
_Static_assert(sizeof(struct dc_usr) == 72, "dc_usr ABI");
_Static_assert(sizeof(struct node_usr) == 72, "node_usr ABI");
_Static_assert(sizeof(struct proc_usr) == 120, "proc_usr ABI");
_Static_assert(sizeof(struct priv_usr) == 40, "priv_usr ABI");
_Static_assert(sizeof(struct proxies_usr) == 32, "proxies_usr ABI");

#endif /* _UAPI_DVK_ABI_INFO_H */
