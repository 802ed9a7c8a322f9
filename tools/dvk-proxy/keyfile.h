/* SPDX-License-Identifier: GPL-2.0 */
/*
 * keyfile.h - the cluster key file of dvk-proxy (docs/security.md).
 *
 * A text file, readable by its owner only, that every node of a cluster
 * holds a copy of: one key a line, "ID HEX" (ID 0..2^31-1, HEX 64 hex
 * digits = 32 random bytes), '#' comments and blank lines allowed.  Several
 * keys exist only during a rotation: a link uses the highest ID both ends
 * hold.  `dvkctl keygen FILE` writes one (keyfile.c is linked into dvkctl).
 */
#ifndef DVKP_KEYFILE_H
#define DVKP_KEYFILE_H

#include <stddef.h>
#include <stdint.h>

#define DVKP_KEY_BYTES	32
#define DVKP_MAX_KEYS	4	/* keys in one file: old and new during a rotation, and spares */

struct dvkp_keys {
	int n;				/* keys held, highest id first */
	uint32_t id[DVKP_MAX_KEYS];
	uint8_t key[DVKP_MAX_KEYS][DVKP_KEY_BYTES];
};

/*
 * Load @path into @k.  The file must be a regular file owned by root or by
 * the caller's effective uid, with no permission for group or others (as ssh
 * demands of private keys), and hold 1..DVKP_MAX_KEYS well-formed keys with
 * distinct ids.  Return 0, or -1 with a one-line reason in @err.
 */
int dvkp_keys_load(const char *path, struct dvkp_keys *k, char *err, size_t errlen);

/* The index of key @id in @k, or -1. */
int dvkp_keys_find(const struct dvkp_keys *k, uint32_t id);

/*
 * Write a new random key to @path (created with mode 0600).  With @add, an
 * existing file keeps its keys and gets one more with the next id (a
 * rotation); without, the file must not exist yet.  Return the new id, or
 * -1 with a reason in @err.
 */
long dvkp_keys_generate(const char *path, int add, char *err, size_t errlen);

/* Wipe @k (keys never linger in freed memory). */
void dvkp_keys_wipe(struct dvkp_keys *k);

#endif /* DVKP_KEYFILE_H */
