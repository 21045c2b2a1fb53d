/* tui/request.h: placeholder */
