/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * dvk_compat.h - build programs written for the original DVK unchanged, on
 * top of this project's fixed-width ABI (kernel/include/uapi/dvk.h) and
 * libdvk (lib/libdvk.h).  Include it instead of the original headers (or
 * through the thin headers of lib/dvk-compat/ that carry their names:
 * com/com.h, com/ipc.h, com/stub_dvkcall.h, ...), in every file of the
 * program.  docs/user-api.md, "Porting original DVK programs", lists what
 * it gives and what still differs.
 *
 * The pointer fields of messages (decision).  The ABI carries them as
 * __u64 so that the 48-byte message is the same for 32- and 64-bit callers,
 * but the original declared them char *, so `m.m1_p1 = buf;` and
 * `char *p = m.m1_p1;` warn with GCC 12 and are errors with GCC 14.  This
 * header does not touch the ABI: it declares its own message type,
 * dvk_compat_message, with the original's C types (char * for m*p*, long for
 * m*l*, struct timespec for m9_t1) at exactly the offsets and sizes of the
 * ABI message, checked field by field with _Static_assert below, and makes
 * the name `message` (and mess_1 ...) mean that type from here on.  On
 * x86_64 (LP64) a pointer is the 8 bytes of the __u64, so the bytes the
 * kernel copies are the same; the wrappers below hand the buffer to libdvk
 * as the ABI type.  The fields are plain pointers, not a union with the
 * __u64: assignment, reading, arithmetic, indexing, %p/%s and initializers
 * then mean what they meant in the original; the fixed-width view of the
 * same bytes is the ABI type itself (DVK_ABI_MSG(), dvk_compat_msg_to_abi()).
 * The same is done for priv_usr_t (the ipc_to/ipc_from/dvk_allowed bitmaps
 * become unions of bitchunk_t chunk[] and the __u64, for get_sys_bit() and
 * friends) and for cmd_t/vcopy_t (embedded message, void * copy addresses,
 * unsigned long sequence numbers, struct timespec timestamp).  Only LP64
 * little-endian targets can have such a view: elsewhere this header stops
 * with #error and programs use libdvk.h with casts.
 *
 * Names this header defines as macros: message, mess_1 .. mess_B (those
 * whose C types differ), priv_usr_t, cmd_t, proxy_hdr_t, vcopy_t, and the
 * library calls that take them (dvk_send_T ..., dvk_getpriv, dvk_setpriv,
 * dvk_get2rmt_T, dvk_put2lcl), plus dvk_open/dvk_close/dvk_getdvsinfo/
 * dvk_dvs_init, which also keep the original globals dvk_fd and
 * local_nodeid.  `struct dvk_message`, `struct priv_usr` and `struct cmd_s`
 * stay the ABI types.
 */
#ifndef DVK_COMPAT_H
#define DVK_COMPAT_H

#ifdef __cplusplus
#error "dvk_compat.h is for C programs (it relies on C11 _Generic)"
#endif

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <sys/types.h>
#include "libdvk.h"

#if !defined(__SIZEOF_POINTER__) || __SIZEOF_POINTER__ != 8 || __SIZEOF_LONG__ != 8
#error "dvk_compat.h: the original-style views need an LP64 target (x86_64); use libdvk.h"
#endif
#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "dvk_compat.h: the bitchunk_t view of the __u64 bitmaps needs a little-endian target"
#endif

/* ---- com.h, config.h, ipc.h, proxy_usr.h, ...: names the ABI lacks ------ */
#ifndef TRUE
#define TRUE			1
#endif
#ifndef FALSE
#define FALSE			0
#endif
#define DVK_FILE_NAME		DVK_DEVICE
/* the same tokens as glibc's <sys/param.h>, so either may come first */
#ifndef MIN
#define MIN(a,b) (((a)<(b))?(a):(b))
#endif
#ifndef MAX
#define MAX(a,b) (((a)>(b))?(a):(b))
#endif
/* one bit of an integer bitmap (dc_nodes, n_dcs, p_nodemap: 64 bits here) */
#define SET_BIT(bitmap, bit_nr)		((bitmap) |= (1ULL << (bit_nr)))
#define CLR_BIT(bitmap, bit_nr)		((bitmap) &= ~(1ULL << (bit_nr)))
#define TEST_BIT(bitmap, bit_nr)	((bitmap) & (1ULL << (bit_nr)))

