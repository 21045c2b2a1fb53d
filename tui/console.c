/* tui/console.c: placeholder until written. */
