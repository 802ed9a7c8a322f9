// SPDX-License-Identifier: GPL-2.0
/*
 * test_proxy_secure.c - host tests of dvk-proxy's secured link
 * (tools/dvk-proxy/keyfile.c, handshake.c, record.c; docs/proxy-wire.md):
 * the key file's checks, a whole handshake and each way it refuses a peer
 * (no key, wrong node, other mode, no common key, a plain-link frame,
 * garbage, a replayed hello), the choice of key during a rotation, and
 * records: round trips encrypted and authenticated-only, every single-bit
 * flip, replays, reordering and truncation.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include "libdvk.h"
#include "check.h"
#include "handshake.h"
#include "keyfile.h"
#include "record.h"
#include "wire.h"

static char dir[] = "/tmp/test_proxy_secure.XXXXXX";

/* Write @text to dir/@name with @mode; its path. */
static const char *file(const char *name, const char *text, mode_t mode)
{
	static char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	unlink(path);
	f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
	chmod(path, mode);
	return path;
}

#define KEY_A "1111111111111111111111111111111111111111111111111111111111111111"
#define KEY_B "2222222222222222222222222222222222222222222222222222222222222222"

static void test_keyfile(void)
{
	struct dvkp_keys k;
	char err[256];
	const char *p;
	long id;

	p = file("good", "# comment\n\n1 " KEY_A "\n  7\t" KEY_B "  \n", 0600);
	CHECK("a key file with two keys and comments loads, highest id first",
	      !dvkp_keys_load(p, &k, err, sizeof(err)) && k.n == 2 && k.id[0] == 7 &&
	      k.id[1] == 1 && k.key[0][0] == 0x22 && k.key[1][31] == 0x11, "%s", err);
	p = file("open", "1 " KEY_A "\n", 0644);
	CHECK("a key file others can read is refused, saying why",
	      dvkp_keys_load(p, &k, err, sizeof(err)) && strstr(err, "chmod 600"), "%s", err);
	p = file("short", "1 " "abcd" "\n", 0600);
	CHECK("a short key is refused", dvkp_keys_load(p, &k, err, sizeof(err)) &&
	      strstr(err, "line 1"), "%s", err);
	p = file("dup", "3 " KEY_A "\n3 " KEY_B "\n", 0600);
	CHECK("a repeated key id is refused", dvkp_keys_load(p, &k, err, sizeof(err)) &&
	      strstr(err, "twice"), "%s", err);
	p = file("five", "1 " KEY_A "\n2 " KEY_A "\n3 " KEY_A "\n4 " KEY_A "\n5 " KEY_A "\n", 0600);
	CHECK("more than DVKP_MAX_KEYS keys are refused", dvkp_keys_load(p, &k, err, sizeof(err)),
	      "loaded %d", k.n);
	p = file("empty", "# nothing\n", 0600);
	CHECK("a file without a key is refused", dvkp_keys_load(p, &k, err, sizeof(err)), "x");
	CHECK("a missing file is refused", dvkp_keys_load("/nonexistent/k", &k, err, sizeof(err)),
	      "x");
	p = file("gen", "", 0600);
	unlink(p);
	id = dvkp_keys_generate(p, 0, err, sizeof(err));
	CHECK("keygen writes key 1, mode 600, and it loads",
	      id == 1 && !dvkp_keys_load(p, &k, err, sizeof(err)) && k.n == 1, "%ld %s", id, err);
	CHECK("keygen never overwrites a key file", dvkp_keys_generate(p, 0, err, sizeof(err)) < 0,
	      "x");
	id = dvkp_keys_generate(p, 1, err, sizeof(err));
	CHECK("keygen --add appends key 2 and keeps key 1",
	      id == 2 && !dvkp_keys_load(p, &k, err, sizeof(err)) && k.n == 2 && k.id[0] == 2 &&
	      k.id[1] == 1, "%ld %s", id, err);
	p = file("last", "2147483647 " KEY_A "\n", 0600);
	CHECK("keygen --add after the last id refuses and leaves the file loadable",
	      dvkp_keys_generate(p, 1, err, sizeof(err)) < 0 && strstr(err, "last one") &&
	      !dvkp_keys_load(p, &k, err, sizeof(err)) && k.n == 1, "%s", err);
}

static void keys_of(struct dvkp_keys *k, int n, const uint32_t *ids, uint8_t fill)
{
	memset(k, 0, sizeof(*k));
	k->n = n;
	for (int i = 0; i < n; i++) {
		k->id[i] = ids[i];
		memset(k->key[i], fill + (uint8_t)ids[i], DVKP_KEY_BYTES);
	}
}

