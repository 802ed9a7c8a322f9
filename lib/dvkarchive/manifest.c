// SPDX-License-Identifier: GPL-2.0
/*
 * manifest.c - a capture's manifest.json (json-c), checked for its schema
 * and read by dotted paths.  The schema string is "dvk-capture/MAJOR" or
 * "dvk-capture/MAJOR.MINOR": a minor only adds fields, so any minor of the
 * major we know is read; another major is refused (docs/support.md).
 */
#include <errno.h>
#include <string.h>
#include <json-c/json.h>
#include "manifest.h"

int dvk_manifest_load(struct dvk_capture *c, char *err, size_t errlen)
{
	size_t n = strlen(DVK_CAPTURE_SCHEMA);
	const char *schema;
	char path[8192];

	if (dvk_capture_member(c, "manifest.json", path, sizeof(path)))
		return dvk_capture_errf(err, errlen, -ENOENT, "%s: no manifest.json", c->root);
	c->manifest = json_object_from_file(path);
	if (!c->manifest || !json_object_is_type(c->manifest, json_type_object))
		return dvk_capture_errf(err, errlen, -EINVAL, "%s: not a JSON object: %s", path,
					json_util_get_last_err() ? json_util_get_last_err() : "");
	schema = dvk_manifest_str(c, "schema", "");
	if (strncmp(schema, DVK_CAPTURE_SCHEMA, n) || (schema[n] && schema[n] != '.'))
		return dvk_capture_errf(err, errlen, -EINVAL,
					"%s: schema \"%s\", this tool reads %s", path, schema, DVK_CAPTURE_SCHEMA);
	return 0;
}

void dvk_manifest_free(struct dvk_capture *c)
{
	if (c->manifest)
		json_object_put(c->manifest);
	c->manifest = NULL;
}

struct json_object *dvk_manifest_get(const struct dvk_capture *c, const char *dotted)
{
	struct json_object *o = c->manifest;
	char key[256];

	while (o && *dotted) {
		size_t n = strcspn(dotted, ".");

		if (n >= sizeof(key) || !json_object_is_type(o, json_type_object))
			return NULL;
		memcpy(key, dotted, n);
		key[n] = '\0';
		if (!json_object_object_get_ex(o, key, &o))
			return NULL;
		dotted += n + (dotted[n] == '.');
	}
	return o;
}

const char *dvk_manifest_str(const struct dvk_capture *c, const char *dotted, const char *dflt)
{
	struct json_object *o = dvk_manifest_get(c, dotted);

	return o && json_object_is_type(o, json_type_string) ? json_object_get_string(o) : dflt;
}

int64_t dvk_manifest_i64(const struct dvk_capture *c, const char *dotted, int64_t dflt)
{
	struct json_object *o = dvk_manifest_get(c, dotted);

	return o && json_object_is_type(o, json_type_int) ? json_object_get_int64(o) : dflt;
}
