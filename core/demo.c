/* core/demo.c: placeholder until written. */
