/* settings.c: the settings files' parser and the precedence of settings:
 * command line > environment > user file > system file > default. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "settings.h"
#include "format.h"
#include "sanitize.h"
#include "strbuf.h"

#define IDLE_LOCK_MAX	(7 * 86400L)
#define NAME_MAX_LEN	64

const struct settings_key settings_keys[SETTINGS_NKEYS] = {
	{ "console", "idle_lock", SETTINGS_DURATION, "15m", "VSOC_IDLE_LOCK",
	  "--idle-lock", "lock the idle console after this long (0: never)" },
	{ "console", "read_only", SETTINGS_BOOL, "no", NULL, "--read-only",
	  "every action off, as for the viewer role" },
	{ "console", "view", SETTINGS_NAME, "open", NULL, "--view",
	  "the view the console opens in" },
	{ "console", "colour", SETTINGS_COLOUR, "auto", "NO_COLOR", NULL,
	  "auto (colours when the terminal has them) or never" },
	{ "console", "deliver", SETTINGS_BOOL, "yes", "VSOC_DELIVER", NULL,
	  "send due pages from the console (a vsoc_deliverer member's only)" },
	{ "outbox", "max_attempts", SETTINGS_COUNT, "10", NULL, NULL,
	  "delivery attempts of a page before it is failed (1 to 100)" },
	{ "outbox", "backoff", SETTINGS_DURATION, "30s", NULL, NULL,
	  "the wait before the first retry, doubled at each retry" },
	{ "outbox", "backoff_max", SETTINGS_DURATION, "1h", NULL, NULL,
	  "the longest wait between retries" },
};

void
settings_init(struct settings *c)
{
	int i;

	memset(c, 0, sizeof *c);
	for (i = 0; i < SETTINGS_NKEYS; i++)
		c->value[i] = xstrdup(settings_keys[i].def);
	channel_set_init(&c->channels);
}

void
settings_free(struct settings *c)
{
	int i;

	for (i = 0; i < SETTINGS_NKEYS; i++)
		free(c->value[i]);
	free(c->path);
	free(c->sys_path);
	channel_set_free(&c->channels);
	memset(c, 0, sizeof *c);
}

int
settings_find(const char *section, const char *name)
{
	int i;

	for (i = 0; i < SETTINGS_NKEYS; i++)
		if (strcmp(settings_keys[i].section, section) == 0 &&
		    strcmp(settings_keys[i].name, name) == 0)
			return i;
	return -1;
}

static int
find_or_die(const char *section, const char *name)
{
	int i = settings_find(section, name);

	if (i < 0)
		abort();
	return i;
}

const char *
settings_get(const struct settings *c, const char *section, const char *name)
{
	return c->value[find_or_die(section, name)];
}

long
settings_get_duration(const struct settings *c, const char *section, const char *name)
{
	const char *v = settings_get(c, section, name);

	return strcmp(v, "0") == 0 ? 0 : format_parse_duration(v);
}

long
settings_get_count(const struct settings *c, const char *section, const char *name)
{
	return strtol(settings_get(c, section, name), NULL, 10);
}

bool
settings_get_bool(const struct settings *c, const char *section, const char *name)
{
	return strcmp(settings_get(c, section, name), "yes") == 0;
}

char *
settings_value_check(enum settings_type t, const char *v, const char **why)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };
	long secs;
	size_t i;

	switch (t) {
	case SETTINGS_DURATION:
		secs = strcmp(v, "0") == 0 ? 0 : format_parse_duration(v);
		if (secs < 0 || secs > IDLE_LOCK_MAX) {
			*why = "a duration up to 7d (90s, 15m, 1h) or 0";
			return NULL;
		}
		return xstrdup(v);
	case SETTINGS_BOOL:
		for (i = 0; i < sizeof yes / sizeof yes[0]; i++) {
			if (strcasecmp(v, yes[i]) == 0)
				return xstrdup("yes");
			if (strcasecmp(v, no[i]) == 0)
				return xstrdup("no");
		}
		*why = "yes or no";
		return NULL;
	case SETTINGS_COLOUR:
		if (strcmp(v, "auto") == 0 || strcmp(v, "never") == 0)
			return xstrdup(v);
		*why = "auto or never";
		return NULL;
	case SETTINGS_COUNT:
		for (i = 0; v[i] != '\0'; i++)
			if (v[i] < '0' || v[i] > '9')
				break;
		if (i == 0 || i > 3 || v[i] != '\0' || atoi(v) < 1 || atoi(v) > 100) {
			*why = "a number from 1 to 100";
			return NULL;
		}
		{
			char num[8];

			snprintf(num, sizeof num, "%d", atoi(v));
			return xstrdup(num);
		}
	case SETTINGS_NAME:
		/* A view name: printable, short, no leading or trailing space. */
		if (*v == '\0' || strlen(v) > NAME_MAX_LEN || v[0] == ' ' ||
		    v[strlen(v) - 1] == ' ')
			goto bad_name;
		for (i = 0; v[i] != '\0'; i++)
			if ((unsigned char)v[i] < 0x20 || v[i] == 0x7f)
				goto bad_name;
		return xstrdup(v);
	}
