// SPDX-License-Identifier: GPL-2.0
/*
 * test_rmt_copy.c - remote vcopy in one guest (harness: rmt_fixture.h): a
 * local requester copying to, from, and between endpoints of node 1 (the
 * streamed COPYIN_DATA chunks, COPYOUT_RQST and the COPYOUT_DATA stream,
 * COPYLCL_RQST, COPYRMT_RQST headers, the data byte for byte, a stream cut
 * short by an error), and the remote side: node 1's requester writing
 * into, reading from, and copying between local processes, answering only
 * a stream's last chunk or its first failed one.
 *
 * Runs as root with dvk.ko loaded and the DVS not initialised; leaves it so.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include "rmt_fixture.h"

#define R2	8	/* an endpoint of node 2 */

static unsigned char vbuf[3 * MAXCOPYBUF], vbuf2[3 * MAXCOPYBUF], want[3 * MAXCOPYBUF];

static unsigned char pat(int which, long i)
{
	return (unsigned char)(i * (2 * which + 1) + which);
}

static void fill(unsigned char *b, int which, long n)
{
	for (long i = 0; i < n; i++)
		b[i] = pat(which, i);
}

/* bytes of b[0..n) that differ from pattern which */
static long mismatches(const unsigned char *b, int which, long n)
{
	long bad = 0;

	for (long i = 0; i < n; i++)
		bad += b[i] != pat(which, i);
	return bad;
}

static long do_vcopy_to_remote(int bytes)
{
	fill(vbuf, 1, bytes);
	return dvk_vcopy(SELF, vbuf, RSRV, (void *)0x1000, bytes);
}

/* copy 3 chunks of our memory to node 1, the middle one unmapped meanwhile */
static long do_vcopy_hole_to_remote(int bytes)
{
	char *m = mmap(NULL, 3 * MAXCOPYBUF, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);

	if (m == MAP_FAILED)
		return -1;
	memset(m, 0x6b, 3 * MAXCOPYBUF);
	munmap(m + MAXCOPYBUF, MAXCOPYBUF);	/* read when get2rmt takes that chunk */
	return dvk_vcopy(SELF, m, RSRV, (void *)0x1000, bytes);
}

static long do_vcopy_from_remote(int bytes)
{
	long r;

	memset(vbuf, 0, sizeof(vbuf));
	r = dvk_vcopy(RSRV, (void *)0x2000, SELF, vbuf, bytes);
	return r ? r : mismatches(vbuf, 2, bytes) ? -1 : OK;
}

static long do_vcopy_lcl_remote(int bytes)
{
	return dvk_vcopy(RSRV, (void *)0x10, RCLI, (void *)0x20, bytes);
}

/* filled with pattern @which, receive (released by a message), then report vbuf2 */
static long do_copy_target(int which)
{
	message m;
	long r;

	fill(vbuf, which, sizeof(vbuf));
	memset(vbuf2, 0, sizeof(vbuf2));
	r = dvk_receive_T(ANY, &m, 8000);
	if (r)
		return r;
	return mismatches(vbuf2, which, 70000) == 0 ? 1 : mismatches(vbuf2, 3, 1000) == 0 ? 3 : 0;
}

static long do_vcopy_rmt_rmt(int bytes)
{
	return dvk_vcopy(RSRV, (void *)0x3000, R2, (void *)0x4000, bytes);
}

/* end a local process's receive with a message from RSRV */
static void release(int ep)
{
	message m = { .m_type = 1 };
	cmd_t h;

	put(CMD_SEND_MSG, RSRV, ep, 0, ++rmt.rid, &m);
	next_cmd(&h, 3000);
}

/* LSRV as a do_copy_target(@which), waiting to be released */
static pid_t copy_target(int which)
{
	pid_t c = child(LSRV, do_copy_target, which);

	wait_flags(LSRV, RECEIVING, 2000);
	return c;
}

/* the second chunk of a 100000-byte stream (in rmt.last_pay) holds pattern @which */
static int stream_tail_is(int which)
{
	for (int i = 0; i < 100000 - MAXCOPYBUF; i++)
		if (rmt.last_pay[i] != pat(which, MAXCOPYBUF + i))
			return 0;
	return 1;
}

