// SPDX-License-Identifier: GPL-2.0
/*
 * dvkconf.c - the parser of /etc/dvk/dvk.conf (dvkconf.h, docs/config.md).
 * One "name = value" a line ("peer ID = HOST", "dc ID = NAME" name an id
 * too), '#' comments.  Strict: an unknown setting, a bad value or a second
 * line for the same setting is an error naming the file and line, never
 * ignored, since a typo here would bring a node up wrong.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "dvkconf.h"

static const char *const level_names[] = {
	[DVKCONF_ERR] = "error", [DVKCONF_WARNING] = "warning", [DVKCONF_NOTICE] = "notice",
	[DVKCONF_INFO] = "info", [DVKCONF_DEBUG] = "debug",
};

const char *dvkconf_level_name(int level)
{
	return level >= DVKCONF_ERR && level <= DVKCONF_DEBUG ? level_names[level] : "?";
}

int dvkconf_level(const char *name)
{
	for (int i = DVKCONF_ERR; i <= DVKCONF_DEBUG; i++)
		if (!strcmp(name, level_names[i]))
			return i;
	return -1;
}

void dvkconf_defaults(struct dvkconf *c)
{
	memset(c, 0, sizeof(*c));
	c->node = -1;
	c->port_base = DVKCONF_PORT_BASE;
	c->encrypt = 1;
	c->log_level = DVKCONF_INFO;
	c->heartbeat_ms = DVKCONF_HEARTBEAT_MS;
	c->backoff_max_ms = DVKCONF_BACKOFF_MS;
	strcpy(c->key_file, DVKCONF_KEY_FILE);
	strcpy(c->module, DVKCONF_MODULE);
}

/* The parse of one file: where we are, and the line of each setting seen. */
struct parse {
	const char *path;
	int lineno;
	char *err;
	size_t errlen;
	struct dvkconf *c;
	int key_line[16];		/* by index in keys[] */
	int peer_line[NR_NODES], dc_line[NR_DCS];
};

static int bad(struct parse *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int bad(struct parse *p, const char *fmt, ...)
{
	int n = p->lineno ? snprintf(p->err, p->errlen, "%s:%d: ", p->path, p->lineno) :
			    snprintf(p->err, p->errlen, "%s: ", p->path);
	va_list ap;

	if (n < 0 || (size_t)n >= p->errlen)
		return -1;
	va_start(ap, fmt);
	vsnprintf(p->err + n, p->errlen - n, fmt, ap);
	va_end(ap);
	return -1;
}

/* @s a whole decimal number in lo..hi, into *v; else an error naming @what. */
static int number(struct parse *p, const char *what, const char *s, long lo, long hi, int *v)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(s, &end, 10);
	if (errno || end == s || *end || n < lo || n > hi)
		return bad(p, "%s: '%s' is not a number in %ld..%ld", what, s, lo, hi);
	*v = (int)n;
	return 0;
}

/* @s is 1..size-1 characters, each a letter, a digit or one of @extra. */
static int word(const char *s, size_t size, const char *extra)
{
	size_t n = strlen(s);

	if (!n || n >= size)
		return 0;
	for (; *s; s++)
		if (!(*s >= 'a' && *s <= 'z') && !(*s >= 'A' && *s <= 'Z') &&
		    !(*s >= '0' && *s <= '9') && !strchr(extra, *s))
			return 0;
	return 1;
}

static int set_peer(struct parse *p, int id, const char *v)
{
	if (p->peer_line[id])
		return bad(p, "a second 'peer %d' (the first is line %d)", id, p->peer_line[id]);
	/* a host name, IPv4 or IPv6 address: no space, no shell or option syntax */
	if (!word(v, DVKCONF_HOST_MAX, ".-_:") || *v == '-')
		return bad(p, "peer %d: '%s' is not a host name or address", id, v);
	p->peer_line[id] = p->lineno;
	strcpy(p->c->peer[id], v);
	return 0;
}

