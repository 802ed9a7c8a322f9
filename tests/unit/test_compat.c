// SPDX-License-Identifier: GPL-2.0
/*
 * test_compat.c - does a program written for the original DVK library build
 * against lib/libdvk.h alone (docs/original-dvk.md#source-compatibility-of-the-library, #the-user-library)?
 *
 * Three layers:
 *  1. at compile time, the original constants, call numbers, error codes,
 *     flags, struct and message field names, with their values
 *     (_Static_assert: a wrong value or a missing name breaks the build);
 *  2. at run time, every local call of docs/original-dvk.md#the-user-library and its macros (send, receive_T,
 *     bind/tbind/lclbind/..., notify/hdw_notify/..., wait4bind*, ...) is made
 *     against a fake /dev/dvk: open() and ioctl() are replaced (fake/fake_dvk.c), so the
 *     program needs no kernel and checks the exact ipc() call word and
 *     arguments each name produces (table docs/original-dvk.md#call-numbers-and-arguments) and the return convention;
 *  3. negative controls: the matcher rejects a wrong call, and this file
 *     compiled with -DCOMPAT_NEGATIVE (one wrong constant) must not build.
 *
 * Host unit test, run by tests/run unit from the top of the tree.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libdvk.h"	/* the only DVK header: what an original program includes */
#include "check.h"
#include "fake_dvk.h"

/* ---- 1. names and values (docs/original-dvk.md#limits-and-constants to #user-visible-structures) ---------------------------- */
_Static_assert(NR_NODES == 32 && NR_DCS == 32 && NR_TASKS == 35 && NR_PROCS == 221, "limits");
_Static_assert(NR_SERVERS == 29 && NR_SYS_PROCS == 64 && NR_USR_PROCS == 157, "limits");
_Static_assert(NR_SYSTASKS == 32 && NR_FIXED_TASKS == 3, "limits");
_Static_assert(MAXCOPYBUF == 65536 && MAXCOPYLEN == 1048576, "copy limits");
_Static_assert(DVS_VERSION == 202202 && DVKIPC_VERSION == 1, "versions");
_Static_assert(MAXPROCNAME == 16 && MAXDCNAME == 16 && MAXNODENAME == 16 &&
	       MAXPROXYNAME == 16, "names");
_Static_assert(TIMEOUT_FOREVER == -1 && TIMEOUT_NOWAIT == 0 && TIMEOUT_MS == 60000 &&
	       TIMEOUT_MOLCALL == 30000 && HELLO_PERIOD == 30000, "timeouts");
_Static_assert(ANY == 31438 && NONE == 27342 && SELF == 35534, "magic endpoints");
_Static_assert(LOCALNODE == -1 && PROC_NO_PID == -1 && NOTIFY_MESSAGE == 0x1000, "misc");
_Static_assert(KERNEL == -1 && HARDWARE == -1 && SYSTEM == -2 && SYSTASK(0) == -2 &&
	       SYSTASK(31) == -33 && SLOTS == -34 && CLOCK == -35 && IDLE == -36 &&
	       PROXY == -36, "kernel tasks");
_Static_assert(_ENDPOINT_GENERATION_SIZE == 35570 && _ENDPOINT(1, 5) == 35575 &&
	       _ENDPOINT_P(35575) == 5 && _ENDPOINT_G(35575) == 1 && _ENDPOINT_P(-3) == -3,
	       "endpoints");
/* call numbers (docs/original-dvk.md#call-numbers-and-arguments) */
_Static_assert(DVK_DC_INIT == 1 && DVK_SEND == 2 && DVK_RECEIVE == 3 && DVK_NOTIFY == 4 &&
	       DVK_SENDREC == 5 && DVK_RCVRQST == 6 && DVK_REPLY == 7 && DVK_DC_END == 8 &&
	       DVK_BIND == 9 && DVK_UNBIND == 10 && DVK_GETPRIV == 11 && DVK_SETPRIV == 12 &&
	       DVK_VCOPY == 13 && DVK_GETDCINFO == 14 && DVK_GETPROCINFO == 15 &&
	       DVK_RELAY == 16 && DVK_PROXYBIND == 17 && DVK_PROXYUNBIND == 18 &&
	       DVK_GETNODEINFO == 19 && DVK_PUT2LCL == 20 && DVK_GET2RMT == 21 &&
	       DVK_ADDNODE == 22 && DVK_DELNODE == 23 && DVK_DVSINIT == 24 &&
	       DVK_DVSEND == 25 && DVK_GETEP == 26 && DVK_GETDVSINFO == 27 &&
	       DVK_PROXYCONN == 28 && DVK_WAIT4BIND == 29 && DVK_MIGRATE == 30 &&
	       DVK_NODEUP == 31 && DVK_NODEDOWN == 32 && DVK_GETPROXYINFO == 33 &&
	       DVK_WAKEUPEP == 34 && DVK_NR_CALLS == 35, "call numbers");