#define DVK_VOID1		DVK_VOID0
#define DVK_DCINIT		DVK_DC_INIT
#define DVK_DCEND		DVK_DC_END
#define NR_DVK_CALLS		DVK_NR_CALLS
#define DEBUGALL		0xFFFFFFFF
#define DVS_CAPABILITIES	1

#define DVS_RUNNING		0x00
#define DVS_NO_INIT		(-1)
#define DVS_BIT_IPC		0
#define DVS_BIT_IOCTL		1
#define DVS_BIT_USERMODE	2
#define DVS_BIT_INITIALIZED	8
#define DVK_INITIALIZED		DVS_INITIALIZED

#define NODE_RUNNING		0x00
#define NODE_BIT_ATTACHED	1
#define NODE_BIT_SCONNECTED	2
#define NODE_BIT_RCONNECTED	3

#define PROC_RUNNING		0x00
#define GENERIC_PROC		0
#define MIS_NEEDMIG		MIS_NEEDMIGR	/* the original's spelling */

#define PX_BIT_INUSE		0
#define PX_BIT_SCONNECTED	1
#define PX_BIT_RCONNECTED	2
#define PROXY_NO_DC		(-1)
#define NO_PROXIES		(-1)
#define PROXY_NO_REPLY		0
#define PROXY_REPLY		1
#define BIT_ACKNOWLEDGE		13
#define MASK_ACKNOWLEDGE	CMD_ACKNOWLEDGE
#define FLAG_BATCH_BIT		0
#define FLAG_LZ4_BIT		1
#define CMD_LAST_CMD		(CMD_PROCUNBIND + 1)
#define ETHERNET_MTU		1500
#define IPV4_HEADER		20
#define UPD_HEADER		8
#define MAXMTUSIZE		(ETHERNET_MTU - (IPV4_HEADER + UPD_HEADER))
#define MAXBUFSIZE		((int)(ETHERNET_MTU - (IPV4_HEADER + UPD_HEADER + PROXY_HEADER)))

#define M1			1
#define M3			3
#define M4			4
#define M3_STRING		14
#define MD5_SIZE		16
#define MC_STRING		10	/* M3_STRING - sizeof(int), as an int */
#define MINIX_MSG		1
#define SLOTS_BY_MSG		4

/* ---- types.h and macros.h: bitmaps as arrays of 16-bit chunks ------------ */
typedef unsigned short bitchunk_t;
typedef short dvk_id_t;

/* ints, so that `for (int i = 0; i < NR_SYS_CHUNKS; i++)` builds with -Wextra */
#define DVK_CHAR_BITS		8
#define BITCHUNK_BITS		((int)(sizeof(bitchunk_t) * DVK_CHAR_BITS))
#define BITMAP_CHUNKS(nr_bits)	(((nr_bits) + BITCHUNK_BITS - 1) / BITCHUNK_BITS)
#define NR_SYS_CHUNKS		BITMAP_CHUNKS(NR_SYS_PROCS)	/* 4 */
#define NR_DVK_CHUNKS		BITMAP_CHUNKS(NR_DVK_CALLS)	/* 3 */

/* chunk[i] holds bits 16*i .. 16*i+15 of the ABI's __u64 (little-endian) */
typedef union {
	bitchunk_t chunk[NR_SYS_CHUNKS];
	__u64 map;
} ipc_map_t;
typedef union {
	bitchunk_t chunk[NR_DVK_CHUNKS];
	__u64 map;
} dvk_map_t;

