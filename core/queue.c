/* core/queue.c: placeholder until written. */
