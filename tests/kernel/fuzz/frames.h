/* SPDX-License-Identifier: GPL-2.0 */
/*
 * frames.h - random frames for a dvk-proxy link (proxy_attack fuzz,
 * docs/fuzzing.md): the bodies of records that a holder of the cluster key
 * seals, so they pass the MAC and reach the frame decoder and put2lcl.
 */
#ifndef DVK_FUZZ_FRAMES_H
#define DVK_FUZZ_FRAMES_H

#include <stddef.h>
#include <stdint.h>

/* What a body is; the proxy must close the link on every kind but the first two. */
enum fz_frame_kind {
	FR_VALID,	/* a well-formed frame with random contents: goes to put2lcl */
	FR_HEARTBEAT,	/* CMD_NONE */
	FR_BADLEN,	/* payload length and c_len disagree */
	FR_TOOBIG,	/* a payload over maxbytes */
	FR_SHORT,	/* shorter than the two headers */
	FR_CORRUPT,	/* a byte of the headers changed: the CRC fails */
	FR_GARBAGE,	/* random bytes */
	FR_HANDOVER,	/* a HANDOVER record naming a connection that never comes */
	FR_NKINDS
};

/* The nodes, DC and endpoints a frame is mostly about (the rest is random). */
struct fz_frame_ctx {
	int from, to;		/* the node we claim to be, the node we talk to */
	int dcid, src, dst;	/* a DC, an endpoint of ours there, one of theirs */
	uint32_t maxbytes;	/* the proxy's largest payload */
};

#define FZ_FRAME_ROOM	(200 + 65536 + 4096)	/* the largest body fz_frame makes */

/* One record body from the stream @r into @body; its length, its kind in *kind. */
size_t fz_frame(uint64_t *r, const struct fz_frame_ctx *x, uint8_t *body, int *kind);

extern const char *const fz_frame_kinds[FR_NKINDS];

#endif /* DVK_FUZZ_FRAMES_H */
