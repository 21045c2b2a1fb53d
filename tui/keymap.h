/* keymap.h: keys as data.
 *
 * A key maps to a request (request.h) in a scope: the view's own scope
 * first, then the generic one (tig's get_keybinding).  The defaults are one
 * table in keymap.c; the user's keys file rebinds on top of them with lines
 *
 *   bind KEY REQUEST            generic scope
 *   bind SCOPE KEY REQUEST      queue, detail, list or generic
 *   unbind [SCOPE] KEY
 *
 * KEY is a character ("j", "G", "?"), a control key ("^F") or a named key
 * in angle brackets ("<Enter>", "<Esc>", "<Space>", "<PgDn>", "<F1>"). */
#ifndef VSOC_KEYMAP_H
#define VSOC_KEYMAP_H

#include <stddef.h>

#include "request.h"

/* Curses function-key codes are offset so that they never collide with a
 * character's code point (KEY_MIN..KEY_MAX overlap U+0101..U+01FF). */
#define KEYMAP_FKEY	0x1000000

enum keymap_scope {
	KS_GENERIC,
	KS_QUEUE,
	KS_DETAIL,
	KS_LIST,	/* the other lists: audit log, incidents, runs */
	KS__COUNT
};

struct keybinding {
	int		 key;
	enum request	 req;
};

struct keymap {
	struct keybinding	*b[KS__COUNT];
	size_t			 n[KS__COUNT];
	size_t			 cap[KS__COUNT];
};

/* Load the default bindings. */
void		 keymap_init(struct keymap *km);
void		 keymap_free(struct keymap *km);

/* The request for key in scope, falling back to generic; REQ_NONE if none. */
enum request	 keymap_lookup(const struct keymap *km, enum keymap_scope s, int key);
/* Bind (replacing any binding of key in that scope); REQ_NONE unbinds. */
void		 keymap_bind(struct keymap *km, enum keymap_scope s, int key,
		    enum request req);

/* "<PgDn>" -> KEYMAP_FKEY|KEY_NPAGE etc.; 0, or -1 if not a key name. */
int		 keymap_parse_key(const char *name, int *key);
/* The canonical name of key, as keymap_parse_key reads it. */
void		 keymap_key_name(int key, char *buf, size_t len);
const char	*keymap_scope_name(enum keymap_scope s);

/* Apply one line of a keys file; blank lines and # comments are fine.
 * 0, or -1 with a message in err. */
int		 keymap_parse_line(struct keymap *km, const char *line, char *err,
		    size_t errlen);
/* Apply a keys file.  A missing file is not an error.  Returns the number
 * of bad lines; err holds the first as "FILE:LINE: message". */
int		 keymap_load_file(struct keymap *km, const char *path, char *err,
		    size_t errlen);
/* ${XDG_CONFIG_HOME:-$HOME/.config}/vsoc/keys into buf; false if no home. */
int		 keymap_default_path(char *buf, size_t len);

/* The keys bound to req as seen from scope s ("j, <Down>"), own scope
 * first; returns how many.  buf is "" when none. */
int		 keymap_keys_for(const struct keymap *km, enum keymap_scope s,
		    enum request req, char *buf, size_t len);

#endif