/* call words seen in the original's logs (docs/original-dvk.md#call-numbers-and-arguments) */
_Static_assert((DVK_CALL_WORD(DVK_BIND) & 0xffff) == 2304 &&
	       (DVK_CALL_WORD(DVK_SEND) & 0xffff) == 512 &&
	       DVK_CALL_WORD(DVK_DVSINIT) == 0x11800, "call words");
/* error codes (docs/original-dvk.md#error-codes), a sample of every block */
_Static_assert(EDVSPERM == -1 && EDVSAGAIN == -11 && EDVSFAULT == -14 && EDVSRANGE == -34 &&
	       EDVSNOSYS == -38 && EDVSGENERIC == -99, "errno block");
_Static_assert(EDVSBADDEST == -55 && EDVSTIMEDOUT == -61 && EDVSNOTCONN == -64 &&
	       EDVSSHUTDOWN == -65 && EDVSNOPROTOOPT == -75, "network block");
_Static_assert(EDVSLOCKED == -101 && EDVSBADCALL == -102 && EDVSDEADSRCDST == -105 &&
	       EDVSSRCDIED == -108 && EDVSDSTDIED == -109 && EDVSTRAPDENIED == -110 &&
	       EDVSDONTREPLY == -201, "minix block");
_Static_assert(EDVSERRCODE == -300 && EDVSBADNODEID == -301 && EDVSBADDCID == -302 &&
	       EDVSDCNOTRUN == -303 && EDVSBADPROC == -304 && EDVSENDPOINT == -306 &&
	       EDVSNOTBIND == -310 && EDVSDVSBUSY == -317 && EDVSDVSINIT == -318 &&
	       EDVSPROCSTS == -324 && EDVSOVERRUN == -330 && EDVSPRIVILEGES == -335 &&
	       EDVSSLOTUSED == -337 && EDVSBADRANGE == -338 && EDVSRSCBUSY == -342 &&
	       EDVSWOKENUP == -348 && EDVSUSR2KRN == -352 && EDVSPRIMARY == -401 &&
	       EDVSNOREPLICA == -402 && EDVSRESTARTSYS == -512 && OK == 0, "DVS block");
/* flags and operation codes (docs/original-dvk.md#call-numbers-and-arguments, docs/original-dvk.md#user-visible-structures) */
_Static_assert(SELF_BIND == 0 && LCL_BIND == 1 && RMT_BIND == 2 && BKUP_BIND == 3 &&
	       REPLICA_BIND == 4 && USERMODE_BIND == 5, "bind types");
_Static_assert(WAIT_BIND == 0 && WAIT_UNBIND == 1 && MIGR_START == 0 && MIGR_COMMIT == 1 &&
	       MIGR_ROLLBACK == 2, "wait4bind and migrate operations");
_Static_assert(CONNECT_SPROXY == 1 && CONNECT_RPROXY == 2 && DISCONNECT_SPROXY == 3 &&
	       DISCONNECT_RPROXY == 4, "proxy_conn");
_Static_assert(DVK_IPC == 1 && DVK_IOCTL == 2 && DVK_USERMODE == 4 &&
	       DVS_INITIALIZED == 0x100, "d_flags");
_Static_assert(DC_RUNNING == 0 && DC_FREE == 2, "dc_flags");
_Static_assert(NODE_FREE == 0 && NODE_ATTACHED == 2 && NODE_SCONNECTED == 4 &&
	       NODE_RCONNECTED == 8, "n_flags");
_Static_assert(PROXIES_FREE == 0 && PROXIES_INUSE == 1 && PROXIES_SCONNECTED == 2 &&
	       PROXIES_RCONNECTED == 4, "px_flags");
