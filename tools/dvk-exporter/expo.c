// SPDX-License-Identifier: GPL-2.0
/*
 * expo.c - the exposition of a dvktop model in the Prometheus (0.0.4) and
 * OpenMetrics (1.0.0) text formats.  The two differ here only in:
 *   - a counter family is named without "_total" in OpenMetrics' HELP and
 *     TYPE lines (the samples keep it), with it in Prometheus';
 *   - info metrics are TYPE info in OpenMetrics, gauges in Prometheus;
 *   - OpenMetrics has UNIT lines and ends with "# EOF".
 * Label values come from the kernel's views (process and pair names any
 * local user may choose): they are escaped, and bytes outside printable
 * ASCII become '?', so one odd name cannot break a scrape.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "expo.h"
#include "libdvk.h"
#include "dvk_version.h"	/* DVK_PACKAGE_VERSION, from VERSION */

/* One sample line being written (series() ... val_*()). */
struct line {
	char b[1024];	/* longer than any line: labels are bounded (names <= 64) */
	size_t n;
};

struct expo {
	FILE *f;
	enum dvk_expo_format fmt;
	char node[16];		/* the node label's value; "" when the DVS is not up */
	struct line l;		/* the sample being written */
};

enum family_type { T_COUNTER, T_GAUGE, T_HISTOGRAM, T_INFO };

/* ---- negotiation -------------------------------------------------------- */

/* q of one media range ("type/sub;version=1.0.0;q=0.5"): 1 if absent. */
static double range_q(const char *r, size_t len)
{
	for (const char *p = r; p && p < r + len; p = memchr(p, ';', (size_t)(r + len - p))) {
		p++;
		while (p < r + len && *p == ' ')
			p++;
		if (p + 2 <= r + len && !strncasecmp(p, "q=", 2))
			return strtod(p + 2, NULL);
	}
	return 1;
}

enum dvk_expo_format dvk_expo_negotiate(const char *accept)
{
	static const char om[] = "application/openmetrics-text";

	while (accept && *accept) {
		size_t len = strcspn(accept, ",");
		const char *r = accept;

		while (*r == ' ' && r < accept + len)
			r++;
		/* the version we write, or none named */
		if ((size_t)(accept + len - r) >= sizeof(om) - 1 && !strncasecmp(r, om, sizeof(om) - 1) &&
		    range_q(r, (size_t)(accept + len - r)) > 0) {
			const char *v = strstr(r, "version=");

			if (!v || v > accept + len || !strncmp(v + 8, "1.0.0", 5))
				return DVK_EXPO_OPENMETRICS;
		}
		accept += len + (accept[len] == ',');
	}
	return DVK_EXPO_PROMETHEUS;
}

const char *dvk_expo_content_type(enum dvk_expo_format fmt)
{
	return fmt == DVK_EXPO_OPENMETRICS ?
		"application/openmetrics-text; version=1.0.0; charset=utf-8" :
		"text/plain; version=0.0.4; charset=utf-8";
}

/* ---- writing primitives -------------------------------------------------- */

/*
 * The HELP, TYPE (and UNIT) lines of a family.  @name is the family's name
 * without "_total" / "_info"; @unit "" when none.
 */
static void family(struct expo *x, const char *name, enum family_type t, const char *unit,
		   const char *help)
{
	static const char *const om_type[] = { "counter", "gauge", "histogram", "info" };
	static const char *const prom_type[] = { "counter", "gauge", "histogram", "gauge" };
	const char *suffix = "";

	if (x->fmt == DVK_EXPO_PROMETHEUS)
		suffix = t == T_COUNTER ? "_total" : t == T_INFO ? "_info" : "";
	fprintf(x->f, "# HELP %s%s %s\n", name, suffix, help);
	fprintf(x->f, "# TYPE %s%s %s\n", name, suffix,
		(x->fmt == DVK_EXPO_OPENMETRICS ? om_type : prom_type)[t]);
	if (x->fmt == DVK_EXPO_OPENMETRICS && *unit)
		fprintf(x->f, "# UNIT %s %s\n", name, unit);
}

/*
 * The writing is done in a line buffer and handed to stdio once a line:
 * with 1024 endpoints a scrape has ~7000 lines, and one fprintf per piece
 * cost 9 ms a scrape on a desktop CPU (docs/metrics.md, "Cost").
 */
