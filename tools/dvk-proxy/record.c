// SPDX-License-Identifier: GPL-2.0
/*
 * record.c - seal and open the secured link's records (record.h).  The
 * AEAD is OpenSSL's ChaCha20-Poly1305: under QEMU's emulated CPU (no
 * AES-NI, no SSSE3) its integer code ran 67 MB/s against 37 for
 * libsodium's and 10 for AES-GCM (docs/performance.md).
 */
#include <string.h>
#include <openssl/evp.h>
#include "le.h"
#include "record.h"
#include "wire.h"

int dvkp_session_init(struct dvkp_session *s, const uint8_t key[DVKP_SESSION_KEY_BYTES],
		      uint32_t key_id, int encrypt)
{
	memset(s, 0, sizeof(*s));
	s->ctx = EVP_CIPHER_CTX_new();
	if (!s->ctx)
		return -1;
	/* the key once: each record then only sets its nonce */
	if (EVP_CipherInit_ex(s->ctx, EVP_chacha20_poly1305(), NULL, key, NULL, -1) != 1) {
		dvkp_session_free(s);
		return -1;
	}
	s->key_id = key_id;
	s->encrypt = encrypt;
	return 0;
}

void dvkp_session_free(struct dvkp_session *s)
{
	EVP_CIPHER_CTX_free(s->ctx);	/* wipes the key schedule */
	memset(s, 0, sizeof(*s));
}

/* The 96-bit nonce of record @seq: 32 zero bits, then the sequence number. */
static void nonce_of(uint64_t seq, uint8_t nonce[12])
{
	uint8_t *p = nonce + 4;

	memset(nonce, 0, 4);
	put64(&p, seq);
}

/*
 * Run the AEAD over one record: the header (and, when not encrypting, the
 * body) as associated data, the body encrypted or decrypted in place.
 * @tag is written when sealing, checked when opening.
 */
static int aead(struct dvkp_session *s, int enc, uint64_t seq, const uint8_t *hdr,
		uint8_t *body, uint32_t len, uint8_t *tag)
{
	uint8_t nonce[12];
	int n;

	nonce_of(seq, nonce);
	if (EVP_CipherInit_ex(s->ctx, NULL, NULL, NULL, nonce, enc) != 1 ||
	    EVP_CipherUpdate(s->ctx, NULL, &n, hdr, DVKP_REC_BYTES) != 1)
		return -1;
	if (len && !s->encrypt && EVP_CipherUpdate(s->ctx, NULL, &n, body, len) != 1)
		return -1;
	if (len && s->encrypt && EVP_CipherUpdate(s->ctx, body, &n, body, len) != 1)
		return -1;
	if (!enc && EVP_CIPHER_CTX_ctrl(s->ctx, EVP_CTRL_AEAD_SET_TAG, DVKP_TAG_BYTES, tag) != 1)
		return -1;
	if (EVP_CipherFinal_ex(s->ctx, body + len, &n) != 1)
		return -1;	/* opening: the tag did not verify */
	if (enc && EVP_CIPHER_CTX_ctrl(s->ctx, EVP_CTRL_AEAD_GET_TAG, DVKP_TAG_BYTES, tag) != 1)
		return -1;
	return 0;
}

size_t dvkp_seal(struct dvkp_session *s, int type, uint8_t *buf, uint32_t body_len)
{
	uint8_t *p = buf, *body = buf + DVKP_REC_BYTES;

	put32(&p, DVKP_REC_MAGIC);
	put16(&p, (uint16_t)type);
	put16(&p, 0);
	put32(&p, body_len);
	put32(&p, 0);
	put64(&p, s->seq);
	if (aead(s, 1, s->seq, buf, body, body_len, body + body_len))
		return 0;
	s->seq++;
	return DVKP_REC_BYTES + (size_t)body_len + DVKP_TAG_BYTES;
}

int dvkp_open_header(const struct dvkp_session *s, const uint8_t hdr[DVKP_REC_BYTES],
		     uint32_t maxbody, int *type, uint32_t *body_len)
{
	const uint8_t *p = hdr;
	uint32_t magic = get32(&p), len;
	uint16_t t = get16(&p), flags = get16(&p);
	uint64_t seq;

	len = get32(&p);
	if (magic != DVKP_REC_MAGIC || flags || get32(&p) ||
	    (t != DVKP_REC_FRAME && t != DVKP_REC_HANDOVER) || len > maxbody)
		return -DVKP_ERECORD;
	seq = get64(&p);
	if (seq < s->seq)
		return -DVKP_EREPLAY;
	if (seq > s->seq)
		return -DVKP_EORDER;
	*type = t;
	*body_len = len;
	return 0;
}

int dvkp_open_body(struct dvkp_session *s, const uint8_t hdr[DVKP_REC_BYTES], uint8_t *body,
		   uint32_t len)
{
	uint8_t tag[DVKP_TAG_BYTES];

	memcpy(tag, body + len, sizeof(tag));
	if (aead(s, 0, s->seq, hdr, body, len, tag))
		return -DVKP_EMAC;
	s->seq++;
	return 0;
}

int dvkp_read_record(int fd, struct dvkp_session *s, uint32_t maxbody, uint8_t *body,
		     int *type, uint32_t *len)
{
	uint8_t hdr[DVKP_REC_BYTES];
	int r = dvkp_read_full(fd, hdr, sizeof(hdr));

	if (r <= 0)
		return r;
	r = dvkp_open_header(s, hdr, maxbody, type, len);
	if (r < 0)
		return r;
	r = dvkp_read_full(fd, body, *len + DVKP_TAG_BYTES);
	if (r <= 0)
		return r == 0 ? -DVKP_ETRUNC : r;
	return dvkp_open_body(s, hdr, body, *len) ? -DVKP_EMAC : 1;
}
