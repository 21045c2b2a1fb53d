/* core/savedview.c: placeholder until written. */
