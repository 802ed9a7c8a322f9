/* SPDX-License-Identifier: GPL-2.0 */
/* params.h - the dvs_init and dc_init parameters the kernel tests use. */
#ifndef DVK_TESTS_PARAMS_H
#define DVK_TESTS_PARAMS_H

#include "libdvk.h"

/* a DVS of the usual limits named name */
dvs_usr_t dvs_params(const char *name);
/* DC dcid of the usual limits named name, warning no process */
dc_usr_t dc_params(int dcid, const char *name);

#endif /* DVK_TESTS_PARAMS_H */
