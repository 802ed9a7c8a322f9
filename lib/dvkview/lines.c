// SPDX-License-Identifier: GPL-2.0
/* lines.c - the line loop the parsers of dvkview.h share. */
#include <stdlib.h>
#include <string.h>
#include "dvkview.h"

long dvkview_line(const char **pos, char *buf, size_t size)
{
	const char *line = *pos, *end;
	size_t len, copy;

	if (!line || !*line)
		return -1;
	end = strchr(line, '\n');
	len = end ? (size_t)(end - line) : strlen(line);
	*pos = end ? end + 1 : NULL;
	copy = len < size ? len : size - 1;
	memcpy(buf, line, copy);
	buf[copy] = '\0';
	return (long)len;
}

int dvkview_collect(const char *text, size_t size, int (*parse)(const char *line, void *row),
		    void *rows, size_t row_size, int max, int *kept)
{
	const char *pos = text;
	char *buf = malloc(size), *row = malloc(row_size);
	int total = 0, n = 0;
	long len;

	while (buf && row && (len = dvkview_line(&pos, buf, size)) >= 0) {
		if ((size_t)len >= size || parse(buf, row))
			continue;	/* too long for the view, the header or garbage */
		total++;
		if (n < max)
			memcpy((char *)rows + (size_t)n++ * row_size, row, row_size);
	}
	free(buf);
	free(row);
	if (kept)
		*kept = n;
	return total;
}
