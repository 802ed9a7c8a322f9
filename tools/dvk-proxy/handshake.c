// SPDX-License-Identifier: GPL-2.0
/* handshake.c - the secured link's handshake messages (handshake.h, docs/proxy-wire.md). */
#include <string.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>
#include <openssl/rand.h>
#include "handshake.h"
#include "le.h"
#include "wire.h"

#define MAGIC_CHELLO	0x434b5644u	/* "DVKC" */
#define MAGIC_SHELLO	0x534b5644u	/* "DVKS" */
#define MAGIC_FINISH	0x464b5644u	/* "DVKF" */
#define MAGIC_ACCEPT	0x414b5644u	/* "DVKA" */
#define NO_KEY		0xffffffffu	/* an unused slot of the offer */

#define SHELLO_MAC_AT	(DVKP_SHELLO_BYTES - DVKP_MAC_BYTES)
#define CHELLO_NONCE_AT	(24 + 4 * DVKP_OFFER_KEYS)

/* HKDF-SHA256 of @ikm into @out (32 bytes); 0 or -1. */
static int hkdf(const uint8_t *ikm, const uint8_t *salt, size_t saltlen, const uint8_t *info,
		size_t infolen, uint8_t out[32])
{
	EVP_PKEY_CTX *c = EVP_PKEY_CTX_new_id(EVP_PKEY_HKDF, NULL);
	size_t outlen = 32;
	int ok;

	ok = c && EVP_PKEY_derive_init(c) == 1 && EVP_PKEY_CTX_set_hkdf_md(c, EVP_sha256()) == 1 &&
	     (!saltlen || EVP_PKEY_CTX_set1_hkdf_salt(c, salt, (int)saltlen) == 1) &&
	     EVP_PKEY_CTX_set1_hkdf_key(c, ikm, DVKP_KEY_BYTES) == 1 &&
	     EVP_PKEY_CTX_add1_hkdf_info(c, info, (int)infolen) == 1 &&
	     EVP_PKEY_derive(c, out, &outlen) == 1 && outlen == 32;
	EVP_PKEY_CTX_free(c);
	return ok ? 0 : -1;
}

/*
 * HMAC-SHA256 under hk(@key) of @label | chello | the first @slen bytes of
 * shello (| finish, with @with_finish).
 */
static int transcript_mac(const struct dvkp_hs *hs, const char *label, size_t slen,
			  int with_finish, uint8_t mac[DVKP_MAC_BYTES])
{
	static const uint8_t info[] = "dvk2 handshake";
	uint8_t hk[32], msg[16 + DVKP_CHELLO_BYTES + DVKP_SHELLO_BYTES + DVKP_FINISH_BYTES];
	size_t ll = strlen(label), n = 0;
	unsigned int maclen = 0;
	int ok;

	if (hkdf(hs->key, NULL, 0, info, sizeof(info) - 1, hk))
		return -1;
	memcpy(msg, label, ll);
	n += ll;
	memcpy(msg + n, hs->chello, DVKP_CHELLO_BYTES);
	n += DVKP_CHELLO_BYTES;
	memcpy(msg + n, hs->shello, slen);
	n += slen;
	if (with_finish) {
		memcpy(msg + n, hs->finish, DVKP_FINISH_BYTES);
		n += DVKP_FINISH_BYTES;
	}
	ok = HMAC(EVP_sha256(), hk, sizeof(hk), msg, n, mac, &maclen) && maclen == DVKP_MAC_BYTES;
	OPENSSL_cleanse(hk, sizeof(hk));
	return ok ? 0 : -1;
}

/* The session key from the whole handshake; the session set up with it. */
static int derive_session(struct dvkp_hs *hs, const uint8_t finish[DVKP_FINISH_BYTES],
			  struct dvkp_session *s)
{
	uint8_t salt[2 * DVKP_NONCE_BYTES], info[12 + 32], key[DVKP_SESSION_KEY_BYTES];
	uint8_t all[DVKP_CHELLO_BYTES + DVKP_SHELLO_BYTES + DVKP_FINISH_BYTES];
	unsigned int hl = 0;
	int r;