static void put(struct line *l, const char *s)
{
	size_t k = strlen(s);

	if (k > sizeof(l->b) - 1 - l->n)	/* cannot happen; cut rather than overflow */
		k = sizeof(l->b) - 1 - l->n;
	memcpy(l->b + l->n, s, k);
	l->n += k;
}

/* A label value, escaped; non-printable and non-ASCII bytes as '?'. */
static void put_label_value(struct line *l, const char *v)
{
	for (; *v && l->n + 2 < sizeof(l->b) - 1; v++) {
		unsigned char c = (unsigned char)*v;

		if (c == '\\' || c == '"' || c == '\n') {
			l->b[l->n++] = '\\';
			l->b[l->n++] = c == '\n' ? 'n' : (char)c;
		} else {
			l->b[l->n++] = c >= 0x20 && c < 0x7f ? (char)c : '?';
		}
	}
}

/*
 * The start of a sample: name, suffix and labels (the node label first,
 * unless empty; then @n key/value pairs), up to the space before the value.
 */
static void series(struct expo *x, const char *name, const char *suffix, int n,
		   const char *const *kv)
{
	int first = 1;

	x->l.n = 0;
	put(&x->l, name);
	put(&x->l, suffix);
	if (x->node[0]) {
		put(&x->l, "{node=\"");
		put(&x->l, x->node);
		put(&x->l, "\"");
		first = 0;
	}
	for (int i = 0; i < n; i++) {
		put(&x->l, first ? "{" : ",");
		put(&x->l, kv[2 * i]);
		put(&x->l, "=\"");
		put_label_value(&x->l, kv[2 * i + 1]);
		put(&x->l, "\"");
		first = 0;
	}
	put(&x->l, first ? " " : "} ");
}

/* The value ends the line begun by series(). */
static void val_str(struct expo *x, const char *v)
{
	put(&x->l, v);
	put(&x->l, "\n");
	fwrite(x->l.b, 1, x->l.n, x->f);
}

static void val_u64(struct expo *x, uint64_t v)
{
	char d[24], *p = d + sizeof(d) - 1;

	*p = '\0';
	do
		*--p = (char)('0' + v % 10);
	while (v /= 10);
	val_str(x, p);
}

/* Nanoseconds as seconds, exactly (no binary floating point on the way). */
static void val_ns(struct expo *x, uint64_t ns)
{
	char d[32];

	snprintf(d, sizeof(d), "%llu.%09llu", (unsigned long long)(ns / 1000000000ull),
		 (unsigned long long)(ns % 1000000000ull));
	val_str(x, d);
}

static void val_ms(struct expo *x, int64_t ms)
{
	val_ns(x, ms > 0 ? (uint64_t)ms * 1000000ull : 0);
}

/* A family of one unlabelled (but for node) sample. */
static void scalar(struct expo *x, const char *name, enum family_type t, const char *unit,
		   const char *help, uint64_t v)
{
	family(x, name, t, unit, help);
	series(x, name, t == T_COUNTER ? "_total" : "", 0, NULL);
	val_u64(x, v);
}

/* ---- the families --------------------------------------------------------- */

