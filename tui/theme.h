/* tui/theme.h: placeholder */
