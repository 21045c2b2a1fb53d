/* tui/keymap.c: placeholder until written. */