/* A whole handshake between client node 0 and server node 1; 0 or the first error. */
static int handshake(const struct dvkp_keys *ck, const struct dvkp_keys *sk, int cenc, int senc,
		     struct dvkp_session *cs, struct dvkp_session *ss)
{
	uint8_t fin[DVKP_FINISH_BYTES], acc[DVKP_ACCEPT_BYTES];
	struct dvkp_hs c, s;
	int r;

	if (dvkp_hs_client_hello(&c, ck, cenc ? DVKP_HS_ENCRYPT : 0, 0, 1))
		return -100;
	r = dvkp_hs_server_hello(&s, sk, senc, 1, 0, c.chello);
	if (!r)
		r = dvkp_hs_client_finish(&c, ck, s.shello, fin, cs);
	if (r)
		return r;
	r = dvkp_hs_server_finish(&s, fin, ss, acc);
	if (!r && (r = dvkp_hs_client_accepted(&c, acc)))
		dvkp_session_free(ss);
	if (r)
		dvkp_session_free(cs);
	return r;
}

static void test_handshake(void)
{
	uint32_t one[] = { 1 }, two_one[] = { 2, 1 }, three_two[] = { 3, 2 }, five[] = { 5 };
	struct dvkp_keys a, b, c21, c32, other;
	uint8_t fin[DVKP_FINISH_BYTES], acc[DVKP_ACCEPT_BYTES], frame[DVKP_HDR_BYTES];
	struct dvkp_session cs, ss, x;
	struct dvkp_hs ch, sh, sh2;
	cmd_t cmd;

	keys_of(&a, 1, one, 0x40);
	keys_of(&b, 1, one, 0x40);
	CHECK_RC("a handshake with the same key completes", handshake(&a, &b, 1, 1, &cs, &ss), 0);
	CHECK("... both ends use key 1, encrypting, from sequence number 0",
	      cs.key_id == 1 && ss.key_id == 1 && cs.encrypt && ss.encrypt && !cs.seq && !ss.seq,
	      "%u %u", cs.key_id, ss.key_id);
	dvkp_session_free(&cs);
	dvkp_session_free(&ss);
	keys_of(&other, 1, one, 0x99);	/* same id, another key: a peer without ours */
	CHECK_RC("a server without the key is found out by the client",
		 handshake(&other, &b, 1, 1, &cs, &ss), -DVKP_EHSMAC);
	dvkp_hs_client_hello(&ch, &a, DVKP_HS_ENCRYPT, 0, 1);
	dvkp_hs_server_hello(&sh, &b, 1, 1, 0, ch.chello);
	memset(fin, 0, sizeof(fin));
	memcpy(fin, "DVKF\x02\x00\x28\x00", 8);	/* a well-formed FINISH with a made-up MAC */
	CHECK_RC("a client without the key is refused at FINISH",
		 dvkp_hs_server_finish(&sh, fin, &x, acc), -DVKP_EHSMAC);
	dvkp_hs_client_finish(&ch, &a, sh.shello, fin, &cs);
	dvkp_session_free(&cs);
	dvkp_hs_server_hello(&sh2, &b, 1, 1, 0, ch.chello);	/* the same hello, replayed */
	CHECK_RC("a recorded handshake replayed to a new server nonce is refused",
		 dvkp_hs_server_finish(&sh2, fin, &x, acc), -DVKP_EHSMAC);
	dvkp_hs_client_hello(&ch, &a, DVKP_HS_ENCRYPT, 2, 1);	/* node 2 says it is... */
	CHECK_RC("a hello from another node than the one served is refused",
		 dvkp_hs_server_hello(&sh, &b, 1, 1, 0, ch.chello), -DVKP_ENODE);
	CHECK_RC("an encrypting client and an authenticating server are refused",
		 handshake(&a, &b, 1, 0, &cs, &ss), -DVKP_EMODE);
	keys_of(&other, 1, five, 0x40);
	CHECK_RC("no key id in common is refused", handshake(&a, &other, 1, 1, &cs, &ss),
		 -DVKP_ENOKEY);
	memset(&cmd, 0, sizeof(cmd));
	dvkp_encode(&cmd, 0, frame);
	CHECK_RC("a frame of the plain link is 'wrong version'",
		 dvkp_hs_server_hello(&sh, &b, 1, 1, 0, frame), -DVKP_EVERSION);
	memset(frame, 'G', sizeof(frame));
	CHECK_RC("garbage is 'bad hello'", dvkp_hs_server_hello(&sh, &b, 1, 1, 0, frame),
		 -DVKP_EHELLO);
	keys_of(&c21, 2, two_one, 0x40);
	keys_of(&c32, 2, three_two, 0x40);
	CHECK("rotation: keys {2,1} and {1} agree on 1",
	      !handshake(&c21, &b, 0, 0, &cs, &ss) && cs.key_id == 1 && ss.key_id == 1 &&
	      !cs.encrypt, "%u", cs.key_id);
	dvkp_session_free(&cs);
	dvkp_session_free(&ss);
	CHECK("rotation: keys {2,1} and {3,2} agree on 2",
	      !handshake(&c21, &c32, 1, 1, &cs, &ss) && cs.key_id == 2 && ss.key_id == 2,
	      "%u", cs.key_id);
	dvkp_session_free(&cs);
	dvkp_session_free(&ss);
}

