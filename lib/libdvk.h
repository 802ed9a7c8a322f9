/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * libdvk.h - the C user API of DVK, with the original DVK function names.
 *
 * Return convention (as the original libdvk): 0 or a positive value on
 * success, a negative EDVS code on failure.  Calls that return endpoints
 * (bind, getep, wait4bind) fail only below EDVSERRCODE, since kernel-task
 * endpoints are negative.
 *
 * The library opens /dev/dvk on first use; dvk_open() may be called first
 * to get a clear error early.  Errors are silent unless the environment
 * variable DVK_LIBDEBUG is set, then each failure prints
 * "ERROR: <pid>:<func>:<line>: rcode=<n> (<name>)" on stderr as the
 * original library did.
 */
#ifndef LIBDVK_H
#define LIBDVK_H

#include <stdint.h>
#include <dvk.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Transport */
int dvk_open(void);
void dvk_close(void);
long dvk_ipc(int nr, int first, uint64_t second, uint64_t third, uint64_t ptr, int64_t fifth);
long dvk_ipc_word(uint32_t word, int first, uint64_t second, uint64_t third, uint64_t ptr,
		  int64_t fifth);

/* DVS */
long dvk_dvs_init(int nodeid, dvs_usr_t *dvsu_ptr);
long dvk_dvs_end(void);
long dvk_getdvsinfo(dvs_usr_t *dvsu_ptr);

/* Names */
const char *dvk_strerror(int code);	/* "EDVSNOTBIND (-310): process not bound" */
const char *dvk_errname(int code);	/* "EDVSNOTBIND", or NULL if unknown */
const char *dvk_callname(int nr);	/* "sendrec", or "invalid" */

#ifdef __cplusplus
}
#endif

#endif /* LIBDVK_H */
