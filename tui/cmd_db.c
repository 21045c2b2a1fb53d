/* cmd_db.c: vsoc db migrate, vsoc db status. */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "format.h"
#include "migrate.h"
#include "output.h"
#include "queue.h"

static int	db_migrate_exec(struct cmd_ctx *, int, char **);
static int	db_status_exec(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_db_migrate_entry = {
	"db migrate", "[--json]",
	"apply the schema migrations this vsoc knows and the database lacks",
	"Applies each missing migration (sql/NNN_*.sql, built into vsoc) in order,\n"
	"each in its own transaction, and records it in schema_migrations.  Safe to\n"
	"run again: a migrated database is left as it is, and data is kept.\n"
	"Concurrent runs wait for each other.\n",
	CMD_NEEDS_DB | CMD_WRITES, db_migrate_exec
};

const struct cmd_entry cmd_db_status_entry = {
	"db status", "[--json]",
	"show where vsoc connects, the schema version and the alert counts",
	"Connects like every command (--db, $VSOC_DB, PG* variables, private\n"
	"cluster) and reports the target, the applied and known schema versions,\n"
	"and the number of alerts per status.  Exit 1 when unreachable.\n",
	CMD_NEEDS_DB, db_status_exec
};

static int
parse_common_only(struct cmd_ctx *ctx, const struct cmd_entry *e, int argc,
    char **argv)
{
	static const struct option opts[] = { CMD_COMMON_OPTIONS, { NULL, 0, NULL, 0 } };
	int c;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1)
		if (!cmd_common_option(ctx, e, c, optarg))
			return cmd_usage_error(e, "unknown option '%s'", argv[optind - 1]);
	if (optind < argc)
		return cmd_usage_error(e, "unexpected argument '%s'", argv[optind]);
	return EXIT_OK;
}

static void
migrate_print(const struct migration *m, void *arg)
{
	json_t *applied = arg;

	if (applied != NULL)
		json_array_append_new(applied, json_string(m->name));
	else
		printf("applied %s\n", m->name);
}

static int
db_migrate_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct cmd_entry *e = &cmd_db_migrate_entry;
	json_t *applied = NULL, *doc;
	int rc, n, cur;

	if ((rc = parse_common_only(ctx, e, argc, argv)) != EXIT_OK)
		return rc;
	if ((rc = cmd_connect_any(ctx)) != EXIT_OK)
		return rc;
	cur = migrate_current(&ctx->db);
	if (cur > migrate_latest())
		return cmd_error(EXIT_FAIL, "%s has schema %d, newer than this vsoc "
		    "knows (%d): upgrade vsoc", ctx->db.target, cur, migrate_latest());
	if (ctx->json)
		applied = json_array();
	n = migrate_apply(&ctx->db, migrate_print, applied);
	if (n < 0) {
		json_decref(applied);
		if (db_sqlstate_is(&ctx->db, DB_SQLSTATE_NO_PRIV))
			return cmd_error(EXIT_FAIL, "%s; hint: migrations create the vsoc"
			    " roles and own the tables: run vsoc db migrate as a PostgreSQL"
			    " superuser (or a member of vsoc_owner with CREATEROLE)",
			    ctx->db.errmsg);
		return cmd_error(EXIT_FAIL, "%s", ctx->db.errmsg);
	}
	if (ctx->json) {
		doc = json_object();
		json_object_set_new(doc, "applied", applied);
		json_object_set_new(doc, "schema", json_integer(migrate_latest()));
		return output_json(stdout, doc) < 0 ? EXIT_FAIL : EXIT_OK;
	}
	if (n == 0)
		printf("%s is up to date (schema %d)\n", ctx->db.target, migrate_latest());
	else
		printf("%s migrated to schema %d\n", ctx->db.target, migrate_latest());
	return EXIT_OK;
}

static int
db_status_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct cmd_entry *e = &cmd_db_status_entry;
	struct queue_counts qc;
	json_t *doc, *st;
	char buf[32];
	int rc, cur, i;

	if ((rc = parse_common_only(ctx, e, argc, argv)) != EXIT_OK)
		return rc;
	if ((rc = cmd_connect_any(ctx)) != EXIT_OK)
		return rc;
	if ((cur = migrate_current(&ctx->db)) < 0)
		return cmd_error(EXIT_FAIL, "%s", ctx->db.errmsg);
	memset(&qc, 0, sizeof qc);
	if (cur > 0 && queue_counts(&ctx->db, &qc) < 0)
		return cmd_error(EXIT_FAIL, "%s", ctx->db.errmsg);
	if (ctx->json) {
		doc = json_object();
		json_object_set_new(doc, "target", json_string(ctx->db.target));
		json_object_set_new(doc, "schema", json_integer(cur));
		json_object_set_new(doc, "schema_known", json_integer(migrate_latest()));
		st = json_object();
		for (i = 0; i < ST__COUNT; i++)
			json_object_set_new(st, status_name((enum alert_status)i),
			    json_integer(qc.status[i]));
		json_object_set_new(doc, "alerts", st);
		json_object_set_new(doc, "alerts_total", json_integer(qc.total));
		return output_json(stdout, doc) < 0 ? EXIT_FAIL : EXIT_OK;
	}
	printf("target:  ");
	output_text(stdout, ctx->db.target);
	printf("\nschema:  %d (this vsoc knows %d)%s\n", cur, migrate_latest(),
	    cur < migrate_latest() ? ": run vsoc db migrate" : "");
	format_count(buf, sizeof buf, qc.total);
	printf("alerts:  %s", buf);
	for (i = 0; i < ST__COUNT; i++) {
		format_count(buf, sizeof buf, qc.status[i]);
		printf("%s %s %s", i ? "," : " (", buf, status_name((enum alert_status)i));
	}
	printf(")\n");
	return EXIT_OK;
}