bad_name:
	*why = "a name of 1 to 64 printable characters";
	return NULL;
}

/* Quote untrusted text (a value or key from the file) in a message. */
static void
quote(struct strbuf *out, const char *s, size_t n)
{
	strbuf_appendc(out, '\'');
	if (n > 80) {
		sanitize(out, s, 80, 0);
		strbuf_append(out, "...");
	} else {
		sanitize(out, s, n, 0);
	}
	strbuf_appendc(out, '\'');
}

static void
set(struct settings *c, int i, char *v, enum settings_source src, int line)
{
	free(c->value[i]);
	c->value[i] = v;
	c->source[i] = src;
	c->line[i] = line;
}

static bool
is_word(const char *s, size_t n)
{
	size_t i;

	if (n == 0)
		return false;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '_' || s[i] == '-'))
			return false;
	return true;
}

/* One line, already trimmed: s[0..n).  section holds the current section
 * ("" before the first header, "?" after a malformed one). */
static int
parse_line(struct settings *staged, const char *name, int line,
    const char *s, size_t n, char *section, size_t seclen, struct strbuf *err,
    struct strbuf *warn)
{
	const char *eq, *k, *kend, *v, *vend, *why;
	char key[64], *val, *norm;
	int i;

	if (n == 0 || s[0] == '#' || s[0] == ';')
		return 0;
	if (memchr(s, '\0', n) != NULL) {
		strbuf_appendf(err, "%s:%d: a NUL byte in the line\n", name, line);
		return 1;
	}
	if (s[0] == '[') {
		if (n < 2 || s[n - 1] != ']')
			kend = k = s;
		else
			k = str_trim(s + 1, s + n - 1, &kend);
		/* [channel NAME]: one of any number of channels (channel.h). */
		if (kend - k > 8 && memcmp(k, "channel", 7) == 0 && (k[7] == ' ' ||
		    k[7] == '\t')) {
			v = str_trim(k + 8, kend, &vend);
			if (channel_section(&staged->channels, name, line, v,
			    (size_t)(vend - v), err) != 0) {
				snprintf(section, seclen, "?");
				return 1;
			}
			snprintf(section, seclen, "channel %.*s", (int)(vend - v), v);
			return 0;
		}
		if (!is_word(k, (size_t)(kend - k)) ||
		    (size_t)(kend - k) >= seclen) {
			strbuf_appendf(err, "%s:%d: bad section header ", name, line);
			quote(err, s, n);
			strbuf_append(err, ": expected [name]\n");
			snprintf(section, seclen, "?");
			return 1;
		}
		snprintf(section, seclen, "%.*s", (int)(kend - k), k);
		for (i = 0; i < SETTINGS_NKEYS; i++)
			if (strcmp(settings_keys[i].section, section) == 0)
				break;
		if (i == SETTINGS_NKEYS)
			strbuf_appendf(warn, "%s:%d: unknown section [%s] (ignored)\n",
			    name, line, section);
		return 0;
	}
	if ((eq = memchr(s, '=', n)) == NULL) {
		strbuf_appendf(err, "%s:%d: expected 'key = value' or '[section]', not ",
		    name, line);
		quote(err, s, n);
		strbuf_appendc(err, '\n');
		return 1;
	}
	k = str_trim(s, eq, &kend);
	v = str_trim(eq + 1, s + n, &vend);
	if (!is_word(k, (size_t)(kend - k)) || (size_t)(kend - k) >= sizeof key) {
		strbuf_appendf(err, "%s:%d: bad key ", name, line);
		quote(err, k, (size_t)(kend - k));
		strbuf_append(err, ": letters, digits, _ and - only\n");
		return 1;
	}
	snprintf(key, sizeof key, "%.*s", (int)(kend - k), k);
	if (section[0] == '\0') {
		strbuf_appendf(err, "%s:%d: '%s' is outside any [section]\n", name,
		    line, key);
		return 1;
	}
	if (strcmp(section, "?") == 0)
		return 0;	/* under a malformed header: already reported */
	/* "value" and 'value' may be quoted, to keep edge spaces. */
	if (vend - v >= 2 && (v[0] == '"' || v[0] == '\'') && vend[-1] == v[0]) {
		v++;
		vend--;
	}
	if (strncmp(section, "channel ", 8) == 0) {
		val = xstrndup(v, (size_t)(vend - v));
		i = channel_key(&staged->channels, name, line, key, val, err, warn);
		free(val);
		return i;
	}
	if ((i = settings_find(section, key)) < 0 && strcmp(key, "color") == 0)
		i = settings_find(section, "colour");
	if (i < 0) {
		for (i = 0; i < SETTINGS_NKEYS; i++)
			if (strcmp(settings_keys[i].section, section) == 0)
				break;
		if (i < SETTINGS_NKEYS)	/* else the section was warned about */
			strbuf_appendf(warn, "%s:%d: unknown key '%s' in [%s] (ignored)\n",
			    name, line, key, section);
		return 0;
	}
	val = xstrndup(v, (size_t)(vend - v));
	if ((norm = settings_value_check(settings_keys[i].type, val, &why)) == NULL) {
		strbuf_appendf(err, "%s:%d: %s takes %s, not ", name, line, key, why);
		quote(err, val, strlen(val));
		strbuf_appendc(err, '\n');
		free(val);
		return 1;
	}
	free(val);
	set(staged, i, norm, SETTINGS_FILE, line);
	return 0;
}

