// SPDX-License-Identifier: GPL-2.0
/* wire.c - encode, decode and read dvk-proxy frames (wire.h, docs/proxy-wire.md). */
#include <errno.h>
#include <stddef.h>
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

/*
 * cmd_t on the wire: its fields in memory order, each little-endian; the
 * message union goes as 10 32-bit words, whatever its layout.  cmd_t has
 * no padding, so it is described as runs of fields of one width.
 */
static const struct {
	uint8_t width, count;
} cmd_runs[] = {
	{ 4, 10 },	/* c_cmd ... c_batch_nr */
	{ 8, 5 },	/* c_flags, c_snd_seq, c_ack_seq, c_timestamp (tv_sec, tv_nsec) */
	{ 4, 12 },	/* c_msg: m_source, m_type, the union */
	{ 4, 4 },	/* c_vcopy: v_src, v_dst, v_rqtr, v_pad0 */
	{ 8, 3 },	/* v_saddr, v_daddr, v_bytes */
};
_Static_assert(offsetof(cmd_t, c_flags) == 40 && offsetof(cmd_t, c_msg) == 80 &&
	       offsetof(cmd_t, c_vcopy) == 128 && offsetof(vcopy_t, v_saddr) == 16 &&
	       sizeof(cmd_t) == 168, "cmd_runs describes cmd_t");

static void put_cmd(uint8_t **p, const cmd_t *c)
{
	const uint8_t *f = (const uint8_t *)c;

	for (size_t r = 0; r < sizeof(cmd_runs) / sizeof(cmd_runs[0]); r++)
		for (int i = 0; i < cmd_runs[r].count; i++, f += cmd_runs[r].width) {
			uint32_t v32;
			uint64_t v64;

			if (cmd_runs[r].width == 4) {
				memcpy(&v32, f, 4);
				put32(p, v32);
			} else {
				memcpy(&v64, f, 8);
				put64(p, v64);
			}
		}
}

static void get_cmd(const uint8_t **p, cmd_t *c)
{
	uint8_t *f = (uint8_t *)c;

	for (size_t r = 0; r < sizeof(cmd_runs) / sizeof(cmd_runs[0]); r++)
		for (int i = 0; i < cmd_runs[r].count; i++, f += cmd_runs[r].width) {
			uint32_t v32;
			uint64_t v64;

			if (cmd_runs[r].width == 4) {
				v32 = get32(p);
				memcpy(f, &v32, 4);
			} else {
				v64 = get64(p);
				memcpy(f, &v64, 8);
			}
		}
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
