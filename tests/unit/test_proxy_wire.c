// SPDX-License-Identifier: GPL-2.0
/*
 * test_proxy_wire.c - host tests of dvk-proxy's frame format
 * (tools/dvk-proxy/wire.c, docs/proxy-wire.md): a round trip with every
 * field distinct, payloads of 0 and maxbytes bytes, and every rejection
 * (garbage, each truncation of the headers, wrong magic, version and header
 * length, oversized or mismatched payload length, a flipped bit), also
 * through the stream reader on a socketpair, as the receiver thread uses it.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include "libdvk.h"
#include "check.h"
#include "wire.h"

static cmd_t sample(int len)
{
	cmd_t c;

	memset(&c, 0, sizeof(c));
	c.c_cmd = CMD_COPYIN_DATA;
	c.c_dcid = 3;
	c.c_src = -5;
	c.c_dst = 77;
	c.c_snode = 1;
	c.c_dnode = 2;
	c.c_rcode = -309;
	c.c_len = len;
	c.c_pid = 4242;
	c.c_batch_nr = 7;
	c.c_flags = 0x1122334455667788ULL;
	c.c_snd_seq = 0x0100000000000abcULL;
	c.c_ack_seq = 0xfedcba9876543210ULL;
	c.c_timestamp.tv_sec = 1790000000;
	c.c_timestamp.tv_nsec = 999999999;
	c.c_msg.m_source = 12;
	c.c_msg.m_type = 0x1000 | 40;
	for (int i = 0; i < 10; i++)
		((int32_t *)&c.c_msg.m_u)[i] = 1000 * i - 3;
	c.c_vcopy.v_src = 1;
	c.c_vcopy.v_dst = 2;
	c.c_vcopy.v_rqtr = 3;
	c.c_vcopy.v_saddr = 0x7fff00001000ULL;
	c.c_vcopy.v_daddr = 0x7fff00002000ULL;
	c.c_vcopy.v_bytes = len;
	return c;
}

static void test_round_trip(void)
{
	uint8_t h[DVKP_HDR_BYTES];
	cmd_t c = sample(100), d;
	uint32_t len = 0;

	dvkp_encode(&c, 100, h);
	CHECK("frame header: magic 'DVKP', version 1, header length 200, LE payload length",
	      !memcmp(h, "DVKP", 4) &&
	      h[4] == 1 && h[5] == 0 && h[6] == 200 && h[7] == 0 && h[8] == 100 && h[9] == 0,
	      "%02x %02x %02x %02x", h[0], h[1], h[2], h[3]);
	CHECK("the message id is in the frame header", h[16] == 0xbc && h[23] == 0x01, "%02x %02x",
	      h[16], h[23]);
	CHECK_RC("decode", dvkp_decode(h, MAXCOPYBUF, &d, &len), 0);
	CHECK("every field survives, and the payload length", !memcmp(&c, &d, sizeof(c)) &&
	      len == 100, "len %u", len);
	c = sample(0);
	dvkp_encode(&c, 0, h);
	CHECK("a header without payload round-trips",
	      !dvkp_decode(h, MAXCOPYBUF, &d, &len) && len == 0 && !memcmp(&c, &d, sizeof(c)), "x");
	c = sample(MAXCOPYBUF);
	dvkp_encode(&c, MAXCOPYBUF, h);
	CHECK("a payload of maxbytes is accepted", !dvkp_decode(h, MAXCOPYBUF, &d, &len) &&
	      len == MAXCOPYBUF, "len %u", len);
	CHECK_RC("... and one byte over a smaller maxbytes is refused (EDVS2BIG kind)",
		 dvkp_decode(h, MAXCOPYBUF - 1, &d, &len), -DVKP_E2BIG);
}

static void test_rejections(void)
{
	uint8_t h[DVKP_HDR_BYTES], g[DVKP_HDR_BYTES];
	cmd_t c = sample(10), d;
	uint32_t len;
	int flips_caught = 0;

	dvkp_encode(&c, 10, h);
	for (size_t i = 0; i < sizeof(g); i++)
		g[i] = (uint8_t)(i * 37 + 11);
	CHECK_RC("garbage is refused (bad magic)", dvkp_decode(g, MAXCOPYBUF, &d, &len),
		 -DVKP_EMAGIC);
	memcpy(g, h, sizeof(g));
	g[4] = 2;
	CHECK_RC("another version is refused", dvkp_decode(g, MAXCOPYBUF, &d, &len), -DVKP_EVERSION);
	memcpy(g, h, sizeof(g));
	g[6] = 199;
	CHECK_RC("another header length is refused", dvkp_decode(g, MAXCOPYBUF, &d, &len),
		 -DVKP_EHDRLEN);
	memcpy(g, h, sizeof(g));
	g[100] ^= 0x10;
	CHECK_RC("a flipped bit in cmd_t fails the CRC", dvkp_decode(g, MAXCOPYBUF, &d, &len),
		 -DVKP_ECRC);
	for (size_t i = 8; i < sizeof(g); i++) {	/* every bit after magic/version/length */
		for (int b = 0; b < 8; b++) {
			memcpy(g, h, sizeof(g));
			g[i] ^= 1 << b;
			flips_caught += dvkp_decode(g, MAXCOPYBUF, &d, &len) != 0;
		}
	}
	CHECK("every single-bit flip of the headers is caught", flips_caught == 8 * 192,
	      "%d of %d", flips_caught, 8 * 192);
	c = sample(10);
	c.c_len = 11;	/* disagrees with the frame's payload length */
	dvkp_encode(&c, 10, g);
	CHECK_RC("cmd_t.c_len disagreeing with the payload length is refused",
		 dvkp_decode(g, MAXCOPYBUF, &d, &len), -DVKP_ELEN);
	c.c_len = -1;
	dvkp_encode(&c, 0xffffffffu, g);
	CHECK_RC("a huge payload length is refused before anything is read",
		 dvkp_decode(g, MAXCOPYBUF, &d, &len), -DVKP_E2BIG);
	CHECK("every reason has a name", !strcmp(dvkp_strerr(-DVKP_ETRUNC), "truncated frame") &&
	      !strcmp(dvkp_strerr(99), "unknown"), "%s", dvkp_strerr(-DVKP_ETRUNC));
}