static void write_meta(struct expo *x, const struct dvk_model *m, const struct dvk_expo_meta *meta)
{
	const char *build[] = { "version", DVK_PACKAGE_VERSION, "schema", DVK_EXPO_SCHEMA };
	const char *views[] = { "bindwaits", "endpoints", "proxies", "waits" };
	const int readable[] = { m->cur.bindwaits_total >= 0, m->cur.endpoints_total >= 0,
				 m->cur.pairs_total >= 0, m->cur.waits_total >= 0 };
	const struct dvk_dvs_info *d = &m->cur.dvs;

	family(x, "dvk_exporter_build", T_INFO, "", "dvk-exporter's version and metric schema.");
	series(x, "dvk_exporter_build", "_info", 2, build);
	val_u64(x, 1);
	family(x, "dvk_sample_timestamp_seconds", T_GAUGE, "seconds",
	       "Wall-clock time (Unix epoch) at which this sample was read.");
	series(x, "dvk_sample_timestamp_seconds", "", 0, NULL);
	val_ns(x, m->cur.real_ns);
	family(x, "dvk_exporter_sample_duration_seconds", T_GAUGE, "seconds",
	       "Time this scrape spent reading the BPF maps and debugfs views and updating the model.");
	series(x, "dvk_exporter_sample_duration_seconds", "", 0, NULL);
	val_ns(x, meta->sample_ns);
	family(x, "process_cpu_seconds", T_COUNTER, "seconds",
	       "CPU time (user + system) the exporter used since it started.");
	series(x, "process_cpu_seconds", "_total", 0, NULL);
	val_ns(x, meta->cpu_ns);
	scalar(x, "dvk_exporter_scrapes", T_COUNTER, "", "Scrapes served since the exporter started.",
	       meta->scrapes);
	family(x, "dvk_exporter_view_readable", T_GAUGE, "",
	       "1 if the debugfs view could be read (needs root and debugfs), else 0.");
	for (int i = 0; i < 4; i++) {
		const char *kv[] = { "view", views[i] };

		series(x, "dvk_exporter_view_readable", "", 1, kv);
		val_u64(x, (uint64_t)readable[i]);
	}
	scalar(x, "dvk_module_loaded", T_GAUGE, "", "1 if dvk.ko is loaded (/dev/dvk exists).",
	       d->state != DVK_DVS_NOT_LOADED);
	scalar(x, "dvk_dvs_initialized", T_GAUGE, "", "1 if the DVS is initialised on this node.",
	       d->state == DVK_DVS_INITIALIZED);
	if (d->state == DVK_DVS_INITIALIZED) {
		char ver[16];
		const char *kv[] = { "dvs", d->name, "dvs_version", ver };

		snprintf(ver, sizeof(ver), "%d", (int)d->version);
		family(x, "dvk_node", T_INFO, "", "This node's identity: its DVS and ABI version.");
		series(x, "dvk_node", "_info", 2, kv);
		val_u64(x, 1);
	}
}

/* Histogram of one call: slot i of the log2 histogram is [2^i, 2^(i+1)) ns. */
static void write_call_hist(struct expo *x, const char *call, const struct dvk_call_stat *c)
{
	uint64_t cum = 0;
	char le[32];
	const char *kv[] = { "call", call, "le", le };

	for (int i = 0; i < DVK_HIST_SLOTS - 1; i++) {	/* the last slot is open-ended */
		uint64_t ns = 1ull << (i + 1);

		cum += c->hist[i];
		snprintf(le, sizeof(le), "%llu.%09llu", (unsigned long long)(ns / 1000000000ull),
			 (unsigned long long)(ns % 1000000000ull));
		series(x, "dvk_call_duration_seconds", "_bucket", 2, kv);
		val_u64(x, cum);
	}
	cum += c->hist[DVK_HIST_SLOTS - 1];
	strcpy(le, "+Inf");
	series(x, "dvk_call_duration_seconds", "_bucket", 2, kv);
	val_u64(x, cum);
	series(x, "dvk_call_duration_seconds", "_sum", 1, kv);
	val_ns(x, c->total_ns);
	series(x, "dvk_call_duration_seconds", "_count", 1, kv);
	val_u64(x, cum);	/* = the +Inf bucket, as the formats require */
}

static void write_calls(struct expo *x, const struct dvk_model *m)
{
	const struct dvk_sample *s = &m->cur;

	family(x, "dvk_calls", T_COUNTER, "", "DVK calls that returned, by call, since the exporter started.");
	for (int i = 0; i < m->calls.nall; i++) {
		const char *kv[] = { "call", m->call_all[i].name };

		series(x, "dvk_calls", "_total", 1, kv);
		val_u64(x, m->call_all[i].count);
	}
	family(x, "dvk_call_errors", T_COUNTER, "",
	       "Failed DVK calls by call and error (libdvk's names; code is the value returned).");
	for (int i = 0; i < s->nerrstats; i++) {
		const struct dvk_errstat *e = &s->errstats[i];
		const char *name = e->code ? dvk_errname(e->code) : NULL;
		char code[16];
		const char *kv[] = { "call", dvk_callname(e->slot), "error", name ? name : "unknown",
				     "code", code };

		snprintf(code, sizeof(code), "%d", e->code);
		series(x, "dvk_call_errors", "_total", 3, kv);
		val_u64(x, e->count);
	}
	family(x, "dvk_call_duration_seconds", T_HISTOGRAM, "seconds",
	       "Duration of DVK calls, from the kernel's log2 histograms (bucket bounds are powers of 2 ns).");
	for (int i = 0; i < m->calls.nall; i++)
		write_call_hist(x, m->call_all[i].name, &s->calls[m->call_all[i].nr]);
}

