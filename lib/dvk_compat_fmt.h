/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * dvk_compat_fmt.h - the original DVK's print formats: XXX_FORMAT is a
 * printf format ending in a newline, XXX_FIELDS(p) the matching arguments
 * for a pointer p to the structure, as in
 *
 *	printf(DVS_USR_FORMAT, DVS_USR_FIELDS(dvs_ptr));
 *	USRDEBUG("reply: " MSG1_FORMAT, MSG1_FIELDS(m_ptr));
 *
 * The key=value text is the original's; the FIELDS cast each value to the
 * type its conversion expects, so the pair builds warning-free over this
 * project's fixed-width fields (and over either message view: a p->m1_p1
 * of the ABI's __u64 prints with %p like the compat view's char *).
 * Character arrays that need not end in a NUL (m3_ca1, mB_md5, ...) print
 * with a precision.  Included by dvk_compat.h.
 */
#ifndef DVK_COMPAT_FMT_H
#define DVK_COMPAT_FMT_H

#include <stdint.h>

#define DVK__P(x)	((void *)(uintptr_t)(x))	/* a pointer field, either view */
#define DVK__L(x)	((long)(x))
#define DVK__UL(x)	((unsigned long)(x))
#define DVK__NS_SEC(ns)	((long)((ns) / 1000000000LL))	/* node timestamps are ns */
#define DVK__NS_NSEC(ns) ((long)((ns) % 1000000000LL))

/* dvs_usr_t */
#define DVS_USR_FORMAT	"d_name=%s d_nr_dcs=%d d_nr_nodes=%d d_nr_procs=%d d_nr_tasks=%d d_nr_sysprocs=%d\n"
#define DVS_USR_FIELDS(p)	(p)->d_name, (p)->d_nr_dcs, (p)->d_nr_nodes, (p)->d_nr_procs, \
				(p)->d_nr_tasks, (p)->d_nr_sysprocs
#define DVS_MAX_FORMAT	"d_max_copybuf=%d d_max_copylen=%d\n"
#define DVS_MAX_FIELDS(p)	(p)->d_max_copybuf, (p)->d_max_copylen
#define DVS_VER_FORMAT	"d_dbglvl=%lX version=%d flags=%lX sizeof(proc)=%d\n"
#define DVS_VER_FIELDS(p)	DVK__UL((p)->d_dbglvl), (p)->d_version, DVK__UL((p)->d_flags), \
				(p)->d_size_proc

/* dc_usr_t */
#define DC_USR_FORMAT	"dc_dcid=%d dc_nr_procs=%d dc_nr_tasks=%d dc_nr_sysprocs=%d " \
			"dc_nr_nodes=%d flags=%X dc_nodes=%lX dc_name=%s\n"
#define DC_USR_FIELDS(p)	(p)->dc_dcid, (p)->dc_nr_procs, (p)->dc_nr_tasks, \
				(p)->dc_nr_sysprocs, (p)->dc_nr_nodes, (unsigned int)(p)->dc_flags, \
				DVK__UL((p)->dc_nodes), (p)->dc_name
#define DC_CPU_FORMAT	"dc_dcid=%d dc_cpumask=%lX dc_name=%s\n"
#define DC_CPU_FIELDS(p)	(p)->dc_dcid, DVK__UL((p)->dc_cpumask), (p)->dc_name
#define DC_WARN_FORMAT	"dc_dcid=%d dc_warn2proc=%d dc_warnmsg=%d\n"
#define DC_WARN_FIELDS(p)	(p)->dc_dcid, (p)->dc_warn2proc, (p)->dc_warnmsg

/* node_usr_t (the timestamps are ns here, split into the original's sec/nsec) */
#define NODE_USR_FORMAT	"n_nodeid=%d n_proxies=%d n_flags=%lX n_dcs=%lX n_name=%s\n"
#define NODE_USR_FIELDS(p)	(p)->n_nodeid, (p)->n_proxies, DVK__UL((p)->n_flags), \
				DVK__UL((p)->n_dcs), (p)->n_name
#define NODE_TIME_FORMAT "n_nodeid=%d n_name=%s n_stime_sec=%ld n_stime_nsec=%ld " \
			 "n_rtime_sec=%ld n_rtime_nsec=%ld\n"
#define NODE_TIME_FIELDS(p)	(p)->n_nodeid, (p)->n_name, \
				DVK__NS_SEC((p)->n_stimestamp), DVK__NS_NSEC((p)->n_stimestamp), \
				DVK__NS_SEC((p)->n_rtimestamp), DVK__NS_NSEC((p)->n_rtimestamp)

