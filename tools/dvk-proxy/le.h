/* SPDX-License-Identifier: GPL-2.0 */
/* le.h - little-endian writers and readers over a byte cursor (the wire is little-endian). */
#ifndef DVKP_LE_H
#define DVKP_LE_H

#include <stdint.h>

static inline void put16(uint8_t **p, uint16_t v)
{
	(*p)[0] = v;
	(*p)[1] = v >> 8;
	*p += 2;
}

static inline void put32(uint8_t **p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		(*p)[i] = v >> (8 * i);
	*p += 4;
}

static inline void put64(uint8_t **p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		(*p)[i] = v >> (8 * i);
	*p += 8;
}

static inline uint16_t get16(const uint8_t **p)
{
	uint16_t v = (*p)[0] | (*p)[1] << 8;

	*p += 2;
	return v;
}

static inline uint32_t get32(const uint8_t **p)
{
	uint32_t v = 0;

	for (int i = 0; i < 4; i++)
		v |= (uint32_t)(*p)[i] << (8 * i);
	*p += 4;
	return v;
}

static inline uint64_t get64(const uint8_t **p)
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v |= (uint64_t)(*p)[i] << (8 * i);
	*p += 8;
	return v;
}

#endif /* DVKP_LE_H */
