/* SPDX-License-Identifier: LGPL-2.1 */
/* libdvk_private.h - helpers shared by the library's own files. */
#ifndef LIBDVK_PRIVATE_H
#define LIBDVK_PRIVATE_H

#include <stdint.h>
#include "dvk_usdt.h"

void dvk_report(const char *func, int line, long rcode);
/* dvk_ipc() without its probes, for the calls that have their own (not exported) */
__attribute__((visibility("hidden")))
long dvk_kcall(int nr, int first, uint64_t second, uint64_t third, uint64_t ptr, int64_t fifth);

/* DVK_NR_sendrec == DVK_SENDREC: call numbers by the names the probes carry */
#define _DVK_NR_BY_NAME(nr, name)	DVK_NR_##name = (nr),
enum { DVK_CALL_LIST(_DVK_NR_BY_NAME) };

/*
 * Every public call is DVK_ENTRY(call, its arguments...); then
 * DVK_RETURN(call, the expression that makes the kernel call): the probes
 * dvk:call__entry and dvk:call__return bracket the whole call, failure
 * report included.  call is a name of DVK_CALL_LIST (else this fails to
 * compile), so the probe names are the kernel's call names.
 */
#define DVK_ENTRY(call, ...)	DVK_USDT_ENTRY(call, ##__VA_ARGS__)

/* Return rcode, reporting it first when it is a failure of the call. */
#define DVK_RETURN(call, rcode) do {					\
	long _r = (rcode);						\
	if (dvk_call_failed(DVK_NR_##call, _r))				\
		dvk_report(__func__, __LINE__, _r);			\
	DVK_USDT_RETURN(call, _r);					\
	return _r;							\
} while (0)

#define DVK_PTR(p)	((uint64_t)(uintptr_t)(p))

#endif /* LIBDVK_PRIVATE_H */