/* proc_usr_t */
#define PROC_USR_FORMAT	"nr=%d endp=%d dcid=%d flags=%lX misc=%lX lpid=%d vpid=%d nodeid=%d name=%s\n"
#define PROC_USR_FIELDS(p)	(p)->p_nr, (p)->p_endpoint, (p)->p_dcid, \
				DVK__UL((unsigned int)(p)->p_rts_flags), \
				DVK__UL((unsigned int)(p)->p_misc_flags), (p)->p_lpid, (p)->p_vpid, \
				(p)->p_nodeid, (p)->p_name
#define PROC_WAIT_FORMAT "endp=%d dcid=%d flags=%lX p_getfrom=%d p_sendto=%d p_waitmigr=%d " \
			 "p_waitunbind=%d p_proxy=%d\n"
#define PROC_WAIT_FIELDS(p)	(p)->p_endpoint, (p)->p_dcid, \
				DVK__UL((unsigned int)(p)->p_rts_flags), (p)->p_getfrom, \
				(p)->p_sendto, (p)->p_waitmigr, (p)->p_waitunbind, (p)->p_proxy
#define PROC_COUNT_FORMAT "nr=%d endp=%d dcid=%d p_lclsent=%ld p_rmtsent=%ld p_lclcopy=%ld " \
			  "p_rmtcopy=%ld\n"
#define PROC_COUNT_FIELDS(p)	(p)->p_nr, (p)->p_endpoint, (p)->p_dcid, DVK__L((p)->p_lclsent), \
				DVK__L((p)->p_rmtsent), DVK__L((p)->p_lclcopy), \
				DVK__L((p)->p_rmtcopy)
#define PROC_CPU_FORMAT	"nr=%d endp=%d dcid=%d lpid=%d p_cpumask=%lX nodemap=%lX name=%s\n"
#define PROC_CPU_FIELDS(p)	(p)->p_nr, (p)->p_endpoint, (p)->p_dcid, (p)->p_lpid, \
				DVK__UL((p)->p_cpumask), DVK__UL((p)->p_nodemap), (p)->p_name

/* priv_usr_t */
#define PRIV_USR_FORMAT	"priv_id=%d priv_warn=%d priv_level=%d\n"
#define PRIV_USR_FIELDS(p)	(int)(p)->priv_id, (p)->priv_warn, (p)->priv_level

/* proxies_usr_t, struct timespec */
#define PX_USR_FORMAT	"px_id=%d px_flags=%d px_maxbytes=%d px_maxbcmds=%d px_name=%s\n"
#define PX_USR_FIELDS(p)	(p)->px_id, (p)->px_flags, (p)->px_maxbytes, (p)->px_maxbcmds, \
				(p)->px_name
#define TIME_FORMAT	"TIMESTAMP sec=%ld nsec=%ld\n"
#define TIME_FIELDS(p)	DVK__L((p)->tv_sec), DVK__L((p)->tv_nsec)

/* cmd_t (proxy header) and its vcopy_t */
#define CMD_FORMAT	"cmd=0x%X dcid=%d src=%d dst=%d snode=%d dnode=%d rcode=%d len=%d PID=%d\n"
#define CMD_FIELDS(p)	(unsigned int)(p)->c_cmd, (p)->c_dcid, (p)->c_src, (p)->c_dst, \
			(p)->c_snode, (p)->c_dnode, (p)->c_rcode, (p)->c_len, (p)->c_pid
#define CMD_XFORMAT	"c_batch_nr=%d c_flags=0x%lX c_snd_seq=%ld c_ack_seq=%ld " \
			"c_timestamp.tv_sec=%ld\n"
#define CMD_XFIELDS(p)	(p)->c_batch_nr, DVK__UL((p)->c_flags), DVK__L((p)->c_snd_seq), \
			DVK__L((p)->c_ack_seq), DVK__L((p)->c_timestamp.tv_sec)
#define VCOPY_FORMAT	"src=%d dst=%d rqtr=%d saddr=%p daddr=%p bytes=%ld\n"
#define VCOPY_FIELDS(p)	(p)->c_vcopy.v_src, (p)->c_vcopy.v_dst, (p)->c_vcopy.v_rqtr, \
			DVK__P((p)->c_vcopy.v_saddr), DVK__P((p)->c_vcopy.v_daddr), \
			DVK__L((p)->c_vcopy.v_bytes)
#define HDR_FORMAT	CMD_FORMAT
#define HDR_FIELDS(p)	CMD_FIELDS(p)

/* message, one pair per layout */
#define MSG1_FORMAT	"source=%d type=%d m1i1=%d m1i2=%d m1i3=%d m1p1=%p m1p2=%p m1p3=%p\n"
#define MSG1_FIELDS(p)	(p)->m_source, (p)->m_type, (p)->m1_i1, (p)->m1_i2, (p)->m1_i3, \
			DVK__P((p)->m1_p1), DVK__P((p)->m1_p2), DVK__P((p)->m1_p3)
