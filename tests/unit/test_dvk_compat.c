// SPDX-License-Identifier: GPL-2.0
/*
 * test_dvk_compat.c - lib/dvk_compat.h without a kernel: the original-style
 * views against the ABI (layout, pointer fields, chunked bitmaps), the
 * original names and print formats (against literal expected text), and
 * the wrappers of the calls against a fake /dev/dvk (open() and ioctl()
 * replaced by fake/fake_dvk.c, as for test_compat.c): each must hand the kernel the
 * caller's own buffer and keep dvk_fd and local_nodeid.  Last, compile
 * checks: without the header `m.m1_p1 = buf;` does not build with -Werror
 * (the problem), with it it does, and an int in place of a message pointer
 * still does not.
 *
 * Host unit test, run by tests/run unit from the top of the tree.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dvk_compat.h"
#include "check.h"
#include "fake_dvk.h"

/* what original programs declare themselves (tests.h, stub_dvkcall.h) */
extern int dvk_fd;
extern int local_nodeid;
long dvk_open(void);
long dvk_send_T(int endpoint, message *mptr, long timeout);
long dvk_getpriv(int dcid, int endpoint, priv_usr_t *priv);

/* ---- 1. names and layout ---------------------------------------------------- */
_Static_assert(TRUE == 1 && FALSE == 0 && OK == 0, "com.h");
_Static_assert(DVK_DCINIT == 1 && DVK_DCEND == 8 && DVK_VOID1 == 0 && NR_DVK_CALLS == 35,
	       "dvk_calls.h");
_Static_assert(BITCHUNK_BITS == 16 && NR_SYS_CHUNKS == 4 && NR_DVK_CHUNKS == 3 &&
	       BITMAP_CHUNKS(32) == 2, "types.h");
_Static_assert(M3_STRING == 14 && MC_STRING == 10 && MD5_SIZE == 16 && SLOTS_BY_MSG == 4,
	       "ipc.h");
_Static_assert(MASK_ACKNOWLEDGE == 0x2000 && BIT_ACKNOWLEDGE == 13 && MIS_NEEDMIG == 0x8 &&
	       DVK_INITIALIZED == 0x100 && PROXY_NO_DC == -1 && CMD_LAST_CMD == 15,
	       "proxy_usr.h, proxy_sts.h, dvs_usr.h, cmd.h");
_Static_assert(sizeof(message) == 48 && sizeof(priv_usr_t) == 40 && sizeof(cmd_t) == 168 &&
	       sizeof(proxy_hdr_t) == 168 && sizeof(vcopy_t) == 40 &&
	       sizeof(proxy_payload_t) == MAXCOPYBUF, "sizes");
_Static_assert(offsetof(message, m1_p1) == 24 && offsetof(message, m8_p4) == 40 &&
	       offsetof(message, m9_t1) == 16 && offsetof(message, NOTIFY_ARG) == 12 &&
	       offsetof(message, m9_l1) == 12 && offsetof(message, mB_nr) == 8, "offsets");

static char area[64];	/* the pointers carried below point into it */

/* every pointer field of the message: set and read as char *, compared with
 * the __u64 the ABI view of the same bytes holds */
#define PTR_FIELD(f, k) do {							\
	message _m;								\
	struct dvk_message _a;							\
	char *_p;								\
	memset(&_m, 0, sizeof(_m));						\
	_m.f = area + (k);							\
	_p = _m.f;								\
	dvk_compat_msg_to_abi(&_a, &_m);					\
	ok = ok && _p == area + (k) && _a.f == (__u64)(uintptr_t)(area + (k));	\
	_a.f = (__u64)(uintptr_t)(area + (k) + 1);				\
	dvk_compat_msg_from_abi(&_m, &_a);					\
	ok = ok && _m.f == area + (k) + 1;					\
} while (0)

