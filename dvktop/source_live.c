// SPDX-License-Identifier: GPL-2.0
/*
 * source_live.c - the live data source: the dvkcalls BPF program attached
 * to dvk:dvk_call_exit, epstats (dvk_msg_receive) and pxstats (dvk_rmt_*),
 * the DVS header from /proc/dvs/info, and the debugfs views bindwaits,
 * endpoints and proxies.
 *
 * dvktop must not disturb what it measures: the BPF program is told to
 * ignore dvktop's own process (exclude_tgid), and the DVS header is read
 * from /proc/dvs/info only, never with the getdvsinfo ioctl (that would be
 * a DVK call, counted by every other observer).
 *
 * The per-CPU map starts at zero when the program is loaded, so the counts
 * of a sample are "since dvktop started".
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "dvkcalls.skel.h"
#include "epstats.skel.h"
#include "pxstats.skel.h"
#include "dvktop.h"

#define DVS_INFO_PATH	"/proc/dvs/info"
#define BINDWAITS_PATH	"/sys/kernel/debug/dvk/bindwaits"
#define ENDPOINTS_PATH	"/sys/kernel/debug/dvk/endpoints"
#define PROXIES_PATH	"/sys/kernel/debug/dvk/proxies"

struct live_priv {
	struct dvkcalls_bpf *skel;
	int map_fd;
	int ncpus;
	struct dvk_call_stat *percpu;	/* ncpus values of one slot */
	struct epstats_bpf *ep_skel;
	int ep_map_fd;
	struct dvk_ep_stat *ep_percpu;	/* ncpus values of one endpoint */
	struct pxstats_bpf *px_skel;
	int px_map_fd;
	struct dvk_px_stat *px_percpu;	/* ncpus values of one node */
};

static int live_verbose;

/* libbpf prints nothing unless -v; with -v everything, debug included. */
static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	if (!live_verbose)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

static void attach_error(const char *event, int err)
{
	char msg[128];

	libbpf_strerror(err, msg, sizeof(msg));
	fprintf(stderr, "dvktop: cannot attach to dvk:%s: is dvk.ko loaded? (%s)\n", event,
		msg);
	if (err == -EPERM || err == -EACCES)
		fprintf(stderr, "dvktop: loading BPF programs needs root "
			"(or CAP_BPF and CAP_PERFMON)\n");
}

static void live_close(struct dvk_source *src)
{
	struct live_priv *p = src->priv;

	if (!p)
		return;
	dvkcalls_bpf__destroy(p->skel);
	epstats_bpf__destroy(p->ep_skel);
	pxstats_bpf__destroy(p->px_skel);
	free(p->percpu);
	free(p->ep_percpu);
	free(p->px_percpu);
	free(p);
	src->priv = NULL;
}

