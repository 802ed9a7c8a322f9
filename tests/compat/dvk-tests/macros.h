/* SPDX-License-Identifier: GPL-2.0 */
/*
 * macros.h - the error and debug macros every original DVK program
 * directory carries for itself (they are not part of the DVK headers).
 */
#ifndef COMPAT_TESTS_MACROS_H
#define COMPAT_TESTS_MACROS_H

#define ERROR_PRINT(rcode) do {							\
	fprintf(stderr, "ERROR: %d:%s:%u: rcode=%d\n", getpid(), __func__,	\
		__LINE__, (int)(rcode));					\
	fflush(stderr);								\
} while (0)

#define ERROR_EXIT(rcode) do {							\
	ERROR_PRINT(rcode);							\
	exit(1);								\
} while (0)

#define ERROR_RETURN(rcode) do {						\
	ERROR_PRINT(rcode);							\
	return (rcode);								\
} while (0)

#define USRDEBUG(text, ...) do {						\
	printf(text, ##__VA_ARGS__);						\
	fflush(stdout);								\
} while (0)

#endif /* COMPAT_TESTS_MACROS_H */
