/* keymap.c: default key bindings, the keys file, and lookups. */
#include <curses.h>
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "keymap.h"
#include "strbuf.h"

/* Every default binding, in the order the help screen lists keys. */
static const struct default_binding {
	enum keymap_scope	 scope;
	const char		*key;
	enum request		 req;
} default_bindings[] = {
	{ KS_GENERIC, "j",		REQ_MOVE_DOWN },
	{ KS_GENERIC, "<Down>",		REQ_MOVE_DOWN },
	{ KS_GENERIC, "k",		REQ_MOVE_UP },
	{ KS_GENERIC, "<Up>",		REQ_MOVE_UP },
	{ KS_GENERIC, "<PgDn>",		REQ_PAGE_DOWN },
	{ KS_GENERIC, "^F",		REQ_PAGE_DOWN },
	{ KS_GENERIC, "<PgUp>",		REQ_PAGE_UP },
	{ KS_GENERIC, "^B",		REQ_PAGE_UP },
	{ KS_GENERIC, "g",		REQ_MOVE_FIRST },
	{ KS_GENERIC, "<Home>",		REQ_MOVE_FIRST },
	{ KS_GENERIC, "G",		REQ_MOVE_LAST },
	{ KS_GENERIC, "<End>",		REQ_MOVE_LAST },
	{ KS_GENERIC, "<Enter>",	REQ_ENTER },
	{ KS_GENERIC, "q",		REQ_BACK },
	{ KS_GENERIC, "<Esc>",		REQ_BACK },
	{ KS_GENERIC, "Q",		REQ_QUIT },
	{ KS_GENERIC, "?",		REQ_HELP },
	{ KS_GENERIC, "<F1>",		REQ_HELP },
	{ KS_GENERIC, ":",		REQ_PROMPT },
	{ KS_GENERIC, "r",		REQ_REFRESH },
	{ KS_GENERIC, "^L",		REQ_REFRESH },
	{ KS_GENERIC, "t",		REQ_TAKE },
	{ KS_GENERIC, "a",		REQ_ASSIGN },
	{ KS_GENERIC, "A",		REQ_ACK },
	{ KS_GENERIC, "n",		REQ_NOTE },
	{ KS_GENERIC, "c",		REQ_CLOSE },
	{ KS_GENERIC, "o",		REQ_REOPEN },
	{ KS_GENERIC, "s",		REQ_SUPPRESS },
	{ KS_GENERIC, "e",		REQ_ESCALATE },
	{ KS_QUEUE,   "/",		REQ_FILTER },
	{ KS_QUEUE,   "<Space>",	REQ_MARK },
	{ KS_QUEUE,   "*",		REQ_MARK_ALL },
	{ KS_QUEUE,   "u",		REQ_UNMARK_ALL },
	{ KS_QUEUE,   "v",		REQ_VIEW_NEXT },
	{ KS_QUEUE,   "1",		REQ_VIEW_OPEN },
	{ KS_QUEUE,   "2",		REQ_VIEW_MINE },
	{ KS_QUEUE,   "3",		REQ_VIEW_UNASSIGNED },
	{ KS_QUEUE,   "4",		REQ_VIEW_ESCALATED },
	{ KS_QUEUE,   "5",		REQ_VIEW_CLOSED },
	{ KS_QUEUE,   "6",		REQ_VIEW_ALL },
	{ KS_QUEUE,   "7",		REQ_VIEW_BREACHING },
	{ KS_QUEUE,   ">",		REQ_SORT_NEXT },
	{ KS_QUEUE,   "<",		REQ_SORT_REVERSE },
	{ KS_DETAIL,  "<Space>",	REQ_PAGE_DOWN },
	{ KS_DETAIL,  "@",		REQ_ASSET },
	{ KS_DETAIL,  "i",		REQ_INCIDENT },
	{ KS_GENERIC, "L",		REQ_AUDIT },
	{ KS_GENERIC, "I",		REQ_INCIDENTS },
	{ KS_GENERIC, "S",		REQ_STATUS },
	{ KS_GENERIC, "R",		REQ_RENAME },
	{ KS_GENERIC, "O",		REQ_SEVERITY },
	{ KS_DETAIL,  "P",		REQ_PAGE_ONCALL },
	/* The incident view's alert list: Space pages there, as in the alert
	 * view, so m marks (everywhere, for one habit). */
	{ KS_GENERIC, "m",		REQ_MARK },
	{ KS_DETAIL,  "u",		REQ_UNMARK_ALL },
	{ KS_GENERIC, "x",		REQ_REMOVE_ALERTS },
	{ KS_GENERIC, "M",		REQ_MOVE_ALERTS },
	{ KS_GENERIC, "+",		REQ_MERGE },
	{ KS_LIST,    "/",		REQ_FILTER },
	{ KS_QUEUE,   "C",		REQ_CANDIDATES },
	{ KS_QUEUE,   "E",		REQ_ACCEPT },
	{ KS_QUEUE,   "D",		REQ_DISMISS },
};