#define MAP_CHUNK(map, bit)	((map)[(bit) / BITCHUNK_BITS])
#define CHUNK_OFFSET(bit)	((bit) % BITCHUNK_BITS)
#define DVK__CHUNK_BIT(bit)	((bitchunk_t)(1U << CHUNK_OFFSET(bit)))
/* get_sys_bit is non-zero when the bit is set, as in the original */
#define get_sys_bit(map, bit)	(MAP_CHUNK((map).chunk, bit) & DVK__CHUNK_BIT(bit))
#define set_sys_bit(map, bit)	(MAP_CHUNK((map).chunk, bit) |= DVK__CHUNK_BIT(bit))
#define unset_sys_bit(map, bit)	(MAP_CHUNK((map).chunk, bit) &= (bitchunk_t)~DVK__CHUNK_BIT(bit))
#define get_node_bit(map, bit)		get_sys_bit(map, bit)
#define set_node_bit(map, bit)		set_sys_bit(map, bit)
#define unset_node_bit(map, bit)	unset_sys_bit(map, bit)

#define DVK__FILL_MAP(map, n, v) do {						\
	for (int _i = 0; _i < (n); _i++)					\
		(map).chunk[_i] = (bitchunk_t)(v);				\
} while (0)
#define CLR_SYS_MAP(map)	DVK__FILL_MAP(map, NR_SYS_CHUNKS, 0)
#define SET_SYS_MAP(map)	DVK__FILL_MAP(map, NR_SYS_CHUNKS, ~0U)
#define CLR_DVK_MAP(map)	DVK__FILL_MAP(map, NR_DVK_CHUNKS, 0)
#define SET_DVK_MAP(map)	DVK__FILL_MAP(map, NR_DVK_CHUNKS, ~0U)

/* ---- the message with the original's C types ----------------------------- */
typedef struct { int m1i1, m1i2, m1i3, m1pad; char *m1p1, *m1p2, *m1p3; } dvk_compat_mess_1;
typedef struct { int m2i1, m2i2, m2i3, m2pad; long m2l1, m2l2; char *m2p1; } dvk_compat_mess_2;
typedef struct {
	int m3i1, m3i2;
	char *m3p1;
	char m3ca1[M3_STRING];
	char m3pad[2];
} dvk_compat_mess_3;
typedef struct { long m4l1, m4l2, m4l3, m4l4, m4l5; } dvk_compat_mess_4;
typedef struct {
	short m5c1, m5c2;
	int m5i1, m5i2, m5pad;
	long m5l1, m5l2, m5l3;
} dvk_compat_mess_5;
typedef struct { int m7i1, m7i2, m7i3, m7i4; char *m7p1, *m7p2; } dvk_compat_mess_7;
typedef struct { int m8i1, m8i2; char *m8p1, *m8p2, *m8p3, *m8p4; } dvk_compat_mess_8;
typedef struct { int m9i1, m9i2; struct timespec m9t1; } dvk_compat_mess_9;
typedef struct { long mBl1; char mBmd5[MD5_SIZE]; } dvk_compat_mess_B;

typedef struct {
	int m_source;		/* always set by the kernel to the sender */
	int m_type;
	union {
		dvk_compat_mess_1 m_m1;
		dvk_compat_mess_2 m_m2;
		dvk_compat_mess_3 m_m3;
		dvk_compat_mess_4 m_m4;
		dvk_compat_mess_5 m_m5;
		mess_6 m_m6;		/* mess_6, mess_A, mess_C: the ABI's own */
		dvk_compat_mess_7 m_m7;
		dvk_compat_mess_8 m_m8;
		dvk_compat_mess_9 m_m9;
		mess_A m_mA;
		dvk_compat_mess_B m_mB;
		mess_C m_mC;
	} m_u;
} dvk_compat_message;

/* the original's names of two fields the ABI calls m9_i2 and mB_l1 */
#define m9_l1	m_u.m_m9.m9i2
#define mB_nr	m_u.m_mB.mBl1

