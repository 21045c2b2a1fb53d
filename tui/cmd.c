/* cmd.c: the command table, option handling and error printing. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "migrate.h"
#include "sanitize.h"
#include "strbuf.h"

int
cmd_error(int code, const char *fmt, ...)
{
	struct strbuf raw, clean;
	va_list ap;

	strbuf_init(&raw);
	strbuf_init(&clean);
	va_start(ap, fmt);
	strbuf_vappendf(&raw, fmt, ap);
	va_end(ap);
	/* Messages can quote attacker-controlled values (ids, names). */
	sanitize(&clean, raw.buf, raw.len, 0);
	fprintf(stderr, "vsoc: %s\n", clean.buf);
	strbuf_free(&raw);
	strbuf_free(&clean);
	return code;
}

int
cmd_usage_error(const struct cmd_entry *e, const char *fmt, ...)
{
	struct strbuf raw;
	va_list ap;

	strbuf_init(&raw);
	va_start(ap, fmt);
	strbuf_vappendf(&raw, fmt, ap);
	va_end(ap);
	cmd_error(EXIT_USAGE, "%s: %s", e->name, raw.buf);
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
		return true;
	case 0x103:
		cmd_print_help(e);
		exit(EXIT_OK);
	}
	return false;
}

int
cmd_connect_any(struct cmd_ctx *ctx)
{
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
	int rc, cur;

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
		if (analyst_self(&ctx->db, ctx->as, &ctx->me) < 0)
			return cmd_error(EXIT_FAIL, "%s", ctx->db.errmsg);
	}
	return EXIT_OK;
}

bool
cmd_parse_int(const char *s, long long *out)
{
	char *end;
	long long v;

	if (s == NULL || *s == '\0')
		return false;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || v <= 0)
		return false;
	*out = v;
	return true;
}

void
cmd_print_help(const struct cmd_entry *e)
{
	printf("usage: vsoc %s %s\n\n%s\n", e->name, e->usage, e->summary);
	if (e->help != NULL && *e->help != '\0')
		printf("\n%s", e->help);
	printf("\nCommon options: --db CONNINFO, --as ANALYST, --json, --help.\n");
}