_Static_assert(SLOT_FREE == 0x1 && NO_MAP == 0x2 && SENDING == 0x4 && RECEIVING == 0x8 &&
	       SIGNALED == 0x10 && SIG_PENDING == 0x20 && P_STOP == 0x40 && NO_PRIV == 0x80 &&
	       NO_PRIORITY == 0x100 && NO_ENDPOINT == 0x200 && ONCOPY == 0x400 &&
	       MIGRATING == 0x800 && REMOTE == 0x1000 && RMTOPER == 0x2000 &&
	       WAITMIGR == 0x8000 && WAITUNBIND == 0x20000 && WAITBIND == 0x40000,
	       "p_rts_flags");
_Static_assert(MIS_PROXY == 0x1 && MIS_CONNECTED == 0x2 && MIS_NOTIFY == 0x4 &&
	       MIS_NEEDMIGR == 0x8 && MIS_RMTBACKUP == 0x10 && MIS_GRPLEADER == 0x20 &&
	       MIS_KTHREAD == 0x40 && MIS_REPLICATED == 0x80 && MIS_KILLED == 0x100 &&
	       MIS_WOKENUP == 0x200 && MIS_USERMODE == 0x400 && MIS_RMTINFO == 0x800 &&
	       MIS_NOMIGRATE == 0x1000 && MIS_ATOMIC == 0x2000 && MIS_ENQUEUED == 0x4000,
	       "p_misc_flags");
_Static_assert(USER_PRIV == 0 && SERVER_PRIV == 1 && TASK_PRIV == 2 && SYSTEM_PRIV == 3 &&
	       KERNEL_PRIV == 4 && PROXY_PRIV == 5, "priv levels");
_Static_assert(DBGPARAMS == 0x8000 && DBGREFCOUNT == 0x200000, "debug levels");
_Static_assert(CMD_NONE == 0 && CMD_SEND_MSG == 1 && CMD_NTFY_MSG == 2 &&
	       CMD_SNDREC_MSG == 3 && CMD_REPLY_MSG == 4 && CMD_COPYIN_DATA == 5 &&
	       CMD_COPYOUT_RQST == 6 && CMD_COPYLCL_RQST == 7 && CMD_COPYRMT_RQST == 8 &&
	       CMD_COPYIN_RQST == 9 && CMD_HELLO == 10 && CMD_SHUTDOWN == 11 &&
	       CMD_ACKNOWLEDGE == 0x2000 && CMD_SEND_ACK == 0x2001 && CMD_SNDREC_ACK == 0x2003 &&
	       CMD_COPYOUT_DATA == 0x2006 && CMD_COPYRMT_ACK == 0x2008, "proxy commands");
/* structures (docs/original-dvk.md#target-and-fixed-width-structures sizes) and the message layout of docs/original-dvk.md#message-layout */
_Static_assert(sizeof(message) == 48 && sizeof(dvs_usr_t) == 72 && sizeof(dc_usr_t) == 72 &&
	       sizeof(node_usr_t) == 72 && sizeof(proc_usr_t) == 120 &&
	       sizeof(priv_usr_t) == 40 && sizeof(proxies_usr_t) == 32 &&
	       sizeof(vcopy_t) == 40 && sizeof(cmd_t) == 168 && sizeof(proxy_hdr_t) == 168,
	       "struct sizes");
_Static_assert(offsetof(message, m_source) == 0 && offsetof(message, m_type) == 4 &&
	       offsetof(message, m1_i1) == 8 && offsetof(message, m9_i1) == 8 &&
	       offsetof(message, NOTIFY_FLAGS) == 8, "message header");
#ifdef COMPAT_NEGATIVE
/* the negative control: tests/unit/test_compat.c must fail to build with it */
_Static_assert(ANY == 31439, "compat negative control");
#endif

/*
 * Every message field name of docs/original-dvk.md#message-layout and the notify aliases, used as an
 * original program would.  Returns a checksum so nothing is optimised away.
 */
