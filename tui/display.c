/* tui/display.c: placeholder until written. */
