// SPDX-License-Identifier: GPL-2.0
/*
 * model.c - dvktop's model: keeps the last two samples and turns them into
 * the tables of the views (model_calls.c, model_endpoints.c,
 * model_proxies.c, model_waits.c) and their totals.
 *
 * Pure C (no ncurses, no libbpf): linked into the host unit tests
 * tests/unit/test_model.c and test_proxies_view.c.
 */
#include <string.h>
#include "model.h"
#include "model_util.h"

const char *dvk_dvs_state_name(enum dvk_dvs_state st)
{
	switch (st) {
	case DVK_DVS_INITIALIZED:
		return "initialized";
	case DVK_DVS_NOT_INITIALIZED:
		return "not_initialized";
	case DVK_DVS_NOT_LOADED:
	default:
		return "not_loaded";
	}
}

void dvk_model_init(struct dvk_model *m)
{
	memset(m, 0, sizeof(*m));
	dvk_table_init(&m->calls, &dvk_calls_class, m->call_all, m->call_rows);
	dvk_table_init(&m->eps, &dvk_ep_class, m->ep_all, m->ep_rows);
	dvk_table_init(&m->pxs, &dvk_px_class, m->px_all, m->px_rows);
	dvk_table_init(&m->waits, &dvk_wait_class, m->wait_all, m->wait_rows);
	m->calls.sort = DVK_SORT_COUNT;
	m->eps.sort = DVK_EP_SORT_QUEUE;
	m->pxs.sort = DVK_PX_SORT_NODE;
}

void dvk_model_refresh(struct dvk_model *m)
{
	dvk_table_refresh(&m->calls);
	dvk_table_refresh(&m->eps);
	dvk_table_refresh(&m->pxs);
	dvk_table_refresh(&m->waits);
}

void dvk_model_update(struct dvk_model *m, const struct dvk_sample *s)
{
	if (m->nsamples > 0)
		m->prev = m->cur;
	m->cur = *s;
	m->nsamples++;
	m->interval_s = seconds_between(m->nsamples > 1 ? &m->prev : NULL, &m->cur);

	m->calls.nall = dvk_rows_compute(m->nsamples > 1 ? &m->prev : NULL, &m->cur, m->call_all);
	m->total_count = 0;
	m->total_errors = 0;
	m->total_rate = 0;
	for (int i = 0; i < m->calls.nall; i++) {
		m->total_count += m->call_all[i].count;
		m->total_errors += m->call_all[i].errors;
		m->total_rate += m->call_all[i].rate;
	}
	m->eps.nall = dvk_ep_rows_compute(m->nsamples > 1 ? &m->prev : NULL, &m->cur, m->ep_all);
	m->ep_queued = 0;
	m->ep_in_rate = 0;
	for (int i = 0; i < m->eps.nall; i++) {
		m->ep_queued += m->ep_all[i].e.queue;
		m->ep_in_rate += m->ep_all[i].in_rate;
	}
	dvk_px_model_update(m);
	dvk_wait_model_update(m);
	dvk_model_refresh(m);
}