static long touch_message_fields(message *m)
{
	m->m1_i1 = 1; m->m1_i2 = 2; m->m1_i3 = 3; m->m1_p1 = 4; m->m1_p2 = 5; m->m1_p3 = 6;
	m->m2_i1 = 1; m->m2_i2 = 2; m->m2_i3 = 3; m->m2_l1 = 4; m->m2_l2 = 5; m->m2_p1 = 6;
	m->m3_i1 = 1; m->m3_i2 = 2; m->m3_p1 = 3; memcpy(m->m3_ca1, "abc", 4);
	m->m4_l1 = 1; m->m4_l2 = 2; m->m4_l3 = 3; m->m4_l4 = 4; m->m4_l5 = 5;
	m->m5_c1 = 1; m->m5_c2 = 2; m->m5_i1 = 3; m->m5_i2 = 4; m->m5_l1 = 5; m->m5_l2 = 6;
	m->m5_l3 = 7;
	m->m6_ca1[0] = 'x';
	m->m7_i1 = 1; m->m7_i2 = 2; m->m7_i3 = 3; m->m7_i4 = 4; m->m7_p1 = 5; m->m7_p2 = 6;
	m->m8_i1 = 1; m->m8_i2 = 2; m->m8_p1 = 3; m->m8_p2 = 4; m->m8_p3 = 5; m->m8_p4 = 6;
	m->m9_i1 = 1; m->m9_i2 = 2; m->m9_t1.tv_sec = 3; m->m9_t1.tv_nsec = 4;
	m->mA_dst = 1; m->mA_nr = 2; m->mA_ia[3] = 3;
	m->mB_l1 = 1; m->mB_md5[15] = 2;
	m->mC_i1 = 1; m->mC_i2 = 2; m->mC_i3 = 3; m->mC_i4 = 4; m->mC_ca1[9] = 5;
	m->NOTIFY_SOURCE = 7;
	m->NOTIFY_TYPE = NOTIFY_MESSAGE | 3;
	m->NOTIFY_FLAGS = 1;
	m->NOTIFY_ARG = 2;
	m->NOTIFY_TIMESTAMP.tv_sec = 9;
	return m->m_source + m->m_type + m->NOTIFY_FLAGS;
}

/* Struct field names of docs/original-dvk.md#user-visible-structures, as original programs print them. */
static long touch_struct_fields(void)
{
	dvs_usr_t d = { .d_nr_dcs = 1 };
	dc_usr_t c = { .dc_dcid = 1 };
	node_usr_t n = { .n_nodeid = 1 };
	proc_usr_t p = { .p_nr = 1 };
	priv_usr_t v = { .priv_id = 1 };
	proxies_usr_t x = { .px_id = 1 };
	cmd_t h = { .c_cmd = 1 };

	return d.d_nr_dcs + d.d_nr_nodes + d.d_nr_procs + d.d_nr_tasks + d.d_nr_sysprocs +
	       d.d_max_copybuf + d.d_max_copylen + (long)d.d_dbglvl + d.d_version +
	       (long)d.d_flags + d.d_size_proc + d.d_name[0] +
	       c.dc_dcid + c.dc_flags + c.dc_nr_procs + c.dc_nr_tasks + c.dc_nr_sysprocs +
	       c.dc_nr_nodes + (long)c.dc_nodes + c.dc_warn2proc + c.dc_warnmsg + c.dc_pid +
	       c.dc_name[0] + (long)c.dc_cpumask +
	       n.n_nodeid + n.n_flags + n.n_proxies + (long)n.n_dcs + n.n_stimestamp +
	       n.n_rtimestamp + (long)n.n_pxsent + (long)n.n_pxrcvd + n.n_name[0] +
	       p.p_nr + p.p_endpoint + p.p_dcid + p.p_rts_flags + p.p_lpid + p.p_vpid +
	       p.p_nodeid + (long)p.p_nodemap + p.p_misc_flags + p.p_getfrom + p.p_sendto +
	       p.p_waitmigr + p.p_waitunbind + p.p_proxy + (long)p.p_lclsent +
	       (long)p.p_rmtsent + (long)p.p_lclcopy + (long)p.p_rmtcopy + p.p_name[0] +
	       (long)p.p_cpumask +
	       v.priv_id + v.priv_warn + v.priv_level + v.priv_trap_mask +
	       (long)v.priv_ipc_from + (long)v.priv_ipc_to + (long)v.priv_dvk_allowed +
	       x.px_id + x.px_flags + x.px_maxbytes + x.px_maxbcmds + x.px_name[0] +
	       h.c_cmd + h.c_dcid + h.c_src + h.c_dst + h.c_snode + h.c_dnode + h.c_rcode +
	       h.c_len + h.c_pid + h.c_batch_nr + (long)h.c_flags + (long)h.c_snd_seq +
	       (long)h.c_ack_seq + h.c_timestamp.tv_sec + h.c_msg.m_type + h.c_vcopy.v_src +
	       h.c_vcopy.v_dst + h.c_vcopy.v_rqtr + (long)h.c_vcopy.v_saddr +
	       (long)h.c_vcopy.v_daddr + h.c_vcopy.v_bytes;
}