static void test_layout(void)
{
	struct dvk_message a;
	message m;
	int ok = 1;

	PTR_FIELD(m1_p1, 1); PTR_FIELD(m1_p2, 2); PTR_FIELD(m1_p3, 3);
	PTR_FIELD(m2_p1, 4); PTR_FIELD(m3_p1, 5); PTR_FIELD(m7_p1, 6);
	PTR_FIELD(m7_p2, 7); PTR_FIELD(m8_p1, 8); PTR_FIELD(m8_p2, 9);
	PTR_FIELD(m8_p3, 10); PTR_FIELD(m8_p4, 11);
	CHECK("all 11 pointer fields are char * holding the ABI's __u64 (both ways)", ok,
	      "a pointer field did not round-trip");

	memset(&a, 0, sizeof(a));
	a.m_source = 7; a.m_type = NOTIFY_MESSAGE | 3; a.m9_i1 = 5; a.m9_i2 = -4;
	a.m9_t1.tv_sec = 1700000000; a.m9_t1.tv_nsec = 123;
	dvk_compat_msg_from_abi(&m, &a);
	CHECK("notify fields: NOTIFY_FLAGS, m9_l1 (= NOTIFY_ARG), m9_t1 as struct timespec",
	      m.NOTIFY_SOURCE == 7 && m.NOTIFY_FLAGS == 5 && m.m9_l1 == -4 &&
	      m.NOTIFY_ARG == -4 && m.NOTIFY_TIMESTAMP.tv_sec == (time_t)1700000000 &&
	      m.m9_t1.tv_nsec == 123, "got %d %d %d %ld", m.NOTIFY_SOURCE, m.NOTIFY_FLAGS,
	      m.m9_l1, (long)m.m9_t1.tv_sec);
	a.m4_l1 = -5; a.m4_l5 = 1LL << 40;
	dvk_compat_msg_from_abi(&m, &a);
	CHECK("long fields are the ABI's __s64 (m4_l1, m4_l5)",
	      m.m4_l1 == -5L && m.m4_l5 == 1L << 40, "got %ld %ld", m.m4_l1, m.m4_l5);
	CHECK("DVK_ABI_MSG gives the same address for every accepted type",
	      (void *)DVK_ABI_MSG(&m) == (void *)&m && (void *)DVK_ABI_MSG(&a) == (void *)&a &&
	      (void *)DVK_ABI_MSG((long)&m) == (void *)&m &&
	      (void *)DVK_ABI_MSG((void *)&m) == (void *)&m, "address changed");
}

/* ---- 2. chunked bitmaps ----------------------------------------------------- */
static __u64 abi_ipc_to(const priv_usr_t *p)
{
	struct priv_usr u;

	memcpy(&u, p, sizeof(u));
	return u.priv_ipc_to;
}

static __u64 abi_allowed(const priv_usr_t *p)
{
	struct priv_usr u;

	memcpy(&u, p, sizeof(u));
	return u.priv_dvk_allowed;
}

static void test_bitmaps(void)
{
	priv_usr_t p;
	__u64 map = 0;
	int ok = 1, bit;

	memset(&p, 0, sizeof(p));
	for (bit = 0; bit < NR_SYS_PROCS; bit++) {
		set_sys_bit(p.priv_ipc_to, bit);
		ok = ok && abi_ipc_to(&p) == 1ULL << bit && get_sys_bit(p.priv_ipc_to, bit) &&
		     !get_sys_bit(p.priv_ipc_to, (bit + 1) % NR_SYS_PROCS);
		unset_sys_bit(p.priv_ipc_to, bit);
		ok = ok && abi_ipc_to(&p) == 0 && !get_sys_bit(p.priv_ipc_to, bit);
	}
	CHECK("set/get/unset_sys_bit on priv_ipc_to: bit n of the ABI's __u64, n = 0..63", ok,
	      "bit %d", bit);
	ok = 1;
	for (bit = 0; bit < NR_DVK_CHUNKS * BITCHUNK_BITS; bit++) {
		set_sys_bit(p.priv_dvk_allowed, bit);
		ok = ok && abi_allowed(&p) == 1ULL << bit;
		unset_sys_bit(p.priv_dvk_allowed, bit);
	}
	CHECK("set/unset_sys_bit on priv_dvk_allowed: bit n of the ABI's __u64, n = 0..47", ok,
	      "bit %d", bit);
	p.priv_ipc_to.chunk[2] = 0x8001;
	CHECK("chunk[2] is bits 32..47", abi_ipc_to(&p) == 0x800100000000ULL &&
	      get_sys_bit(p.priv_ipc_to, 32) && get_sys_bit(p.priv_ipc_to, 47) &&
	      p.priv_ipc_to.map == 0x800100000000ULL, "map %llx",
	      (unsigned long long)abi_ipc_to(&p));
	SET_SYS_MAP(p.priv_ipc_to);
	SET_DVK_MAP(p.priv_dvk_allowed);
	CHECK("SET_SYS_MAP / SET_DVK_MAP", abi_ipc_to(&p) == ~0ULL &&
	      abi_allowed(&p) == 0xFFFFFFFFFFFFULL, "%llx %llx",
	      (unsigned long long)abi_ipc_to(&p), (unsigned long long)abi_allowed(&p));
	CLR_SYS_MAP(p.priv_ipc_to);
	CLR_DVK_MAP(p.priv_dvk_allowed);
	set_node_bit(p.priv_ipc_from, 3);
	CHECK("CLR_SYS_MAP / CLR_DVK_MAP, set_node_bit", abi_ipc_to(&p) == 0 &&
	      abi_allowed(&p) == 0 && get_node_bit(p.priv_ipc_from, 3) &&
	      p.priv_ipc_from.map == 8, "not cleared");
	SET_BIT(map, 40);
	ok = TEST_BIT(map, 40) && map == 1ULL << 40;
	CLR_BIT(map, 40);
	CHECK("SET_BIT / TEST_BIT / CLR_BIT on a 64-bit bitmap, MIN, MAX",
	      ok && map == 0 && MIN(3, -2) == -2 && MAX(3, -2) == 3, "map %llx",
	      (unsigned long long)map);
}