/* One endpoint family: @get gives a row's value (ns when @ns). */
static void write_ep_family(struct expo *x, const struct dvk_model *m, int nrows, const char *name,
			    enum family_type t, const char *unit, const char *help,
			    uint64_t (*get)(const struct dvk_ep_row *r), int ns)
{
	family(x, name, t, unit, help);
	for (int i = 0; i < nrows; i++) {
		const struct dvk_ep_row *r = &m->ep_all[i];
		char dc[12], ep[12];
		const char *kv[] = { "dc", dc, "ep", ep, "name", r->e.name };

		snprintf(dc, sizeof(dc), "%d", (int)r->e.dcid);
		snprintf(ep, sizeof(ep), "%d", (int)r->e.ep);
		series(x, name, t == T_COUNTER ? "_total" : "", 3, kv);
		if (ns)
			val_ns(x, get(r));
		else
			val_u64(x, get(r));
	}
}

static uint64_t ep_queue(const struct dvk_ep_row *r) { return r->e.queue > 0 ? (uint64_t)r->e.queue : 0; }
static uint64_t ep_oldest(const struct dvk_ep_row *r)
{
	return r->e.oldest_ms > 0 ? (uint64_t)r->e.oldest_ms * 1000000ull : 0;
}
static uint64_t ep_ntfy(const struct dvk_ep_row *r) { return r->e.ntfy > 0 ? (uint64_t)r->e.ntfy : 0; }
static uint64_t ep_in(const struct dvk_ep_row *r) { return r->e.msgs_in; }
static uint64_t ep_out(const struct dvk_ep_row *r) { return r->e.msgs_out; }
static uint64_t ep_copied(const struct dvk_ep_row *r) { return r->e.bytes_copied; }
static uint64_t ep_wait(const struct dvk_ep_row *r) { return r->received ? r->avg_wait_ns * r->received : 0; }

static void write_endpoints(struct expo *x, const struct dvk_model *m, int max)
{
	int n = m->eps.nall < max ? m->eps.nall : max;

	scalar(x, "dvk_endpoints", T_GAUGE, "", "Bound endpoints listed by debugfs dvk/endpoints.",
	       m->cur.endpoints_total > 0 ? (uint64_t)m->cur.endpoints_total : 0);
	scalar(x, "dvk_exporter_endpoints_omitted", T_GAUGE, "",
	       "Bound endpoints not written as series (past --max-endpoints or the sample's limit).",
	       m->cur.endpoints_total > n ? (uint64_t)(m->cur.endpoints_total - n) : 0);
	write_ep_family(x, m, n, "dvk_endpoint_queue_depth", T_GAUGE, "",
			"Senders queued on the endpoint.", ep_queue, 0);
	write_ep_family(x, m, n, "dvk_endpoint_oldest_wait_seconds", T_GAUGE, "seconds",
			"How long the oldest queued sender has waited (0: queue empty).", ep_oldest, 1);
	write_ep_family(x, m, n, "dvk_endpoint_pending_notifies", T_GAUGE, "",
			"Notifies pending for the endpoint.", ep_ntfy, 0);
	write_ep_family(x, m, n, "dvk_endpoint_messages_in", T_COUNTER, "",
			"Messages and notifies the endpoint received since it was bound.", ep_in, 0);
	write_ep_family(x, m, n, "dvk_endpoint_messages_out", T_COUNTER, "",
			"Messages the endpoint sent since it was bound.", ep_out, 0);
	write_ep_family(x, m, n, "dvk_endpoint_copied_bytes", T_COUNTER, "bytes",
			"vcopy bytes out of and into the endpoint since it was bound.", ep_copied, 0);
	write_ep_family(x, m, n, "dvk_endpoint_queue_wait_seconds", T_COUNTER, "seconds",
			"Time the messages it received waited in its queue, since the exporter started "
			"(approximate: mean times count).", ep_wait, 1);
}

