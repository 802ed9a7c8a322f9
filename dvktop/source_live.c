// SPDX-License-Identifier: GPL-2.0
/*
 * source_live.c - the live data source: the dvkcalls BPF program attached
 * to dvk:dvk_call_exit, epstats (dvk_msg_receive) and pxstats (dvk_rmt_*),
 * the DVS header from /proc/dvs/info, and the debugfs views bindwaits,
 * endpoints, proxies and waits.
 *
 * dvktop must not disturb what it measures: it makes no DVK call (libdvk
 * gives it names only; the DVS header is read from /proc/dvs/info, never
 * with the getdvsinfo ioctl), so the programs need not filter it out.
 *
 * The three maps are BPF_F_MMAPABLE arrays (bpf/stat.bpf.h says why):
 * dvktop maps them read-only and copies them out at each sample, without a
 * system call per entry.  They start at zero when the programs are loaded,
 * so the counts of a sample are "since dvktop started".
 */
#define _GNU_SOURCE	/* program_invocation_short_name */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "dvkcalls.skel.h"
#include "epstats.skel.h"
#include "pxstats.skel.h"
#include "dvktop.h"

/* messages name the program: dvktop or dvk-exporter (both link this file) */
#define PROG	program_invocation_short_name

#define DVS_INFO_PATH	"/proc/dvs/info"
#define BINDWAITS_PATH	"/sys/kernel/debug/dvk/bindwaits"
#define ENDPOINTS_PATH	"/sys/kernel/debug/dvk/endpoints"
#define PROXIES_PATH	"/sys/kernel/debug/dvk/proxies"
#define WAITS_PATH	"/sys/kernel/debug/dvk/waits"

/* A BPF_F_MMAPABLE array map, mapped read-only. */
struct map_view {
	const void *base;	/* entry i at base + i * value size */
	size_t len;		/* of the mapping, whole pages */
};

/*
 * One BPF program of the live source and its stats map, all three driven
 * by one path (live_prog_open): open, set the read-only knobs, load,
 * attach, map the stats; destroy on close.  LIVE_SKEL_ADAPTERS gives each
 * skeleton's typed functions this one shape.
 */
struct live_prog_ops {
	const char *what;	/* in messages: "the epstats BPF program" */
	const char *event;	/* the event it attaches to, in messages */
	void *(*open)(void);
	void (*knobs)(void *skel, const struct dvk_source_opts *opts);	/* or NULL */
	int (*load)(void *skel);
	int (*attach)(void *skel);
	void (*destroy)(void *skel);
	const struct bpf_map *(*map)(const void *skel);	/* its stats map */
	size_t value_size, entries;			/* of that map */
};