/* ---- 3. print formats --------------------------------------------------------- */
#define FMT_IS(name, want, ...) do {						\
	char _b[512];								\
	snprintf(_b, sizeof(_b), __VA_ARGS__);					\
	CHECK(name, !strcmp(_b, want), "got [%s] want [%s]", _b, want);		\
} while (0)

static void test_formats(void)
{
	dvs_usr_t d = { .d_name = "COMPAT", .d_nr_dcs = 32, .d_nr_nodes = 32, .d_nr_procs = 221,
			.d_nr_tasks = 35, .d_nr_sysprocs = 64, .d_max_copybuf = 65536,
			.d_max_copylen = 1048576, .d_version = 202202, .d_size_proc = 1024,
			.d_dbglvl = 0xFFFFFF, .d_flags = 0x102 };
	dc_usr_t c = { .dc_dcid = 1, .dc_nr_procs = 221, .dc_nr_tasks = 35, .dc_nr_sysprocs = 64,
		       .dc_nr_nodes = 32, .dc_flags = DC_FREE, .dc_nodes = 0x5, .dc_name = "DC1",
		       .dc_warn2proc = NONE, .dc_warnmsg = 9, .dc_cpumask = 0x3 };
	node_usr_t n = { .n_nodeid = 2, .n_proxies = 1, .n_flags = 0xE, .n_dcs = 0x3,
			 .n_name = "node2", .n_stimestamp = 5000000007LL, .n_rtimestamp = 12 };
	proc_usr_t u = { .p_nr = 10, .p_endpoint = 10, .p_dcid = 0, .p_rts_flags = RECEIVING,
			 .p_misc_flags = MIS_GRPLEADER, .p_lpid = 680, .p_vpid = 4, .p_nodeid = 0,
			 .p_name = "server", .p_getfrom = ANY, .p_sendto = NONE,
			 .p_waitmigr = NONE, .p_waitunbind = NONE, .p_proxy = NONE,
			 .p_lclsent = 3, .p_rmtsent = 1, .p_lclcopy = 2, .p_rmtcopy = 0,
			 .p_cpumask = 0xF, .p_nodemap = 1 };
	priv_usr_t v = { .priv_id = 45, .priv_warn = NONE, .priv_level = SERVER_PRIV };
	proxies_usr_t x = { .px_id = 1, .px_flags = 7, .px_maxbytes = 65536, .px_maxbcmds = 0,
			    .px_name = "node1" };
	cmd_t h = { .c_cmd = CMD_SEND_ACK, .c_dcid = 0, .c_src = 10, .c_dst = 11, .c_snode = 1,
		    .c_dnode = 0, .c_rcode = -310, .c_len = 0, .c_pid = 99, .c_batch_nr = 2,
		    .c_flags = 0x5, .c_snd_seq = 8, .c_ack_seq = 7,
		    .c_timestamp = { .tv_sec = 17, .tv_nsec = 3 },
		    .c_vcopy = { .v_src = 10, .v_dst = 11, .v_rqtr = 12,
				 .v_saddr = (void *)0x1000, .v_daddr = (void *)0x2000,
				 .v_bytes = 4096 } };
	struct timespec ts = { .tv_sec = 4, .tv_nsec = 5 };
	message m, *mp = &m;
	struct dvk_message a;
	char abuf[512], cbuf[512];

	FMT_IS("DVS_USR_FORMAT", "d_name=COMPAT d_nr_dcs=32 d_nr_nodes=32 d_nr_procs=221 "
	       "d_nr_tasks=35 d_nr_sysprocs=64\n", DVS_USR_FORMAT, DVS_USR_FIELDS(&d));
	FMT_IS("DVS_MAX_FORMAT", "d_max_copybuf=65536 d_max_copylen=1048576\n",
	       DVS_MAX_FORMAT, DVS_MAX_FIELDS(&d));
	FMT_IS("DVS_VER_FORMAT", "d_dbglvl=FFFFFF version=202202 flags=102 sizeof(proc)=1024\n",
	       DVS_VER_FORMAT, DVS_VER_FIELDS(&d));
	FMT_IS("DC_USR_FORMAT", "dc_dcid=1 dc_nr_procs=221 dc_nr_tasks=35 dc_nr_sysprocs=64 "
	       "dc_nr_nodes=32 flags=2 dc_nodes=5 dc_name=DC1\n", DC_USR_FORMAT,
	       DC_USR_FIELDS(&c));
	FMT_IS("DC_WARN_FORMAT", "dc_dcid=1 dc_warn2proc=27342 dc_warnmsg=9\n", DC_WARN_FORMAT,
	       DC_WARN_FIELDS(&c));
	FMT_IS("DC_CPU_FORMAT", "dc_dcid=1 dc_cpumask=3 dc_name=DC1\n", DC_CPU_FORMAT,
	       DC_CPU_FIELDS(&c));
	FMT_IS("NODE_USR_FORMAT", "n_nodeid=2 n_proxies=1 n_flags=E n_dcs=3 n_name=node2\n",
	       NODE_USR_FORMAT, NODE_USR_FIELDS(&n));
	FMT_IS("NODE_TIME_FORMAT (ns split into sec/nsec)", "n_nodeid=2 n_name=node2 "
	       "n_stime_sec=5 n_stime_nsec=7 n_rtime_sec=0 n_rtime_nsec=12\n", NODE_TIME_FORMAT,
	       NODE_TIME_FIELDS(&n));
	FMT_IS("PROC_USR_FORMAT", "nr=10 endp=10 dcid=0 flags=8 misc=20 lpid=680 vpid=4 "
	       "nodeid=0 name=server\n", PROC_USR_FORMAT, PROC_USR_FIELDS(&u));
	FMT_IS("PROC_WAIT_FORMAT", "endp=10 dcid=0 flags=8 p_getfrom=31438 p_sendto=27342 "
	       "p_waitmigr=27342 p_waitunbind=27342 p_proxy=27342\n", PROC_WAIT_FORMAT,
	       PROC_WAIT_FIELDS(&u));
	FMT_IS("PROC_COUNT_FORMAT", "nr=10 endp=10 dcid=0 p_lclsent=3 p_rmtsent=1 p_lclcopy=2 "
	       "p_rmtcopy=0\n", PROC_COUNT_FORMAT, PROC_COUNT_FIELDS(&u));
	FMT_IS("PROC_CPU_FORMAT", "nr=10 endp=10 dcid=0 lpid=680 p_cpumask=F nodemap=1 "
	       "name=server\n", PROC_CPU_FORMAT, PROC_CPU_FIELDS(&u));
	FMT_IS("PRIV_USR_FORMAT", "priv_id=45 priv_warn=27342 priv_level=1\n", PRIV_USR_FORMAT,
	       PRIV_USR_FIELDS(&v));
	FMT_IS("PX_USR_FORMAT", "px_id=1 px_flags=7 px_maxbytes=65536 px_maxbcmds=0 "
	       "px_name=node1\n", PX_USR_FORMAT, PX_USR_FIELDS(&x));
	FMT_IS("TIME_FORMAT", "TIMESTAMP sec=4 nsec=5\n", TIME_FORMAT, TIME_FIELDS(&ts));
	FMT_IS("CMD_FORMAT (= HDR_FORMAT)", "cmd=0x2001 dcid=0 src=10 dst=11 snode=1 dnode=0 "
	       "rcode=-310 len=0 PID=99\n", HDR_FORMAT, HDR_FIELDS(&h));
	FMT_IS("CMD_XFORMAT", "c_batch_nr=2 c_flags=0x5 c_snd_seq=8 c_ack_seq=7 "
	       "c_timestamp.tv_sec=17\n", CMD_XFORMAT, CMD_XFIELDS(&h));
	FMT_IS("VCOPY_FORMAT", "src=10 dst=11 rqtr=12 saddr=0x1000 daddr=0x2000 bytes=4096\n",
	       VCOPY_FORMAT, VCOPY_FIELDS(&h));

	memset(&m, 0, sizeof(m));
	m.m_source = 10; m.m_type = 0x0A;
	m.m1_i1 = 1; m.m1_i2 = 2; m.m1_i3 = -3;
	m.m1_p1 = (char *)0x1000; m.m1_p2 = (char *)0x2000; m.m1_p3 = (char *)0xbeef;
	FMT_IS("MSG1_FORMAT", "source=10 type=10 m1i1=1 m1i2=2 m1i3=-3 m1p1=0x1000 m1p2=0x2000 "
	       "m1p3=0xbeef\n", MSG1_FORMAT, MSG1_FIELDS(mp));
	dvk_compat_msg_to_abi(&a, &m);
	snprintf(abuf, sizeof(abuf), MSG1_FORMAT, MSG1_FIELDS(&a));
	snprintf(cbuf, sizeof(cbuf), MSG1_FORMAT, MSG1_FIELDS(&m));
	CHECK("MSG1_FIELDS prints the ABI view of the same bytes alike", !strcmp(abuf, cbuf),
	      "[%s] vs [%s]", abuf, cbuf);
	m.m2_l1 = -7; m.m2_l2 = 1L << 33; m.m2_p1 = (char *)0x30;
	FMT_IS("MSG2_FORMAT", "source=10 type=10 m2i1=1 m2i2=2 m2i3=-3 m2l1=-7 m2l2=8589934592 "
	       "m2p1=0x30\n", MSG2_FORMAT, MSG2_FIELDS(mp));
	memset(&m.m_u, 0, sizeof(m.m_u));
	m.m3_i1 = 4; m.m3_i2 = 5; m.m3_p1 = (char *)0x40;
	memcpy(m.m3_ca1, "fourteen chars", M3_STRING);	/* no NUL: the precision stops it */
	FMT_IS("MSG3_FORMAT (m3ca1 without a NUL)", "source=10 type=10 m3i1=4 m3i2=5 m3p1=0x40 "
	       "m3ca1=[fourteen chars]\n", MSG3_FORMAT, MSG3_FIELDS(mp));
	m.m4_l1 = 1; m.m4_l2 = 2; m.m4_l3 = 3; m.m4_l4 = 4; m.m4_l5 = -5;
	FMT_IS("MSG4_FORMAT", "source=10 type=10 m4l1=1 m4l2=2 m4l3=3 m4l4=4 m4l5=-5\n",
	       MSG4_FORMAT, MSG4_FIELDS(mp));
	m.m5_c1 = 65; m.m5_c2 = -1; m.m5_i1 = 6; m.m5_i2 = 7; m.m5_l1 = 8; m.m5_l2 = 9;
	m.m5_l3 = 10;
	FMT_IS("MSG5_FORMAT", "source=10 type=10 m5c1=65 m5c2=-1 m5i1=6 m5i2=7 m5l1=8 m5l2=9 "
	       "m5l3=10\n", MSG5_FORMAT, MSG5_FIELDS(mp));
	memset(&m.m_u, 0, sizeof(m.m_u));
	strcpy(m.m6_ca1, "six");
	FMT_IS("MSG6_FORMAT", "source=10 type=10 m6ca1=[six]\n", MSG6_FORMAT, MSG6_FIELDS(mp));
	m.m7_i1 = 1; m.m7_i2 = 2; m.m7_i3 = 3; m.m7_i4 = 4; m.m7_p1 = area; m.m7_p2 = NULL;
	snprintf(abuf, sizeof(abuf), "source=10 type=10 m7i1=1 m7i2=2 m7i3=3 m7i4=4 m7p1=%p "
		 "m7p2=%p\n", (void *)area, (void *)NULL);
	FMT_IS("MSG7_FORMAT", abuf, MSG7_FORMAT, MSG7_FIELDS(mp));
	m.m8_i1 = 1; m.m8_i2 = 2; m.m8_p1 = (char *)0x10; m.m8_p2 = (char *)0x20;
	m.m8_p3 = (char *)0x30; m.m8_p4 = (char *)0x40;
	FMT_IS("MSG8_FORMAT", "source=10 type=10 m8i1=1 m8i2=2 m8p1=0x10 m8p2=0x20 m8p3=0x30 "
	       "m8p4=0x40\n", MSG8_FORMAT, MSG8_FIELDS(mp));
	m.m9_i1 = 4; m.m9_l1 = 2; m.m9_t1.tv_sec = 100; m.m9_t1.tv_nsec = 5;
	FMT_IS("MSG9_FORMAT", "source=10 type=10 m9i1=4 m9l1=2 m9t1.tv_sec=100 m9t1.tv_nsec=5\n",
	       MSG9_FORMAT, MSG9_FIELDS(mp));
	m.mA_dst = 3; m.mA_nr = 4; m.mA_ia[0] = 5; m.mA_ia[1] = 6; m.mA_ia[2] = 7;
	m.mA_ia[3] = 8;
	FMT_IS("MSGA_FORMAT", "source=10 type=10 dest=3 mAnr=4 mAia[0]=5 mAia[1]=6 mAia[2]=7 "
	       "mAia[3]=8\n", MSGA_FORMAT, MSGA_FIELDS(mp));
	m.mB_nr = 77;
	memcpy(m.mB_md5, "0123456789abcdef", MD5_SIZE);
	FMT_IS("MSGB_FORMAT (mB_nr, md5 without a NUL)", "source=10 type=10 mBnr=77 "
	       "mBmd5=[0123456789abcdef]\n", MSGB_FORMAT, MSGB_FIELDS(mp));
	memset(&m.m_u, 0, sizeof(m.m_u));
	m.mC_i1 = 1; m.mC_i2 = 2; m.mC_i3 = 3; m.mC_i4 = 4; strcpy(m.mC_ca1, "nine char");
	FMT_IS("MSGC_FORMAT", "source=10 type=10 mCi1=1 mCi2=2 mCi3=3 mCi4=4 mCca1=[nine char]\n",
	       MSGC_FORMAT, MSGC_FIELDS(mp));
}

