/* SPDX-License-Identifier: GPL-2.0 */
/*
 * record.h - the secured link's records (docs/proxy-wire.md, "Records").
 *
 * After the handshake (handshake.h) every byte on a link is a record: a
 * 24-byte header, a body, a 16-byte tag.  The tag is ChaCha20-Poly1305's
 * (OpenSSL's, not ours) under the session key, with the record's sequence
 * number as the nonce and the header as associated data.  Encrypted
 * sessions encrypt the body; authenticated-only sessions (--no-encrypt)
 * pass it as associated data too.  Records flow from the connecting side
 * to the listening one only; the session key is new for every connection
 * (handshake.h), sequence numbers count from 0 and never wrap.
 *
 * Header (little-endian): magic "DVKR", type (u16), flags (u16, 0), body
 * length (u32), reserved (u32, 0), sequence number (u64).
 */
#ifndef DVKP_RECORD_H
#define DVKP_RECORD_H

#include <stddef.h>
#include <stdint.h>

#define DVKP_REC_MAGIC		0x524b5644u	/* "DVKR" */
#define DVKP_REC_BYTES		24		/* record header */
#define DVKP_TAG_BYTES		16
#define DVKP_SESSION_KEY_BYTES	32

enum dvkp_rec_type {
	DVKP_REC_FRAME = 1,	/* body: one frame of wire.h (a command or a heartbeat) */
	DVKP_REC_HANDOVER = 2,	/* body: the client nonce of the connection that takes over */
};

struct evp_cipher_ctx_st;

struct dvkp_session {
	struct evp_cipher_ctx_st *ctx;	/* key set once; the nonce per record */
	uint64_t seq;			/* the next sequence number to send or expect */
	uint32_t key_id;		/* the cluster key the session was derived from */
	int encrypt;			/* 0: authenticated only */
};

/* Set up @s with @key; 0, or -1 if OpenSSL failed. */
int dvkp_session_init(struct dvkp_session *s, const uint8_t key[DVKP_SESSION_KEY_BYTES],
		      uint32_t key_id, int encrypt);
void dvkp_session_free(struct dvkp_session *s);

/*
 * Seal a record in place: @buf holds DVKP_REC_BYTES of room for the header,
 * then the @body_len bytes of the body, then DVKP_TAG_BYTES of room for the
 * tag.  Return the record's length, or 0 if OpenSSL failed.
 */
size_t dvkp_seal(struct dvkp_session *s, int type, uint8_t *buf, uint32_t body_len);

/*
 * Check a record header against @s: magic, type, a body of at most
 * @maxbody bytes, and the expected sequence number.  Return 0 with *type
 * and *body_len, or -DVKP_ERECORD, -DVKP_EREPLAY, -DVKP_EORDER.
 */
int dvkp_open_header(const struct dvkp_session *s, const uint8_t hdr[DVKP_REC_BYTES],
		     uint32_t maxbody, int *type, uint32_t *body_len);

/*
 * Verify (and decrypt in place) @body of @len bytes followed by its tag,
 * under the header @hdr that dvkp_open_header accepted; the session then
 * expects the next sequence number.  Return 0 or -DVKP_EMAC.
 */
int dvkp_open_body(struct dvkp_session *s, const uint8_t hdr[DVKP_REC_BYTES], uint8_t *body,
		   uint32_t len);

/*
 * Read one whole record from @fd: its header into @hdr, its body and tag
 * into @body.  Return 1 with *type and *len (the body verified and in
 * plain text), 0 at a clean end of stream, or -enum dvkp_err.
 */
int dvkp_read_record(int fd, struct dvkp_session *s, uint32_t maxbody, uint8_t *body,
		     int *type, uint32_t *len);

#endif /* DVKP_RECORD_H */
