/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * dvk_usdt.h - the USDT probes of libdvk (docs/probes.md, "User-space probes
 * in libdvk").  Every public call that goes into the kernel fires
 *   dvk:CALL__entry   with the C arguments of its function, as it starts
 *   dvk:CALL__return  with the value it returns, as it ends
 * CALL being the call's DVK name (DVK_CALL_LIST: sendrec, bind...); the
 * raw calls dvk_ipc() and dvk_ipc_word() fire dvk:ipc__entry/return.  A
 * call fires one pair: the named ones enter through dvk_kcall(), unprobed.
 *
 * No semaphores and no clock reads: a probe nobody attached is one nop,
 * and its arguments are operands already in registers.  Tools time a call
 * from its two probes.  -DDVK_NO_USDT compiles them out (make bench's
 * baseline, build/bench/nousdt/).
 */
#ifndef DVK_USDT_H
#define DVK_USDT_H

#ifdef DVK_NO_USDT
#define DVK_USDT(call, where, ...)	do { } while (0)
#else
/* STAP_PROBEV counts the arguments (up to 12); sdt.h has it only on request */
#define SDT_USE_VARIADIC 1
#include <sys/sdt.h>
#define DVK_USDT(call, where, ...)	STAP_PROBEV(dvk, call##__##where, ##__VA_ARGS__)
#endif

#define DVK_USDT_ENTRY(call, ...)	DVK_USDT(call, entry, ##__VA_ARGS__)
#define DVK_USDT_RETURN(call, ret)	DVK_USDT(call, return, ret)

#endif /* DVK_USDT_H */