/* ---- 4. the wrappers against a fake /dev/dvk ------------------------------------ */
/* one call nr reached the fake kernel, with these arguments, and expr returned lret */
#define CALLED(expr, kret, lret, nr, a1, a2, a3, p, a5) do {			\
	int _before = fake_dvk.calls;						\
	long _r;								\
	fake_dvk.ret = (kret);							\
	_r = (long)(expr);							\
	CHECK(#expr, fake_dvk.calls == _before + 1 &&				\
	      fake_dvk.last.call == (uint32_t)DVK_CALL_WORD(nr) &&			\
	      fake_dvk.last.first == (a1) && fake_dvk.last.second == (uint64_t)(int64_t)(a2) && \
	      fake_dvk.last.third == (uint64_t)(int64_t)(a3) &&			\
	      fake_dvk.last.ptr == (uint64_t)(uintptr_t)(p) && fake_dvk.last.fifth == (a5) && \
	      _r == (lret), "returned %ld (want %ld); %d calls, word 0x%x first %d "	\
	      "second %lld third %lld ptr 0x%llx fifth %lld", _r, (long)(lret),	\
	      fake_dvk.calls - _before, fake_dvk.last.call, fake_dvk.last.first,		\
	      (long long)fake_dvk.last.second, (long long)fake_dvk.last.third,		\
	      (unsigned long long)fake_dvk.last.ptr, (long long)fake_dvk.last.fifth);	\
} while (0)

