/* db.c: connection resolution and the one checked query path. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db.h"
#include "format.h"
#include "strbuf.h"

/* libpq reads these itself; any of them means "use the PG* environment".
 * PGUSER is not among them: it says who, not where, so PGUSER=bob vsoc
 * still opens the private cluster, as bob. */
static const char *const pg_env_vars[] = {
	"PGHOST", "PGHOSTADDR", "PGPORT", "PGDATABASE",
	"PGSERVICE", "PGSERVICEFILE", NULL
};

void
db_set_error(struct db *db, const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	vsnprintf(db->errmsg, sizeof db->errmsg, fmt, ap);
	va_end(ap);
	/* One line: libpq messages end in newlines and may hold several. */
	for (p = db->errmsg; *p != '\0'; p++)
		if (*p == '\n' || *p == '\r' || *p == '\t')
			*p = ' ';
	while (p > db->errmsg && p[-1] == ' ')
		*--p = '\0';
}

void
db_private_dir(char *buf, size_t len)
{
	const char *dir = getenv("VSOC_PGDIR");
	char cwd[PATH_MAX];

	if (dir == NULL || *dir == '\0')
		dir = "var/pg";
	if (dir[0] == '/' || getcwd(cwd, sizeof cwd) == NULL)
		snprintf(buf, len, "%s", dir);
	else
		snprintf(buf, len, "%s/%s", cwd, dir);
}

static bool
pg_env_present(void)
{
	int i;

	for (i = 0; pg_env_vars[i] != NULL; i++) {
		const char *v = getenv(pg_env_vars[i]);
		if (v != NULL && *v != '\0')
			return true;
	}
	return false;
}

/* First line of libpq's complaint, without the "connection to server ..."
 * preamble repeated for every host tried. */
static void
first_reason(const char *msg, char *buf, size_t len)
{
	const char *p = msg, *nl;

	nl = strchr(p, '\n');
	/* libpq 15 says: connection to server on socket "..." failed: REASON */
	if (strncmp(p, "connection to server", 20) == 0) {
		const char *f = strstr(p, "failed: ");
		if (f != NULL && (nl == NULL || f < nl))
			p = f + 8;
	}
	nl = strchr(p, '\n');
	snprintf(buf, len, "%.*s", nl ? (int)(nl - p) : (int)strlen(p), p);
}

static void
db_notice_ignore(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

/* Would libpq read s as a connection string (expand_dbname) rather than a
 * database name?  The same test libpq makes. */
static bool
is_conninfo(const char *s)
{
	return strncmp(s, "postgresql://", 13) == 0 ||
	    strncmp(s, "postgres://", 11) == 0 || strchr(s, '=') != NULL;
}

/* libpq's parse errors quote the text they choke on, and that text can be
 * the password ("invalid percent-encoded token: \"s3cr%zz\"", or half of an
 * unquoted password with a space: missing "=" after "half").  Keep the
 * words, drop every quoted value but one punctuation character ("=",
 * "]"), which names the syntax without echoing the string. */
static void
redact_quoted(const char *msg, char *buf, size_t len)
{
	struct strbuf sb;
	const char *p = msg, *q;

	strbuf_init(&sb);
	while (*p != '\0' && *p != '\n') {
		if (*p != '"') {
			strbuf_appendc(&sb, *p++);
			continue;
		}
		q = strchr(p + 1, '"');
		if (q == NULL)
			break;	/* unbalanced: the rest may be the value */
		if (q - p == 2 && ispunct((unsigned char)p[1])) {
			strbuf_appendf(&sb, "\"%c\"", p[1]);
		} else {
			/* "token: \"...\"" reads better as "token (value hidden)". */
			while (sb.len > 0 && (sb.buf[sb.len - 1] == ' ' ||
			    sb.buf[sb.len - 1] == ':'))
				sb.buf[--sb.len] = '\0';
			strbuf_append(&sb, " (value hidden)");
		}
		p = q + 1;
	}
	snprintf(buf, len, "%s", sb.len ? sb.buf : "cannot be parsed");
	strbuf_free(&sb);
}

/* Replace every occurrence of secret (a password) in buf with "***". */
static void
redact_secret(char *buf, size_t len, const char *secret)
{
	struct strbuf sb;
	const char *p = buf, *hit;
	size_t n;

	if (secret == NULL || (n = strlen(secret)) == 0 || strstr(buf, secret) == NULL)
		return;
	strbuf_init(&sb);
	while ((hit = strstr(p, secret)) != NULL) {
		strbuf_appendf(&sb, "%.*s***", (int)(hit - p), p);
		p = hit + n;
	}
	strbuf_append(&sb, p);
	snprintf(buf, len, "%s", sb.buf);
	strbuf_free(&sb);
}

/* Check a connection string before libpq connects with it: a string libpq
 * cannot parse makes PQconnectdbParams fail with a message quoting it,
 * password included.  Returns 0 and the password (caller frees, NULL if
 * none) for redacting later messages, or -1 with errmsg set. */
static int
check_conninfo(struct db *db, const char *s, const char *what, char **password)
{
	PQconninfoOption *opts, *o;
	char *err = NULL, reason[512];

	*password = NULL;
	if (!is_conninfo(s))
		return 0;
	opts = PQconninfoParse(s, &err);
	if (opts == NULL) {
		redact_quoted(err ? err : "out of memory", reason, sizeof reason);
		db_set_error(db, "cannot connect: %s is not a valid connection"
		    " string: %s; hint: check %s (its text is not shown: it may"
		    " hold a password)", what, reason, what);
		PQfreemem(err);
		return -1;
	}
	for (o = opts; o->keyword != NULL; o++)
		if (strcmp(o->keyword, "password") == 0 && o->val != NULL &&
		    *o->val != '\0')
			*password = xstrdup(o->val);
	PQconninfoFree(opts);
	return 0;
}

/* What every session needs, on the first connect and on every reconnect
 * alike: a reset connection starts from libpq's defaults again (and
 * PGCLIENTENCODING), so setting this once would not hold. */
static int
db_session_setup(struct db *db)
{
	PGresult *res;

	/* libpq prints NOTICEs on stderr, which would scribble over the
	 * console: drop them, and ask the server not to send them. */
	PQsetNoticeProcessor(db->conn, db_notice_ignore, NULL);
	res = PQexec(db->conn, "SET TimeZone = 'UTC'; SET DateStyle = 'ISO'; "
	    "SET client_encoding = 'UTF8'; SET client_min_messages = 'warning'");
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		db_set_error(db, "cannot set up the session on %s: %s", db->target,
		    PQerrorMessage(db->conn));
		PQclear(res);
		return -1;
	}
	PQclear(res);
	return 0;
}

