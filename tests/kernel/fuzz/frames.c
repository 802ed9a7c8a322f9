// SPDX-License-Identifier: GPL-2.0
/*
 * frames.c - the bodies proxy_attack's fuzz mode seals and sends.  Most are
 * well-formed frames (wire.h: valid CRC, c_len equal to the payload) whose
 * contents are random around what a real peer would send: commands and
 * their ACKs, our node as the source, the DC and endpoints of the test,
 * copy headers with random addresses and sizes, payloads up to maxbytes.
 * The rest are broken in one way each (enum fz_frame_kind), which the
 * proxy must refuse by closing the link.
 */
#include <string.h>
#include "fuzz.h"
#include "frames.h"
#include "wire.h"

#define PICK(r, a) ((a)[fz_below(r, sizeof(a) / sizeof((a)[0]))])

const char *const fz_frame_kinds[FR_NKINDS] = {
	"valid", "heartbeat", "bad length", "too big", "short", "corrupt", "garbage", "handover",
};

static int32_t frame_ep(uint64_t *r, int mine)
{
	static const int32_t other[] = { ANY, NONE, SELF, -1, 0, 1, 2, 3, 4, 5, 6, 20, 28, 29,
					 -NR_TASKS - 1, NR_PROCS, _ENDPOINT(1, 3) };

	return fz_below(r, 2) ? mine : PICK(r, other);
}

/*
 * Addresses for a copy header: never mapped in any process (below
 * mmap_min_addr, kernel, non-canonical), so a copy into a real process of
 * the receiving node (the test's server waits in receive: it can be a
 * copy's end) goes all the way to the access and fails there, harmlessly.
 */
static uint64_t frame_addr(uint64_t *r)
{
	static const uint64_t a[] = { 0, 0x1000, 0x8000, 0xffff888000000000ULL,
				      0xffffffffff600000ULL, 0x800000000000ULL, 0xdead000000000000ULL };

	return PICK(r, a) + fz_below(r, 2) * fz_below(r, 0x1000);
}

static int32_t frame_cmd(uint64_t *r)
{
	static const int32_t cmds[] = {
		CMD_SEND_MSG, CMD_SEND_MSG, CMD_NTFY_MSG, CMD_SNDREC_MSG, CMD_SNDREC_MSG,
		CMD_REPLY_MSG, CMD_COPYIN_DATA, CMD_COPYOUT_RQST, CMD_COPYLCL_RQST,
		CMD_COPYRMT_RQST, CMD_COPYIN_RQST, CMD_HELLO, CMD_SHUTDOWN, CMD_PROCINFO,
		CMD_PROCBIND, CMD_PROCUNBIND, CMD_SEND_ACK, CMD_NTFY_ACK, CMD_SNDREC_ACK,
		CMD_REPLY_ACK, CMD_COPYIN_ACK, CMD_COPYOUT_DATA, CMD_COPYLCL_ACK, CMD_COPYRMT_ACK,
		CMD_PROCINFO_ACK, 15, 0x2000 | 15, -1,
	};

	return fz_below(r, 20) ? PICK(r, cmds) : (int32_t)fz_next(r);
}