static int set_dc(struct parse *p, int id, const char *v)
{
	struct dvkconf *c = p->c;

	if (p->dc_line[id])
		return bad(p, "a second 'dc %d' (the first is line %d)", id, p->dc_line[id]);
	if (!word(v, MAXDCNAME, "_.-"))
		return bad(p, "dc %d: name '%s' is not 1..%d letters, digits, '_', '.', '-'", id, v,
			   MAXDCNAME - 1);
	p->dc_line[id] = p->lineno;
	c->dcs[c->ndcs].id = id;
	strcpy(c->dcs[c->ndcs++].name, v);
	return 0;
}

static int set_path(struct parse *p, const char *what, const char *v, char *to)
{
	if (*v != '/' || strlen(v) >= DVKCONF_PATH_MAX || strpbrk(v, " \t"))
		return bad(p, "%s: '%s' is not an absolute path (without blanks)", what, v);
	strcpy(to, v);
	return 0;
}

static int set_module(struct parse *p, const char *v)
{
	size_t n = strlen(v);

	if (*v == '/' && n > 3 && !strcmp(v + n - 3, ".ko"))
		return set_path(p, "module", v, p->c->module);
	if (*v == '/' || !word(v, 64, "_-"))
		return bad(p, "module: '%s' is neither a module name nor the path of a .ko", v);
	strcpy(p->c->module, v);
	return 0;
}

static int set_yesno(struct parse *p, const char *what, const char *v, int *to)
{
	if (strcmp(v, "yes") && strcmp(v, "no"))
		return bad(p, "%s is 'yes' or 'no', not '%s'", what, v);
	*to = !strcmp(v, "yes");
	return 0;
}

/* The settings without an id, in the order dvkconf_print writes them. */
static const char *const keys[] = {
	"node", "name", "port-base", "key-file", "encrypt", "log-level", "heartbeat",
	"backoff-max", "module",
};
#define NKEYS (int)(sizeof(keys) / sizeof(keys[0]))

static int set_plain(struct parse *p, int k, const char *v)
{
	struct dvkconf *c = p->c;

	switch (k) {
	case 0: return number(p, "node", v, 0, NR_NODES - 1, &c->node);
	case 1:
		if (!word(v, sizeof(c->name), "_.-"))
			return bad(p, "name: '%s' is not 1..%zu letters, digits, '_', '.', '-'", v,
				   sizeof(c->name) - 1);
		strcpy(c->name, v);
		return 0;
	case 2: return number(p, "port-base", v, 1, 65535 - NR_NODES, &c->port_base);
	case 3: return set_path(p, "key-file", v, c->key_file);
	case 4: return set_yesno(p, "encrypt", v, &c->encrypt);
	case 5:
		c->log_level = dvkconf_level(v);
		return c->log_level < 0 ?
		       bad(p, "log-level is error, warning, notice, info or debug, not '%s'", v) : 0;
	case 6: return number(p, "heartbeat", v, 1, 3600000, &c->heartbeat_ms);
	case 7: return number(p, "backoff-max", v, 100, 600000, &c->backoff_max_ms);
	default: return set_module(p, v);
	}
}

/* One line "NAME [ID] = VALUE", already trimmed and not a comment. */
static int setting(struct parse *p, char *line)
{
	char *eq = strchr(line, '='), *value, *id = NULL, *sp;
	int n;

	if (!eq)
		return bad(p, "not 'name = value'");
	*eq = '\0';
	value = eq + 1 + strspn(eq + 1, " \t");
	for (sp = eq; sp > line && (sp[-1] == ' ' || sp[-1] == '\t'); sp--)
		sp[-1] = '\0';
	sp = strpbrk(line, " \t");
	if (sp) {
		*sp = '\0';
		id = sp + 1 + strspn(sp + 1, " \t");
	}
	if (!*value)
		return bad(p, "'%s' has no value", line);
	if (!strcmp(line, "peer") || !strcmp(line, "dc")) {
		int peer = line[0] == 'p';

		if (!id)
			return bad(p, "'%s ID = %s' needs an id", line, peer ? "HOST" : "NAME");
		if (number(p, line, id, 0, (peer ? NR_NODES : NR_DCS) - 1, &n))
			return -1;
		return peer ? set_peer(p, n, value) : set_dc(p, n, value);
	}
	for (int k = 0; k < NKEYS; k++) {
		if (strcmp(line, keys[k]))
			continue;
		if (id)
			return bad(p, "'%s' takes no id", line);
		if (p->key_line[k])
			return bad(p, "a second '%s' (the first is line %d)", line, p->key_line[k]);
		p->key_line[k] = p->lineno;
		return set_plain(p, k, value);
	}
	return bad(p, "unknown setting '%s' (node, name, dc, peer, port-base, key-file, encrypt, "
		   "log-level, heartbeat, backoff-max, module)", line);
}