static const char *const scope_names[KS__COUNT] = {
	"generic", "queue", "detail", "list"
};

/* Named keys; the first name of a code is its canonical one. */
static const struct key_name {
	const char	*name;
	int		 key;
} key_names[] = {
	{ "Enter",	'\n' },
	{ "Return",	'\n' },
	{ "Esc",	27 },
	{ "Escape",	27 },
	{ "Space",	' ' },
	{ "Tab",	'\t' },
	{ "Backspace",	KEYMAP_FKEY | KEY_BACKSPACE },
	{ "Up",		KEYMAP_FKEY | KEY_UP },
	{ "Down",	KEYMAP_FKEY | KEY_DOWN },
	{ "Left",	KEYMAP_FKEY | KEY_LEFT },
	{ "Right",	KEYMAP_FKEY | KEY_RIGHT },
	{ "PgDn",	KEYMAP_FKEY | KEY_NPAGE },
	{ "PageDown",	KEYMAP_FKEY | KEY_NPAGE },
	{ "PgUp",	KEYMAP_FKEY | KEY_PPAGE },
	{ "PageUp",	KEYMAP_FKEY | KEY_PPAGE },
	{ "Home",	KEYMAP_FKEY | KEY_HOME },
	{ "End",	KEYMAP_FKEY | KEY_END },
	{ "Insert",	KEYMAP_FKEY | KEY_IC },
	{ "Del",	KEYMAP_FKEY | KEY_DC },
	{ "Delete",	KEYMAP_FKEY | KEY_DC },
};

const char *
keymap_scope_name(enum keymap_scope s)
{
	return s >= 0 && s < KS__COUNT ? scope_names[s] : "?";
}

static int
scope_parse(const char *s)
{
	int i;

	for (i = 0; i < KS__COUNT; i++)
		if (strcmp(scope_names[i], s) == 0)
			return i;
	return -1;
}

void
keymap_bind(struct keymap *km, enum keymap_scope s, int key, enum request req)
{
	size_t i;

	for (i = 0; i < km->n[s]; i++) {
		if (km->b[s][i].key == key) {
			/* In place: the key keeps its position in hints. */
			km->b[s][i].req = req;
			return;
		}
	}
	if (km->n[s] == km->cap[s]) {
		km->cap[s] = km->cap[s] ? km->cap[s] * 2 : 32;
		km->b[s] = xrealloc(km->b[s], km->cap[s] * sizeof *km->b[s]);
	}
	km->b[s][km->n[s]].key = key;
	km->b[s][km->n[s]].req = req;
	km->n[s]++;
}

void
keymap_init(struct keymap *km)
{
	size_t i;
	int key;

	memset(km, 0, sizeof *km);
	for (i = 0; i < sizeof default_bindings / sizeof default_bindings[0]; i++) {
		if (keymap_parse_key(default_bindings[i].key, &key) < 0)
			abort();	/* a typo in the table above */
		keymap_bind(km, default_bindings[i].scope, key, default_bindings[i].req);
	}
}

void
keymap_free(struct keymap *km)
{
	int s;

	for (s = 0; s < KS__COUNT; s++)
		free(km->b[s]);
	memset(km, 0, sizeof *km);
}

/* A binding in exactly scope s, or -1. */
static int
scope_find(const struct keymap *km, enum keymap_scope s, int key)
{
	size_t i;

	for (i = 0; i < km->n[s]; i++)
		if (km->b[s][i].key == key)
			return (int)km->b[s][i].req;
	return -1;
}

