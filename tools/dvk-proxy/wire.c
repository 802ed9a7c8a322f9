// SPDX-License-Identifier: GPL-2.0
/* wire.c - encode, decode and read dvk-proxy frames (wire.h, docs/proxy-wire.md). */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include "le.h"
#include "wire.h"

static const char *const dvkp_errs[DVKP_NERR] = {
	[DVKP_OK] = "ok",
	[DVKP_EMAGIC] = "bad magic",
	[DVKP_EVERSION] = "wrong version",
	[DVKP_EHDRLEN] = "wrong header length",
	[DVKP_E2BIG] = "payload too long",
	[DVKP_ECRC] = "header CRC mismatch",
	[DVKP_ELEN] = "payload length mismatch",
	[DVKP_ETRUNC] = "truncated frame",
	[DVKP_EIO] = "read error",
	[DVKP_EMAC] = "bad MAC",
	[DVKP_EREPLAY] = "replayed frame",
	[DVKP_EORDER] = "out-of-order frame",
	[DVKP_ERECORD] = "bad record header",
	[DVKP_EHELLO] = "bad hello",
	[DVKP_ENODE] = "wrong node id",
	[DVKP_ENOKEY] = "no common key",
	[DVKP_EMODE] = "mode mismatch",
	[DVKP_EHSMAC] = "handshake MAC mismatch",
	[DVKP_EHSTIME] = "handshake timeout",
	[DVKP_EBUSY] = "too many handshakes",
};

const char *dvkp_strerr(int err)
{
	if (err < 0)
		err = -err;
	return err < DVKP_NERR ? dvkp_errs[err] : "unknown";
}

/* cmd_t, field by field; the message union as 10 little-endian words */
static void put_cmd(uint8_t **p, const cmd_t *c)
{
	uint32_t words[10];

	put32(p, c->c_cmd);
	put32(p, c->c_dcid);
	put32(p, c->c_src);
	put32(p, c->c_dst);
	put32(p, c->c_snode);
	put32(p, c->c_dnode);
	put32(p, c->c_rcode);
	put32(p, c->c_len);
	put32(p, c->c_pid);
	put32(p, c->c_batch_nr);
	put64(p, c->c_flags);
	put64(p, c->c_snd_seq);
	put64(p, c->c_ack_seq);
	put64(p, c->c_timestamp.tv_sec);
	put64(p, c->c_timestamp.tv_nsec);
	put32(p, c->c_msg.m_source);
	put32(p, c->c_msg.m_type);
	memcpy(words, &c->c_msg.m_u, sizeof(words));
	for (int i = 0; i < 10; i++)
		put32(p, words[i]);
	put32(p, c->c_vcopy.v_src);
	put32(p, c->c_vcopy.v_dst);
	put32(p, c->c_vcopy.v_rqtr);
	put32(p, c->c_vcopy.v_pad0);
	put64(p, c->c_vcopy.v_saddr);
	put64(p, c->c_vcopy.v_daddr);
	put64(p, c->c_vcopy.v_bytes);
}

static void get_cmd(const uint8_t **p, cmd_t *c)
{
	uint32_t words[10];

	memset(c, 0, sizeof(*c));
	c->c_cmd = get32(p);
	c->c_dcid = get32(p);
	c->c_src = get32(p);
	c->c_dst = get32(p);
	c->c_snode = get32(p);
	c->c_dnode = get32(p);
	c->c_rcode = get32(p);
	c->c_len = get32(p);
	c->c_pid = get32(p);
	c->c_batch_nr = get32(p);
	c->c_flags = get64(p);
	c->c_snd_seq = get64(p);
	c->c_ack_seq = get64(p);
	c->c_timestamp.tv_sec = get64(p);
	c->c_timestamp.tv_nsec = get64(p);
	c->c_msg.m_source = get32(p);
	c->c_msg.m_type = get32(p);
	for (int i = 0; i < 10; i++)
		words[i] = get32(p);
	memcpy(&c->c_msg.m_u, words, sizeof(words));
	c->c_vcopy.v_src = get32(p);
	c->c_vcopy.v_dst = get32(p);
	c->c_vcopy.v_rqtr = get32(p);
	c->c_vcopy.v_pad0 = get32(p);
	c->c_vcopy.v_saddr = get64(p);
	c->c_vcopy.v_daddr = get64(p);
	c->c_vcopy.v_bytes = get64(p);
}

/* CRC-32 of both headers with the CRC field taken as 0 */
static uint32_t hdr_crc(const uint8_t in[DVKP_HDR_BYTES])
{
	uint8_t tmp[DVKP_HDR_BYTES];

	memcpy(tmp, in, sizeof(tmp));
	memset(tmp + 24, 0, 4);
	return (uint32_t)crc32(0L, tmp, sizeof(tmp));
}

void dvkp_encode(const cmd_t *c, uint32_t payload_len, uint8_t out[DVKP_HDR_BYTES])
{
	uint8_t *p = out;

	put32(&p, DVKP_MAGIC);
	put16(&p, DVKP_VERSION);
	put16(&p, DVKP_HDR_BYTES);
	put32(&p, payload_len);
	put32(&p, 0);			/* flags: none defined in version 1 */
	put64(&p, c->c_snd_seq);	/* the message id */
	put32(&p, 0);			/* CRC, below */
	put32(&p, 0);			/* reserved */
	put_cmd(&p, c);
	p = out + 24;
	put32(&p, hdr_crc(out));
}

int dvkp_decode(const uint8_t in[DVKP_HDR_BYTES], uint32_t maxbytes, cmd_t *c,
		uint32_t *payload_len)
{
	const uint8_t *p = in;
	uint32_t len, crc;

	if (get32(&p) != DVKP_MAGIC)
		return -DVKP_EMAGIC;
	if (get16(&p) != DVKP_VERSION)
		return -DVKP_EVERSION;
	if (get16(&p) != DVKP_HDR_BYTES)
		return -DVKP_EHDRLEN;
	len = get32(&p);
	p += 4 + 8;			/* flags, message id */
	crc = get32(&p);
	if (crc != hdr_crc(in))
		return -DVKP_ECRC;
	if (len > maxbytes)
		return -DVKP_E2BIG;
	p = in + DVKP_FRAME_BYTES;
	get_cmd(&p, c);
	if (c->c_len < 0 || (uint32_t)c->c_len != len)
		return -DVKP_ELEN;
	*payload_len = len;
	return 0;
}

int dvkp_read_full(int fd, void *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = read(fd, (char *)buf + got, len - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -DVKP_EIO;
		if (n == 0)
			return got ? -DVKP_ETRUNC : 0;
		got += n;
	}
	return 1;
}

int dvkp_read_frame(int fd, uint32_t maxbytes, cmd_t *c, void *payload, uint32_t *payload_len)
{
	uint8_t hdr[DVKP_HDR_BYTES];
	int r = dvkp_read_full(fd, hdr, sizeof(hdr));

	if (r <= 0)
		return r;
	r = dvkp_decode(hdr, maxbytes, c, payload_len);
	if (r < 0)
		return r;
	if (*payload_len) {
		r = dvkp_read_full(fd, payload, *payload_len);
		if (r <= 0)
			return r == 0 ? -DVKP_ETRUNC : r;
	}
	return 1;
}

int dvkp_write_all(int fd, const void *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = write(fd, (const char *)buf + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		done += n;
	}
	return 0;
}