/* ends on two different remote nodes, and this node as each of them */
static void test_vcopy_two_nodes(void)
{
	vcopy_t v;
	pid_t c;
	cmd_t h;
	int chunks = 0, ok = 1, got;

	/* requester here, source on node 1, destination on node 2: one command */
	c = child(LCLI, do_vcopy_rmt_rmt, 100000);
	while (next_cmd(&h, 1000) && h.c_cmd == CMD_COPYRMT_RQST) {
		ok &= h.c_dst == RSRV && h.c_dnode == RNODE && h.c_vcopy.v_dst == R2 &&
		      h.c_vcopy.v_saddr == 0x3000 && h.c_vcopy.v_daddr == 0x4000 &&
		      h.c_vcopy.v_bytes == 100000 && h.c_len == 0 && !(h.c_flags & CMD_FLAG_MORE);
		chunks++;
		/* node 1 streams the data on to node 2, which answers us */
		put_copy_from(RNODE2, CMD_COPYRMT_ACK, RSRV, LCLI, OK, h.c_snd_seq, &h.c_vcopy,
			      NULL, 0);
	}
	CHECK("vcopy node 1 -> node 2: one COPYRMT_RQST for the whole range to the source's node",
	      ok && chunks == 1, "chunks=%d ok=%d", chunks, ok);
	CHECK_RC("... ended by the destination node's COPYRMT_ACK", wait_child(c, LCLI), OK);

	/* this node as the source: node 1's requester, destination on node 2 */
	c = copy_target(6);
	v = (vcopy_t){ .v_src = LSRV, .v_dst = R2, .v_rqtr = RSRV,
		       .v_saddr = (uint64_t)(uintptr_t)vbuf, .v_daddr = 0x5000, .v_bytes = 100000 };
	CHECK_RC("put2lcl COPYRMT_RQST: this node has the source (100000 bytes)",
		 put_copy(CMD_COPYRMT_RQST, RSRV, LSRV, 0, ++rmt.rid, &v, NULL, 0), OK);
	got = next_cmd(&h, 3000);
	ok = got && h.c_cmd == CMD_COPYIN_RQST && h.c_dnode == RNODE2 && h.c_src == RSRV &&
	     h.c_dst == R2 && h.c_len == MAXCOPYBUF && h.c_snd_seq == rmt.rid &&
	     (h.c_flags & CMD_FLAG_MORE) && h.c_vcopy.v_daddr == 0x5000 &&
	     mismatches(rmt.last_pay, 6, MAXCOPYBUF) == 0;
	got = next_cmd(&h, 3000);
	ok &= got && h.c_cmd == CMD_COPYIN_RQST && h.c_len == 100000 - MAXCOPYBUF &&
	      !(h.c_flags & CMD_FLAG_MORE) && h.c_vcopy.v_daddr == 0x5000 + MAXCOPYBUF &&
	      h.c_vcopy.v_saddr == (uint64_t)(uintptr_t)vbuf + MAXCOPYBUF;
	ok = ok && stream_tail_is(6);
	CHECK("... streamed on to node 2 as 2 COPYIN_RQST chunks (MORE, last) with the bytes",
	      ok, "cmd=%x dnode=%d len=%d flags=%llx", h.c_cmd, h.c_dnode, h.c_len,
	      (unsigned long long)h.c_flags);
	release(LSRV);
	wait_child(c, LSRV);

	/* this node as the destination: data from node 2 for node 1's requester */
	c = copy_target(7);
	fill(want, 7, 70000);
	v = (vcopy_t){ .v_src = R2, .v_dst = LSRV, .v_rqtr = RSRV,
		       .v_daddr = (uint64_t)(uintptr_t)vbuf2, .v_bytes = 60000 };
	CHECK_RC("put2lcl COPYIN_RQST from node 2 for node 1's requester, MORE to come",
		 put_copy_flags(RNODE2, CMD_COPYIN_RQST, RSRV, LSRV, 0, ++rmt.rid, &v, want, 60000,
				CMD_FLAG_MORE), OK);
	CHECK("... not answered yet", !next_cmd(&h, 300), "cmd=%x", h.c_cmd);
	v.v_daddr += 60000;
	v.v_bytes = 10000;
	put_copy_from(RNODE2, CMD_COPYIN_RQST, RSRV, LSRV, 0, rmt.rid, &v, want + 60000, 10000);
	got = next_cmd(&h, 3000);
	CHECK("... the last chunk is answered by COPYRMT_ACK to the requester's node (1)",
	      got && h.c_cmd == CMD_COPYRMT_ACK && h.c_dnode == RNODE && h.c_dst == RSRV &&
	      h.c_src == R2 && h.c_rcode == OK && h.c_snd_seq == rmt.rid, "cmd=%x dnode=%d rcode=%d",
	      h.c_cmd, h.c_dnode, h.c_rcode);
	release(LSRV);
	CHECK_RC("... and the bytes are in its memory", wait_child(c, LSRV), 1);
}