/* A family with one sample per proxy row and direction (out, in). */
static void write_px_dir(struct expo *x, const struct dvk_model *m, const char *name,
			 const char *unit, const char *help, int bytes)
{
	family(x, name, T_COUNTER, unit, help);
	for (int i = 0; i < m->pxs.nall; i++) {
		const struct dvk_px_row *r = &m->px_all[i];
		char peer[12];
		const char *out[] = { "peer", peer, "direction", "out" };
		const char *in[] = { "peer", peer, "direction", "in" };

		if (r->node < 0)
			strcpy(peer, "other");
		else
			snprintf(peer, sizeof(peer), "%d", r->node);
		series(x, name, "_total", 2, out);
		val_u64(x, bytes ? r->bpf.bytes_out : r->bpf.msgs_out);
		series(x, name, "_total", 2, in);
		val_u64(x, bytes ? r->bpf.bytes_in : r->bpf.msgs_in);
	}
}

enum px_value { PX_LINK_UP, PX_ERRORS_IN, PX_WAIT };

/* A family with one sample per peer row: its value @what. */
static void write_px_peer(struct expo *x, const struct dvk_model *m, const char *name,
			  enum family_type t, const char *unit, const char *help, enum px_value what)
{
	family(x, name, t, unit, help);
	for (int i = 0; i < m->pxs.nall; i++) {
		const struct dvk_px_row *r = &m->px_all[i];
		char peer[12];
		const char *kv[] = { "peer", peer };

		if (r->node < 0)
			strcpy(peer, "other");
		else
			snprintf(peer, sizeof(peer), "%d", r->node);
		series(x, name, t == T_COUNTER ? "_total" : "", 1, kv);
		if (what == PX_LINK_UP)
			val_u64(x, r->link == DVK_LINK_UP);
		else if (what == PX_ERRORS_IN)
			val_u64(x, r->bpf.errors_in);
		else
			val_ns(x, r->bpf.wait_total_ns);
	}
}

static void write_proxies(struct expo *x, const struct dvk_model *m)
{
	write_px_peer(x, m, "dvk_proxy_link_up", T_GAUGE, "",
		      "1 if both proxies of the pair serving the peer node are connected.", PX_LINK_UP);
	write_px_dir(x, m, "dvk_proxy_commands", "",
		     "Commands through the proxies per peer node: out taken by get2rmt, in accepted by "
		     "put2lcl, since the exporter started.", 0);
	write_px_dir(x, m, "dvk_proxy_bytes", "bytes",
		     "Bytes (header + payload) of those commands, since the exporter started.", 1);
	write_px_peer(x, m, "dvk_proxy_errors", T_COUNTER, "",
		      "put2lcl calls from the peer node that failed, since the exporter started.", PX_ERRORS_IN);
	write_px_peer(x, m, "dvk_proxy_queue_wait_seconds", T_COUNTER, "seconds",
		      "Time the commands for the peer node waited in the queue, since the exporter started.", PX_WAIT);
}

