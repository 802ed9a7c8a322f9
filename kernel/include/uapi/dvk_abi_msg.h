/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * dvk_abi_msg.h - the MINIX-style message and its field names (part of dvk.h).
 */
#ifndef _UAPI_DVK_ABI_MSG_H
#define _UAPI_DVK_ABI_MSG_H

#include <linux/types.h>

/* Time as carried in messages and proxy headers.  16 bytes. */
struct dvk_timespec {
	__s64	tv_sec;
	__s64	tv_nsec;
};

/* MINIX-style message.  48 bytes (8-byte header + 40-byte union). */
typedef struct { __s32 m1i1, m1i2, m1i3, m1pad; __u64 m1p1, m1p2, m1p3; } mess_1;
typedef struct { __s32 m2i1, m2i2, m2i3, m2pad; __s64 m2l1, m2l2; __u64 m2p1; } mess_2;
typedef struct { __s32 m3i1, m3i2; __u64 m3p1; char m3ca1[14]; char m3pad[2]; } mess_3;
typedef struct { __s64 m4l1, m4l2, m4l3, m4l4, m4l5; } mess_4;
typedef struct { __s16 m5c1, m5c2; __s32 m5i1, m5i2, m5pad; __s64 m5l1, m5l2, m5l3; } mess_5;
typedef struct { char m6ca1[sizeof(mess_3)]; } mess_6;
typedef struct { __s32 m7i1, m7i2, m7i3, m7i4; __u64 m7p1, m7p2; } mess_7;
typedef struct { __s32 m8i1, m8i2; __u64 m8p1, m8p2, m8p3, m8p4; } mess_8;
typedef struct { __s32 m9i1, m9i2; struct dvk_timespec m9t1; } mess_9;
typedef struct { __s32 mAdst, mAnr; __s32 mAia[4]; } mess_A;
typedef struct { __s64 mBl1; char mBmd5[16]; } mess_B;
typedef struct { __s32 mCi1, mCi2, mCi3, mCi4; char mCca1[10]; char mCpad[2]; } mess_C;

struct dvk_message {
	__s32	m_source;	/* always set by the kernel to the sender */
	__s32	m_type;
	union {
		mess_1 m_m1; mess_2 m_m2; mess_3 m_m3; mess_4 m_m4;
		mess_5 m_m5; mess_6 m_m6; mess_7 m_m7; mess_8 m_m8;
		mess_9 m_m9; mess_A m_mA; mess_B m_mB; mess_C m_mC;
	} m_u;
};
typedef struct dvk_message message;

#define m1_i1	m_u.m_m1.m1i1
#define m1_i2	m_u.m_m1.m1i2
#define m1_i3	m_u.m_m1.m1i3
#define m1_p1	m_u.m_m1.m1p1
#define m1_p2	m_u.m_m1.m1p2
#define m1_p3	m_u.m_m1.m1p3
#define m2_i1	m_u.m_m2.m2i1
#define m2_i2	m_u.m_m2.m2i2
#define m2_i3	m_u.m_m2.m2i3
#define m2_l1	m_u.m_m2.m2l1
#define m2_l2	m_u.m_m2.m2l2
#define m2_p1	m_u.m_m2.m2p1
#define m3_i1	m_u.m_m3.m3i1
#define m3_i2	m_u.m_m3.m3i2
#define m3_p1	m_u.m_m3.m3p1
#define m3_ca1	m_u.m_m3.m3ca1
#define m4_l1	m_u.m_m4.m4l1
#define m4_l2	m_u.m_m4.m4l2
#define m4_l3	m_u.m_m4.m4l3
#define m4_l4	m_u.m_m4.m4l4
#define m4_l5	m_u.m_m4.m4l5
#define m5_c1	m_u.m_m5.m5c1
#define m5_c2	m_u.m_m5.m5c2
#define m5_i1	m_u.m_m5.m5i1
#define m5_i2	m_u.m_m5.m5i2
#define m5_l1	m_u.m_m5.m5l1
#define m5_l2	m_u.m_m5.m5l2
#define m5_l3	m_u.m_m5.m5l3
#define m6_ca1	m_u.m_m6.m6ca1
#define m7_i1	m_u.m_m7.m7i1
#define m7_i2	m_u.m_m7.m7i2
#define m7_i3	m_u.m_m7.m7i3
#define m7_i4	m_u.m_m7.m7i4
#define m7_p1	m_u.m_m7.m7p1
#define m7_p2	m_u.m_m7.m7p2
#define m8_i1	m_u.m_m8.m8i1
#define m8_i2	m_u.m_m8.m8i2
#define m8_p1	m_u.m_m8.m8p1
#define m8_p2	m_u.m_m8.m8p2
#define m8_p3	m_u.m_m8.m8p3
#define m8_p4	m_u.m_m8.m8p4
#define m9_i1	m_u.m_m9.m9i1
#define m9_i2	m_u.m_m9.m9i2
#define m9_t1	m_u.m_m9.m9t1
#define mA_dst	m_u.m_mA.mAdst
#define mA_nr	m_u.m_mA.mAnr
#define mA_ia	m_u.m_mA.mAia
#define mB_l1	m_u.m_mB.mBl1
#define mB_md5	m_u.m_mB.mBmd5
#define mC_i1	m_u.m_mC.mCi1
#define mC_i2	m_u.m_mC.mCi2
#define mC_i3	m_u.m_mC.mCi3
#define mC_i4	m_u.m_mC.mCi4
#define mC_ca1	m_u.m_mC.mCca1

#define NOTIFY_SOURCE		m_source
#define NOTIFY_TYPE		m_type
#define NOTIFY_FLAGS		m9_i1
#define NOTIFY_ARG		m9_i2
#define NOTIFY_TIMESTAMP	m9_t1

/* Layout checks: these sizes are ABI. */
_Static_assert(sizeof(struct dvk_timespec) == 16, "dvk_timespec ABI");
_Static_assert(sizeof(message) == 48, "message ABI");

#endif /* _UAPI_DVK_ABI_MSG_H */