static int live_open(struct dvk_source *src, const struct dvk_source_opts *opts)
{
	struct live_priv *p;
	int err;

	live_verbose = opts->verbose;
	libbpf_set_print(libbpf_print);

	p = calloc(1, sizeof(*p));
	if (!p) {
		fprintf(stderr, "dvktop: out of memory\n");
		return -ENOMEM;
	}
	src->priv = p;

	p->skel = dvkcalls_bpf__open();
	if (!p->skel) {
		err = -errno;
		fprintf(stderr, "dvktop: cannot open the BPF program: %s\n", strerror(-err));
		goto fail;
	}
	/* knobs before load: they are read-only for the program */
	p->skel->rodata->exclude_tgid = getpid();
	p->skel->rodata->filter_tgid = opts->filter_pid;

	err = dvkcalls_bpf__load(p->skel);
	if (err) {
		attach_error("dvk_call_exit", err);
		goto fail;
	}
	err = dvkcalls_bpf__attach(p->skel);
	if (err) {
		attach_error("dvk_call_exit", err);
		goto fail;
	}

	/* per-endpoint message counts (dvk_msg_receive) */
	p->ep_skel = epstats_bpf__open();
	if (!p->ep_skel) {
		err = -errno;
		fprintf(stderr, "dvktop: cannot open the epstats BPF program: %s\n",
			strerror(-err));
		goto fail;
	}
	err = epstats_bpf__load(p->ep_skel);
	if (!err)
		err = epstats_bpf__attach(p->ep_skel);
	if (err) {
		attach_error("dvk_msg_receive", err);
		goto fail;
	}

	/* per peer node proxy traffic (dvk_rmt_get/put/enqueue/ack) */
	p->px_skel = pxstats_bpf__open();
	if (!p->px_skel) {
		err = -errno;
		fprintf(stderr, "dvktop: cannot open the pxstats BPF program: %s\n",
			strerror(-err));
		goto fail;
	}
	err = pxstats_bpf__load(p->px_skel);
	if (!err)
		err = pxstats_bpf__attach(p->px_skel);
	if (err) {
		attach_error("dvk_rmt_get", err);
		goto fail;
	}

	p->ncpus = libbpf_num_possible_cpus();
	if (p->ncpus <= 0) {
		err = p->ncpus ? p->ncpus : -EINVAL;
		fprintf(stderr, "dvktop: cannot count the possible CPUs: %s\n", strerror(-err));
		goto fail;
	}
	p->percpu = calloc((size_t)p->ncpus, sizeof(*p->percpu));
	if (!p->percpu) {
		err = -ENOMEM;
		fprintf(stderr, "dvktop: out of memory\n");
		goto fail;
	}
	p->ep_percpu = calloc((size_t)p->ncpus, sizeof(*p->ep_percpu));
	if (!p->ep_percpu) {
		err = -ENOMEM;
		fprintf(stderr, "dvktop: out of memory\n");
		goto fail;
	}
	p->px_percpu = calloc((size_t)p->ncpus, sizeof(*p->px_percpu));
	if (!p->px_percpu) {
		err = -ENOMEM;
		fprintf(stderr, "dvktop: out of memory\n");
		goto fail;
	}
	p->map_fd = bpf_map__fd(p->skel->maps.call_stats);
	p->px_map_fd = bpf_map__fd(p->px_skel->maps.px_stats);
	p->ep_map_fd = bpf_map__fd(p->ep_skel->maps.ep_stats);
	return 0;

fail:
	live_close(src);
	return err;
}

/* Read a small text file into buf (NUL-terminated); -1 if it cannot be opened. */
static int read_text(const char *path, char *buf, size_t size)
{
	size_t used = 0;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	while (used < size - 1) {
		n = read(fd, buf + used, size - 1 - used);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		used += (size_t)n;
	}
	close(fd);
	buf[used] = '\0';
	return 0;
}

/* The processes sleeping in wait4bind, from debugfs (needs root and debugfs). */
static void read_bindwaits(struct dvk_sample *out)
{
	static char text[65536];

	if (read_text(BINDWAITS_PATH, text, sizeof(text))) {
		out->bindwaits_total = -1;
		return;
	}
	out->bindwaits_total = dvk_bindwaits_parse(text, out->bindwaits, DVK_MAX_BINDWAITS,
						   &out->nbindwaits);
}

/* The bound endpoints, from debugfs (needs root and debugfs). */
static void read_endpoints(struct dvk_sample *out)
{
	static char text[1 << 18];	/* 32 DCs x 256 slots x ~100 bytes would be 800k:
					 * rows past DVK_MAX_ENDPOINTS are not kept anyway */

	if (read_text(ENDPOINTS_PATH, text, sizeof(text))) {
		out->endpoints_total = -1;
		return;
	}
	out->endpoints_total = dvk_endpoints_parse(text, out->endpoints, DVK_MAX_ENDPOINTS,
						   &out->nendpoints);
}

/* The proxy pairs in use, from debugfs (needs root and debugfs). */
static void read_proxies(struct dvk_sample *out)
{
	static char text[16384];	/* 32 pairs x ~160 bytes */

	if (read_text(PROXIES_PATH, text, sizeof(text))) {
		out->pairs_total = -1;
		return;
	}
	out->pairs_total = dvk_proxies_parse(text, out->pairs, DVK_MAX_PAIRS, &out->npairs);
}

