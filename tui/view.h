/* tui/view.h: placeholder */
