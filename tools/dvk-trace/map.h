/* SPDX-License-Identifier: GPL-2.0 */
/*
 * map.h - a small open-addressing hash map, u64 key -> long, for dvk-trace's
 * joins (message ids, node+pid).  Key ~0 is reserved (the empty slot).
 */
#ifndef DT_MAP_H
#define DT_MAP_H

#include <stdint.h>
#include <stdlib.h>

struct dt_map {
	uint64_t *keys;
	long *vals;
	size_t cap, n;
};

#define DT_MAP_EMPTY	(~0ULL)

static inline size_t dt_map_slot(const struct dt_map *m, uint64_t k)
{
	uint64_t h = k * 0x9e3779b97f4a7c15ULL;
	size_t i = (size_t)(h >> 17) & (m->cap - 1);

	while (m->keys[i] != DT_MAP_EMPTY && m->keys[i] != k)
		i = (i + 1) & (m->cap - 1);
	return i;
}

static inline int dt_map_grow(struct dt_map *m)
{
	struct dt_map o = *m;
	size_t i, cap = m->cap ? m->cap * 2 : 1024;

	m->keys = malloc(cap * sizeof(*m->keys));
	m->vals = malloc(cap * sizeof(*m->vals));
	if (!m->keys || !m->vals) {
		free(m->keys);
		free(m->vals);
		*m = o;
		return -1;
	}
	m->cap = cap;
	m->n = 0;
	for (i = 0; i < cap; i++)
		m->keys[i] = DT_MAP_EMPTY;
	for (i = 0; i < o.cap; i++) {
		if (o.keys[i] != DT_MAP_EMPTY) {
			size_t s = dt_map_slot(m, o.keys[i]);

			m->keys[s] = o.keys[i];
			m->vals[s] = o.vals[i];
			m->n++;
		}
	}
	free(o.keys);
	free(o.vals);
	return 0;
}

/* dt_map_get: the value of K, or -1 if absent. */
static inline long dt_map_get(const struct dt_map *m, uint64_t k)
{
	size_t s;

	if (!m->cap)
		return -1;
	s = dt_map_slot(m, k);
	return m->keys[s] == k ? m->vals[s] : -1;
}

static inline int dt_map_put(struct dt_map *m, uint64_t k, long v)
{
	size_t s;

	if ((m->n + 1) * 2 > m->cap && dt_map_grow(m))
		return -1;
	s = dt_map_slot(m, k);
	if (m->keys[s] != k)
		m->n++;
	m->keys[s] = k;
	m->vals[s] = v;
	return 0;
}

static inline void dt_map_free(struct dt_map *m)
{
	free(m->keys);
	free(m->vals);
	m->keys = NULL;
	m->vals = NULL;
	m->cap = m->n = 0;
}

#endif /* DT_MAP_H */
