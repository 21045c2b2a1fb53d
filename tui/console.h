/* tui/console.h: placeholder */
