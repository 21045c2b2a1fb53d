/* tui/display.h: placeholder */