/* Every field at the ABI's offset with the ABI's size. */
#define DVK__SAME(T1, T2, f1, f2)						\
	_Static_assert(offsetof(T1, f1) == offsetof(T2, f2) &&			\
		       sizeof(((T1 *)0)->f1) == sizeof(((T2 *)0)->f2),		\
		       "dvk_compat.h: " #T1 "." #f1 " differs from the ABI")
#define DVK__SAME_MSG(f)	DVK__SAME(dvk_compat_message, struct dvk_message, f, f)

_Static_assert(sizeof(dvk_compat_message) == sizeof(struct dvk_message) &&
	       _Alignof(dvk_compat_message) == _Alignof(struct dvk_message),
	       "dvk_compat.h: message size");
_Static_assert(sizeof(struct timespec) == sizeof(struct dvk_timespec) &&
	       offsetof(struct timespec, tv_nsec) == offsetof(struct dvk_timespec, tv_nsec),
	       "dvk_compat.h: struct timespec is not two 64-bit words");
DVK__SAME_MSG(m_source); DVK__SAME_MSG(m_type); DVK__SAME_MSG(m_u);
DVK__SAME_MSG(m1_i1); DVK__SAME_MSG(m1_i2); DVK__SAME_MSG(m1_i3);
DVK__SAME_MSG(m1_p1); DVK__SAME_MSG(m1_p2); DVK__SAME_MSG(m1_p3);
DVK__SAME_MSG(m2_i1); DVK__SAME_MSG(m2_i2); DVK__SAME_MSG(m2_i3);
DVK__SAME_MSG(m2_l1); DVK__SAME_MSG(m2_l2); DVK__SAME_MSG(m2_p1);
DVK__SAME_MSG(m3_i1); DVK__SAME_MSG(m3_i2); DVK__SAME_MSG(m3_p1); DVK__SAME_MSG(m3_ca1);
DVK__SAME_MSG(m4_l1); DVK__SAME_MSG(m4_l2); DVK__SAME_MSG(m4_l3);
DVK__SAME_MSG(m4_l4); DVK__SAME_MSG(m4_l5);
DVK__SAME_MSG(m5_c1); DVK__SAME_MSG(m5_c2); DVK__SAME_MSG(m5_i1); DVK__SAME_MSG(m5_i2);
DVK__SAME_MSG(m5_l1); DVK__SAME_MSG(m5_l2); DVK__SAME_MSG(m5_l3);
DVK__SAME_MSG(m6_ca1);
DVK__SAME_MSG(m7_i1); DVK__SAME_MSG(m7_i2); DVK__SAME_MSG(m7_i3); DVK__SAME_MSG(m7_i4);
DVK__SAME_MSG(m7_p1); DVK__SAME_MSG(m7_p2);
DVK__SAME_MSG(m8_i1); DVK__SAME_MSG(m8_i2); DVK__SAME_MSG(m8_p1); DVK__SAME_MSG(m8_p2);
DVK__SAME_MSG(m8_p3); DVK__SAME_MSG(m8_p4);
DVK__SAME_MSG(m9_i1); DVK__SAME_MSG(m9_i2); DVK__SAME_MSG(m9_t1);
DVK__SAME_MSG(mA_dst); DVK__SAME_MSG(mA_nr); DVK__SAME_MSG(mA_ia);
DVK__SAME_MSG(mB_l1); DVK__SAME_MSG(mB_md5);
DVK__SAME_MSG(mC_i1); DVK__SAME_MSG(mC_i2); DVK__SAME_MSG(mC_i3); DVK__SAME_MSG(mC_i4);
DVK__SAME_MSG(mC_ca1);

/* ---- priv_usr_t with chunked bitmaps ------------------------------------- */
typedef struct {
	dvk_id_t priv_id;
	short	priv_pad0;
	int	priv_warn;
	int	priv_level;
	int	priv_trap_mask;
	ipc_map_t priv_ipc_from;	/* system slots: 64 bits */
	ipc_map_t priv_ipc_to;
	dvk_map_t priv_dvk_allowed;	/* DVK call numbers */
} dvk_compat_priv_usr_t;

#define DVK__SAME_PRIV(f)	DVK__SAME(dvk_compat_priv_usr_t, struct priv_usr, f, f)
_Static_assert(sizeof(dvk_compat_priv_usr_t) == sizeof(struct priv_usr) &&
	       _Alignof(dvk_compat_priv_usr_t) == _Alignof(struct priv_usr),
	       "dvk_compat.h: priv_usr_t size");
DVK__SAME_PRIV(priv_id); DVK__SAME_PRIV(priv_warn); DVK__SAME_PRIV(priv_level);
DVK__SAME_PRIV(priv_trap_mask); DVK__SAME_PRIV(priv_ipc_from); DVK__SAME_PRIV(priv_ipc_to);
DVK__SAME_PRIV(priv_dvk_allowed);
_Static_assert(sizeof(bitchunk_t) * NR_SYS_CHUNKS == sizeof(__u64) &&
	       sizeof(bitchunk_t) * NR_DVK_CHUNKS <= sizeof(__u64),
	       "dvk_compat.h: the chunks must fit the ABI's __u64 bitmaps");

/* ---- cmd_t and vcopy_t (proxies) ------------------------------------------ */
typedef struct {
	int	v_src, v_dst, v_rqtr, v_pad0;
	void	*v_saddr;
	void	*v_daddr;
	long	v_bytes;
} dvk_compat_vcopy_t;

typedef struct {
	int	c_cmd, c_dcid, c_src, c_dst, c_snode, c_dnode, c_rcode, c_len, c_pid;
	int	c_batch_nr;
	unsigned long c_flags, c_snd_seq, c_ack_seq;
	struct timespec c_timestamp;
	dvk_compat_message c_msg;
	dvk_compat_vcopy_t c_vcopy;
} dvk_compat_cmd_t;

#define DVK__SAME_CMD(f)	DVK__SAME(dvk_compat_cmd_t, struct cmd_s, f, f)
_Static_assert(sizeof(dvk_compat_cmd_t) == sizeof(struct cmd_s) &&
	       _Alignof(dvk_compat_cmd_t) == _Alignof(struct cmd_s) &&
	       sizeof(dvk_compat_vcopy_t) == sizeof(struct vcopy_s), "dvk_compat.h: cmd_t size");
DVK__SAME_CMD(c_cmd); DVK__SAME_CMD(c_dcid); DVK__SAME_CMD(c_src); DVK__SAME_CMD(c_dst);
DVK__SAME_CMD(c_snode); DVK__SAME_CMD(c_dnode); DVK__SAME_CMD(c_rcode); DVK__SAME_CMD(c_len);
DVK__SAME_CMD(c_pid); DVK__SAME_CMD(c_batch_nr); DVK__SAME_CMD(c_flags);
DVK__SAME_CMD(c_snd_seq); DVK__SAME_CMD(c_ack_seq); DVK__SAME_CMD(c_timestamp);
DVK__SAME_CMD(c_msg); DVK__SAME_CMD(c_vcopy); DVK__SAME_CMD(c_vcopy.v_src);
DVK__SAME_CMD(c_vcopy.v_dst); DVK__SAME_CMD(c_vcopy.v_rqtr); DVK__SAME_CMD(c_vcopy.v_saddr);
DVK__SAME_CMD(c_vcopy.v_daddr); DVK__SAME_CMD(c_vcopy.v_bytes);

/* From here on the original names mean the views above. */
#define message		dvk_compat_message
#define mess_1		dvk_compat_mess_1
#define mess_2		dvk_compat_mess_2
#define mess_3		dvk_compat_mess_3
#define mess_4		dvk_compat_mess_4
#define mess_5		dvk_compat_mess_5
#define mess_7		dvk_compat_mess_7
#define mess_8		dvk_compat_mess_8
#define mess_9		dvk_compat_mess_9
#define mess_B		dvk_compat_mess_B
#define priv_usr_t	dvk_compat_priv_usr_t
#define vcopy_t		dvk_compat_vcopy_t
#define cmd_t		dvk_compat_cmd_t
#define proxy_hdr_t	dvk_compat_cmd_t

/* a proxy's payload buffer (get2rmt/put2lcl) */
typedef union {
	dvk_compat_cmd_t pay_cmd[MAXBATCMD];
	char pay_data[MAXCOPYBUF];
} proxy_payload_t;

/* ---- between the views ------------------------------------------------------ */
/*
 * DVK_ABI_MSG(m): m as the ABI's struct dvk_message *.  Accepts a message *
 * of either view, void *, or a pointer carried in a long (the original's
 * call macros cast the message pointer to an integer, so programs wrote
 * `dvk_sendrec(ep, (long) m_ptr)`); any other type, an int that cannot hold
 * a pointer among them, does not build.
 */
#define DVK__TO(T, x)	((T)(uintptr_t)(x))
#define DVK_ABI_MSG(m) _Generic((m),						\
	dvk_compat_message *: DVK__TO(struct dvk_message *, m),			\
	struct dvk_message *: DVK__TO(struct dvk_message *, m),			\
	void *: DVK__TO(struct dvk_message *, m),				\
	long: DVK__TO(struct dvk_message *, m),					\
	unsigned long: DVK__TO(struct dvk_message *, m))

