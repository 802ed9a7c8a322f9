// SPDX-License-Identifier: GPL-2.0
/*
 * help.c - the text of the TUI's help window, from the screens (screen.h):
 * the keys that show them, their sort columns, their 1 2 3 keys and the
 * legend of their columns, so that a new screen appears in it by itself.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "screen.h"
#include "dvk_version.h"	/* DVK_PACKAGE_VERSION, from VERSION */

static void help_add(char lines[][DVK_HELP_WIDTH], int *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void help_add(char lines[][DVK_HELP_WIDTH], int *n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (*n < DVK_HELP_LINES)
		vsnprintf(lines[(*n)++], DVK_HELP_WIDTH, fmt, ap);
	va_end(ap);
}

/* The help lines on the screens: their keys, sort columns, 1 2 3 keys. */
static void help_screens(struct dvk_model *m, char lines[][DVK_HELP_WIDTH], int *n)
{
	char keys[32] = "", names[96] = "", more[32] = "";

	for (int i = 0; dvk_screens[i]; i++) {
		const struct dvk_screen *sc = dvk_screens[i];

		for (const char *k = sc->keys; *k; k++)
			snprintf(keys + strlen(keys), sizeof(keys) - strlen(keys), "%c ", *k);
		snprintf(names + strlen(names), sizeof(names) - strlen(names), "%s%s",
			 i ? " / " : "", sc->name);
		if (strlen(sc->keys) == 2)
			snprintf(more, sizeof(more), " (%c and %c)", sc->keys[0], sc->keys[1]);
	}
	help_add(lines, n, "  %-12s%s view%s", keys, names, more);
	help_add(lines, n, "  Tab         next view");
	help_add(lines, n, "  s / S       sort by the next / previous column:");
	for (int i = 0; dvk_screens[i]; i++) {
		const struct dvk_table_class *cls = dvk_screen_table(dvk_screens[i], m)->cls;
		char cols[DVK_HELP_WIDTH] = "";

		for (int k = 0; k < cls->ncolumns; k++)
			snprintf(cols + strlen(cols), sizeof(cols) - strlen(cols), "%s%s",
				 k ? " " : "", dvk_table_key_name(cls, k));
		help_add(lines, n, "              %c%s: %s", dvk_screens[i]->name[0] | 0x20,
			 dvk_screens[i]->name + 1, cols);
	}
	for (int i = 0, first = 1; dvk_screens[i]; i++)
		if (dvk_screens[i]->quick_help) {
			help_add(lines, n, "  %-12s%s", first ? "1 2 3" : "",
				 dvk_screens[i]->quick_help);
			first = 0;
		}
}

int dvk_help_text(struct dvk_model *m, char lines[][DVK_HELP_WIDTH])
{
	int n = 0;

	help_add(lines, &n, "dvktop %s: live counts and latencies of DVK calls", DVK_PACKAGE_VERSION);
	help_add(lines, &n, "%s", "");
	help_add(lines, &n, "  q           quit");
	help_add(lines, &n, "  h ?         this help (any key closes it)");
	help_screens(m, lines, &n);
	help_add(lines, &n, "  r R         reverse the sort order");
	help_add(lines, &n, "  /           filter by name (Enter applies, Esc cancels)");
	help_add(lines, &n, "  space p     pause / resume");
	help_add(lines, &n, "  + -         slower / faster refresh");
	help_add(lines, &n, "  arrows PgUp PgDn Home End   scroll");
	help_add(lines, &n, "Replay (dvktop -r):");
	help_add(lines, &n, "  space p     pause / play     . Right  next sample    , Left  previous");
	help_add(lines, &n, "  g           go to a time: HH:MM:SS, HH:MM or +SECONDS from the start");
	help_add(lines, &n, "  < > - +     half / double speed");
	help_add(lines, &n, "%s", "");
	for (int i = 0; dvk_screens[i]; i++)
		for (const char *const *l = dvk_screens[i]->legend; l && *l; l++)
			help_add(lines, &n, "%s", *l);
	help_add(lines, &n, "%s", "");
	help_add(lines, &n, "Press any key to close");
	return n;
}
