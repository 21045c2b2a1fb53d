/* tui/view_queue.c: placeholder until written. */
