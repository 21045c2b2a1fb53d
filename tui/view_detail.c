/* tui/view_detail.c: placeholder until written. */
