/* console_prompt.c: the status-line prompt (`:`, `/`, reasons): line
 * editing (prompt.c), history, Tab completion, a live callback for the `/`
 * filter, and yes/no confirmations.  It runs its own small loop so live
 * updates, resizes and the idle lock go on while the analyst types. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "console.h"
#include "console_int.h"
#include "display.h"
#include "format.h"
#include "keymap.h"
#include "sanitize.h"
#include "strbuf.h"
#include "theme.h"

#define DEBOUNCE_MS	150	/* the live `/` filter */
#define COMPLETIONS	64

struct completion {
	char	*cand[COMPLETIONS];
	int	 n, i;
	size_t	 ws;
	bool	 cycling;
};

static void
completion_reset(struct completion *cp)
{
	int i;

	for (i = 0; i < cp->n; i++)
		free(cp->cand[i]);
	cp->n = cp->i = 0;
	cp->cycling = false;
}

static void
complete_word(struct console *c, const struct prompt_spec *spec,
    struct line_edit *e, struct completion *cp)
{
	char word[PROMPT_MAX];
	size_t common, wlen;

	if (spec->complete == NULL)
		return;
	if (cp->cycling && cp->n > 1) {
		cp->i = (cp->i + 1) % cp->n;
		edit_replace_word(e, cp->ws, cp->cand[cp->i]);
		return;
	}
	completion_reset(cp);
	cp->ws = edit_word_start(e);
	wlen = e->cur - cp->ws;
	memcpy(word, e->buf + cp->ws, wlen);
	word[wlen] = '\0';
	cp->n = spec->complete(spec->complete_ctx, e->buf, cp->ws, word, cp->cand,
	    COMPLETIONS);
	if (cp->n == 0) {
		console_error(c, "no completions");
		return;
	}
	if (cp->n == 1) {
		edit_replace_word(e, cp->ws, cp->cand[0]);
		if (e->cur == e->len && e->buf[e->len - 1] != ':')
			edit_key(e, ' ');
		completion_reset(cp);
		return;
	}
	common = prompt_common_prefix(cp->cand, cp->n);
	if (common > wlen) {
		char pre[PROMPT_MAX];
		memcpy(pre, cp->cand[0], common);
		pre[common] = '\0';
		edit_replace_word(e, cp->ws, pre);
		console_message(c, "%d matches: Tab again cycles", cp->n);
		return;
	}
	cp->cycling = true;
	cp->i = 0;
	edit_replace_word(e, cp->ws, cp->cand[0]);
}

static void
draw_prompt(struct console *c, const char *label, const struct line_edit *e)
{
	WINDOW *w = c->status;
	struct strbuf text;
	int cols = c->lay.cols, lw, col, skip = 0;
	const char *shown;

	werase(w);
	display_fill(w, 0, 0, cols, theme_attr(ROLE_NORMAL));
	lw = display_put(w, 0, 0, cols - 12, label, theme_attr(ROLE_PROMPT), false);
	strbuf_init(&text);
	sanitize(&text, e->buf, e->len, display_san_flags());
	col = edit_cursor_col(e, display_san_flags());
	/* Scroll long lines so the cursor stays visible. */
	shown = text.buf + edit_scroll(text.buf, col, cols - lw - 2, &skip);
	display_put(w, 0, lw, cols - lw, shown, theme_attr(ROLE_NORMAL), false);
	if (c->msg[0] != '\0' && col + lw + 4 < cols - 20) {
		struct strbuf m;
		strbuf_init(&m);
		sanitize(&m, c->msg, strlen(c->msg), display_san_flags());
		display_put_right(w, 0, cols - 30, 29, m.buf,
		    theme_attr(c->msg_error ? ROLE_ERROR : ROLE_DIM));
		strbuf_free(&m);
	}
	wmove(w, 0, lw + col - skip);
	wnoutrefresh(w);
	strbuf_free(&text);
}

