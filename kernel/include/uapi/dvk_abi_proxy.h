/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * dvk_abi_proxy.h - proxy commands, the copy descriptor and the proxy header
 * of get2rmt/put2lcl (part of dvk.h).
 */
#ifndef _UAPI_DVK_ABI_PROXY_H
#define _UAPI_DVK_ABI_PROXY_H

#include <linux/types.h>
#include "dvk_abi_const.h"
#include "dvk_abi_msg.h"

/* Proxy commands; an ACK is the command | CMD_ACKNOWLEDGE */
#define CMD_ACKNOWLEDGE		0x2000
#define CMD_NONE		0
#define CMD_SEND_MSG		1
#define CMD_NTFY_MSG		2
#define CMD_SNDREC_MSG		3
#define CMD_REPLY_MSG		4
#define CMD_COPYIN_DATA		5
#define CMD_COPYOUT_RQST	6
#define CMD_COPYLCL_RQST	7
#define CMD_COPYRMT_RQST	8
#define CMD_COPYIN_RQST		9
#define CMD_HELLO		10
#define CMD_SHUTDOWN		11
#define CMD_PROCINFO		12
#define CMD_PROCBIND		13
#define CMD_PROCUNBIND		14
#define CMD_SEND_ACK		(CMD_SEND_MSG | CMD_ACKNOWLEDGE)
#define CMD_NTFY_ACK		(CMD_NTFY_MSG | CMD_ACKNOWLEDGE)
#define CMD_SNDREC_ACK		(CMD_SNDREC_MSG | CMD_ACKNOWLEDGE)
#define CMD_REPLY_ACK		(CMD_REPLY_MSG | CMD_ACKNOWLEDGE)
#define CMD_COPYIN_ACK		(CMD_COPYIN_DATA | CMD_ACKNOWLEDGE)
#define CMD_COPYOUT_DATA	(CMD_COPYOUT_RQST | CMD_ACKNOWLEDGE)
#define CMD_COPYLCL_ACK		(CMD_COPYLCL_RQST | CMD_ACKNOWLEDGE)
#define CMD_COPYRMT_ACK		(CMD_COPYRMT_RQST | CMD_ACKNOWLEDGE)
#define CMD_PROCINFO_ACK	(CMD_PROCINFO | CMD_ACKNOWLEDGE)
#define CMD_PROCBIND_ACK	(CMD_PROCBIND | CMD_ACKNOWLEDGE)
#define CMD_PROCUNBIND_ACK	(CMD_PROCUNBIND | CMD_ACKNOWLEDGE)

/*
 * c_flags of a proxy header.  CMD_FLAG_MORE: a chunk of a streamed copy
 * (COPYIN_DATA, COPYOUT_DATA, COPYIN_RQST) that is not the last one of
 * its copy (same c_snd_seq): the receiving node answers only the last
 * chunk, or the first one that fails (docs/design-remote.md).  Bit 8, clear
 * of the bits the original proxies kept for themselves (FLAG_* below).
 */
#define CMD_FLAG_MORE		0x100ULL

/* c_flags (proxy-owned) */
#define FLAG_BATCH		0x1
#define FLAG_LZ4		0x2
#define FLAG_CHECK_HDR		0x4

/* Copy descriptor (vcopy; embedded in the proxy header).  40 bytes. */
struct vcopy_s {
	__s32	v_src;
	__s32	v_dst;
	__s32	v_rqtr;
	__s32	v_pad0;
	__u64	v_saddr;
	__u64	v_daddr;
	__s64	v_bytes;
};
typedef struct vcopy_s vcopy_t;

/* Proxy header (get2rmt/put2lcl).  168 bytes. */
struct cmd_s {
	__s32	c_cmd;
	__s32	c_dcid;
	__s32	c_src;
	__s32	c_dst;
	__s32	c_snode;
	__s32	c_dnode;
	__s32	c_rcode;
	__s32	c_len;
	__s32	c_pid;
	__s32	c_batch_nr;
	__u64	c_flags;
	__u64	c_snd_seq;
	__u64	c_ack_seq;
	struct dvk_timespec c_timestamp;
	message	c_msg;
	vcopy_t	c_vcopy;
};
typedef struct cmd_s cmd_t;
typedef struct cmd_s proxy_hdr_t;

#define PROXY_HEADER		(sizeof(cmd_t) + sizeof(int))
#define MAXBATCMD		(MAXCOPYBUF / sizeof(cmd_t))

/* Layout checks: these sizes are ABI. */
_Static_assert(sizeof(vcopy_t) == 40, "vcopy_t ABI");
_Static_assert(sizeof(cmd_t) == 168, "cmd_t ABI");

#endif /* _UAPI_DVK_ABI_PROXY_H */
