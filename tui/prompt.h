/* tui/prompt.h: placeholder */
