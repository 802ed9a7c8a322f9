/* SPDX-License-Identifier: GPL-2.0 */
/*
 * handshake.h - how two dvk-proxy processes prove to each other that they
 * hold the cluster key before any command crosses (docs/proxy-wire.md,
 * "Handshake"; the reasoning in docs/security.md).
 *
 *   client (sender, connects)            server (receiver, listens)
 *   CLIENT_HELLO  nodes, mode, key ids offered, nonce_c  ->
 *                <- SERVER_HELLO  nodes, mode, key id chosen, nonce_s, mac_s
 *   FINISH  mac_c  ->
 *                <- ACCEPT  mac_a
 *   records (record.h) from client to server only
 *
 * mac_s = HMAC-SHA256(hk, "dvk2 server" | CLIENT_HELLO | SERVER_HELLO without mac_s)
 * mac_c = HMAC-SHA256(hk, "dvk2 client" | CLIENT_HELLO | SERVER_HELLO)
 * mac_a = HMAC-SHA256(hk, "dvk2 accept" | CLIENT_HELLO | SERVER_HELLO | FINISH)
 * with hk = HKDF-SHA256(cluster key, info "dvk2 handshake"); the session key
 * = HKDF-SHA256(cluster key, salt nonce_c | nonce_s, info "dvk2 records" |
 * SHA-256 of the three messages).  Both nonces are fresh, so a recorded
 * handshake cannot be replayed, and only a holder of the key can finish
 * either side.  ACCEPT tells the client the server took the connection (it
 * may still drop a handshake, when full or late): only then does the client
 * use it.  All primitives are OpenSSL's.
 */
#ifndef DVKP_HANDSHAKE_H
#define DVKP_HANDSHAKE_H

#include <stdint.h>
#include "keyfile.h"
#include "record.h"

#define DVKP_HS_VERSION		2
#define DVKP_NONCE_BYTES	32
#define DVKP_MAC_BYTES		32
#define DVKP_OFFER_KEYS		DVKP_MAX_KEYS
#define DVKP_CHELLO_BYTES	(24 + 4 * DVKP_OFFER_KEYS + DVKP_NONCE_BYTES)	/* 72 */
#define DVKP_SHELLO_BYTES	(24 + DVKP_NONCE_BYTES + DVKP_MAC_BYTES)		/* 88 */
#define DVKP_FINISH_BYTES	(8 + DVKP_MAC_BYTES)					/* 40 */
#define DVKP_ACCEPT_BYTES	(8 + DVKP_MAC_BYTES)					/* 40 */

/* hello flags */
#define DVKP_HS_ENCRYPT		0x1u	/* records are encrypted (else authenticated only) */
#define DVKP_HS_HANDOVER	0x2u	/* this connection takes over the sender's live one */

/* One handshake in progress, on either side. */
struct dvkp_hs {
	uint8_t chello[DVKP_CHELLO_BYTES];
	uint8_t shello[DVKP_SHELLO_BYTES];
	uint8_t finish[DVKP_FINISH_BYTES];
	uint8_t key[DVKP_KEY_BYTES];	/* the cluster key both chose */
	uint32_t key_id;
	uint32_t flags;			/* the client's */
	int client_node, server_node;
};

/*
 * Client: build CLIENT_HELLO into hs->chello, offering every key of @k.
 * Return 0, or -1 if no random bytes could be had.
 */
int dvkp_hs_client_hello(struct dvkp_hs *hs, const struct dvkp_keys *k, uint32_t flags,
			 int me, int peer);

/*
 * Server: check @chello (from node @peer to node @me, in mode @encrypt) and
 * build SERVER_HELLO into hs->shello with the highest key both hold.
 * Return 0, or -DVKP_EHELLO, -DVKP_EVERSION, -DVKP_ENODE, -DVKP_EMODE,
 * -DVKP_ENOKEY.
 */
int dvkp_hs_server_hello(struct dvkp_hs *hs, const struct dvkp_keys *k, int encrypt,
			 int me, int peer, const uint8_t chello[DVKP_CHELLO_BYTES]);

/*
 * Client: check @shello, write FINISH into @finish and set up the session.
 * Return 0, or -DVKP_EHELLO, -DVKP_ENODE, -DVKP_EMODE, -DVKP_ENOKEY,
 * -DVKP_EHSMAC (the server does not hold the key), -DVKP_EIO (OpenSSL).
 */
int dvkp_hs_client_finish(struct dvkp_hs *hs, const struct dvkp_keys *k,
			  const uint8_t shello[DVKP_SHELLO_BYTES],
			  uint8_t finish[DVKP_FINISH_BYTES], struct dvkp_session *s);

/*
 * Server: check @finish, set up the session and write ACCEPT into @accept.
 * Return 0, -DVKP_EHELLO, -DVKP_EVERSION, -DVKP_EHSMAC or -DVKP_EIO.
 */
int dvkp_hs_server_finish(struct dvkp_hs *hs, const uint8_t finish[DVKP_FINISH_BYTES],
			  struct dvkp_session *s, uint8_t accept[DVKP_ACCEPT_BYTES]);

/* Client: check the server's ACCEPT; 0, -DVKP_EHELLO, -DVKP_EVERSION or -DVKP_EHSMAC. */
int dvkp_hs_client_accepted(struct dvkp_hs *hs, const uint8_t accept[DVKP_ACCEPT_BYTES]);

/* The client's nonce in @chello (it names the connection in a HANDOVER record). */
const uint8_t *dvkp_hs_client_nonce(const struct dvkp_hs *hs);

/* Wipe the key material of @hs. */
void dvkp_hs_wipe(struct dvkp_hs *hs);

#endif /* DVKP_HANDSHAKE_H */
