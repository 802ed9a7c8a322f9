// SPDX-License-Identifier: GPL-2.0
/*
 * proxy_fuzz.c - send bad frames to a dvk-proxy receiver port: garbage, a
 * truncated header, a wrong version, an oversized payload length, a header
 * with a flipped bit, and a connection that says nothing.  Each must make
 * the proxy close that connection (within 5 s).  Prints one line per case;
 * the exit status is the number of cases the proxy did not close.
 *
 * usage: proxy_fuzz HOST PORT
 */
#include <arpa/inet.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include "wire.h"

static int conn(const char *host, int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0 || inet_pton(AF_INET, host, &a.sin_addr) != 1 ||
	    connect(fd, (struct sockaddr *)&a, sizeof(a))) {
		perror("proxy_fuzz: connect");
		exit(100);
	}
	return fd;
}

/* send @n bytes (and end our side if @eof), then: did the peer close within 5 s? */
static int closed_after(const char *host, int port, const void *buf, size_t n, int eof)
{
	int fd = conn(host, port), closed = 0;
	struct pollfd pf = { fd, POLLIN, 0 };
	char c;

	if (n && dvkp_write_all(fd, buf, n))
		closed = 1;	/* already gone */
	if (eof)
		shutdown(fd, SHUT_WR);
	if (!closed && poll(&pf, 1, 5000) == 1)
		closed = read(fd, &c, 1) <= 0;
	close(fd);
	return closed;
}

int main(int argc, char **argv)
{
	uint8_t f[DVKP_HDR_BYTES], g[300];
	int port, bad = 0;
	cmd_t c;

	if (argc != 3)
		return fprintf(stderr, "usage: proxy_fuzz HOST PORT\n"), 100;
	port = atoi(argv[2]);
	memset(&c, 0, sizeof(c));
	c.c_cmd = CMD_SEND_MSG;
	memset(g, 'A', sizeof(g));
	struct { const char *name; int ok; } r[6];

	r[0].name = "garbage";
	r[0].ok = closed_after(argv[1], port, g, sizeof(g), 0);
	dvkp_encode(&c, 0, f);
	r[1].name = "truncated header";
	r[1].ok = closed_after(argv[1], port, f, 50, 1);
	f[4] = 9;
	r[2].name = "wrong version";
	r[2].ok = closed_after(argv[1], port, f, sizeof(f), 0);
	c.c_len = 70000;
	dvkp_encode(&c, 70000, f);
	r[3].name = "oversized payload length";
	r[3].ok = closed_after(argv[1], port, f, sizeof(f), 0);
	c.c_len = 0;
	dvkp_encode(&c, 0, f);
	f[60] ^= 4;
	r[4].name = "flipped bit (CRC)";
	r[4].ok = closed_after(argv[1], port, f, sizeof(f), 0);
	r[5].name = "silent connection";
	r[5].ok = closed_after(argv[1], port, NULL, 0, 0);
	for (int i = 0; i < 6; i++) {
		printf("%s: %s\n", r[i].name, r[i].ok ? "closed" : "NOT closed");
		bad += !r[i].ok;
	}
	return bad;
}