enum request
keymap_lookup(const struct keymap *km, enum keymap_scope s, int key)
{
	int r = scope_find(km, s, key);

	if (r < 0 && s != KS_GENERIC)
		r = scope_find(km, KS_GENERIC, key);
	return r < 0 ? REQ_NONE : (enum request)r;
}

int
keymap_parse_key(const char *name, int *key)
{
	size_t len, i;
	char inner[32];
	unsigned char c;

	if (name == NULL || *name == '\0')
		return -1;
	len = strlen(name);
	if (len == 1 && (unsigned char)name[0] > ' ' && (unsigned char)name[0] < 0x7f) {
		*key = (unsigned char)name[0];
		return 0;
	}
	if (len == 2 && name[0] == '^') {
		c = (unsigned char)toupper((unsigned char)name[1]);
		if (c >= '@' && c <= '_') {
			*key = c - '@';
			return 0;
		}
		return -1;
	}
	if (len < 3 || name[0] != '<' || name[len - 1] != '>' || len - 2 >= sizeof inner)
		return -1;
	memcpy(inner, name + 1, len - 2);
	inner[len - 2] = '\0';
	for (i = 0; i < sizeof key_names / sizeof key_names[0]; i++) {
		if (strcasecmp(key_names[i].name, inner) == 0) {
			*key = key_names[i].key;
			return 0;
		}
	}
	if ((inner[0] == 'F' || inner[0] == 'f') && inner[1] != '\0') {
		char *end;
		long n;

		errno = 0;
		n = strtol(inner + 1, &end, 10);
		if (errno == 0 && *end == '\0' && n >= 1 && n <= 12) {
			*key = KEYMAP_FKEY | KEY_F((int)n);
			return 0;
		}
	}
	return -1;
}

void
keymap_key_name(int key, char *buf, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof key_names / sizeof key_names[0]; i++) {
		if (key_names[i].key == key) {
			snprintf(buf, len, "<%s>", key_names[i].name);
			return;
		}
	}
	if (key > ' ' && key < 0x7f)
		snprintf(buf, len, "%c", key);
	else if (key >= 0 && key < ' ')
		snprintf(buf, len, "^%c", key + '@');
	else if ((key & KEYMAP_FKEY) && (key & ~KEYMAP_FKEY) >= KEY_F(1) &&
	    (key & ~KEYMAP_FKEY) <= KEY_F(12))
		snprintf(buf, len, "<F%d>", (key & ~KEYMAP_FKEY) - KEY_F0);
	else
		snprintf(buf, len, "<0x%x>", (unsigned)key);
}

/* Split line into at most max whitespace-separated words, in place. */
static int
split_words(char *line, char **w, int max)
{
	int n = 0;
	char *p = line;

	while (*p != '\0') {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0' || *p == '#')
			break;
		if (n == max)
			return max + 1;
		w[n++] = p;
		while (*p != '\0' && *p != ' ' && *p != '\t')
			p++;
		if (*p != '\0')
			*p++ = '\0';
	}
	return n;
}

int
keymap_parse_line(struct keymap *km, const char *line, char *err, size_t errlen)
{
	char copy[256], *w[5];
	int n, scope = KS_GENERIC, key, k;
	enum request req = REQ_NONE;
	bool unbind;

	if (strlen(line) >= sizeof copy) {
		snprintf(err, errlen, "line too long");
		return -1;
	}
	strcpy(copy, line);
	copy[strcspn(copy, "\r\n")] = '\0';
	n = split_words(copy, w, 4);
	if (n == 0)
		return 0;
	unbind = strcmp(w[0], "unbind") == 0;
	if (!unbind && strcmp(w[0], "bind") != 0) {
		snprintf(err, errlen, "unknown command '%.40s' (expected bind or unbind)", w[0]);
		return -1;
	}
	/* bind KEY REQ | bind SCOPE KEY REQ | unbind KEY | unbind SCOPE KEY */
	k = 1;
	if (n == (unbind ? 3 : 4)) {
		if ((scope = scope_parse(w[1])) < 0) {
			snprintf(err, errlen, "unknown scope '%.40s' (generic, queue, detail)", w[1]);
			return -1;
		}
		k = 2;
	} else if (n != (unbind ? 2 : 3)) {
		snprintf(err, errlen, unbind ? "usage: unbind [SCOPE] KEY" :
		    "usage: bind [SCOPE] KEY REQUEST");
		return -1;
	}
	if (keymap_parse_key(w[k], &key) < 0) {
		snprintf(err, errlen, "unknown key '%.40s'", w[k]);
		return -1;
	}
	if (!unbind) {
		req = request_parse(w[k + 1]);
		if (req == REQ_NONE && strcmp(w[k + 1], "none") != 0) {
			snprintf(err, errlen, "unknown request '%.40s'", w[k + 1]);
			return -1;
		}
	}
	keymap_bind(km, (enum keymap_scope)scope, key, req);
	return 0;
}