static void test_vcopy_remote(void)
{
	struct timespec t0;
	vcopy_t v;
	pid_t c, c2;
	cmd_t h;
	int chunks = 0, ok = 1, got;
	long off = 0;
	uint64_t id = 0;

	/* local -> remote: COPYIN_DATA streamed in chunks of maxbytes, one ACK */
	fill(want, 1, 150000);
	c = child(LCLI, do_vcopy_to_remote, 150000);
	while (off < 150000 && next_cmd(&h, 3000)) {
		long n = 150000 - off < MAXCOPYBUF ? 150000 - off : MAXCOPYBUF;
		int last = off + n == 150000;

		ok &= h.c_cmd == CMD_COPYIN_DATA && h.c_dst == RSRV && h.c_len == n &&
		      h.c_vcopy.v_bytes == n && h.c_vcopy.v_daddr == 0x1000 + (uint64_t)off &&
		      h.c_vcopy.v_rqtr == LCLI && !memcmp(rmt.last_pay, want + off, n) &&
		      !!(h.c_flags & CMD_FLAG_MORE) == !last && (!chunks || h.c_snd_seq == id);
		id = h.c_snd_seq;
		chunks++;
		off += n;
	}
	CHECK("vcopy local->remote: 3 COPYIN_DATA chunks back to back, one id, MORE on all but "
	      "the last, data and addresses right", ok && chunks == 3, "chunks=%d ok=%d", chunks,
	      ok);
	CHECK("... the requester still waits for the ACK", flags_of(LCLI) & SENDING, "flags=%x",
	      flags_of(LCLI));
	put_copy(CMD_COPYIN_ACK, RSRV, LCLI, OK, id, &h.c_vcopy, NULL, 0);
	CHECK_RC("... and gets OK with the COPYIN_ACK", wait_child(c, LCLI), OK);

	/* a stream cut short: the remote node fails the first chunk (one taken at a time) */
	rmt.paused = 1;
	rmt.allow = 0;
	usleep(120000);	/* a get2rmt already waiting (50 ms) ends first */
	c = child(LCLI, do_vcopy_to_remote, 150000);
	wait_flags(LCLI, RMTOPER, 3000);
	rmt.allow = 1;
	got = next_cmd(&h, 3000);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	put_copy(CMD_COPYIN_ACK, RSRV, LCLI, EDVSFAULT, h.c_snd_seq, &h.c_vcopy, NULL, 0);
	CHECK_RC("vcopy local->remote failed on the remote side after its first chunk: the "
		 "requester gets that error", wait_child(c, LCLI), EDVSFAULT);
	CHECK("... at once, not at its timeout (90 s for 3 chunks)", ms_since(&t0) < 5000,
	      "after %ld ms", ms_since(&t0));
	rmt.paused = 0;
	chunks = 0;
	while (next_cmd(&h, 300))
		chunks++;
	CHECK("... and the rest of its stream is withdrawn", got && chunks == 0,
	      "got=%d commands after the error: %d (last cmd=%x flags=%llx)", got, chunks, h.c_cmd,
	      (unsigned long long)h.c_flags);

	/*
	 * A requester's own memory is read chunk by chunk while it waits: a
	 * chunk that cannot be read goes out without data, carrying EDVSFAULT.
	 */
	c = child(LCLI, do_vcopy_hole_to_remote, 3 * MAXCOPYBUF);
	got = next_cmd(&h, 3000);
	ok = got && h.c_cmd == CMD_COPYIN_DATA && h.c_len == MAXCOPYBUF && h.c_rcode == OK &&
	     rmt.last_pay[0] == 0x6b && rmt.last_pay[MAXCOPYBUF - 1] == 0x6b;
	id = h.c_snd_seq;
	got = next_cmd(&h, 3000);
	ok &= got && h.c_cmd == CMD_COPYIN_DATA && h.c_len == 0 && h.c_rcode == EDVSFAULT &&
	      h.c_snd_seq == id && h.c_vcopy.v_daddr == 0x1000 + MAXCOPYBUF;
	CHECK("vcopy local->remote of our memory with an unmapped middle chunk: the first chunk "
	      "carries the bytes, the second no data and EDVSFAULT", ok,
	      "cmd=%x len=%d rcode=%d", h.c_cmd, h.c_len, h.c_rcode);
	put_copy(CMD_COPYIN_ACK, RSRV, LCLI, EDVSFAULT, id, &h.c_vcopy, NULL, 0);
	CHECK_RC("... the remote side's answer to it fails the requester",
		 wait_child(c, LCLI), EDVSFAULT);
	while (next_cmd(&h, 300))
		;	/* the withdrawn stream's last chunk, if already taken */

	/* remote -> local: one COPYOUT_RQST, answered by a COPYOUT_DATA stream */
	fill(want, 2, 100000);
	c = child(LCLI, do_vcopy_from_remote, 100000);
	got = next_cmd(&h, 3000);
	CHECK("vcopy remote->local: one COPYOUT_RQST for the whole range",
	      got && h.c_cmd == CMD_COPYOUT_RQST && h.c_dst == RSRV && h.c_len == 0 &&
	      h.c_vcopy.v_saddr == 0x2000 && h.c_vcopy.v_bytes == 100000, "cmd=%x bytes=%lld",
	      h.c_cmd, (long long)h.c_vcopy.v_bytes);
	v = h.c_vcopy;
	v.v_bytes = MAXCOPYBUF;
	put_copy_flags(RNODE, CMD_COPYOUT_DATA, RSRV, LCLI, OK, h.c_snd_seq, &v, want,
		       MAXCOPYBUF, CMD_FLAG_MORE);
	usleep(200000);
	CHECK("... the first COPYOUT_DATA chunk (MORE) does not wake the requester",
	      flags_of(LCLI) & SENDING, "flags=%x", flags_of(LCLI));
	v.v_saddr += MAXCOPYBUF;
	v.v_daddr += MAXCOPYBUF;
	v.v_bytes = 100000 - MAXCOPYBUF;
	put_copy(CMD_COPYOUT_DATA, RSRV, LCLI, OK, h.c_snd_seq, &v, want + MAXCOPYBUF,
		 100000 - MAXCOPYBUF);
	CHECK_RC("... the last one does, the data arrived byte for byte", wait_child(c, LCLI), OK);

	/* both ends on node 1: one COPYLCL_RQST */
	c = child(LCLI, do_vcopy_lcl_remote, 5000);
	got = next_cmd(&h, 3000);
	CHECK("vcopy between two endpoints of node 1: one COPYLCL_RQST",
	      got && h.c_cmd == CMD_COPYLCL_RQST && h.c_vcopy.v_src == RSRV &&
	      h.c_vcopy.v_dst == RCLI && h.c_vcopy.v_bytes == 5000 && h.c_len == 0,
	      "cmd=%x", h.c_cmd);
	put_copy(CMD_COPYLCL_ACK, RSRV, LCLI, OK, h.c_snd_seq, &h.c_vcopy, NULL, 0);
	CHECK_RC("... COPYLCL_ACK ends it", wait_child(c, LCLI), OK);

	/* node 1's requester writes into a local process (COPYIN_DATA in) */
	c = copy_target(3);
	fill(want, 3, 1000);
	v = (vcopy_t){ .v_src = RSRV, .v_dst = LSRV, .v_rqtr = RSRV,
		       .v_daddr = (uint64_t)(uintptr_t)vbuf2, .v_bytes = 1000 };
	CHECK_RC("put2lcl COPYIN_DATA into a local receiver",
		 put_copy(CMD_COPYIN_DATA, RSRV, LSRV, 0, ++rmt.rid, &v, want, 1000), OK);
	got = next_cmd(&h, 3000);
	CHECK("... answered by COPYIN_ACK OK", got && h.c_cmd == CMD_COPYIN_ACK &&
	      h.c_src == LSRV && h.c_dst == RSRV && h.c_rcode == OK && h.c_snd_seq == rmt.rid,
	      "cmd=%x rcode=%d", h.c_cmd, h.c_rcode);
	release(LSRV);
	CHECK_RC("... and the bytes are in its memory", wait_child(c, LSRV), 3);

	/* ... a chunk its node could not read: no data, answered with that error */
	c = copy_target(3);
	v = (vcopy_t){ .v_src = RSRV, .v_dst = LSRV, .v_rqtr = RSRV,
		       .v_daddr = (uint64_t)(uintptr_t)vbuf2, .v_bytes = 1000 };
	CHECK_RC("put2lcl COPYIN_DATA without data, carrying EDVSFAULT: the copy fails with it",
		 put_copy(CMD_COPYIN_DATA, RSRV, LSRV, EDVSFAULT, ++rmt.rid, &v, NULL, 0),
		 EDVSFAULT);
	got = next_cmd(&h, 3000);
	CHECK("... answered by COPYIN_ACK EDVSFAULT", got && h.c_cmd == CMD_COPYIN_ACK &&
	      h.c_rcode == EDVSFAULT && h.c_snd_seq == rmt.rid, "cmd=%x rcode=%d", h.c_cmd, h.c_rcode);
	release(LSRV);
	CHECK_RC("... and the destination's memory is untouched", wait_child(c, LSRV), 0);

	/* node 1's requester reads a local process (COPYOUT_RQST in) */
	c = copy_target(4);
	v = (vcopy_t){ .v_src = LSRV, .v_dst = RSRV, .v_rqtr = RSRV,
		       .v_saddr = (uint64_t)(uintptr_t)vbuf, .v_bytes = 100000 };
	CHECK_RC("put2lcl COPYOUT_RQST of a local receiver (100000 bytes)",
		 put_copy(CMD_COPYOUT_RQST, RSRV, LSRV, 0, ++rmt.rid, &v, NULL, 0), OK);
	got = next_cmd(&h, 3000);
	ok = got && h.c_cmd == CMD_COPYOUT_DATA && h.c_len == MAXCOPYBUF && h.c_rcode == OK &&
	     (h.c_flags & CMD_FLAG_MORE) && h.c_snd_seq == rmt.rid &&
	     mismatches(rmt.last_pay, 4, MAXCOPYBUF) == 0;
	got = next_cmd(&h, 3000);
	ok &= got && h.c_cmd == CMD_COPYOUT_DATA && h.c_len == 100000 - MAXCOPYBUF &&
	      !(h.c_flags & CMD_FLAG_MORE) && h.c_vcopy.v_saddr == v.v_saddr + MAXCOPYBUF;
	ok = ok && stream_tail_is(4);
	CHECK("... answered by a COPYOUT_DATA stream (MORE, last) with its bytes", ok,
	      "cmd=%x len=%d flags=%llx", h.c_cmd, h.c_len, (unsigned long long)h.c_flags);
	release(LSRV);
	wait_child(c, LSRV);

	/* node 1's requester copies between two local processes (COPYLCL_RQST in) */
	c = child(LSRV, do_copy_target, 5);
	c2 = child(LCLI, do_copy_target, 5);	/* expects the source's pattern */
	wait_flags(LSRV, RECEIVING, 2000);
	wait_flags(LCLI, RECEIVING, 2000);
	v = (vcopy_t){ .v_src = LSRV, .v_dst = LCLI, .v_rqtr = RSRV,
		       .v_saddr = (uint64_t)(uintptr_t)vbuf, .v_daddr = (uint64_t)(uintptr_t)vbuf2,
		       .v_bytes = 70000 };
	CHECK_RC("put2lcl COPYLCL_RQST between two local receivers (70000 bytes)",
		 put_copy(CMD_COPYLCL_RQST, RSRV, LSRV, 0, ++rmt.rid, &v, NULL, 0), OK);
	got = next_cmd(&h, 3000);
	CHECK("... answered by COPYLCL_ACK OK", got && h.c_cmd == CMD_COPYLCL_ACK &&
	      h.c_rcode == OK, "cmd=%x rcode=%d", h.c_cmd, h.c_rcode);
	release(LSRV);
	wait_child(c, LSRV);
	release(LCLI);
	CHECK_RC("... the destination holds the source's bytes", wait_child(c2, LCLI), 1);

	test_vcopy_two_nodes();

	v = (vcopy_t){ .v_src = RSRV, .v_dst = FREE_EP, .v_rqtr = RSRV, .v_bytes = 10 };
	CHECK_RC("COPYIN_DATA (MORE to come) to a free endpoint gives EDVSDSTDIED",
		 put_copy_flags(RNODE, CMD_COPYIN_DATA, RSRV, FREE_EP, 0, ++rmt.rid, &v, want, 10,
				CMD_FLAG_MORE), EDVSDSTDIED);
	got = next_cmd(&h, 3000);
	CHECK("... and the requester's node gets COPYIN_ACK with it at once", got &&
	      h.c_cmd == CMD_COPYIN_ACK && h.c_rcode == EDVSDSTDIED && h.c_snd_seq == rmt.rid,
	      "cmd=%x rcode=%d", h.c_cmd, h.c_rcode);
	CHECK_RC("... the rest of that copy is dropped",
		 put_copy(CMD_COPYIN_DATA, RSRV, FREE_EP, 0, rmt.rid, &v, want, 10), OK);
	CHECK("... unanswered", !next_cmd(&h, 300), "cmd=%x", h.c_cmd);
}

int main(void)
{
	rmt_setup("RMTCOPY");
	rmt_add_node2();
	CHECK_RC("rmtbind R2 on node 2", dvk_rmtbind(DCID, "r2", R2, RNODE2), R2);
	rmt_connect();
	test_vcopy_remote();
	rmt_teardown();
	return CHECK_EXIT();
}