	memcpy(salt, hs->chello + CHELLO_NONCE_AT, DVKP_NONCE_BYTES);
	memcpy(salt + DVKP_NONCE_BYTES, hs->shello + 24, DVKP_NONCE_BYTES);
	memcpy(all, hs->chello, DVKP_CHELLO_BYTES);
	memcpy(all + DVKP_CHELLO_BYTES, hs->shello, DVKP_SHELLO_BYTES);
	memcpy(all + DVKP_CHELLO_BYTES + DVKP_SHELLO_BYTES, finish, DVKP_FINISH_BYTES);
	memcpy(info, "dvk2 records", 12);
	if (EVP_Digest(all, sizeof(all), info + 12, &hl, EVP_sha256(), NULL) != 1 || hl != 32)
		return -DVKP_EIO;
	if (hkdf(hs->key, salt, sizeof(salt), info, sizeof(info), key))
		return -DVKP_EIO;
	r = dvkp_session_init(s, key, hs->key_id, !!(hs->flags & DVKP_HS_ENCRYPT));
	OPENSSL_cleanse(key, sizeof(key));
	return r ? -DVKP_EIO : 0;
}

/* magic, version and length of a handshake message; 0 or -DVKP_E... */
static int check_head(const uint8_t **p, uint32_t magic, uint16_t len)
{
	uint32_t m = get32(p);

	if (m == DVKP_MAGIC)	/* a frame of the plain link: the peer runs --insecure-plain */
		return -DVKP_EVERSION;
	if (m != magic)
		return -DVKP_EHELLO;
	if (get16(p) != DVKP_HS_VERSION)
		return -DVKP_EVERSION;
	return get16(p) == len ? 0 : -DVKP_EHELLO;
}

int dvkp_hs_client_hello(struct dvkp_hs *hs, const struct dvkp_keys *k, uint32_t flags,
			 int me, int peer)
{
	uint8_t *p = hs->chello;

	memset(hs, 0, sizeof(*hs));
	hs->flags = flags;
	hs->client_node = me;
	hs->server_node = peer;
	put32(&p, MAGIC_CHELLO);
	put16(&p, DVKP_HS_VERSION);
	put16(&p, DVKP_CHELLO_BYTES);
	put32(&p, flags);
	put32(&p, (uint32_t)me);
	put32(&p, (uint32_t)peer);
	put32(&p, (uint32_t)k->n);
	for (int i = 0; i < DVKP_OFFER_KEYS; i++)
		put32(&p, i < k->n ? k->id[i] : NO_KEY);
	return RAND_bytes(p, DVKP_NONCE_BYTES) == 1 ? 0 : -1;
}

int dvkp_hs_server_hello(struct dvkp_hs *hs, const struct dvkp_keys *k, int encrypt,
			 int me, int peer, const uint8_t chello[DVKP_CHELLO_BYTES])
{
	const uint8_t *c = chello;
	uint32_t flags, from, to, n, best = NO_KEY;
	uint8_t *p = hs->shello;
	int r, idx = -1;

	memset(hs, 0, sizeof(*hs));
	memcpy(hs->chello, chello, DVKP_CHELLO_BYTES);
	r = check_head(&c, MAGIC_CHELLO, DVKP_CHELLO_BYTES);
	if (r)
		return r;
	flags = get32(&c);
	from = get32(&c);
	to = get32(&c);
	n = get32(&c);
	if ((flags & ~(DVKP_HS_ENCRYPT | DVKP_HS_HANDOVER)) || n < 1 || n > DVKP_OFFER_KEYS)
		return -DVKP_EHELLO;
	if (from != (uint32_t)peer || to != (uint32_t)me)
		return -DVKP_ENODE;
	if (!(flags & DVKP_HS_ENCRYPT) != !encrypt)
		return -DVKP_EMODE;
	for (uint32_t i = 0; i < n; i++) {	/* the highest id both hold */
		uint32_t id = get32(&c);
		int j = dvkp_keys_find(k, id);

		if (j >= 0 && (best == NO_KEY || id > best)) {
			best = id;
			idx = j;
		}
	}
	if (idx < 0)
		return -DVKP_ENOKEY;
	hs->flags = flags;
	hs->client_node = peer;
	hs->server_node = me;
	hs->key_id = best;
	memcpy(hs->key, k->key[idx], DVKP_KEY_BYTES);
	put32(&p, MAGIC_SHELLO);
	put16(&p, DVKP_HS_VERSION);
	put16(&p, DVKP_SHELLO_BYTES);
	put32(&p, flags);
	put32(&p, (uint32_t)me);
	put32(&p, (uint32_t)peer);
	put32(&p, best);
	if (RAND_bytes(p, DVKP_NONCE_BYTES) != 1 ||
	    transcript_mac(hs, "dvk2 server", SHELLO_MAC_AT, 0, hs->shello + SHELLO_MAC_AT))
		return -DVKP_EIO;
	return 0;
}

