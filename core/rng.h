/* rng.h: a small deterministic PRNG (splitmix64 seeding xoshiro256**), so
 * the demo fleet is the same for the same --seed on every machine. */
#ifndef VSOC_RNG_H
#define VSOC_RNG_H

#include <stdint.h>

struct rng {
	uint64_t s[4];
};

void		rng_seed(struct rng *r, uint64_t seed);
uint64_t	rng_next(struct rng *r);
/* Uniform in [0, n); n > 0. */
uint64_t	rng_below(struct rng *r, uint64_t n);
/* Uniform in [0, 1). */
double		rng_unit(struct rng *r);
/* Pick index i with probability weights[i] / sum(weights). */
int		rng_weighted(struct rng *r, const int *weights, int n);

#endif
