/* core/alert.c: placeholder until written. */