/* ---- 2. the calls against a fake /dev/dvk (fake/fake_dvk.c) ------------------ */

/* Did exactly one call with these arguments reach the fake kernel? */
static int call_was(int calls_before, int nr, int64_t first, int64_t second, int64_t third,
		    uint64_t ptr, int64_t fifth, char *why, size_t size)
{
	const struct dvk_ipc_args *a = &fake_dvk.last;

	snprintf(why, size, "%d calls; word 0x%x first %d second %lld third %lld ptr 0x%llx "
		 "fifth %lld; want word 0x%x first %lld second %lld third %lld ptr 0x%llx "
		 "fifth %lld", fake_dvk.calls - calls_before, a->call, a->first,
		 (long long)a->second, (long long)a->third, (unsigned long long)a->ptr,
		 (long long)a->fifth, DVK_CALL_WORD(nr), (long long)first, (long long)second,
		 (long long)third, (unsigned long long)ptr, (long long)fifth);
	return fake_dvk.calls == calls_before + 1 && a->call == (uint32_t)DVK_CALL_WORD(nr) &&
	       a->first == first && a->second == (uint64_t)second &&
	       a->third == (uint64_t)third && a->ptr == ptr && a->fifth == fifth;
}

/*
 * EXPECT(expr, kernel_ret, lib_ret, nr, first, second, third, ptr, fifth):
 * evaluate the library call expr with the fake kernel returning kernel_ret;
 * PASS if it made exactly that ipc() call and returned lib_ret.
 */
#define EXPECT(expr, kret, lret, nr, a1, a2, a3, p, a5) do {			\
	char _why[512];								\
	int _before = fake_dvk.calls;						\
	long _r;								\
	fake_dvk.ret = (kret);							\
	_r = (long)(expr);							\
	CHECK(#expr, call_was(_before, nr, a1, a2, a3, (uint64_t)(uintptr_t)(p), a5, \
			      _why, sizeof(_why)) && _r == (lret),		\
	      "returned %ld (want %ld); %s", _r, (long)(lret), _why);		\
} while (0)

