// SPDX-License-Identifier: GPL-2.0
/* screens.c - the list of dvktop's screens (screen.h). */
#include <stdint.h>
#include <string.h>
#include "screen.h"

const struct dvk_screen *const dvk_screens[] = {
	&dvk_screen_calls,
	&dvk_screen_endpoints,
	&dvk_screen_proxies,
	&dvk_screen_waits,
	NULL,
};

const struct dvk_screen *dvk_screen_for_key(int key)
{
	for (int i = 0; dvk_screens[i]; i++)
		if (key > 0 && key < 0x80 && strchr(dvk_screens[i]->keys, key))
			return dvk_screens[i];
	return NULL;
}

struct dvk_table *dvk_screen_table(const struct dvk_screen *sc, const struct dvk_model *m)
{
	/* the views hold the model; a screen only names which of its tables */
	return (struct dvk_table *)((uintptr_t)m + sc->table);
}

void dvk_screen_text_rows(FILE *f, const struct dvk_table *t,
			  void (*row)(const void *row, char *buf, size_t len))
{
	char line[512];

	for (int i = 0; i < t->nrows; i++) {
		row(dvk_table_row(t, i), line, sizeof(line));
		fprintf(f, "%s\n", line);
	}
}

void dvk_screen_json_rows(FILE *f, const char *name, const struct dvk_table *t,
			  void (*row)(FILE *f, const void *row))
{
	fprintf(f, ",\"%s\":[", name);
	for (int i = 0; i < t->nrows; i++) {
		if (i)
			fprintf(f, ",");
		row(f, dvk_table_row(t, i));
	}
	fprintf(f, "]");
}