/* Messages changed on the way: every change is found by one end or the other. */
static void test_tampering(void)
{
	uint32_t two_one[] = { 2, 1 };
	uint8_t fin[DVKP_FINISH_BYTES], acc[DVKP_ACCEPT_BYTES];
	struct dvkp_session cs, ss;
	struct dvkp_hs c, s;
	struct dvkp_keys k;

	keys_of(&k, 2, two_one, 0x20);
	dvkp_hs_client_hello(&c, &k, DVKP_HS_ENCRYPT, 0, 1);
	dvkp_hs_server_hello(&s, &k, 1, 1, 0, c.chello);
	s.shello[20] = 1;	/* the chosen key id 2 -> 1, also offered: a downgrade */
	CHECK_RC("a SERVER_HELLO whose key id was lowered on the way is refused",
		 dvkp_hs_client_finish(&c, &k, s.shello, fin, &cs), -DVKP_EHSMAC);
	dvkp_hs_client_hello(&c, &k, DVKP_HS_ENCRYPT, 0, 1);
	c.chello[8] &= ~DVKP_HS_ENCRYPT;	/* encryption stripped on the way */
	dvkp_hs_server_hello(&s, &k, 0, 1, 0, c.chello);	/* a server that would not encrypt */
	c.chello[8] |= DVKP_HS_ENCRYPT;	/* the client still has its own hello */
	CHECK_RC("a CLIENT_HELLO whose encryption flag was stripped on the way is refused",
		 dvkp_hs_client_finish(&c, &k, s.shello, fin, &cs), -DVKP_EMODE);
	dvkp_hs_client_hello(&c, &k, DVKP_HS_ENCRYPT, 0, 1);
	dvkp_hs_server_hello(&s, &k, 1, 1, 0, c.chello);
	dvkp_hs_client_finish(&c, &k, s.shello, fin, &cs);
	dvkp_hs_server_finish(&s, fin, &ss, acc);
	CHECK_RC("the server's ACCEPT verifies", dvkp_hs_client_accepted(&c, acc), 0);
	acc[20] ^= 1;
	CHECK_RC("an ACCEPT changed on the way (or made up) is refused",
		 dvkp_hs_client_accepted(&c, acc), -DVKP_EHSMAC);
	dvkp_session_free(&cs);
	dvkp_session_free(&ss);
}

/* Two sessions of one handshake, @enc or authenticated-only. */
static void pair(int enc, struct dvkp_session *tx, struct dvkp_session *rx)
{
	uint32_t one[] = { 1 };
	struct dvkp_keys k;

	keys_of(&k, 1, one, 0x10);
	if (handshake(&k, &k, enc, enc, tx, rx))
		abort();
}

#define BODY 300
static size_t seal_sample(struct dvkp_session *tx, uint8_t *rec, uint8_t fill)
{
	memset(rec + DVKP_REC_BYTES, fill, BODY);
	return dvkp_seal(tx, DVKP_REC_FRAME, rec, BODY);
}

/* Open a copy of @rec of @n bytes: 0 or -err. */
static int open_copy(struct dvkp_session *rx, const uint8_t *rec, size_t n)
{
	uint8_t buf[DVKP_REC_BYTES + BODY + DVKP_TAG_BYTES];
	uint32_t len;
	int type, r;

	memcpy(buf, rec, n);
	r = dvkp_open_header(rx, buf, BODY, &type, &len);
	return r ? r : dvkp_open_body(rx, buf, buf + DVKP_REC_BYTES, len);
}