int
db_connect(struct db *db, const char *flag)
{
	const char *kw[12], *val[12], *env;
	char dir[PATH_MAX], conn[PATH_MAX + 64], reason[512];
	char *password = NULL;
	const char *hint = "";
	int n = 0;

	memset(db, 0, sizeof *db);
	env = getenv("VSOC_DB");
	if (getenv("PGCONNECT_TIMEOUT") == NULL) {
		kw[n] = "connect_timeout";
		val[n++] = "10";
	}
	kw[n] = "fallback_application_name";
	val[n++] = "vsoc";
	/* A server that goes away without closing the socket (host down,
	 * cable cut) is noticed in about 10 s, not after the kernel's two
	 * hours; Unix sockets ignore these.  Before dbname, so a connection
	 * string that sets its own wins. */
	kw[n] = "keepalives";
	val[n++] = "1";
	kw[n] = "keepalives_idle";
	val[n++] = "5";
	kw[n] = "keepalives_interval";
	val[n++] = "2";
	kw[n] = "keepalives_count";
	val[n++] = "2";
	if (flag != NULL) {
		db->source = DB_SRC_FLAG;
		if (check_conninfo(db, flag, "--db", &password) < 0)
			return -1;
		kw[n] = "dbname";
		val[n++] = flag;
		snprintf(db->target, sizeof db->target, "the database given by --db");
		hint = "check the --db connection string";
	} else if (env != NULL && *env != '\0') {
		db->source = DB_SRC_ENV;
		if (check_conninfo(db, env, "VSOC_DB", &password) < 0)
			return -1;
		kw[n] = "dbname";
		val[n++] = env;
		snprintf(db->target, sizeof db->target, "the database given by VSOC_DB");
		hint = "check VSOC_DB";
	} else if (pg_env_present()) {
		db->source = DB_SRC_PGENV;
		snprintf(db->target, sizeof db->target, "the database given by the PG* variables");
		hint = "check PGHOST, PGPORT, PGDATABASE and PGUSER";
	} else {
		struct stat st;

		db->source = DB_SRC_PRIVATE;
		db_private_dir(dir, sizeof dir);
		snprintf(db->target, sizeof db->target, "the private cluster in %s", dir);
		if (stat(dir, &st) != 0) {
			db_set_error(db, "cannot connect to %s: it does not exist; "
			    "hint: create and start it with scripts/pg start, "
			    "or set VSOC_DB or --db", db->target);
			return -1;
		}
		snprintf(conn, sizeof conn, "%s", dir);
		kw[n] = "host";
		val[n++] = conn;
		kw[n] = "dbname";
		val[n++] = "vsoc";
		hint = "start it with scripts/pg start";
	}
	kw[n] = NULL;
	val[n] = NULL;

	db->conn = PQconnectdbParams(kw, val, 1);
	if (db->conn == NULL || PQstatus(db->conn) != CONNECTION_OK) {
		const char *msg = db->conn ? PQerrorMessage(db->conn) : "out of memory";

		/* Name the real target once libpq knows it (never the password). */
		if (db->conn != NULL && db->source != DB_SRC_PRIVATE &&
		    PQdb(db->conn) != NULL) {
			const char *h = PQhost(db->conn);
			snprintf(db->target + strlen(db->target),
			    sizeof db->target - strlen(db->target),
			    " (database \"%s\" on %s)", PQdb(db->conn),
			    h && *h ? h : "the default socket");
		}
		first_reason(msg, reason, sizeof reason);
		db_set_error(db, "cannot connect to %s: %s; hint: %s",
		    db->target, reason, hint);
		/* libpq does not quote passwords in its reasons, but a value
		 * it does quote (a host, a database) may be one mistyped. */
		redact_secret(db->errmsg, sizeof db->errmsg, password);
		free(password);
		PQfinish(db->conn);
		db->conn = NULL;
		return -1;
	}
	free(password);
	if (db->source != DB_SRC_PRIVATE) {
		const char *h = PQhost(db->conn);
		snprintf(db->target, sizeof db->target, "%s@%s", PQdb(db->conn),
		    h && *h ? h : "local");
	} else {
		snprintf(db->target, sizeof db->target, "vsoc@%s", dir);
	}
	if (db_session_setup(db) < 0) {
		PQfinish(db->conn);
		db->conn = NULL;
		return -1;
	}
	return 0;
}

