/* tui/theme.c: placeholder until written. */
