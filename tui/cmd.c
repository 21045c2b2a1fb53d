/* cmd.c: the command table, option handling and error printing. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "format.h"
#include "migrate.h"
#include "output.h"
#include "sanitize.h"
#include "strbuf.h"

static bool	 json_errors;	/* --json is on the command line */
static bool	 json_failed;	/* the failure document is out */
static json_t	*json_context;

void
cmd_json_errors(bool on)
{
	json_errors = on;
}

void
cmd_json_context(const char *key, json_t *value)
{
	if (json_context == NULL)
		json_context = json_object();
	json_object_set_new(json_context, key, value);
}

static const char *
exit_result_name(int code)
{
	switch (code) {
	case EXIT_USAGE:
		return "usage";
	case EXIT_CONFLICT:
		return "conflict";
	case EXIT_NOTFOUND:
		return "not_found";
	case EXIT_DENIED:
		return "denied";
	}
	return "error";
}

/* The first failure of a run is the one a script needs; later ones (a
 * cleanup that fails too) stay on stderr. */
static void
json_failure(int code, const char *msg)
{
	json_t *doc;

	if (!json_errors || json_failed)
		return;
	json_failed = true;
	doc = json_object();
	json_object_set_new(doc, "ok", json_false());
	json_object_set_new(doc, "result", json_string(exit_result_name(code)));
	json_object_set_new(doc, "error", output_json_text(msg));
	if (json_context != NULL)
		json_object_update(doc, json_context);
	fflush(stderr);
	output_json(stdout, doc);
	fflush(stdout);
}

static void
error_line(int code, const char *msg, size_t len)
{
	struct strbuf clean;

	strbuf_init(&clean);
	/* Messages can quote attacker-controlled values (ids, names). */
	sanitize(&clean, msg, len, 0);
	fprintf(stderr, "vsoc: %s\n", clean.buf);
	strbuf_free(&clean);
	json_failure(code, msg);
}

int
cmd_error(int code, const char *fmt, ...)
{
	struct strbuf raw;
	va_list ap;

	strbuf_init(&raw);
	va_start(ap, fmt);
	strbuf_vappendf(&raw, fmt, ap);
	va_end(ap);
	error_line(code, raw.buf, raw.len);
	strbuf_free(&raw);
	return code;
}

int
cmd_usage_error(const struct cmd_entry *e, const char *fmt, ...)
{
	struct strbuf raw, line;
	va_list ap;

	strbuf_init(&raw);
	va_start(ap, fmt);
	strbuf_vappendf(&raw, fmt, ap);
	va_end(ap);
	strbuf_init(&line);
	strbuf_appendf(&line, "%s: %s", e->name, raw.buf);
	error_line(EXIT_USAGE, line.buf, line.len);
	strbuf_free(&line);
	fprintf(stderr, "usage: vsoc %s %s\n(see: vsoc help %s)\n", e->name,
	    e->usage, e->name);
	strbuf_free(&raw);
	return EXIT_USAGE;
}

bool
cmd_common_option(struct cmd_ctx *ctx, const struct cmd_entry *e, int c,
    const char *arg)
{
	switch (c) {
	case 0x100:
		ctx->db_flag = arg;
		return true;
	case 0x101:
		ctx->as = arg;
		return true;
	case 0x102:
		ctx->json = true;
		cmd_json_errors(true);
		return true;
	case 0x103:
		cmd_print_help(e);
		exit(EXIT_OK);
	case 0x104:
		ctx->read_only = true;
		return true;
	}
	return false;
}

int
cmd_connect_any(struct cmd_ctx *ctx)
{
	if (ctx->read_only && ctx->entry != NULL && (ctx->entry->flags & CMD_WRITES))
		return cmd_error(EXIT_DENIED, "%s changes the database: refused in"
		    " read-only mode (--read-only)", ctx->entry->name);
	if (!ctx->connected) {
		if (db_connect(&ctx->db, ctx->db_flag) < 0)
			return cmd_error(EXIT_FAIL, "%s", ctx->db.errmsg);
		ctx->connected = true;
	}
	return EXIT_OK;
}