/* Channels [from, to) of c's set, moved into a set of their own. */
static void
channels_take(struct settings *c, size_t from, size_t to, struct channel_set *out)
{
	channel_set_init(out);
	out->v = xcalloc(to - from + 1, sizeof *out->v);
	for (; from < to; from++)
		out->v[out->n++] = c->channels.v[from];
}

/* c's channels from a user set and a system set (both taken): the user's
 * first, then the system's the user file does not replace. */
static void
channels_merge(struct settings *c, struct channel_set *user, struct channel_set *sys)
{
	struct channel_set out, dropped;
	size_t i;

	free(c->channels.v);
	channel_set_init(&out);
	channel_set_init(&dropped);
	out.v = xcalloc(user->n + sys->n + 1, sizeof *out.v);
	dropped.v = xcalloc(sys->n + 1, sizeof *dropped.v);
	for (i = 0; i < user->n; i++)
		out.v[out.n++] = user->v[i];
	for (i = 0; i < sys->n; i++) {
		if (channel_find(user, sys->v[i].name) != NULL)
			dropped.v[dropped.n++] = sys->v[i];
		else
			out.v[out.n++] = sys->v[i];
	}
	c->channels_user = user->n;
	free(user->v);
	free(sys->v);
	channel_set_free(&dropped);
	c->channels = out;
}