static void test_calls(void)
{
	static proxy_payload_t payload;
	message m, *m_ptr = &m;
	struct dvk_message sent;
	priv_usr_t pv;
	cmd_t h;
	dvs_usr_t dvs;
	char *p;

	memset(&m, 0, sizeof(m));
	memset(&pv, 0, sizeof(pv));
	memset(&h, 0, sizeof(h));
	CHECK("dvk_open() returns OK and sets dvk_fd, as the original",
	      dvk_open() == OK && dvk_fd >= 0 && dvk_fd == fake_dvk.fd, "dvk_fd %d fake %d", dvk_fd,
	      fake_dvk.fd);

	CALLED(dvk_getdvsinfo(&dvs), 5, 5, DVK_GETDVSINFO, 0, 0, 0, &dvs, 0);
	CHECK("dvk_getdvsinfo() sets local_nodeid", local_nodeid == 5, "%d", local_nodeid);
	CALLED(dvk_dvs_init(3, &dvs), 3, 3, DVK_DVSINIT, 3, 0, 0, &dvs, 0);
	CHECK("dvk_dvs_init() sets local_nodeid", local_nodeid == 3, "%d", local_nodeid);

	m.m1_p1 = area;
	CALLED(dvk_send(12, m_ptr), 48, 0, DVK_SEND, 12, 0, 0, &m, TIMEOUT_FOREVER);
	CALLED(dvk_send(12, (long)m_ptr), 0, 0, DVK_SEND, 12, 0, 0, &m, TIMEOUT_FOREVER);
	CALLED(dvk_send_T(12, &m, 500), 0, 0, DVK_SEND, 12, 0, 0, &m, 500);
	CALLED(dvk_sendrec(12, (long)m_ptr), 0, 0, DVK_SENDREC, 12, 0, 0, &m, TIMEOUT_FOREVER);
	CALLED(dvk_sendrec_T(12, m_ptr, 30000), EDVSTIMEDOUT, EDVSTIMEDOUT, DVK_SENDREC, 12, 0,
	       0, &m, 30000);
	CALLED(dvk_rcvrqst(m_ptr), 0, 0, DVK_RCVRQST, 0, 0, 0, &m, TIMEOUT_FOREVER);
	CALLED(dvk_rcvrqst_T(m_ptr, 100), 0, 0, DVK_RCVRQST, 0, 0, 0, &m, 100);
	CALLED(dvk_reply(12, m_ptr), 0, 0, DVK_REPLY, 12, 0, 0, &m, TIMEOUT_FOREVER);
	CALLED(dvk_reply_T(12, m_ptr, 100), 0, 0, DVK_REPLY, 12, 0, 0, &m, 100);
	CALLED(dvk_relay(12, m_ptr), 0, 0, DVK_RELAY, 12, 0, 0, &m, 0);
	CALLED(dvk_notify(12), 0, 0, DVK_NOTIFY, SELF, 12, HARDWARE, 0, 0);

	/* what a receive brings: the kernel writes the ABI bytes, the program reads char * */
	memset(&sent, 0, sizeof(sent));
	sent.m_source = 11; sent.m_type = 0x0B;
	sent.m1_p1 = (__u64)(uintptr_t)(area + 9);
	fake_dvk.deliver = &sent;
	CALLED(dvk_receive(ANY, m_ptr), 0, 0, DVK_RECEIVE, ANY, 0, 0, &m, TIMEOUT_FOREVER);
	fake_dvk.deliver = NULL;
	p = m.m1_p1;
	CHECK("receive: the sender's m1_p1 comes out as the same char *", p == area + 9 &&
	      m.m_source == 11 && m.m_type == 0x0B, "p %p want %p", (void *)p,
	      (void *)(area + 9));
	CALLED(dvk_receive_T(ANY, m_ptr, TIMEOUT_NOWAIT), EDVSAGAIN, EDVSAGAIN, DVK_RECEIVE,
	       ANY, 0, 0, &m, 0);

	CALLED(dvk_getpriv(0, 10, &pv), 0, 0, DVK_GETPRIV, 0, 10, 0, &pv, 0);
	CALLED(dvk_setpriv(0, 10, &pv), 0, 0, DVK_SETPRIV, 0, 10, 0, &pv, 0);
	CALLED(dvk_get2rmt(&h, &payload), 0, 0, DVK_GET2RMT, 0, (uintptr_t)&h,
	       (uintptr_t)&payload, 0, HELLO_PERIOD);
	CALLED(dvk_get2rmt_T(&h, &payload, 10), EDVSTIMEDOUT, EDVSTIMEDOUT, DVK_GET2RMT, 0,
	       (uintptr_t)&h, (uintptr_t)&payload, 0, 10);
	CALLED(dvk_put2lcl(&h, &payload), 0, 0, DVK_PUT2LCL, 0, (uintptr_t)&h,
	       (uintptr_t)&payload, 0, 0);
	CALLED(dvk_migrate_X(MIGR_START, PROC_NO_PID, 0, 10, PROC_NO_PID), 0, 0, DVK_MIGRATE,
	       MIGR_START, PROC_NO_PID, 0, 10, PROC_NO_PID);
	CALLED(dvk_migr_rollback(0, 10), 0, 0, DVK_MIGRATE, MIGR_ROLLBACK, PROC_NO_PID, 0, 10,
	       PROC_NO_PID);
	CALLED(dvk_delnode(0, 2), 0, 0, DVK_DELNODE, 0, 2, 0, 0, 0);
	CALLED(dvk_addnode(0, 2), 0, 0, DVK_ADDNODE, 0, 2, 0, 0, 0);

	dvk_close();
	CHECK("dvk_close() resets dvk_fd", dvk_fd == -1, "%d", dvk_fd);
}