void
db_disconnect(struct db *db)
{
	if (db->conn != NULL)
		PQfinish(db->conn);
	db->conn = NULL;
}

/* The result checker: every statement's outcome passes through here. */
static bool
db_accept(struct db *db, PGresult *res, ExecStatusType want)
{
	ExecStatusType st;
	const char *state, *primary, *detail;

	db->statements++;
	db->sqlstate[0] = '\0';
	if (res == NULL) {
		db_set_error(db, "%s", PQerrorMessage(db->conn));
		return false;
	}
	st = PQresultStatus(res);
	if (st == want || (want == PGRES_COMMAND_OK && st == PGRES_TUPLES_OK))
		return true;
	state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	primary = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
	detail = PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL);
	if (state != NULL)
		snprintf(db->sqlstate, sizeof db->sqlstate, "%s", state);
	if (primary != NULL && detail != NULL)
		db_set_error(db, "%s (%s)", primary, detail);
	else if (primary != NULL)
		db_set_error(db, "%s", primary);
	else
		db_set_error(db, "%s", PQerrorMessage(db->conn));
	if (PQstatus(db->conn) == CONNECTION_BAD) {
		char msg[sizeof db->errmsg];
		snprintf(msg, sizeof msg, "%s", db->errmsg);
		db_set_error(db, "lost the connection to %s: %s", db->target, msg);
	}
	return false;
}

PGresult *
db_query(struct db *db, const char *sql, int nparams, const char *const *params)
{
	PGresult *res;

	if (db->conn == NULL) {
		db_set_error(db, "not connected");
		return NULL;
	}
	res = PQexecParams(db->conn, sql, nparams, NULL, params, NULL, NULL, 0);
	if (!db_accept(db, res, PGRES_TUPLES_OK)) {
		PQclear(res);
		return NULL;
	}
	return res;
}

long
db_command(struct db *db, const char *sql, int nparams, const char *const *params)
{
	PGresult *res;
	long n;

	if (db->conn == NULL) {
		db_set_error(db, "not connected");
		return -1;
	}
	res = PQexecParams(db->conn, sql, nparams, NULL, params, NULL, NULL, 0);
	if (!db_accept(db, res, PGRES_COMMAND_OK)) {
		PQclear(res);
		return -1;
	}
	n = atol(PQcmdTuples(res));
	PQclear(res);
	return n;
}