/* feed @n bytes into a socketpair, close, and read one frame */
static int read_fed(const void *buf, size_t n, cmd_t *c, void *payload, uint32_t *len)
{
	int sv[2], r;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		return 99;
	if (n && dvkp_write_all(sv[0], buf, n))
		return 98;
	close(sv[0]);
	r = dvkp_read_frame(sv[1], 1000, c, payload, len);
	close(sv[1]);
	return r;
}

static void test_reader(void)
{
	uint8_t f[DVKP_HDR_BYTES + 1000], payload[1000];
	cmd_t c = sample(1000), d;
	int truncs = 0;
	uint32_t len;

	dvkp_encode(&c, 1000, f);
	for (int i = 0; i < 1000; i++)
		f[DVKP_HDR_BYTES + i] = (uint8_t)(i * 7);
	CHECK_RC("a whole frame through a stream", read_fed(f, sizeof(f), &d, payload, &len), 1);
	CHECK("... header and payload intact", !memcmp(&c, &d, sizeof(c)) && len == 1000 &&
	      !memcmp(payload, f + DVKP_HDR_BYTES, 1000), "len %u", len);
	CHECK_RC("an empty stream is a clean end (0)", read_fed(f, 0, &d, payload, &len), 0);
	for (size_t n = 1; n < sizeof(f); n++)
		truncs += read_fed(f, n, &d, payload, &len) == -DVKP_ETRUNC;
	CHECK("every truncation (1..1199 bytes) is -DVKP_ETRUNC", truncs == (int)sizeof(f) - 1,
	      "%d of %zu", truncs, sizeof(f) - 1);
	c = sample(1001);
	dvkp_encode(&c, 1001, f);
	CHECK_RC("a payload over the reader's maxbytes is refused unread",
		 read_fed(f, DVKP_HDR_BYTES, &d, payload, &len), -DVKP_E2BIG);
	memset(f, 'A', sizeof(f));
	CHECK_RC("text on the port is refused", read_fed(f, sizeof(f), &d, payload, &len),
		 -DVKP_EMAGIC);
}

int main(void)
{
	test_round_trip();
	test_rejections();
	test_reader();
	return CHECK_EXIT();
}