/* ---- 5. what builds and what does not ----------------------------------------- */
#define CC_FLAGS "${CC:-cc} -fsyntax-only -std=gnu11 -Wall -Wextra -Werror " \
	"-Ikernel/include/uapi -Ilib -x c - >/dev/null 2>&1"

static int builds(const char *src)
{
	FILE *f = popen(CC_FLAGS, "w");

	if (!f)
		return -1;
	fputs(src, f);
	return pclose(f) == 0;
}

/* Programs for the compile checks: whether each builds with -Werror. */
static const struct {
	const char *name, *src;
	int builds;
} cases[] = {
	{ "without dvk_compat.h, `m.m1_p1 = buf;` does not build with -Werror (the problem)",
	  "#include \"libdvk.h\"\nint main(void) { message m; char b[4];\n"
	  "m.m1_p1 = b; return (int)m.m1_p1; }\n", 0 },
	{ "with dvk_compat.h, `m.m1_p1 = buf; char *p = m.m1_p1;` builds with -Werror",
	  "#include \"dvk_compat.h\"\nint main(void) { message m; char b[4];\n"
	  "m.m1_p1 = b; char *p = m.m1_p1; return p != b; }\n", 1 },
	{ "the original include names build (com/com.h, com/ipc.h, com/stub_dvkcall.h ...)",
	  "#include \"dvk-compat/com/com.h\"\n#include \"dvk-compat/com/ipc.h\"\n"
	  "#include \"dvk-compat/com/priv_usr.h\"\n"
	  "#include \"dvk-compat/com/stub_dvkcall.h\"\n"
	  "#include \"dvk-compat/dvk/dvk_ioparm.h\"\n"
	  "int main(void) { priv_usr_t p = {0}; message m = {0};\n"
	  "set_sys_bit(p.priv_ipc_to, 3); m.m8_p4 = (char *)&p;\n"
	  "return (int)dvk_send(1, &m) + get_sys_bit(p.priv_ipc_to, 3); }\n", 1 },
	{ "an int in place of a message pointer does not build (a truncated pointer)",
	  "#include \"dvk_compat.h\"\nint main(void) { message m; int x = (int)(long)&m;"
	  "\nreturn (int)dvk_send(1, x); }\n", 0 },
	{ "a pointer of another type in place of a message pointer does not build",
	  "#include \"dvk_compat.h\"\nint main(void) { int x[12];\n"
	  "return (int)dvk_sendrec(1, x); }\n", 0 },
};

static void test_builds(void)
{
	FILE *f = fopen("lib/dvk_compat.h", "r");

	if (!f) {
		check_skip("compile checks", "run from the top of the tree");
		return;
	}
	fclose(f);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		CHECK(cases[i].name, builds(cases[i].src) == cases[i].builds, "%s",
		      cases[i].builds ? "it did not" : "it built");
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("# compile-time checks passed: original names, every view field at its ABI offset\n");
	test_layout();
	test_bitmaps();
	test_formats();
	test_calls();
	test_builds();
	return CHECK_EXIT();
}