#define LIVE_SKEL_ADAPTERS(sk, stats_map)					\
	static void *sk##_open(void) { return sk##_bpf__open(); }		\
	static int sk##_load(void *s) { return sk##_bpf__load(s); }		\
	static int sk##_attach(void *s) { return sk##_bpf__attach(s); }	\
	static void sk##_destroy(void *s) { sk##_bpf__destroy(s); }		\
	static const struct bpf_map *sk##_map(const void *s)			\
	{									\
		return ((const struct sk##_bpf *)s)->maps.stats_map;		\
	}

LIVE_SKEL_ADAPTERS(dvkcalls, call_stats)
LIVE_SKEL_ADAPTERS(epstats, ep_stats)
LIVE_SKEL_ADAPTERS(pxstats, px_stats)

/* knobs before load: they are read-only for the program */
static void dvkcalls_knobs(void *s, const struct dvk_source_opts *opts)
{
	((struct dvkcalls_bpf *)s)->rodata->filter_tgid = opts->filter_pid;
}

enum { LIVE_CALLS, LIVE_EPS, LIVE_PXS, LIVE_NPROGS };

static const struct live_prog_ops live_progs[LIVE_NPROGS] = {
	/* per-call counts and latencies */
	[LIVE_CALLS] = { "the BPF program", "dvk_call_exit", dvkcalls_open, dvkcalls_knobs,
			 dvkcalls_load, dvkcalls_attach, dvkcalls_destroy, dvkcalls_map,
			 sizeof(struct dvk_call_stat), DVK_STAT_SLOTS },
	/* per-endpoint message counts (dvk_msg_receive) */
	[LIVE_EPS] = { "the epstats BPF program", "dvk_msg_receive", epstats_open, NULL,
		       epstats_load, epstats_attach, epstats_destroy, epstats_map,
		       sizeof(struct dvk_ep_stat), DVK_EP_MAX_ENTRIES },
	/* per peer node proxy traffic (dvk_rmt_get/put/enqueue/ack) */
	[LIVE_PXS] = { "the pxstats BPF program", "dvk_rmt_get", pxstats_open, NULL,
		       pxstats_load, pxstats_attach, pxstats_destroy, pxstats_map,
		       sizeof(struct dvk_px_stat), DVK_PX_SLOTS },
};

struct live_priv {
	void *skel[LIVE_NPROGS];		/* of live_progs[i] */
	struct map_view view[LIVE_NPROGS];	/* its stats map */
	struct map_view errors;			/* dvkcalls' call_errors map */
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
	fprintf(stderr, "%s: cannot attach to dvk:%s: is dvk.ko loaded? (%s)\n", PROG, event, msg);
	if (err == -EPERM || err == -EACCES)
		fprintf(stderr, "%s: loading BPF programs needs root "
			"(or CAP_BPF and CAP_PERFMON)\n", PROG);
}

/*
 * Map @map's values read-only into @v, after checking that they are
 * @entries values of @value_size bytes (the layout this dvktop was built
 * with; array maps keep values 8-byte aligned, ours are multiples of 8).
 */
static int map_view_open(struct map_view *v, const struct bpf_map *map, size_t value_size,
			 size_t entries)
{
	long page = sysconf(_SC_PAGESIZE);
	void *base;
	int err;

	if (bpf_map__value_size(map) != value_size || bpf_map__max_entries(map) != entries ||
	    value_size % 8) {
		fprintf(stderr, "%s: BPF map %s: unexpected layout\n", PROG, bpf_map__name(map));
		return -EINVAL;
	}
	v->len = (value_size * entries + (size_t)page - 1) / (size_t)page * (size_t)page;
	base = mmap(NULL, v->len, PROT_READ, MAP_SHARED, bpf_map__fd(map), 0);
	if (base == MAP_FAILED) {
		err = -errno;
		fprintf(stderr, "%s: cannot map the BPF map %s: %s\n", PROG, bpf_map__name(map),
			strerror(-err));
		return err;
	}
	v->base = base;
	return 0;
}

static void map_view_close(struct map_view *v)
{
	if (v->base)
		munmap((void *)v->base, v->len);
	v->base = NULL;
}

static void live_close(struct dvk_source *src)
{
	struct live_priv *p = src->priv;

	if (!p)
		return;
	map_view_close(&p->errors);
	for (int i = 0; i < LIVE_NPROGS; i++) {
		map_view_close(&p->view[i]);
		if (p->skel[i])
			live_progs[i].destroy(p->skel[i]);
	}
	free(p);
	src->priv = NULL;
}

/* Start program @ops into *@skel and map its stats into @view; 0 or -errno. */
static int live_prog_open(const struct live_prog_ops *ops, void **skel, struct map_view *view,
			  const struct dvk_source_opts *opts)
{
	int err;

	*skel = ops->open();
	if (!*skel) {
		err = -errno;
		fprintf(stderr, "%s: cannot open %s: %s\n", PROG, ops->what, strerror(-err));
		return err;
	}
	if (ops->knobs)
		ops->knobs(*skel, opts);
	err = ops->load(*skel);
	if (!err)
		err = ops->attach(*skel);
	if (err) {
		attach_error(ops->event, err);
		return err;
	}
	return map_view_open(view, ops->map(*skel), ops->value_size, ops->entries);
}

static int live_open(struct dvk_source *src, const struct dvk_source_opts *opts)
{
	struct live_priv *p;
	int err = 0;

	live_verbose = opts->verbose;
	libbpf_set_print(libbpf_print);

	p = calloc(1, sizeof(*p));
	if (!p) {
		fprintf(stderr, "%s: out of memory\n", PROG);
		return -ENOMEM;
	}
	src->priv = p;
	for (int i = 0; i < LIVE_NPROGS && !err; i++)
		err = live_prog_open(&live_progs[i], &p->skel[i], &p->view[i], opts);
	if (!err)	/* the second map of dvkcalls: errors by code */
		err = map_view_open(&p->errors,
				    ((struct dvkcalls_bpf *)p->skel[LIVE_CALLS])->maps.call_errors,
				    sizeof(__u64), DVK_ERR_ENTRIES);
	if (err)
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

/* Who waits on whom, from debugfs (needs root, debugfs and a dvk.ko with the file). */
static void read_waits(struct dvk_sample *out)
{
	static char text[1 << 18];	/* ~90 bytes a waiting slot: rows past
					 * DVK_MAX_WAITS are not kept anyway */

	if (read_text(WAITS_PATH, text, sizeof(text))) {
		out->waits_total = -1;
		return;
	}
	out->waits_total = dvk_waits_parse(text, out->waits, DVK_MAX_WAITS, &out->nwaits);
}

/*
 * Entry i of a mapped map.  BPF programs update the counters meanwhile,
 * each an aligned 8-byte word written atomically, so every counter read is
 * one the program wrote; counters of one entry may be a few updates apart.
 */
static const void *map_view_entry(const struct map_view *v, size_t i, size_t size)
{
	return (const char *)v->base + i * size;
}

static void map_view_copy(const struct map_view *v, size_t i, void *dst, size_t size)
{
	memcpy(dst, map_view_entry(v, i, size), size);
}

/* Every slot of the pxstats map, cumulative since the programs were loaded. */
static void read_pxstats(const struct live_priv *p, struct dvk_sample *out)
{
	for (size_t slot = 0; slot < DVK_PX_SLOTS; slot++)
		map_view_copy(&p->view[LIVE_PXS], slot, &out->pxstats[slot], sizeof(out->pxstats[0]));
}

/* Every slot of the call_stats map, cumulative since the programs were loaded. */
static void read_calls(const struct live_priv *p, struct dvk_sample *out)
{
	for (size_t slot = 0; slot < DVK_STAT_SLOTS; slot++)
		map_view_copy(&p->view[LIVE_CALLS], slot, &out->calls[slot], sizeof(out->calls[0]));
}

/* The non-zero entries of call_errors (most are zero: one scan of words). */
static void read_errors(const struct live_priv *p, struct dvk_sample *out)
{
	const volatile __u64 *e = p->errors.base;

	out->nerrstats = 0;
	for (int i = 0; i < DVK_ERR_ENTRIES && out->nerrstats < DVK_MAX_ERRSTATS; i++) {
		__u64 n = e[i];
		struct dvk_errstat *st = &out->errstats[out->nerrstats];

		if (!n)
			continue;
		st->slot = (int16_t)(i / DVK_ERR_CODES);
		st->code = (int16_t)-(i % DVK_ERR_CODES);
		st->count = n;
		out->nerrstats++;
	}
}

/*
 * The epstats entries in use (a message counted), in index order.  The
 * entry's DC is its index's; its endpoint is the entry's @ep, the last
 * endpoint of that slot that sent or received a message.
 */
static void read_epstats(const struct live_priv *p, struct dvk_sample *out)
{
	out->nepstats = 0;
	for (size_t i = 0; i < DVK_EP_MAX_ENTRIES && out->nepstats < DVK_MAX_EPSTATS; i++) {
		/* only the fields the views use: not 8192 x 368 bytes per sample */
		const volatile struct dvk_ep_stat *st = map_view_entry(&p->view[LIVE_EPS], i, sizeof(*st));
		struct dvk_epstat *e = &out->epstats[out->nepstats];

		e->sent = st->sent;
		e->received = st->received;
		if (!e->sent && !e->received)
			continue;
		e->dcid = (int32_t)(i / DVK_EP_SLOTS_PER_DC);
		e->ep = st->ep;
		e->wait_total_ns = st->wait_total_ns;
		e->wait_max_ns = st->wait_max_ns;
		out->nepstats++;
	}
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
	read_waits(out);
	out->time_ns = dvktop_now_ns();
	out->real_ns = dvktop_real_ns();
	read_calls(p, out);
	read_errors(p, out);
	read_epstats(p, out);
	read_pxstats(p, out);
	src->err[0] = '\0';
	return 0;
}

const struct dvk_source_ops dvk_source_live_ops = {
	.name = "live",
	.open = live_open,
	.sample = live_sample,
	.close = live_close,
};
