/* SPDX-License-Identifier: GPL-2.0 */
/*
 * wire.h - the frame format between two dvk-proxy processes (docs/proxy-wire.md).
 *
 * A frame is a fixed 32-byte little-endian frame header, the 168-byte
 * cmd_t encoded field by field (little-endian, fixed widths), then
 * payload_len payload bytes.  The frame header carries a magic, a version,
 * the length of both headers, the payload length, the message id (the same
 * as cmd_t.c_snd_seq: the id of the kernel's trace events) and a CRC-32 of
 * the frame header and cmd_t.  Nothing here touches the DVK device, so it
 * is unit-tested on the host.
 */
#ifndef DVKP_WIRE_H
#define DVKP_WIRE_H

#include <stddef.h>
#include <stdint.h>
#include <dvk.h>

#define DVKP_MAGIC		0x504b5644u	/* "DVKP" in little-endian bytes */
#define DVKP_VERSION		1
#define DVKP_FRAME_BYTES	32		/* the frame header */
#define DVKP_CMD_BYTES		168		/* cmd_t on the wire */
#define DVKP_HDR_BYTES		(DVKP_FRAME_BYTES + DVKP_CMD_BYTES)

/* Why a frame was refused (negative return values of the decoder and reader). */
enum dvkp_err {
	DVKP_OK = 0,
	DVKP_EMAGIC = 1,	/* garbage: not a frame */
	DVKP_EVERSION,		/* another version of the format */
	DVKP_EHDRLEN,		/* header length not ours */
	DVKP_E2BIG,		/* payload longer than maxbytes */
	DVKP_ECRC,		/* header corrupted */
	DVKP_ELEN,		/* payload length disagrees with cmd_t.c_len */
	DVKP_ETRUNC,		/* the connection ended inside a frame */
	DVKP_EIO,		/* read error */
	/* the secured link (record.c, handshake.c) */
	DVKP_EMAC,		/* a record's MAC does not verify: forged or corrupted */
	DVKP_EREPLAY,		/* a record's sequence number was seen already */
	DVKP_EORDER,		/* a record's sequence number skips ahead (dropped or reordered) */
	DVKP_ERECORD,		/* not a record header (magic, type or length) */
	DVKP_EHELLO,		/* a malformed or unknown handshake message */
	DVKP_ENODE,		/* a hello names the wrong nodes */
	DVKP_ENOKEY,		/* no key id both ends hold */
	DVKP_EMODE,		/* one end encrypts, the other does not */
	DVKP_EHSMAC,		/* a handshake MAC does not verify: the peer lacks the key */
	DVKP_EHSTIME,		/* the handshake did not finish by its deadline */
	DVKP_EBUSY,		/* too many handshakes in progress: the oldest is dropped */
	DVKP_NERR
};

const char *dvkp_strerr(int err);	/* "bad magic", ... */

/* Encode @c (and the length of the payload that follows) into @out. */
void dvkp_encode(const cmd_t *c, uint32_t payload_len, uint8_t out[DVKP_HDR_BYTES]);

/*
 * Decode and check the headers in @in; payloads longer than @maxbytes are
 * refused.  Return: 0 with *c and *payload_len set, or -enum dvkp_err.
 */
int dvkp_decode(const uint8_t in[DVKP_HDR_BYTES], uint32_t maxbytes, cmd_t *c,
		uint32_t *payload_len);

/*
 * Read one whole frame from @fd into *c and @payload (@maxbytes at most).
 * Return: 1 with a frame, 0 at a clean end of stream (between frames), or
 * -enum dvkp_err.
 */
int dvkp_read_frame(int fd, uint32_t maxbytes, cmd_t *c, void *payload, uint32_t *payload_len);

/* Read exactly @len bytes: 1, 0 at EOF before any byte, or -DVKP_ETRUNC/-DVKP_EIO. */
int dvkp_read_full(int fd, void *buf, size_t len);

/* Write all of @len bytes of @buf to @fd; 0 or -1 (errno set). */
int dvkp_write_all(int fd, const void *buf, size_t len);

#endif /* DVKP_WIRE_H */
