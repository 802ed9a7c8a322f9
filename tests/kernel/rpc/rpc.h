/* SPDX-License-Identifier: GPL-2.0 */
/* rpc.h - what test_rpc.c shares with its part rpc/notify.c. */
#ifndef DVK_TESTS_RPC_H
#define DVK_TESTS_RPC_H

/* the parent's go to after_go_receive children: a byte on sync_pipe */
extern int sync_pipe[2];
void go(void);
/* child: wait for go(), then report what receive(src, 0) gives */
long after_go_receive(int src);
/* child: sleep ms, return 0 */
long sleep_a_bit(int ms);

void test_notify(void);

#endif /* DVK_TESTS_RPC_H */
