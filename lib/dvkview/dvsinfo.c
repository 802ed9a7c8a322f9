// SPDX-License-Identifier: GPL-2.0
/* dvsinfo.c - the parser of /proc/dvs/info (dvkview.h). */
#include <stdlib.h>
#include <string.h>
#include "dvkview.h"

static int parse_i32(const char *v, int32_t *out)
{
	char *end;
	long x = strtol(v, &end, 10);

	if (end == v)
		return 0;
	*out = (int32_t)x;
	return 1;
}

/**
 * dvk_dvs_parse - parse the key=value lines of /proc/dvs/info.
 * @text: the file's text (NUL-terminated)
 * @out:  fields found are set; others are left unchanged (state too)
 *
 * Known keys: name, nodeid, nr_dcs, nr_nodes, max_nr_procs, max_nr_tasks,
 * max_sys_procs, max_copy_buf, max_copy_len, version (decimal) and flags
 * (hexadecimal, as the kernel prints it with %llX).  Other lines are ignored.
 *
 * Return: the number of known keys found.
 */
int dvk_dvs_parse(const char *text, struct dvk_dvs_info *out)
{
	static const struct {
		const char *key;
		size_t off;
	} ints[] = {
		{ "nodeid", offsetof(struct dvk_dvs_info, nodeid) },
		{ "nr_dcs", offsetof(struct dvk_dvs_info, nr_dcs) },
		{ "nr_nodes", offsetof(struct dvk_dvs_info, nr_nodes) },
		{ "max_nr_procs", offsetof(struct dvk_dvs_info, max_nr_procs) },
		{ "max_nr_tasks", offsetof(struct dvk_dvs_info, max_nr_tasks) },
		{ "max_sys_procs", offsetof(struct dvk_dvs_info, max_sys_procs) },
		{ "max_copy_buf", offsetof(struct dvk_dvs_info, max_copy_buf) },
		{ "max_copy_len", offsetof(struct dvk_dvs_info, max_copy_len) },
		{ "version", offsetof(struct dvk_dvs_info, version) },
	};
	int found = 0;

	while (text && *text) {
		const char *eol = strchr(text, '\n');
		const char *eq = memchr(text, '=', eol ? (size_t)(eol - text) : strlen(text));
		size_t linelen = eol ? (size_t)(eol - text) : strlen(text);
		char key[32], val[128];

		if (eq && (size_t)(eq - text) < sizeof(key)) {
			size_t klen = (size_t)(eq - text);
			size_t vlen = linelen - klen - 1;

			memcpy(key, text, klen);
			key[klen] = '\0';
			if (vlen >= sizeof(val))
				vlen = sizeof(val) - 1;
			memcpy(val, eq + 1, vlen);
			val[vlen] = '\0';

			if (!strcmp(key, "name")) {
				size_t nl = strnlen(val, sizeof(out->name) - 1);

				memcpy(out->name, val, nl);
				out->name[nl] = '\0';
				found++;
			} else if (!strcmp(key, "flags")) {
				char *end;
				unsigned long long f = strtoull(val, &end, 16);

				if (end != val) {
					out->flags = f;
					found++;
				}
			} else {
				for (size_t i = 0; i < sizeof(ints) / sizeof(ints[0]); i++)
					if (!strcmp(key, ints[i].key)) {
						found += parse_i32(val,
							(int32_t *)((char *)out + ints[i].off));
						break;
					}
			}
		}
		if (!eol)
			break;
		text = eol + 1;
	}
	return found;
}
