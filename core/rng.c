/* core/rng.c: placeholder until written. */