/* copies between the two views (no aliasing questions) */
static inline void dvk_compat_msg_to_abi(struct dvk_message *dst, const dvk_compat_message *src)
{
	memcpy(dst, src, sizeof(*dst));
}

static inline void dvk_compat_msg_from_abi(dvk_compat_message *dst, const struct dvk_message *src)
{
	memcpy(dst, src, sizeof(*dst));
}

/* ---- the original library's globals ---------------------------------------- */
/*
 * int dvk_fd, int local_nodeid: defined weak here (libdvk keeps its
 * descriptor to itself), so every file of a program may include this header
 * and `extern int dvk_fd;` still links.  dvk_open() stores the descriptor
 * in dvk_fd; dvk_getdvsinfo() and dvk_dvs_init() store the node id they
 * return in local_nodeid.  libdvk itself never reads them: a program that
 * opens DVK_FILE_NAME itself just has a second descriptor.
 */
__attribute__((weak)) int dvk_fd = -1;
__attribute__((weak)) int local_nodeid = -1;

/* ---- the calls whose types or names differ ---------------------------------- */
/* The original dvk_open() returned OK (0), not the descriptor. */
static inline long dvk_compat_open(void)
{
	int fd = dvk_open();

	if (fd < 0)
		return fd;
	dvk_fd = fd;
	return OK;
}

