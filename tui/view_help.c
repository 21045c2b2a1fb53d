/* tui/view_help.c: placeholder until written. */