/* Every slot of the pxstats map, summed over CPUs (wait_max: the largest). */
static int read_pxstats(struct live_priv *p, struct dvk_sample *out, char *err, size_t errlen)
{
	for (__u32 slot = 0; slot < DVK_PX_SLOTS; slot++) {
		struct dvk_px_stat *sum = &out->pxstats[slot];

		if (bpf_map_lookup_elem(p->px_map_fd, &slot, p->px_percpu)) {
			snprintf(err, errlen, "cannot read the px_stats map (slot %u): %s", slot,
				 strerror(errno));
			return -errno;
		}
		memset(sum, 0, sizeof(*sum));
		for (int cpu = 0; cpu < p->ncpus; cpu++) {
			const struct dvk_px_stat *c = &p->px_percpu[cpu];

			sum->msgs_out += c->msgs_out;
			sum->bytes_out += c->bytes_out;
			sum->wait_total_ns += c->wait_total_ns;
			if (c->wait_max_ns > sum->wait_max_ns)
				sum->wait_max_ns = c->wait_max_ns;
			sum->msgs_in += c->msgs_in;
			sum->bytes_in += c->bytes_in;
			sum->errors_in += c->errors_in;
			sum->enqueued += c->enqueued;
			sum->acks += c->acks;
			sum->acks_late += c->acks_late;
		}
	}
	return 0;
}

/* Every entry of the epstats map, summed over CPUs (wait_max: the largest). */
static int read_epstats(struct live_priv *p, struct dvk_sample *out, char *err, size_t errlen)
{
	struct dvk_ep_key key, next;
	struct dvk_ep_key *prev = NULL;

	out->nepstats = 0;
	while (out->nepstats < DVK_MAX_EPSTATS &&
	       !bpf_map_get_next_key(p->ep_map_fd, prev, &next)) {
		struct dvk_epstat *e = &out->epstats[out->nepstats];

		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(p->ep_map_fd, &key, p->ep_percpu)) {
			if (errno == ENOENT)
				continue;	/* cannot happen: keys are never deleted */
			snprintf(err, errlen, "cannot read the ep_stats map: %s", strerror(errno));
			return -errno;
		}
		memset(e, 0, sizeof(*e));
		e->dcid = key.dcid;
		e->ep = key.ep;
		for (int cpu = 0; cpu < p->ncpus; cpu++) {
			const struct dvk_ep_stat *c = &p->ep_percpu[cpu];

			e->sent += c->sent;
			e->received += c->received;
			e->wait_total_ns += c->wait_total_ns;
			if (c->wait_max_ns > e->wait_max_ns)
				e->wait_max_ns = c->wait_max_ns;
		}
		out->nepstats++;
	}
	return 0;
}

/* The DVS header, from /proc/dvs/info only (see the top of this file). */
static void read_dvs(struct dvk_dvs_info *d)
{
	char text[4096];

	memset(d, 0, sizeof(*d));
	if (access(DVK_DEVICE, F_OK) != 0) {
		d->state = DVK_DVS_NOT_LOADED;
		return;
	}
	d->state = DVK_DVS_NOT_INITIALIZED;
	if (read_text(DVS_INFO_PATH, text, sizeof(text)))
		return;
	/* the file may vanish between open and read (dvs_end): then no keys */
	if (dvk_dvs_parse(text, d) > 0)
		d->state = DVK_DVS_INITIALIZED;
}

static int live_sample(struct dvk_source *src, struct dvk_sample *out)
{
	struct live_priv *p = src->priv;

	memset(out, 0, sizeof(*out));
	read_dvs(&out->dvs);
	read_bindwaits(out);
	read_endpoints(out);
	read_proxies(out);
	out->time_ns = dvktop_now_ns();
	{
		int err = read_epstats(p, out, src->err, sizeof(src->err));

		if (!err)
			err = read_pxstats(p, out, src->err, sizeof(src->err));
		if (err)
			return err;
	}
	for (__u32 slot = 0; slot < DVK_STAT_SLOTS; slot++) {
		struct dvk_call_stat *sum = &out->calls[slot];

		if (bpf_map_lookup_elem(p->map_fd, &slot, p->percpu)) {
			int err = -errno;

			snprintf(src->err, sizeof(src->err),
				 "cannot read the call_stats map (slot %u): %s", slot,
				 strerror(-err));
			return err;
		}
		for (int cpu = 0; cpu < p->ncpus; cpu++) {
			const struct dvk_call_stat *c = &p->percpu[cpu];

			sum->count += c->count;
			sum->errors += c->errors;
			sum->total_ns += c->total_ns;
			for (int i = 0; i < DVK_HIST_SLOTS; i++)
				sum->hist[i] += c->hist[i];
		}
	}
	src->err[0] = '\0';
	return 0;
}

const struct dvk_source_ops dvk_source_live_ops = {
	.name = "live",
	.open = live_open,
	.sample = live_sample,
	.close = live_close,
};