/* One line of f into line (without its newline): 1, 0 at the end of the
 * file, -1 on a read error.  A line too long for the buffer is read to its
 * end all the same (its tail is not the next line) and flagged, as is a
 * NUL byte, which fgets() would silently cut the line at. */
static int
read_line(FILE *f, char *line, size_t len, bool *too_long, bool *nul)
{
	size_t n = 0;
	int ch;

	*too_long = *nul = false;
	while ((ch = getc(f)) != EOF && ch != '\n') {
		if (ch == '\0')
			*nul = true;
		else if (n + 1 < len)
			line[n++] = (char)ch;
		else
			*too_long = true;
	}
	line[n] = '\0';
	if (ch == EOF && ferror(f))
		return -1;
	return ch == EOF && n == 0 && !*too_long && !*nul ? 0 : 1;
}

int
keymap_load_file(struct keymap *km, const char *path, char *err, size_t errlen)
{
	char line[512], msg[256];
	FILE *f;
	int lineno = 0, bad = 0, rc;
	bool too_long, nul;

	if (err != NULL && errlen > 0)
		err[0] = '\0';
	f = fopen(path, "r");
	if (f == NULL) {
		/* No keys file is the usual case; one we cannot read is not. */
		if (errno == ENOENT || errno == ENOTDIR)
			return 0;
		if (err != NULL)
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return 1;
	}
	while ((rc = read_line(f, line, sizeof line, &too_long, &nul)) > 0) {
		lineno++;
		/* A comment may be as long as it likes. */
		if (line[strspn(line, " \t")] == '#' && !nul)
			continue;
		if (too_long || nul) {
			snprintf(msg, sizeof msg, too_long ? "line too long" :
			    "NUL byte in the line");
			rc = -1;
		} else {
			rc = keymap_parse_line(km, line, msg, sizeof msg);
		}
		if (rc < 0 && bad++ == 0 && err != NULL)
			snprintf(err, errlen, "%s:%d: %s", path, lineno, msg);
	}
	if (rc < 0) {
		/* A directory, an I/O error: say so rather than half a file. */
		if (bad++ == 0 && err != NULL)
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
	}
	fclose(f);
	return bad;
}

int
keymap_default_path(char *buf, size_t len)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");

	if (xdg != NULL && xdg[0] == '/')
		snprintf(buf, len, "%s/vsoc/keys", xdg);
	else if (home != NULL && *home != '\0')
		snprintf(buf, len, "%s/.config/vsoc/keys", home);
	else
		return 0;
	return 1;
}

static void
keys_collect(const struct keymap *km, enum keymap_scope from,
    enum keymap_scope s, enum request req, struct strbuf *sb, int *count)
{
	char name[32];
	size_t i;

	for (i = 0; i < km->n[from]; i++) {
		if (km->b[from][i].req != req ||
		    keymap_lookup(km, s, km->b[from][i].key) != req)
			continue;
		/* A generic key shadowed by the scope was skipped above; a key
		 * bound in both to the same request is listed once. */
		if (from == KS_GENERIC && s != KS_GENERIC &&
		    scope_find(km, s, km->b[from][i].key) >= 0)
			continue;
		keymap_key_name(km->b[from][i].key, name, sizeof name);
		strbuf_append(sb, *count ? ", " : "");
		strbuf_append(sb, name);
		(*count)++;
	}
}

int
keymap_keys_for(const struct keymap *km, enum keymap_scope s, enum request req,
    char *buf, size_t len)
{
	struct strbuf sb;
	int count = 0;

	strbuf_init(&sb);
	if (s != KS_GENERIC)
		keys_collect(km, s, s, req, &sb, &count);
	keys_collect(km, KS_GENERIC, s, req, &sb, &count);
	snprintf(buf, len, "%s", sb.buf);
	strbuf_free(&sb);
	return count;
}
