/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * com/dvs_usr.h - an include name of the original DVK.  Everything the original
 * headers gave a user program is in dvk_compat.h (docs/user-api.md, "Porting
 * original DVK programs").
 */
#include "../../dvk_compat.h"