#define MSG2_FORMAT	"source=%d type=%d m2i1=%d m2i2=%d m2i3=%d m2l1=%ld m2l2=%ld m2p1=%p\n"
#define MSG2_FIELDS(p)	(p)->m_source, (p)->m_type, (p)->m2_i1, (p)->m2_i2, (p)->m2_i3, \
			DVK__L((p)->m2_l1), DVK__L((p)->m2_l2), DVK__P((p)->m2_p1)
#define MSG3_FORMAT	"source=%d type=%d m3i1=%d m3i2=%d m3p1=%p m3ca1=[%.14s]\n"
#define MSG3_FIELDS(p)	(p)->m_source, (p)->m_type, (p)->m3_i1, (p)->m3_i2, \
			DVK__P((p)->m3_p1), (p)->m3_ca1
#define MSG4_FORMAT	"source=%d type=%d m4l1=%ld m4l2=%ld m4l3=%ld m4l4=%ld m4l5=%ld\n"
#define MSG4_FIELDS(p)	(p)->m_source, (p)->m_type, DVK__L((p)->m4_l1), DVK__L((p)->m4_l2), \
			DVK__L((p)->m4_l3), DVK__L((p)->m4_l4), DVK__L((p)->m4_l5)
#define MSG5_FORMAT	"source=%d type=%d m5c1=%d m5c2=%d m5i1=%d m5i2=%d m5l1=%ld m5l2=%ld " \
			"m5l3=%ld\n"
#define MSG5_FIELDS(p)	(p)->m_source, (p)->m_type, (int)(p)->m5_c1, (int)(p)->m5_c2, \
			(p)->m5_i1, (p)->m5_i2, DVK__L((p)->m5_l1), DVK__L((p)->m5_l2), \
			DVK__L((p)->m5_l3)
#define MSG6_FORMAT	"source=%d type=%d m6ca1=[%.32s]\n"
#define MSG6_FIELDS(p)	(p)->m_source, (p)->m_type, (p)->m6_ca1
#define MSG7_FORMAT	"source=%d type=%d m7i1=%d m7i2=%d m7i3=%d m7i4=%d m7p1=%p m7p2=%p\n"
#define MSG7_FIELDS(p)	(p)->m_source, (p)->m_type, (p)->m7_i1, (p)->m7_i2, (p)->m7_i3, \
			(p)->m7_i4, DVK__P((p)->m7_p1), DVK__P((p)->m7_p2)
#define MSG8_FORMAT	"source=%d type=%d m8i1=%d m8i2=%d m8p1=%p m8p2=%p m8p3=%p m8p4=%p\n"
#define MSG8_FIELDS(p)	(p)->m_source, (p)->m_type, (p)->m8_i1, (p)->m8_i2, \
			DVK__P((p)->m8_p1), DVK__P((p)->m8_p2), DVK__P((p)->m8_p3), \
			DVK__P((p)->m8_p4)
#define MSG9_FORMAT	"source=%d type=%d m9i1=%d m9l1=%ld m9t1.tv_sec=%ld m9t1.tv_nsec=%ld\n"
#define MSG9_FIELDS(p)	(p)->m_source, (p)->m_type, (p)->m9_i1, DVK__L((p)->m9_i2), \
			DVK__L((p)->m9_t1.tv_sec), DVK__L((p)->m9_t1.tv_nsec)
#define MSGA_FORMAT	"source=%d type=%d dest=%d mAnr=%d mAia[0]=%d mAia[1]=%d mAia[2]=%d " \
			"mAia[3]=%d\n"
#define MSGA_FIELDS(p)	(p)->m_source, (p)->m_type, (p)->mA_dst, (p)->mA_nr, (p)->mA_ia[0], \
			(p)->mA_ia[1], (p)->mA_ia[2], (p)->mA_ia[3]
#define MSGB_FORMAT	"source=%d type=%d mBnr=%ld mBmd5=[%.16s]\n"
#define MSGB_FIELDS(p)	(p)->m_source, (p)->m_type, DVK__L((p)->mB_l1), (p)->mB_md5
#define MSGC_FORMAT	"source=%d type=%d mCi1=%d mCi2=%d mCi3=%d mCi4=%d mCca1=[%.10s]\n"
#define MSGC_FIELDS(p)	(p)->m_source, (p)->m_type, (p)->mC_i1, (p)->mC_i2, (p)->mC_i3, \
			(p)->mC_i4, (p)->mC_ca1

#endif /* DVK_COMPAT_FMT_H */