static void test_calls(void)
{
	static char name[] = "rclient";
	message m, *mp = &m;
	dvs_usr_t dvs;
	dc_usr_t dc;
	proc_usr_t pu;
	priv_usr_t pv;
	int buf[4];
	pid_t tid = (pid_t)syscall(SYS_gettid);

	memset(&m, 0, sizeof(m));
	CHECK("dvk_open opens the (fake) /dev/dvk", dvk_open() >= 0 && fake_dvk.fd >= 0,
	      "fd %d", fake_dvk.fd);

	/* DVS and DC */
	EXPECT(dvk_dvs_init(3, &dvs), 3, 3, 24, 3, 0, 0, &dvs, 0);
	EXPECT(dvk_dvs_end(), 0, 0, 25, 0, 0, 0, 0, 0);
	EXPECT(dvk_getdvsinfo(&dvs), 5, 5, 27, 0, 0, 0, &dvs, 0);
	EXPECT(dvk_dc_init(&dc), 3, 3, 1, 0, 0, 0, &dc, 0);
	EXPECT(dvk_dc_end(4), 0, 0, 8, 4, 0, 0, 0, 0);
	EXPECT(dvk_getdcinfo(PROC_NO_PID, &dc), 0, 0, 14, -1, 0, 0, &dc, 0);

	/* binding: the macros of docs/original-dvk.md#the-user-library (bind returns the endpoint, maybe negative; dvk_bind
	 * passes pid -1, the calling thread, as the original did) */
	EXPECT(dvk_bind(0, 10), 10, 10, 9, SELF_BIND, 0, (uint64_t)(int64_t)PROC_NO_PID, 10, LOCALNODE);
	EXPECT(dvk_bind(0, SYSTASK(1)), -3, -3, 9, SELF_BIND, 0, (uint64_t)(int64_t)PROC_NO_PID, (uint64_t)(int64_t)-3,
	       LOCALNODE);
	EXPECT(dvk_tbind(1, 11), 11, 11, 9, SELF_BIND, 1, tid, 11, LOCALNODE);
	EXPECT(dvk_lclbind(0, 1234, 12), 12, 12, 9, LCL_BIND, 0, 1234, 12, LOCALNODE);
	EXPECT(dvk_rmtbind(0, name, 13, 2), 13, 13, 9, RMT_BIND, 0, (int64_t)(uintptr_t)name,
	       13, 2);
	EXPECT(dvk_bkupbind(0, 1234, 14, 2), 14, 14, 9, BKUP_BIND, 0, 1234, 14, 2);
	EXPECT(dvk_replbind(0, 1234, 15), 15, 15, 9, REPLICA_BIND, 0, 1234, 15, LOCALNODE);
	EXPECT(dvk_umbind(0, 1234, 16), 16, 16, 9, USERMODE_BIND, 0, 1234, 16, LOCALNODE);
	EXPECT(dvk_bind(0, 300), EDVSENDPOINT, EDVSENDPOINT, 9, SELF_BIND, 0, (uint64_t)(int64_t)PROC_NO_PID, 300,
	       LOCALNODE);
	EXPECT(dvk_unbind(0, 10), 0, 0, 10, 0, 10, TIMEOUT_FOREVER, 0, 0);
	EXPECT(dvk_unbind_T(0, 10, 250), 0, 0, 10, 0, 10, 250, 0, 0);
	EXPECT(dvk_getep(77), 10, 10, 26, 77, 0, 0, 0, 0);
	EXPECT(dvk_getep(78), -3, -3, 26, 78, 0, 0, 0, 0);
	EXPECT(dvk_getprocinfo(0, -3, &pu), 0, 0, 15, 0, -3, 0, &pu, 0);
	EXPECT(dvk_getpriv(0, 10, &pv), 0, 0, 11, 0, 10, 0, &pv, 0);
	EXPECT(dvk_setpriv(0, 10, &pv), 0, 0, 12, 0, 10, 0, &pv, 0);

	/* wait4bind and its macros */
	EXPECT(dvk_wait4bind(), 10, 10, 29, WAIT_BIND, SELF, TIMEOUT_FOREVER, 0, 0);
	EXPECT(dvk_wait4bind_T(2000), NONE, NONE, 29, WAIT_BIND, SELF, 2000, 0, 0);
	EXPECT(dvk_wait4bindep(12), 12, 12, 29, WAIT_BIND, 12, TIMEOUT_FOREVER, 0, 0);
	EXPECT(dvk_wait4bindep_T(12, 1000), EDVSTIMEDOUT, EDVSTIMEDOUT, 29, WAIT_BIND, 12,
	       1000, 0, 0);
	EXPECT(dvk_wait4unbind(12), 0, 0, 29, WAIT_UNBIND, 12, TIMEOUT_FOREVER, 0, 0);
	EXPECT(dvk_wait4unbind_T(12, 1000), 0, 0, 29, WAIT_UNBIND, 12, 1000, 0, 0);

	/* messages: a positive kernel result (bytes copied) maps to 0 */
	EXPECT(dvk_send(12, mp), 48, 0, 2, 12, 0, 0, mp, TIMEOUT_FOREVER);
	EXPECT(dvk_send_T(12, mp, 500), 0, 0, 2, 12, 0, 0, mp, 500);
	EXPECT(dvk_receive(ANY, mp), 0, 0, 3, ANY, 0, 0, mp, TIMEOUT_FOREVER);
	EXPECT(dvk_receive_T(ANY, mp, TIMEOUT_NOWAIT), EDVSAGAIN, EDVSAGAIN, 3, ANY, 0, 0, mp,
	       0);
	EXPECT(dvk_sendrec(12, mp), 36, 0, 5, 12, 0, 0, mp, TIMEOUT_FOREVER);
	EXPECT(dvk_sendrec_T(12, mp, 100), EDVSNOTBIND, EDVSNOTBIND, 5, 12, 0, 0, mp, 100);
	EXPECT(dvk_rcvrqst(mp), 0, 0, 6, 0, 0, 0, mp, TIMEOUT_FOREVER);
	EXPECT(dvk_rcvrqst_T(mp, 100), 0, 0, 6, 0, 0, 0, mp, 100);
	EXPECT(dvk_reply(12, mp), 0, 0, 7, 12, 0, 0, mp, TIMEOUT_FOREVER);
	EXPECT(dvk_reply_T(12, mp, 100), EDVSPROCSTS, EDVSPROCSTS, 7, 12, 0, 0, mp, 100);
	EXPECT(dvk_relay(12, mp), 0, 0, 16, 12, 0, 0, mp, 0);
	EXPECT(dvk_notify(12), 0, 0, 4, SELF, 12, HARDWARE, 0, 0);
	EXPECT(dvk_hdw_notify(2, 12), 0, 0, 4, HARDWARE, 12, 2, 0, 0);
	EXPECT(dvk_ntfy_value(10, 12, 7), 0, 0, 4, 10, 12, 7, 0, 0);
	EXPECT(dvk_src_notify(10, 12), 0, 0, 4, 10, 12, HARDWARE, 0, 0);
	EXPECT(dvk_notify_X(SELF, 12, 31), EDVSOVERRUN, EDVSOVERRUN, 4, SELF, 12, 31, 0, 0);
	EXPECT(dvk_vcopy(10, buf, 12, buf + 2, 8), 8, 8, 13, 10, (int64_t)(uintptr_t)buf, 12,
	       buf + 2, 8);
	EXPECT(dvk_wakeup(0, 12), 0, 0, 34, 0, 12, 0, 0, 0);

	CHECK("message fields and notify aliases of docs/original-dvk.md#message-layout (m1_i1 ... mC_ca1)",
	      touch_message_fields(&m) == 7 + (NOTIFY_MESSAGE | 3) + 1, "checksum");
	CHECK("struct field names of docs/original-dvk.md#user-visible-structures (d_*, dc_*, n_*, p_*, priv_*, px_*, c_*, v_*)",
	      touch_struct_fields() == 7, "checksum %ld", touch_struct_fields());
}

