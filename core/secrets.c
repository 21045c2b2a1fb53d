/* secrets.c: the secrets file: strict permissions, values never shown. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "secrets.h"
#include "strbuf.h"

void
secrets_init(struct secrets *s)
{
	memset(s, 0, sizeof *s);
}

static void
wipe_free(char *v)
{
	if (v != NULL) {
		explicit_bzero(v, strlen(v));
		free(v);
	}
}

void
secrets_free(struct secrets *s)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		free(s->names[i]);
		wipe_free(s->values[i]);
	}
	free(s->names);
	free(s->values);
	free(s->path);
	memset(s, 0, sizeof *s);
}

bool
secrets_path(struct strbuf *out)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");

	if (xdg != NULL && xdg[0] == '/')
		strbuf_appendf(out, "%s/vsoc/secrets", xdg);
	else if (home != NULL && *home != '\0')
		strbuf_appendf(out, "%s/.config/vsoc/secrets", home);
	else
		return false;
	return true;
}

const char *
secrets_get(const struct secrets *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (strcmp(s->names[i], name) == 0)
			return s->values[i];
	return NULL;
}

void
secrets_env_name(const char *name, char *buf, size_t len)
{
	size_t i, n;

	n = (size_t)snprintf(buf, len, "VSOC_SECRET_%s", name);
	for (i = 12; i < n && i < len; i++) {
		if (buf[i] >= 'a' && buf[i] <= 'z')
			buf[i] = (char)(buf[i] - 'a' + 'A');
		else if (buf[i] == '.' || buf[i] == '-')
			buf[i] = '_';
	}
}

const char *
secrets_lookup(const struct secrets *s, const char *name, const char **from)
{
	char env[SECRETS_NAME_MAX + 16];
	const char *v;

	secrets_env_name(name, env, sizeof env);
	if ((v = getenv(env)) != NULL && *v != '\0') {
		if (from != NULL)
			*from = "env";
		return v;
	}
	if ((v = secrets_get(s, name)) != NULL && from != NULL)
		*from = "file";
	return v;
}

static bool
name_ok(const char *k, size_t n)
{
	size_t i;

	if (n == 0 || n > SECRETS_NAME_MAX)
		return false;
	for (i = 0; i < n; i++)
		if (!((k[i] >= 'a' && k[i] <= 'z') || (k[i] >= 'A' && k[i] <= 'Z') ||
		    (k[i] >= '0' && k[i] <= '9') || k[i] == '_' || k[i] == '-' ||
		    k[i] == '.'))
			return false;
	return true;
}

/* Messages never quote a line: a malformed line may be a secret pasted
 * without its name. */
int
secrets_parse(struct secrets *s, const char *name, const char *text, size_t len,
    struct strbuf *err)
{
	struct secrets staged;
	const char *p = text, *end = text + len, *nl, *l, *lend, *eq, *k, *kend;
	const char *v, *vend;
	size_t i;
	int line = 0, errors = 0;

	secrets_init(&staged);
	if (len > SECRETS_FILE_MAX) {
		strbuf_appendf(err, "%s: bigger than %d bytes: not a secrets file\n",
		    name, SECRETS_FILE_MAX);
		return 1;
	}
	while (p < end) {
		line++;
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		l = str_trim(p, nl, &lend);
		p = nl + (nl < end);
		if (l == lend || *l == '#')
			continue;
		if (memchr(l, '\0', (size_t)(lend - l)) != NULL ||
		    (eq = memchr(l, '=', (size_t)(lend - l))) == NULL) {
			strbuf_appendf(err, "%s:%d: expected 'name = value' "
			    "(the line is not shown: it may hold a secret)\n", name, line);
			errors++;
			continue;
		}
		k = str_trim(l, eq, &kend);
		v = str_trim(eq + 1, lend, &vend);
		if (!name_ok(k, (size_t)(kend - k))) {
			strbuf_appendf(err, "%s:%d: a secret's name is 1 to %d letters, "
			    "digits, '.', '_' or '-'\n", name, line, SECRETS_NAME_MAX);
			errors++;
			continue;
		}
		for (i = 0; i < staged.n; i++)
			if (strlen(staged.names[i]) == (size_t)(kend - k) &&
			    memcmp(staged.names[i], k, (size_t)(kend - k)) == 0)
				break;
		if (i < staged.n) {
			strbuf_appendf(err, "%s:%d: '%s' is set twice\n", name, line,
			    staged.names[i]);
			errors++;
			continue;
		}
		if (v == vend) {
			strbuf_appendf(err, "%s:%d: '%.*s' has no value\n", name, line,
			    (int)(kend - k), k);
			errors++;
			continue;
		}
		staged.names = xrealloc(staged.names, (staged.n + 1) * sizeof *staged.names);
		staged.values = xrealloc(staged.values, (staged.n + 1) * sizeof *staged.values);
		staged.names[staged.n] = xstrndup(k, (size_t)(kend - k));
		staged.values[staged.n] = xstrndup(v, (size_t)(vend - v));
		staged.n++;
	}
	if (errors > 0) {
		secrets_free(&staged);
		return errors;
	}
	secrets_free(s);
	*s = staged;
	s->path = xstrdup(name);
	return 0;
}

int
secrets_load(struct secrets *s, const char *path, struct strbuf *err)
{
	struct strbuf name, text;
	struct stat st;
	char buf[4096];
	ssize_t n;
	int fd, rc = 1;

	strbuf_init(&name);
	if (path != NULL)
		strbuf_append(&name, path);
	else if (!secrets_path(&name)) {
		strbuf_free(&name);
		return 0;
	}
	/* O_NOFOLLOW: a symlink could point the check at another file. */
	if ((fd = open(name.buf, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)) < 0) {
		if (errno == ENOENT)
			rc = 0;
		else
			strbuf_appendf(err, "%s: %s\n", name.buf, strerror(errno));
		strbuf_free(&name);
		return rc;
	}
	strbuf_init(&text);
	if (fstat(fd, &st) < 0) {
		strbuf_appendf(err, "%s: %s\n", name.buf, strerror(errno));
	} else if (!S_ISREG(st.st_mode)) {
		strbuf_appendf(err, "%s: not a regular file: refused\n", name.buf);
	} else if (st.st_uid != geteuid()) {
		strbuf_appendf(err, "%s: owned by uid %ld, not you (uid %ld): refused\n",
		    name.buf, (long)st.st_uid, (long)geteuid());
	} else if ((st.st_mode & 077) != 0) {
		strbuf_appendf(err, "%s: mode %04o lets others at it: refused "
		    "(chmod 600 %s)\n", name.buf, (unsigned)(st.st_mode & 07777), name.buf);
	} else {
		while ((n = read(fd, buf, sizeof buf)) > 0 && text.len <= SECRETS_FILE_MAX)
			strbuf_appendn(&text, buf, (size_t)n);
		if (n < 0)
			strbuf_appendf(err, "%s: %s\n", name.buf, strerror(errno));
		else
			rc = secrets_parse(s, name.buf, text.buf, text.len, err);
		explicit_bzero(buf, sizeof buf);
		explicit_bzero(text.buf, text.len);
	}
	close(fd);
	strbuf_free(&text);
	strbuf_free(&name);
	return rc;
}