int
cmd_connect(struct cmd_ctx *ctx, bool analyst)
{
	const char *env = getenv("VSOC_ANALYST");
	int rc, cur;

	/* A name the database could not even compare is a usage error. */
	if (ctx->as != NULL && !utf8_valid(ctx->as))
		return cmd_error(EXIT_USAGE, "the value of --as is not valid UTF-8");
	if (env != NULL && !utf8_valid(env))
		return cmd_error(EXIT_USAGE, "VSOC_ANALYST is not valid UTF-8");
	if (!ctx->connected) {
		if ((rc = cmd_connect_any(ctx)) != EXIT_OK)
			return rc;
		/* One cheap query saves every command a confusing "relation
		 * does not exist" on a database that was never migrated. */
		if ((cur = migrate_current(&ctx->db)) < 0)
			return cmd_error(EXIT_FAIL, "%s", ctx->db.errmsg);
		if (cur < migrate_latest())
			return cmd_error(EXIT_FAIL, "%s has schema %d, this vsoc needs %d; "
			    "hint: run vsoc db migrate", ctx->db.target, cur,
			    migrate_latest());
		if (cur > migrate_latest())
			return cmd_error(EXIT_FAIL, "%s has schema %d, newer than this "
			    "vsoc knows (%d); hint: upgrade vsoc", ctx->db.target, cur,
			    migrate_latest());
	}
	if (analyst && ctx->me.id == 0) {
		const char *claim = ctx->as;

		if (analyst_self(&ctx->db, &ctx->me) < 0)
			return cmd_error(db_sqlstate_is(&ctx->db, DB_SQLSTATE_NO_PRIV) ?
			    EXIT_DENIED : EXIT_FAIL, "%s", ctx->db.errmsg);
		/* The session user acts; --as and $VSOC_ANALYST only assert who
		 * that should be, so a script meant for bob never acts as alice. */
		if (claim == NULL && env != NULL && *env != '\0')
			claim = env;
		if (claim != NULL && strcmp(claim, ctx->me.name) != 0)
			return cmd_error(EXIT_DENIED, "%s names analyst '%s', but this"
			    " session is '%s': vsoc acts as the database session user;"
			    " hint: connect as %s (PGUSER=%s, or user=%s in --db)",
			    claim == ctx->as ? "--as" : "VSOC_ANALYST", claim,
			    ctx->me.name, claim, claim, claim);
	}
	return EXIT_OK;
}

int
cmd_db_failure(struct cmd_ctx *ctx)
{
	static const struct {
		const char	*state;
		int		 code;
	} map[] = {
		{ DB_SQLSTATE_NO_PRIV, EXIT_DENIED },
		{ "P0002", EXIT_NOTFOUND },	/* no_data_found */
		{ DB_SQLSTATE_UNIQUE, EXIT_CONFLICT },
		{ "55000", EXIT_CONFLICT },	/* object_not_in_prerequisite_state */
		{ "22023", EXIT_USAGE },	/* invalid_parameter_value */
	};
	size_t i;

	for (i = 0; i < sizeof map / sizeof map[0]; i++)
		if (db_sqlstate_is(&ctx->db, map[i].state))
			return cmd_error(map[i].code, "%s", ctx->db.errmsg);
	return cmd_error(EXIT_FAIL, "%s", ctx->db.errmsg);
}

bool
cmd_parse_int(const char *s, long long *out)
{
	/* Digits only, no sign, no blanks, no overflow clamped to the max. */
	return s != NULL && s[0] != '#' && format_parse_id(s, out) == 0;
}

void
cmd_print_help(const struct cmd_entry *e)
{
	printf("usage: vsoc %s %s\n\n%s\n", e->name, e->usage, e->summary);
	if (e->help != NULL && *e->help != '\0')
		printf("\n%s", e->help);
	printf("\nCommon options: --db CONNINFO, --as ANALYST (a check), --json,"
	    " --read-only, --help.\n");
}