int dvkp_hs_client_finish(struct dvkp_hs *hs, const struct dvkp_keys *k,
			  const uint8_t shello[DVKP_SHELLO_BYTES],
			  uint8_t finish[DVKP_FINISH_BYTES], struct dvkp_session *s)
{
	uint8_t mac[DVKP_MAC_BYTES], *p = finish;
	const uint8_t *c = shello;
	uint32_t id;
	int r, idx, offered = 0;

	memcpy(hs->shello, shello, DVKP_SHELLO_BYTES);
	r = check_head(&c, MAGIC_SHELLO, DVKP_SHELLO_BYTES);
	if (r)
		return r;
	if (get32(&c) != hs->flags)
		return -DVKP_EMODE;
	if (get32(&c) != (uint32_t)hs->server_node || get32(&c) != (uint32_t)hs->client_node)
		return -DVKP_ENODE;
	id = get32(&c);
	for (int i = 0; i < k->n && i < DVKP_OFFER_KEYS; i++)
		offered |= k->id[i] == id;
	idx = dvkp_keys_find(k, id);
	if (!offered || idx < 0)
		return -DVKP_ENOKEY;
	hs->key_id = id;
	memcpy(hs->key, k->key[idx], DVKP_KEY_BYTES);
	if (transcript_mac(hs, "dvk2 server", SHELLO_MAC_AT, 0, mac))
		return -DVKP_EIO;
	if (CRYPTO_memcmp(mac, shello + SHELLO_MAC_AT, DVKP_MAC_BYTES))
		return -DVKP_EHSMAC;
	put32(&p, MAGIC_FINISH);
	put16(&p, DVKP_HS_VERSION);
	put16(&p, DVKP_FINISH_BYTES);
	if (transcript_mac(hs, "dvk2 client", DVKP_SHELLO_BYTES, 0, p))
		return -DVKP_EIO;
	memcpy(hs->finish, finish, DVKP_FINISH_BYTES);
	return derive_session(hs, finish, s);
}

/*
 * Check a finish or accept message: its head, then its MAC over the
 * transcript (@label, @with_finish as transcript_mac takes them),
 * compared in constant time.  0 or -DVKP_E*.
 */
static int check_mac_msg(const struct dvkp_hs *hs, const uint8_t *msg, uint32_t magic,
			 uint16_t len, const char *label, int with_finish)
{
	uint8_t mac[DVKP_MAC_BYTES];
	const uint8_t *c = msg;
	int r = check_head(&c, magic, len);

	if (r)
		return r;
	if (transcript_mac(hs, label, DVKP_SHELLO_BYTES, with_finish, mac))
		return -DVKP_EIO;
	return CRYPTO_memcmp(mac, c, DVKP_MAC_BYTES) ? -DVKP_EHSMAC : 0;
}

int dvkp_hs_server_finish(struct dvkp_hs *hs, const uint8_t finish[DVKP_FINISH_BYTES],
			  struct dvkp_session *s, uint8_t accept[DVKP_ACCEPT_BYTES])
{
	uint8_t *p = accept;
	int r = check_mac_msg(hs, finish, MAGIC_FINISH, DVKP_FINISH_BYTES, "dvk2 client", 0);

	if (r)
		return r;
	memcpy(hs->finish, finish, DVKP_FINISH_BYTES);
	put32(&p, MAGIC_ACCEPT);
	put16(&p, DVKP_HS_VERSION);
	put16(&p, DVKP_ACCEPT_BYTES);
	if (transcript_mac(hs, "dvk2 accept", DVKP_SHELLO_BYTES, 1, p))
		return -DVKP_EIO;
	return derive_session(hs, finish, s);
}

int dvkp_hs_client_accepted(struct dvkp_hs *hs, const uint8_t accept[DVKP_ACCEPT_BYTES])
{
	return check_mac_msg(hs, accept, MAGIC_ACCEPT, DVKP_ACCEPT_BYTES, "dvk2 accept", 1);
}

const uint8_t *dvkp_hs_client_nonce(const struct dvkp_hs *hs)
{
	return hs->chello + CHELLO_NONCE_AT;
}

void dvkp_hs_wipe(struct dvkp_hs *hs)
{
	OPENSSL_cleanse(hs, sizeof(*hs));
}