bool
console_prompt(struct console *c, const struct prompt_spec *spec, char *out,
    size_t outlen)
{
	struct line_edit e;
	struct completion cp;
	char saved[PROMPT_MAX];
	int key, hist = spec->hist ? spec->hist->n : 0;
	long long last_edit = 0;
	bool pending = false, done = false, entered = false;
	enum edit_result r;

	memset(&cp, 0, sizeof cp);
	edit_set(&e, spec->initial);
	saved[0] = '\0';
	curs_set(1);
	while (!done && !console_interrupted()) {
		if (console_lock_due(c)) {
			/* Walked away mid-prompt: nothing half typed is sent. */
			console_lock(c);
			break;
		}
		if (pending && console_now_ms() - last_edit >= DEBOUNCE_MS) {
			spec->changed(spec->changed_ctx, e.buf);
			pending = false;
		}
		console_refresh_views(c);
		console_draw_frame(c, true);
		if (spec->overlay != NULL && !c->locked && !c->lay.too_small) {
			werase(c->body);
			spec->overlay(spec->overlay_ctx, c->body, c->lay.body_h, c->lay.cols);
			wnoutrefresh(c->body);
		}
		draw_prompt(c, spec->label, &e);
		doupdate();
		console_trace_frame(c);
		console_wait_input(c, pending ? PENDING_MS : IDLE_MS);
		console_poll_database(c);
		while (!done && (key = console_read_key(c)) != 0) {
			if (key == (KEYMAP_FKEY | KEY_RESIZE)) {
				resize_display(c);
				continue;
			}
			c->msg[0] = '\0';
			r = edit_key(&e, key);
			if (r != EDIT_TAB)
				cp.cycling = false;
			switch (r) {
			case EDIT_ENTER:
				done = entered = true;
				break;
			case EDIT_CANCEL:
				done = true;
				break;
			case EDIT_CHANGED:
				if (spec->changed != NULL) {
					pending = true;
					last_edit = console_now_ms();
				}
				break;
			case EDIT_TAB:
				complete_word(c, spec, &e, &cp);
				break;
			case EDIT_HIST_PREV:
			case EDIT_HIST_NEXT:
				if (spec->updown != NULL) {
					spec->updown(spec->overlay_ctx,
					    r == EDIT_HIST_PREV ? -1 : 1);
					break;
				}
				if (spec->hist == NULL || spec->hist->n == 0)
					break;
				if (hist == spec->hist->n)
					snprintf(saved, sizeof saved, "%s", e.buf);
				hist += r == EDIT_HIST_PREV ? -1 : 1;
				if (hist < 0)
					hist = 0;
				if (hist > spec->hist->n)
					hist = spec->hist->n;
				edit_set(&e, hist == spec->hist->n ? saved : spec->hist->item[hist]);
				if (spec->changed != NULL) {
					pending = true;
					last_edit = console_now_ms();
				}
				break;
			default:
				break;
			}
		}
	}
	curs_set(0);
	completion_reset(&cp);
	/* Enter keeps exactly what was typed, even inside the debounce. */
	if (entered && pending)
		spec->changed(spec->changed_ctx, e.buf);
	if (entered) {
		snprintf(out, outlen, "%s", e.buf);
		if (spec->hist != NULL)
			prompt_history_add(spec->hist, e.buf);
	}
	c->dirty = true;
	return entered;
}

bool
console_confirm(struct console *c, const char *question)
{
	int key = 0;

	c->msg[0] = '\0';
	while (!console_interrupted()) {
		if (console_lock_due(c)) {
			console_lock(c);
			return false;
		}
		console_draw_frame(c, true);
		werase(c->status);
		display_fill(c->status, 0, 0, c->lay.cols, theme_attr(ROLE_ERROR));
		display_put(c->status, 0, 0, c->lay.cols, question, theme_attr(ROLE_ERROR),
		    false);
		wnoutrefresh(c->status);
		doupdate();
		console_trace_frame(c);
		console_wait_input(c, IDLE_MS);
		while ((key = console_read_key(c)) == (KEYMAP_FKEY | KEY_RESIZE))
			resize_display(c);
		if (key != 0)
			break;
	}
	c->dirty = true;
	return key == 'y' || key == 'Y';
}