int
db_script(struct db *db, const char *sql)
{
	PGresult *res;

	if (db->conn == NULL) {
		db_set_error(db, "not connected");
		return -1;
	}
	/* Multi-statement text needs the simple protocol; only ever called
	 * with constant SQL from sql/ (no values). */
	res = PQexec(db->conn, sql);
	if (!db_accept(db, res, PGRES_COMMAND_OK)) {
		PQclear(res);
		return -1;
	}
	PQclear(res);
	return 0;
}

int
db_begin(struct db *db)
{
	return db_command(db, "BEGIN", 0, NULL) < 0 ? -1 : 0;
}

int
db_commit(struct db *db)
{
	return db_command(db, "COMMIT", 0, NULL) < 0 ? -1 : 0;
}

void
db_rollback(struct db *db)
{
	char msg[sizeof db->errmsg], state[sizeof db->sqlstate];
	PGresult *res;

	if (db->conn == NULL)
		return;
	/* Keep the error that made us roll back. */
	memcpy(msg, db->errmsg, sizeof msg);
	memcpy(state, db->sqlstate, sizeof state);
	res = PQexec(db->conn, "ROLLBACK");
	PQclear(res);
	memcpy(db->errmsg, msg, sizeof msg);
	memcpy(db->sqlstate, state, sizeof state);
}

static int
listen_command(struct db *db, const char *verb, const char *channel)
{
	struct strbuf sb;
	char *ident;
	int rc;

	if (db->conn == NULL)
		return -1;
	/* LISTEN takes an identifier, not a parameter. */
	ident = PQescapeIdentifier(db->conn, channel, strlen(channel));
	if (ident == NULL) {
		db_set_error(db, "%s", PQerrorMessage(db->conn));
		return -1;
	}
	strbuf_init(&sb);
	strbuf_append(&sb, verb);
	strbuf_append(&sb, ident);
	PQfreemem(ident);
	rc = db_command(db, sb.buf, 0, NULL) < 0 ? -1 : 0;
	strbuf_free(&sb);
	return rc;
}

int
db_listen(struct db *db, const char *channel)
{
	return listen_command(db, "LISTEN ", channel);
}

/* channel "*" stops listening on every channel. */
int
db_unlisten(struct db *db, const char *channel)
{
	if (strcmp(channel, "*") == 0)
		return db_command(db, "UNLISTEN *", 0, NULL) < 0 ? -1 : 0;
	return listen_command(db, "UNLISTEN ", channel);
}

int
db_socket(const struct db *db)
{
	return db->conn ? PQsocket(db->conn) : -1;
}

int
db_notification(struct db *db, char *channel, size_t chlen, char *payload,
    size_t plen)
{
	PGnotify *n;

	if (db->conn == NULL)
		return -1;
	if (PQconsumeInput(db->conn) == 0) {
		db_set_error(db, "lost the connection to %s: %s", db->target,
		    PQerrorMessage(db->conn));
		return -1;
	}
	n = PQnotifies(db->conn);
	if (n == NULL)
		return 0;
	snprintf(channel, chlen, "%s", n->relname);
	snprintf(payload, plen, "%s", n->extra);
	PQfreemem(n);
	return 1;
}

int
db_reset(struct db *db)
{
	if (db->conn == NULL)
		return -1;
	PQreset(db->conn);
	if (PQstatus(db->conn) != CONNECTION_OK) {
		db_set_error(db, "cannot reconnect to %s: %s", db->target,
		    PQerrorMessage(db->conn));
		return -1;
	}
	return db_session_setup(db);
}

bool
db_sqlstate_is(const struct db *db, const char *code)
{
	return strcmp(db->sqlstate, code) == 0;
}

const char *
db_value(const PGresult *res, int row, const char *col)
{
	int c = PQfnumber(res, col);

	if (c < 0 || row >= PQntuples(res) || PQgetisnull(res, row, c))
		return NULL;
	return PQgetvalue(res, row, c);
}

long long
db_ll(const PGresult *res, int row, const char *col)
{
	const char *v = db_value(res, row, col);

	return v ? strtoll(v, NULL, 10) : 0;
}

int
db_int(const PGresult *res, int row, const char *col)
{
	return (int)db_ll(res, row, col);
}

bool
db_bool(const PGresult *res, int row, const char *col)
{
	const char *v = db_value(res, row, col);

	return v != NULL && v[0] == 't';
}

char *
db_dup(const PGresult *res, int row, const char *col)
{
	return xstrdup_null(db_value(res, row, col));
}

time_t
db_time(const PGresult *res, int row, const char *col)
{
	const char *v = db_value(res, row, col);

	return v ? format_parse_ts(v) : 0;
}
