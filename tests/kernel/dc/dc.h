/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dc.h - what the parts of test_dc share: the DC the tests use, the slot
 * helpers of test_dc.c and the tests of dc/wait4bind.c (wait4bind and the
 * bind/exit race).
 */
#ifndef DVK_TESTS_DC_H
#define DVK_TESTS_DC_H

#define DCID	0

/* p_rts_flags of slot p_nr of DC dcid (of DCID), or the call's error */
long slot_flags_in(int dcid, int p_nr);
long slot_flags(int p_nr);
/* Wait up to ms for slot p_nr of DCID to become free; 1 if it did. */
int wait_free(int p_nr, int ms);

void test_wait4bind(void);
void test_bind_exit_race(void);

#endif /* DVK_TESTS_DC_H */
