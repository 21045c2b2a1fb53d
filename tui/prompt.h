/* prompt.h: the status-line editor behind `:`, `/` and every question.
 *
 * The editing itself (struct line_edit, history, completion) is pure and
 * tested in check_keymap; console_prompt() in console.c runs it in the
 * loop.  Keys are keymap.h codes (characters as code points, function keys
 * with KEYMAP_FKEY). */
#ifndef VSOC_PROMPT_H
#define VSOC_PROMPT_H

#include <stdbool.h>
#include <stddef.h>

#include <curses.h>

#define PROMPT_MAX	1024
#define PROMPT_HISTORY	64

struct line_edit {
	char	 buf[PROMPT_MAX];	/* UTF-8, NUL-terminated */
	size_t	 len;
	size_t	 cur;			/* byte offset, on a character boundary */
};

enum edit_result {
	EDIT_NONE,	/* not an editing key */
	EDIT_MOVED,
	EDIT_CHANGED,
	EDIT_ENTER,
	EDIT_CANCEL,
	EDIT_TAB,
	EDIT_HIST_PREV,
	EDIT_HIST_NEXT
};

void		 edit_set(struct line_edit *e, const char *text);
/* Apply one key: printable characters insert, ^A/^E/Home/End, Left/Right,
 * Backspace/^H, Delete/^D, ^U (kill to start), ^K (kill to end), ^W (kill
 * word); Enter, Esc/^G, Tab, Up/Down are reported for the caller. */
enum edit_result edit_key(struct line_edit *e, int key);
/* Replace bytes [from, cur) with text (completion); cursor after it. */
void		 edit_replace_word(struct line_edit *e, size_t from, const char *text);
/* Start of the word under the cursor. */
size_t		 edit_word_start(const struct line_edit *e);
/* Columns before the cursor as drawn with san_flags (display_san_flags()),
 * for placing the terminal cursor. */
int		 edit_cursor_col(const struct line_edit *e, int san_flags);
/* Horizontal scroll of clean, the sanitized line, that brings column col
 * within width columns: the bytes to skip; *skipped gets their columns. */
size_t		 edit_scroll(const char *clean, int col, int width, int *skipped);

struct prompt_history {
	char	*item[PROMPT_HISTORY];	/* oldest first */
	int	 n;
};

/* Add a line (not empty, not a repeat of the last one). */
void		 prompt_history_add(struct prompt_history *h, const char *line);
void		 prompt_history_free(struct prompt_history *h);

/* Candidates for the word being completed: fill out[] (each allocated,
 * sorted, starting with word) and return how many (at most max). */
typedef int	(*prompt_complete_fn)(void *ctx, const char *line, size_t word_start,
		    const char *word, char **out, int max);

/* The longest prefix common to n strings. */
size_t		 prompt_common_prefix(char *const *s, int n);

struct prompt_spec {
	const char		*label;		/* "filter: ", ":" ... */
	const char		*initial;
	struct prompt_history	*hist;		/* NULL: no history */
	prompt_complete_fn	 complete;	/* NULL: Tab inserts nothing */
	void			*complete_ctx;
	/* Called with the text after edits, debounced (the live `/` filter). */
	void			(*changed)(void *ctx, const char *text);
	void			*changed_ctx;
	/* A list shown in the body while the prompt is open (the escalate
	 * picker): drawn over the view each frame, and Up/Down move in it
	 * instead of the history.  NULL: none. */
	void			(*overlay)(void *ctx, WINDOW *body, int h, int width);
	void			(*updown)(void *ctx, int delta);
	void			*overlay_ctx;
};

#endif