int
settings_parse_layer(struct settings *c, enum settings_source layer, const char *name,
    const char *text, size_t len, struct strbuf *err, struct strbuf *warn)
{
	struct settings staged;
	struct channel_set user, sys, old;
	const char *p = text, *end = text + len, *nl, *s, *send;
	char section[64] = "";
	int line = 0, errors = 0, i;

	memset(&staged, 0, sizeof staged);
	if (len > SETTINGS_FILE_MAX) {
		strbuf_appendf(err, "%s: bigger than %d bytes: not a settings file\n",
		    name, SETTINGS_FILE_MAX);
		return 1;
	}
	while (p < end) {
		line++;
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		s = str_trim(p, nl, &send);
		errors += parse_line(&staged, name, line, s, (size_t)(send - s),
		    section, sizeof section, err, warn);
		p = nl + (nl < end);
	}
	errors += channel_set_check(&staged.channels, name, err);
	/* All or nothing: half a file could unlock what the rest locked. */
	for (i = 0; i < SETTINGS_NKEYS; i++) {
		if (staged.value[i] == NULL)
			continue;
		/* A layer never overrides a higher one already applied (the
		 * environment, an option): load the files first. */
		if (errors == 0 && c->source[i] <= layer)
			set(c, i, staged.value[i], layer, staged.line[i]);
		else
			free(staged.value[i]);
	}
	if (errors != 0) {
		channel_set_free(&staged.channels);
		return errors;
	}
	if (layer == SETTINGS_SYSTEM) {
		free(c->sys_path);
		c->sys_path = xstrdup(name);
		channels_take(c, 0, c->channels_user, &user);
		channels_take(c, c->channels_user, c->channels.n, &old);
		channels_merge(c, &user, &staged.channels);
	} else {
		free(c->path);
		c->path = xstrdup(name);
		channels_take(c, 0, c->channels_user, &old);
		channels_take(c, c->channels_user, c->channels.n, &sys);
		channels_merge(c, &staged.channels, &sys);
	}
	channel_set_free(&old);
	return 0;
}

int
settings_parse(struct settings *c, const char *name, const char *text, size_t len,
    struct strbuf *err, struct strbuf *warn)
{
	return settings_parse_layer(c, SETTINGS_FILE, name, text, len, err, warn);
}

bool
settings_path(struct strbuf *out, const char *path, bool *explicit)
{
	const char *env = getenv("VSOC_CONFIG"), *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");

	*explicit = true;
	if (path == NULL && env != NULL && *env != '\0')
		path = env;
	if (path != NULL) {
		strbuf_append(out, path);
		return true;
	}
	*explicit = false;
	if (xdg != NULL && xdg[0] == '/')
		strbuf_appendf(out, "%s/vsoc/config", xdg);
	else if (home != NULL && *home != '\0')
		strbuf_appendf(out, "%s/.config/vsoc/config", home);
	else
		return false;
	return true;
}

void
settings_system_path(struct strbuf *out)
{
	const char *env = getenv("VSOC_SYSTEM_CONFIG");

	strbuf_append(out, env != NULL && *env != '\0' ? env : SETTINGS_SYSTEM_PATH);
}

/* Read and parse one file as layer; a missing file is an error only when
 * it was named explicitly. */
static int
load_file(struct settings *c, enum settings_source layer, const char *name,
    bool explicit, struct strbuf *err, struct strbuf *warn)
{
	struct strbuf text;
	char buf[8192];
	size_t n;
	FILE *f;
	int rc;

	if ((f = fopen(name, "r")) == NULL) {
		if (errno == ENOENT && !explicit)
			return 0;
		strbuf_appendf(err, "%s: %s\n", name, strerror(errno));
		return 1;
	}
	strbuf_init(&text);
	while ((n = fread(buf, 1, sizeof buf, f)) > 0 && text.len <= SETTINGS_FILE_MAX)
		strbuf_appendn(&text, buf, n);
	if (ferror(f)) {
		strbuf_appendf(err, "%s: %s\n", name, strerror(errno));
		rc = 1;
	} else {
		rc = settings_parse_layer(c, layer, name, text.buf, text.len, err, warn);
	}
	fclose(f);
	strbuf_free(&text);
	return rc;
}

