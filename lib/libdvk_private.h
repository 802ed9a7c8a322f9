/* SPDX-License-Identifier: LGPL-2.1 */
/* libdvk_private.h - helpers shared by the library's own files. */
#ifndef LIBDVK_PRIVATE_H
#define LIBDVK_PRIVATE_H

#include <stdint.h>

void dvk_report(const char *func, int line, long rcode);

/* Return rcode, reporting it first when it is a failure of call nr. */
#define DVK_RETURN(nr, rcode) do {					\
	long _r = (rcode);						\
	if (dvk_call_failed((nr), _r))					\
		dvk_report(__func__, __LINE__, _r);			\
	return _r;							\
} while (0)

#define DVK_PTR(p)	((uint64_t)(uintptr_t)(p))

#endif /* LIBDVK_PRIVATE_H */