static inline void dvk_compat_close(void)
{
	dvk_close();
	dvk_fd = -1;
}

static inline long dvk_compat_getdvsinfo(dvs_usr_t *d)
{
	long r = dvk_getdvsinfo(d);

	if (r >= 0)
		local_nodeid = (int)r;
	return r;
}

static inline long dvk_compat_dvs_init(int nodeid, dvs_usr_t *d)
{
	long r = dvk_dvs_init(nodeid, d);

	if (r >= 0)
		local_nodeid = (int)r;
	return r;
}

#define DVK__ABI(T, p)	((T *)(void *)(p))

static inline long dvk_compat_send_T(int ep, dvk_compat_message *m, long timeout)
{
	return dvk_send_T(ep, DVK__ABI(struct dvk_message, m), timeout);
}

static inline long dvk_compat_receive_T(int ep, dvk_compat_message *m, long timeout)
{
	return dvk_receive_T(ep, DVK__ABI(struct dvk_message, m), timeout);
}

static inline long dvk_compat_sendrec_T(int ep, dvk_compat_message *m, long timeout)
{
	return dvk_sendrec_T(ep, DVK__ABI(struct dvk_message, m), timeout);
}

static inline long dvk_compat_rcvrqst_T(dvk_compat_message *m, long timeout)
{
	return dvk_rcvrqst_T(DVK__ABI(struct dvk_message, m), timeout);
}

