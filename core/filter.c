/* core/filter.c: placeholder until written. */