int
settings_load(struct settings *c, const char *path, struct strbuf *err,
    struct strbuf *warn)
{
	struct strbuf name;
	bool explicit;
	int rc;

	/* The system file first: the user file is read over it.  Even when
	 * $VSOC_SYSTEM_CONFIG names it, it may be absent (no policy). */
	strbuf_init(&name);
	settings_system_path(&name);
	rc = load_file(c, SETTINGS_SYSTEM, name.buf, false, err, warn);
	strbuf_reset(&name);
	if (settings_path(&name, path, &explicit))
		rc += load_file(c, SETTINGS_FILE, name.buf, explicit, err, warn);
	strbuf_free(&name);
	return rc;
}

int
settings_apply_env(struct settings *c, struct strbuf *err)
{
	const char *v, *why;
	char *norm;
	int i, errors = 0;

	for (i = 0; i < SETTINGS_NKEYS; i++) {
		if (settings_keys[i].env == NULL ||
		    (v = getenv(settings_keys[i].env)) == NULL || *v == '\0')
			continue;
		/* NO_COLOR means "no colours" whatever its value (no-color.org). */
		if (settings_keys[i].type == SETTINGS_COLOUR)
			v = "never";
		if ((norm = settings_value_check(settings_keys[i].type, v, &why)) == NULL) {
			strbuf_appendf(err, "%s takes %s, not ", settings_keys[i].env, why);
			quote(err, v, strlen(v));
			strbuf_appendc(err, '\n');
			errors++;
			continue;
		}
		set(c, i, norm, SETTINGS_ENV, 0);
	}
	return errors;
}

int
settings_set_flag(struct settings *c, const char *section, const char *name,
    const char *value, struct strbuf *err)
{
	int i = find_or_die(section, name);
	const char *why;
	char *norm;

	if ((norm = settings_value_check(settings_keys[i].type, value, &why)) == NULL) {
		strbuf_appendf(err, "%s takes %s, not ", settings_keys[i].flag ?
		    settings_keys[i].flag : name, why);
		quote(err, value, strlen(value));
		return -1;
	}
	set(c, i, norm, SETTINGS_FLAG, 0);
	return 0;
}

const char *
settings_source_name(enum settings_source s)
{
	switch (s) {
	case SETTINGS_DEFAULT:
		return "default";
	case SETTINGS_SYSTEM:
		return "system";
	case SETTINGS_FILE:
		return "user";
	case SETTINGS_ENV:
		return "env";
	case SETTINGS_FLAG:
		return "option";
	}
	return "?";
}

void
settings_origin(const struct settings *c, int i, struct strbuf *out)
{
	switch (c->source[i]) {
	case SETTINGS_DEFAULT:
		strbuf_append(out, "default");
		break;
	case SETTINGS_SYSTEM:
		strbuf_appendf(out, "system file %s:%d", c->sys_path ? c->sys_path : "?",
		    c->line[i]);
		break;
	case SETTINGS_FILE:
		strbuf_appendf(out, "user file %s:%d", c->path ? c->path : "?", c->line[i]);
		break;
	case SETTINGS_ENV:
		strbuf_appendf(out, "env %s", settings_keys[i].env);
		break;
	case SETTINGS_FLAG:
		strbuf_appendf(out, "option %s", settings_keys[i].flag);
		break;
	}
}

void
settings_channel_origin(const struct settings *c, size_t k, struct strbuf *out)
{
	bool user = k < c->channels_user;
	const char *file = user ? c->path : c->sys_path;

	strbuf_appendf(out, "%s file %s:%d", user ? "user" : "system", file ? file : "?",
	    c->channels.v[k].header_line);
}
