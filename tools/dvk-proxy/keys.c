// SPDX-License-Identifier: GPL-2.0
/*
 * keys.c - the cluster keys dvk-proxy holds: read from the key file at
 * start, and again before a handshake whenever the file changed, so a
 * rotation needs no signal and no restart (docs/security.md).
 */
#include <pthread.h>
#include <string.h>
#include <sys/stat.h>
#include "proxy.h"

static pthread_mutex_t keys_lock = PTHREAD_MUTEX_INITIALIZER;
static struct dvkp_keys keys;	/* protected by keys_lock, as is... */
static struct stat keys_st;	/* ...the key file as it was when they were read */

/* Unchanged since @b was taken?  ctime too: a rewrite that keeps size and mtime. */
static int same_file_state(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_size == b->st_size &&
	       a->st_mode == b->st_mode && a->st_uid == b->st_uid &&
	       a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec &&
	       a->st_ctim.tv_sec == b->st_ctim.tv_sec && a->st_ctim.tv_nsec == b->st_ctim.tv_nsec;
}

/*
 * Read the key file again if it changed since (keys_lock held): so both
 * ends of every new handshake use the file as it is now, and a rotation
 * needs no reload order between nodes (docs/security.md).  A file that
 * does not load leaves the keys as they were.  0 or -1.
 */
static int keys_refresh(int verbose)
{
	struct stat st = { 0 };
	struct dvkp_keys k;
	char err[256];

	if (stat(opts.key_file, &st) == 0 && keys.n && same_file_state(&st, &keys_st))
		return 0;
	if (dvkp_keys_load(opts.key_file, &k, err, sizeof(err))) {
		if (verbose || !same_file_state(&st, &keys_st))
			plog(keys.n ? PL_WARNING : PL_ERR, "cluster key: %s%s", err,
			     keys.n ? " (keeping the keys read before)" : "");
		keys_st = st;	/* logged once per change of the file */
		return -1;
	}
	keys = k;
	keys_st = st;
	plog(PL_INFO, "cluster key: %d key(s) from %s, newest id %u", k.n, opts.key_file, k.id[0]);
	dvkp_keys_wipe(&k);
	return 0;
}

void keys_get(struct dvkp_keys *k)
{
	pthread_mutex_lock(&keys_lock);
	keys_refresh(0);
	*k = keys;
	pthread_mutex_unlock(&keys_lock);
}

/* Load the key file now; 0 or -1 (logged). */
int keys_load(void)
{
	int r;

	if (opts.mode == LINK_PLAIN)
		return 0;
	pthread_mutex_lock(&keys_lock);
	memset(&keys_st, 0, sizeof(keys_st));
	r = keys_refresh(1);
	pthread_mutex_unlock(&keys_lock);
	return r;
}

/*
 * Forget the keys, at exit once the sender and receiver have ended (no
 * lock: a thread left holding it must not keep the process from exiting).
 */
void keys_wipe(void)
{
	dvkp_keys_wipe(&keys);
}