static void test_records(int enc)
{
	uint8_t rec[DVKP_REC_BYTES + BODY + DVKP_TAG_BYTES], old[sizeof(rec)], bad[sizeof(rec)];
	const char *m = enc ? "encrypted" : "authenticated";
	struct dvkp_session tx, rx;
	int caught = 0, same = 0, sv[2], type;
	uint32_t len;
	char name[160];
	size_t n;

	pair(enc, &tx, &rx);
	n = seal_sample(&tx, rec, 0x5a);
	snprintf(name, sizeof(name), "%s record: 24 + 300 + 16 bytes, body %s", m,
		 enc ? "not in plain text" : "in plain text");
	for (int i = 0; i < BODY; i++)
		same += rec[DVKP_REC_BYTES + i] == 0x5a;
	CHECK(name, n == sizeof(rec) && (enc ? same < 10 : same == BODY), "n %zu, %d bytes as sent",
	      n, same);
	memcpy(old, rec, n);
	snprintf(name, sizeof(name), "%s record opens, body intact", m);
	CHECK(name, !open_copy(&rx, rec, n), "x");
	snprintf(name, sizeof(name), "%s record replayed: refused as replayed", m);
	CHECK_RC(name, open_copy(&rx, old, n), -DVKP_EREPLAY);
	seal_sample(&tx, rec, 1);	/* sequence 1 is lost on the way... */
	n = seal_sample(&tx, rec, 2);	/* ...and 2 arrives */
	snprintf(name, sizeof(name), "%s record skipping a sequence number: out-of-order", m);
	CHECK_RC(name, open_copy(&rx, rec, n), -DVKP_EORDER);
	dvkp_session_free(&tx);
	dvkp_session_free(&rx);
	pair(enc, &tx, &rx);
	n = seal_sample(&tx, rec, 0x77);	/* sequence 0 of another session, same key */
	dvkp_session_free(&tx);
	dvkp_session_free(&rx);
	pair(enc, &tx, &rx);
	snprintf(name, sizeof(name), "%s record of another session (same key, same sequence "
		 "number) is refused", m);
	CHECK_RC(name, open_copy(&rx, rec, n), -DVKP_EMAC);
	dvkp_session_free(&tx);
	dvkp_session_free(&rx);

	for (size_t i = 0; i < sizeof(rec); i++) {	/* every bit of header, body and tag */
		for (int b = 0; b < 8; b++) {
			pair(enc, &tx, &rx);
			n = seal_sample(&tx, rec, 0x33);
			rec[i] ^= 1 << b;
			caught += open_copy(&rx, rec, n) != 0;
			dvkp_session_free(&tx);
			dvkp_session_free(&rx);
		}
	}
	snprintf(name, sizeof(name), "%s record: every single-bit flip is refused", m);
	CHECK(name, caught == 8 * (int)sizeof(rec), "%d of %zu", caught, 8 * sizeof(rec));

	pair(enc, &tx, &rx);
	n = seal_sample(&tx, rec, 0x44);
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	dvkp_write_all(sv[0], rec, n - 1);	/* the tag's last byte never comes */
	close(sv[0]);
	snprintf(name, sizeof(name), "%s record cut short: truncated", m);
	CHECK_RC(name, dvkp_read_record(sv[1], &rx, 1000, bad, &type, &len), -DVKP_ETRUNC);
	close(sv[1]);
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	dvkp_write_all(sv[0], rec, n);
	close(sv[0]);
	snprintf(name, sizeof(name), "%s record through a stream, then a clean end", m);
	CHECK(name, dvkp_read_record(sv[1], &rx, 1000, bad, &type, &len) == 1 && len == BODY &&
	      type == DVKP_REC_FRAME && bad[0] == 0x44 &&
	      dvkp_read_record(sv[1], &rx, 1000, bad, &type, &len) == 0, "len %u", len);
	close(sv[1]);
	snprintf(name, sizeof(name), "%s record longer than the reader's limit: refused unread", m);
	CHECK_RC(name, dvkp_open_header(&rx, rec, BODY - 1, &type, &len), -DVKP_ERECORD);
	dvkp_session_free(&tx);
	dvkp_session_free(&rx);
}

int main(void)
{
	if (!mkdtemp(dir))
		return 2;
	test_keyfile();
	test_handshake();
	test_tampering();
	test_records(1);
	test_records(0);
	if (system("rm -rf /tmp/test_proxy_secure.??????") != 0)
		return 2;
	return CHECK_EXIT();
}