/* The file may bring a node up, name its key and turn encryption off: only root (or we) write it. */
static int trusted(struct parse *p, FILE *f)
{
	struct stat st;

	if (fstat(fileno(f), &st))
		return bad(p, "%s", strerror(errno));
	if (!S_ISREG(st.st_mode))
		return bad(p, "not a regular file");
	if ((st.st_uid != 0 && st.st_uid != geteuid()) || (st.st_mode & 022))
		return bad(p, "must be owned by root and writable by it alone (owner %u, mode %04o)",
			   (unsigned)st.st_uid, (unsigned)(st.st_mode & 07777));
	return 0;
}

static int parse_lines(struct parse *p, FILE *f)
{
	char line[DVKCONF_PATH_MAX + 128];

	while (fgets(line, sizeof(line), f)) {
		char *s = line + strspn(line, " \t"), *e;
		size_t n = strlen(line);

		p->lineno++;
		if (n && line[n - 1] != '\n' && !feof(f))
			return bad(p, "line longer than %zu characters", sizeof(line) - 2);
		e = s + strlen(s);
		while (e > s && strchr(" \t\r\n", e[-1]))
			*--e = '\0';
		if (*s && *s != '#' && setting(p, s))
			return -1;
	}
	if (ferror(f))
		return bad(p, "read error");
	p->lineno = 0;
	if (p->c->node < 0)
		return bad(p, "no 'node = ID' line: which node is this?");
	if (p->c->peer[p->c->node][0]) {
		p->lineno = p->peer_line[p->c->node];
		return bad(p, "peer %d is this node (node = %d)", p->c->node, p->c->node);
	}
	return 0;
}

int dvkconf_load(const char *path, struct dvkconf *c, int *missing, char *err, size_t errlen)
{
	struct parse p = { .path = path, .err = err, .errlen = errlen, .c = c };
	FILE *f;
	int r;

	dvkconf_defaults(c);
	*missing = 0;
	f = fopen(path, "re");
	if (!f) {
		*missing = errno == ENOENT;
		return bad(&p, "%s", strerror(errno));
	}
	r = trusted(&p, f) ? -1 : parse_lines(&p, f);
	fclose(f);
	return r;
}

void dvkconf_print(const struct dvkconf *c, FILE *f)
{
	fprintf(f, "node = %d\n", c->node);
	if (c->name[0])
		fprintf(f, "name = %s\n", c->name);
	for (int i = 0; i < c->ndcs; i++)
		fprintf(f, "dc %d = %s\n", c->dcs[i].id, c->dcs[i].name);
	for (int i = 0; i < NR_NODES; i++)
		if (c->peer[i][0])
			fprintf(f, "peer %d = %s\n", i, c->peer[i]);
	fprintf(f, "port-base = %d\nkey-file = %s\nencrypt = %s\nlog-level = %s\n", c->port_base,
		c->key_file, c->encrypt ? "yes" : "no", dvkconf_level_name(c->log_level));
	fprintf(f, "heartbeat = %d\nbackoff-max = %d\nmodule = %s\n", c->heartbeat_ms,
		c->backoff_max_ms, c->module);
}