/* A random command from our node, about the test's DC and endpoints. */
static void frame_header(uint64_t *r, const struct fz_frame_ctx *x, cmd_t *c)
{
	static const int64_t bytes[] = { 0, 1, 48, 4096, MAXCOPYBUF, MAXCOPYLEN, MAXCOPYLEN + 1, -1 };

	memset(c, 0, sizeof(*c));
	c->c_cmd = frame_cmd(r);
	c->c_dcid = fz_below(r, 8) ? x->dcid : (int32_t)fz_below(r, 40) - 4;
	c->c_src = frame_ep(r, x->src);
	c->c_dst = frame_ep(r, x->dst);
	c->c_snode = fz_below(r, 8) ? x->from : (int32_t)fz_below(r, 40) - 4;
	c->c_dnode = fz_below(r, 8) ? x->to : (int32_t)fz_below(r, 40) - 4;
	c->c_rcode = fz_below(r, 2) ? 0 : -(int32_t)fz_below(r, 400);
	c->c_pid = (int32_t)fz_next(r);
	c->c_flags = fz_below(r, 3) ? fz_below(r, 2) * CMD_FLAG_MORE : fz_next(r);
	c->c_snd_seq = fz_below(r, 2) ? ((uint64_t)x->from << 56) | fz_below(r, 200) : fz_next(r);
	c->c_ack_seq = fz_below(r, 2) ? fz_below(r, 200) : fz_next(r);
	c->c_timestamp.tv_sec = (int64_t)fz_next(r);
	c->c_timestamp.tv_nsec = (int64_t)fz_next(r);
	for (size_t i = 0; i < sizeof(c->c_msg) / 8; i++)
		((uint64_t *)&c->c_msg)[i] = fz_next(r);
	c->c_msg.m_source = c->c_src;
	c->c_msg.m_type = fz_below(r, 2) ? (int32_t)fz_below(r, 1000) : c->c_msg.m_type;
	c->c_vcopy.v_src = frame_ep(r, x->src);
	c->c_vcopy.v_dst = frame_ep(r, x->dst);
	c->c_vcopy.v_rqtr = frame_ep(r, x->src);
	c->c_vcopy.v_saddr = frame_addr(r);
	c->c_vcopy.v_daddr = frame_addr(r);
	c->c_vcopy.v_bytes = fz_below(r, 2) ? (int64_t)fz_below(r, 4097) : PICK(r, bytes);
}

/* A payload length: none mostly, small often, up to maxbytes now and then. */
static uint32_t payload_len(uint64_t *r, const cmd_t *c, uint32_t maxbytes)
{
	int data = (c->c_cmd & ~CMD_ACKNOWLEDGE) == CMD_COPYIN_DATA ||
		   c->c_cmd == CMD_COPYOUT_DATA || c->c_cmd == CMD_COPYIN_RQST;
	uint32_t n;

	if (!data && fz_below(r, 4))
		return 0;
	n = fz_below(r, 10) ? (uint32_t)fz_below(r, 4097) : (uint32_t)fz_below(r, maxbytes + 1);
	return n > maxbytes ? maxbytes : n;
}

static int frame_kind(uint64_t *r)
{
	static const uint8_t w[FR_NKINDS] = { 85, 4, 2, 1, 2, 3, 2, 1 };
	unsigned x = (unsigned)fz_below(r, 100);
	int k;

	for (k = 0; k < FR_NKINDS - 1 && x >= w[k]; k++)
		x -= w[k];
	return k;
}

size_t fz_frame(uint64_t *r, const struct fz_frame_ctx *x, uint8_t *body, int *kind)
{
	uint32_t n, i;
	cmd_t c;

	*kind = frame_kind(r);
	frame_header(r, x, &c);
	if (*kind == FR_HEARTBEAT)
		c.c_cmd = CMD_NONE;
	n = *kind == FR_TOOBIG ? x->maxbytes + 1 + (uint32_t)fz_below(r, 4096)
			      : payload_len(r, &c, x->maxbytes);
	c.c_len = (int32_t)n;
	for (i = 0; i < n; i += 8) {
		uint64_t v = fz_next(r);

		memcpy(body + DVKP_HDR_BYTES + i, &v, 8);
	}
	dvkp_encode(&c, n, body);
	switch (*kind) {
	case FR_BADLEN:		/* the frame header says one length, cmd_t another */
		c.c_len = (int32_t)n + 1 + (int32_t)fz_below(r, 100);
		dvkp_encode(&c, n, body);
		break;
	case FR_SHORT:
		return fz_below(r, DVKP_HDR_BYTES);
	case FR_CORRUPT:
		body[fz_below(r, DVKP_HDR_BYTES)] ^= (uint8_t)(1 + fz_below(r, 255));
		break;
	case FR_GARBAGE:
		n = (uint32_t)fz_below(r, 600);
		for (i = 0; i < n; i++)
			body[i] = (uint8_t)fz_next(r);
		return n;
	case FR_HANDOVER:	/* a client nonce, or a body of a wrong length */
		return fz_below(r, 2) ? 32 : fz_below(r, 100);
	}
	return DVKP_HDR_BYTES + n;
}
