/* rng.c: xoshiro256** (Blackman and Vigna), seeded through splitmix64 so
 * that nearby seeds (1, 2, 3) still give unrelated streams.  Only integer
 * arithmetic, so every platform draws the same numbers. */
#include <stdint.h>

#include "rng.h"

static uint64_t
splitmix64(uint64_t *x)
{
	uint64_t z = (*x += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static uint64_t
rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

void
rng_seed(struct rng *r, uint64_t seed)
{
	int i;

	/* splitmix64 never yields four zero words, the one bad state. */
	for (i = 0; i < 4; i++)
		r->s[i] = splitmix64(&seed);
}

uint64_t
rng_next(struct rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

uint64_t
rng_below(struct rng *r, uint64_t n)
{
	uint64_t x, limit;

	if (n <= 1)
		return 0;
	/* Reject the top partial block so every value is equally likely;
	 * a plain modulo would favour small values for large n. */
	limit = UINT64_MAX - UINT64_MAX % n;
	do
		x = rng_next(r);
	while (x >= limit);
	return x % n;
}

double
rng_unit(struct rng *r)
{
	/* The top 53 bits fill a double's mantissa exactly. */
	return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

int
rng_weighted(struct rng *r, const int *weights, int n)
{
	uint64_t total = 0, x;
	int i;

	for (i = 0; i < n; i++)
		if (weights[i] > 0)
			total += (uint64_t)weights[i];
	if (total == 0)
		return 0;
	x = rng_below(r, total);
	for (i = 0; i < n; i++) {
		if (weights[i] <= 0)
			continue;
		if (x < (uint64_t)weights[i])
			return i;
		x -= (uint64_t)weights[i];
	}
	return n - 1;
}
