/* tui/prompt.c: placeholder until written. */