/* The pairs of debugfs dvk/proxies: counters since the pair was bound. */
static void write_pairs(struct expo *x, const struct dvk_model *m)
{
	static const struct {
		const char *name, *unit, *help;
		enum family_type t;
	} fam[] = {
		{ "dvk_proxy_pair_connected", "", "1 if the pair's sender / receiver proxy is connected.", T_GAUGE },
		{ "dvk_proxy_pair_queue_depth", "", "Commands waiting for get2rmt.", T_GAUGE },
		{ "dvk_proxy_pair_oldest_seconds", "seconds", "Age of the oldest queued command (0: none).", T_GAUGE },
		{ "dvk_proxy_pair_commands", "", "Commands through the pair since it was bound.", T_COUNTER },
		{ "dvk_proxy_pair_bytes", "bytes", "Bytes (header + payload) through the pair since it was bound.", T_COUNTER },
		{ "dvk_proxy_pair_errors", "", "out: commands dropped when the link went down; in: failed put2lcl.", T_COUNTER },
		{ "dvk_proxy_pair_refused", "", "Connections and records the pair's dvk-proxy refused.", T_COUNTER },
		{ "dvk_proxy_pair_last_error_code", "", "The pair's last error code (0: none).", T_GAUGE },
	};

	for (size_t k = 0; k < sizeof(fam) / sizeof(fam[0]); k++) {
		family(x, fam[k].name, fam[k].t, fam[k].unit, fam[k].help);
		for (int i = 0; i < m->cur.npairs; i++) {
			const struct dvk_pair *p = &m->cur.pairs[i];
			const char *suffix = fam[k].t == T_COUNTER ? "_total" : "";
			char px[12];
			const char *kv[] = { "px", px, "pair", p->name, "", "" };

			snprintf(px, sizeof(px), "%d", (int)p->px);
			switch (k) {
			case 0:
				kv[4] = "proxy";
				kv[5] = "sender";
				series(x, fam[k].name, suffix, 3, kv);
				val_u64(x, p->state[1] == 'S');
				kv[5] = "receiver";
				series(x, fam[k].name, suffix, 3, kv);
				val_u64(x, p->state[2] == 'R');
				break;
			case 3: case 4: case 5: {
				uint64_t o = k == 3 ? p->msgs_out : k == 4 ? p->bytes_out : p->err_out;
				uint64_t in = k == 3 ? p->msgs_in : k == 4 ? p->bytes_in : p->err_in;

				kv[4] = "direction";
				kv[5] = "out";
				series(x, fam[k].name, suffix, 3, kv);
				val_u64(x, o);
				kv[5] = "in";
				series(x, fam[k].name, suffix, 3, kv);
				val_u64(x, in);
				break;
			}
			default:
				series(x, fam[k].name, suffix, 2, kv);
				if (k == 1)
					val_u64(x, p->queue > 0 ? (uint64_t)p->queue : 0);
				else if (k == 2)
					val_ms(x, p->oldest_ms);
				else if (k == 6)
					val_u64(x, p->refused);
				else {	/* a gauge may be negative: the codes are */
					char v[24];

					snprintf(v, sizeof(v), "%lld", (long long)p->last_error);
					val_str(x, v);
				}
			}
		}
	}
}

static void write_waits(struct expo *x, const struct dvk_model *m)
{
	const struct dvk_sample *s = &m->cur;

	scalar(x, "dvk_bind_waiters", T_GAUGE, "", "Processes sleeping in wait4bind.",
	       s->bindwaits_total > 0 ? (uint64_t)s->bindwaits_total : 0);
	family(x, "dvk_bind_wait_longest_seconds", T_GAUGE, "seconds",
	       "The longest of those waits so far (0: none).");
	series(x, "dvk_bind_wait_longest_seconds", "", 0, NULL);
	val_ms(x, s->nbindwaits > 0 ? (int64_t)s->bindwaits[0].waited_ms : 0);
	scalar(x, "dvk_waiters", T_GAUGE, "", "Endpoints waiting on another (debugfs dvk/waits).",
	       m->wait_waiters > 0 ? (uint64_t)m->wait_waiters : 0);
	family(x, "dvk_wait_longest_seconds", T_GAUGE, "seconds", "The longest of those waits (0: none).");
	series(x, "dvk_wait_longest_seconds", "", 0, NULL);
	val_ms(x, (int64_t)m->wait_longest_ms);
	scalar(x, "dvk_wait_cycles", T_GAUGE, "", "Cycles (deadlocks) in the wait-for graph.",
	       m->wait_ncycles > 0 ? (uint64_t)m->wait_ncycles : 0);
}

int dvk_expo_write(FILE *f, const struct dvk_model *m, enum dvk_expo_format fmt,
		   const struct dvk_expo_meta *meta)
{
	struct expo x = { .f = f, .fmt = fmt };

	if (m->cur.dvs.state == DVK_DVS_INITIALIZED)
		snprintf(x.node, sizeof(x.node), "%d", (int)m->cur.dvs.nodeid);
	write_meta(&x, m, meta);
	write_calls(&x, m);
	write_endpoints(&x, m, meta->max_endpoints);
	write_proxies(&x, m);
	write_pairs(&x, m);
	write_waits(&x, m);
	if (fmt == DVK_EXPO_OPENMETRICS)
		fputs("# EOF\n", f);
	return fflush(f) || ferror(f) ? -1 : 0;
}
