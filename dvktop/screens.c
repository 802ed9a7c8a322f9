// SPDX-License-Identifier: GPL-2.0
/* screens.c - the list of dvktop's screens (screen.h). */
#include <string.h>
#include "screen.h"

const struct dvk_screen *const dvk_screens[] = {
	&dvk_screen_calls,
	&dvk_screen_endpoints,
	&dvk_screen_proxies,
	NULL,
};

const struct dvk_screen *dvk_screen_for_key(int key)
{
	for (int i = 0; dvk_screens[i]; i++)
		if (key > 0 && key < 0x80 && strchr(dvk_screens[i]->keys, key))
			return dvk_screens[i];
	return NULL;
}