/* ---- 3. negative controls ------------------------------------------------------ */

static void test_negative(void)
{
	char why[512], cmd[512];
	int before = fake_dvk.calls, ok_build, bad_build;
	message m;
	FILE *f;

	/* the matcher rejects a call with the wrong number, or a missing call */
	fake_dvk.ret = 0;
	dvk_send(12, &m);
	CHECK("negative control: send is not mistaken for receive",
	      !call_was(before, DVK_RECEIVE, 12, 0, 0, (uintptr_t)&m, TIMEOUT_FOREVER, why,
			sizeof(why)), "matched");
	CHECK("negative control: a wrong timeout is noticed",
	      !call_was(before, DVK_SEND, 12, 0, 0, (uintptr_t)&m, 0, why, sizeof(why)),
	      "matched");
	CHECK("negative control: no call at all is noticed",
	      !call_was(fake_dvk.calls, DVK_SEND, 12, 0, 0, (uintptr_t)&m, TIMEOUT_FOREVER, why,
			sizeof(why)), "matched");

	/* this file builds as is, and not with one wrong constant */
	f = fopen("tests/unit/test_compat.c", "r");
	if (!f) {
		check_skip("negative control: a wrong constant breaks the build",
			   "run from the top of the tree");
		return;
	}
	fclose(f);
#define CC_LINE "${CC:-cc} -fsyntax-only -std=gnu11 -Wall -Wextra -Werror -Ikernel/include/uapi " \
	"-Ilib -Itests -Itests/unit/fake tests/unit/test_compat.c"
	ok_build = system(CC_LINE " >/dev/null 2>&1");
	snprintf(cmd, sizeof(cmd), CC_LINE " -DCOMPAT_NEGATIVE 2>&1 | "
		 "grep -q 'compat negative control'");
	bad_build = system(cmd);
	CHECK("negative control: a wrong constant breaks the build (and only it)",
	      ok_build == 0 && bad_build == 0,
	      "plain build status %d, grep of the negative build's error status %d",
	      ok_build, bad_build);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("# compile-time checks passed: constants, call numbers, errors, struct layout\n");
	test_calls();
	test_negative();
	return CHECK_EXIT();
}