static inline long dvk_compat_reply_T(int ep, dvk_compat_message *m, long timeout)
{
	return dvk_reply_T(ep, DVK__ABI(struct dvk_message, m), timeout);
}

static inline long dvk_compat_relay(int ep, dvk_compat_message *m)
{
	return dvk_relay(ep, DVK__ABI(struct dvk_message, m));
}

static inline long dvk_compat_getpriv(int dcid, int ep, dvk_compat_priv_usr_t *u)
{
	return dvk_getpriv(dcid, ep, DVK__ABI(struct priv_usr, u));
}

static inline long dvk_compat_setpriv(int dcid, int ep, dvk_compat_priv_usr_t *u)
{
	return dvk_setpriv(dcid, ep, DVK__ABI(struct priv_usr, u));
}

static inline long dvk_compat_get2rmt_T(dvk_compat_cmd_t *h, void *payload, long timeout)
{
	return dvk_get2rmt_T(DVK__ABI(struct cmd_s, h), payload, timeout);
}

static inline long dvk_compat_put2lcl(dvk_compat_cmd_t *h, void *payload)
{
	return dvk_put2lcl(DVK__ABI(struct cmd_s, h), payload);
}

/*
 * The function names become the wrappers (object-like macros, so a
 * function pointer or a repeated prototype still works); the call macros
 * of the original take the message through DVK_ABI_MSG, as loosely typed as
 * the original's `(int) m` cast but refusing what cannot be a pointer.
 */
#define dvk_open		dvk_compat_open
#define dvk_close		dvk_compat_close
#define dvk_getdvsinfo		dvk_compat_getdvsinfo
#define dvk_dvs_init		dvk_compat_dvs_init
#define dvk_send_T		dvk_compat_send_T
#define dvk_receive_T		dvk_compat_receive_T
#define dvk_sendrec_T		dvk_compat_sendrec_T
#define dvk_rcvrqst_T		dvk_compat_rcvrqst_T
#define dvk_reply_T		dvk_compat_reply_T
#define dvk_getpriv		dvk_compat_getpriv
#define dvk_setpriv		dvk_compat_setpriv
#define dvk_get2rmt_T		dvk_compat_get2rmt_T
#define dvk_put2lcl		dvk_compat_put2lcl
#define dvk_relay		dvk_compat_relay
#define dvk_migrate_X		dvk_migrate		/* same arguments */
#define dvk_delnode		dvk_del_node		/* the original header's name */
#define dvk_addnode		dvk_add_node

#define DVK__MSGP(m)		((dvk_compat_message *)(void *)DVK_ABI_MSG(m))
#undef dvk_send
#undef dvk_receive
#undef dvk_sendrec
#undef dvk_rcvrqst
#undef dvk_reply
#undef dvk_get2rmt
#define dvk_send(dst_ep, m)		dvk_compat_send_T(dst_ep, DVK__MSGP(m), TIMEOUT_FOREVER)
#define dvk_receive(src_ep, m)		dvk_compat_receive_T(src_ep, DVK__MSGP(m), TIMEOUT_FOREVER)
#define dvk_sendrec(srcdst_ep, m)	dvk_compat_sendrec_T(srcdst_ep, DVK__MSGP(m), TIMEOUT_FOREVER)
#define dvk_rcvrqst(m)			dvk_compat_rcvrqst_T(DVK__MSGP(m), TIMEOUT_FOREVER)
#define dvk_reply(dst_ep, m)		dvk_compat_reply_T(dst_ep, DVK__MSGP(m), TIMEOUT_FOREVER)
#define dvk_get2rmt(header, payload)	dvk_compat_get2rmt_T(header, payload, HELLO_PERIOD)

#include "dvk_compat_fmt.h"

#endif /* DVK_COMPAT_H */
