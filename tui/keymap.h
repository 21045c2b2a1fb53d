/* tui/keymap.h: placeholder */
