/* cmd_analyst.c: vsoc analyst list|add|role|disable|enable.
 *
 * An analyst is a PostgreSQL login role plus a row in analysts; its vsoc
 * role is a membership in vsoc_viewer, vsoc_analyst, vsoc_lead or
 * vsoc_admin.  The changes run in the database's own functions
 * (sql/002_security.sql), which refuse anyone but an admin (or the DBA)
 * and write the audit record; a refusal is audited here. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyst.h"
#include "audit.h"
#include "cmd.h"
#include "output.h"
#include "strbuf.h"

static int	analyst_list_exec(struct cmd_ctx *, int, char **);
static int	analyst_change_exec(struct cmd_ctx *, int, char **);

#define HELP_ROLES \
	"\nRoles: viewer (reads), analyst (triage, incidents), lead (also reassigns\n" \
	"others' work, overrides severity, approves high-risk playbook steps),\n" \
	"admin (also manages analysts, rules and settings).  The database\n" \
	"enforces them: they are memberships in vsoc_viewer .. vsoc_admin.\n"
#define HELP_ADMIN \
	"\nNeeds the admin role (or the DBA who ran vsoc db migrate).  One\n" \
	"transaction and one audit record; a refusal is audited too.  Exit codes:\n" \
	"0 done, 1 failure, 2 usage error, 3 conflict, 4 no such analyst, 5 denied.\n"

const struct cmd_entry cmd_analyst_list_entry = {
	"analyst list", "[--json]",
	"list analysts with their roles and whether they are active",
	"Every analyst: name, display name, role as recorded, the role the\n"
	"database grants its login (the one enforced), and whether it is active.\n",
	CMD_NEEDS_DB, analyst_list_exec
};

const struct cmd_entry cmd_analyst_add_entry = {
	"analyst add", "NAME --role ROLE [--display TEXT]",
	"create an analyst: a login role with a vsoc role",
	"Creates the PostgreSQL login role NAME if it does not exist (no\n"
	"password: set one, or use peer authentication or a client certificate),\n"
	"grants it the vsoc role, and records the analyst.  Re-adding a disabled\n"
	"analyst enables it again with the new role.\n"
	HELP_ROLES HELP_ADMIN
	"\nExample:\n  vsoc analyst add frank --role analyst --display 'Frank Mills'\n",
	CMD_NEEDS_DB | CMD_WRITES, analyst_change_exec
};

const struct cmd_entry cmd_analyst_role_entry = {
	"analyst role", "NAME ROLE",
	"change an analyst's role",
	"Moves the analyst's login to the new vsoc role at once: a console it has\n"
	"open is refused its next action if the new role does not allow it.  The\n"
	"last active admin cannot be demoted.\n"
	HELP_ROLES HELP_ADMIN,
	CMD_NEEDS_DB | CMD_WRITES, analyst_change_exec
};

const struct cmd_entry cmd_analyst_disable_entry = {
	"analyst disable", "NAME [--reason TEXT]",
	"disable an analyst: no more logins, no more actions",
	"Refuses the analyst's logins from now on and removes its vsoc role, so\n"
	"a session it still has open can no longer change anything.  History\n"
	"and ownership stay.  You cannot disable yourself or the last admin.\n"
	HELP_ADMIN,
	CMD_NEEDS_DB | CMD_WRITES, analyst_change_exec
};

const struct cmd_entry cmd_analyst_enable_entry = {
	"analyst enable", "NAME",
	"enable a disabled analyst again, with the role it had",
	"Allows the analyst's logins again and grants back the role it had.\n"
	HELP_ADMIN,
	CMD_NEEDS_DB | CMD_WRITES, analyst_change_exec
};

static int
analyst_list_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = { CMD_COMMON_OPTIONS, { NULL, 0, NULL, 0 } };
	static const char *const hdr[] = { "NAME", "ROLE", "GRANTED", "ACTIVE", "DISPLAY" };
	const struct cmd_entry *e = &cmd_analyst_list_entry;
	struct table *t;
	PGresult *res;
	json_t *doc, *list;
	int c, i, rc;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1)
		if (!cmd_common_option(ctx, e, c, optarg))
			return cmd_usage_error(e, "unknown option '%s'", argv[optind - 1]);
	if (optind < argc)
		return cmd_usage_error(e, "unexpected argument '%s'", argv[optind]);
	if ((rc = cmd_connect(ctx, false)) != EXIT_OK)
		return rc;
	/* What the database grants the login, beside what the row says: the
	 * two differ for a disabled analyst (no membership) or after a DBA
	 * changed memberships by hand. */
	res = db_query(&ctx->db, "SELECT a.name, a.role, a.active, a.display_name,"
	    " CASE WHEN r.oid IS NULL THEN 'no login'"
	    "  WHEN pg_has_role(r.oid, 'vsoc_admin', 'USAGE') THEN 'admin'"
	    "  WHEN pg_has_role(r.oid, 'vsoc_lead', 'USAGE') THEN 'lead'"
	    "  WHEN pg_has_role(r.oid, 'vsoc_analyst', 'USAGE') THEN 'analyst'"
	    "  WHEN pg_has_role(r.oid, 'vsoc_viewer', 'USAGE') THEN 'viewer'"
	    "  ELSE 'none' END AS granted"
	    " FROM analysts a LEFT JOIN pg_roles r ON r.rolname = a.name"
	    " ORDER BY a.name LIMIT 10000", 0, NULL);
	if (res == NULL)
		return cmd_db_failure(ctx);
	if (ctx->json) {
		list = json_array();
		for (i = 0; i < PQntuples(res); i++)
			json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:b, s:s?}",
			    "name", db_value(res, i, "name"), "role", db_value(res, i, "role"),
			    "granted", db_value(res, i, "granted"), "active",
			    db_bool(res, i, "active"), "display",
			    db_value(res, i, "display_name")));
		doc = json_object();
		json_object_set_new(doc, "analysts", list);
		PQclear(res);
		return output_json(stdout, doc) < 0 ? EXIT_FAIL : EXIT_OK;
	}
	t = table_new(5, hdr, (const int[]){ 0, 0, 0, 0, COL_WRAP });
	for (i = 0; i < PQntuples(res); i++) {
		const char *cells[5];

		cells[0] = db_value(res, i, "name");
		cells[1] = db_value(res, i, "role");
		cells[2] = db_value(res, i, "granted");
		cells[3] = db_bool(res, i, "active") ? "yes" : "no";
		cells[4] = db_value(res, i, "display_name");
		table_add(t, cells);
	}
	table_print(t, stdout);
	table_free(t);
	PQclear(res);
	return EXIT_OK;
}

enum {
	OPT_ROLE = 0x200,
	OPT_DISPLAY,
	OPT_REASON
};

static int
analyst_change_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		CMD_COMMON_OPTIONS,
		{ "role", required_argument, NULL, OPT_ROLE },
		{ "display", required_argument, NULL, OPT_DISPLAY },
		{ "reason", required_argument, NULL, OPT_REASON },
		{ NULL, 0, NULL, 0 }
	};
	const struct cmd_entry *e;
	const char *verb = argv[0], *name, *role_arg = NULL, *display = NULL;
	const char *reason = NULL, *action;
	enum analyst_role role = ROLE_NONE;
	json_t *doc;
	int c, rc, r;

	if (strcmp(verb, "add") == 0)
		e = &cmd_analyst_add_entry, action = "analyst.add";
	else if (strcmp(verb, "role") == 0)
		e = &cmd_analyst_role_entry, action = "analyst.role";
	else if (strcmp(verb, "disable") == 0)
		e = &cmd_analyst_disable_entry, action = "analyst.disable";
	else
		e = &cmd_analyst_enable_entry, action = "analyst.enable";
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		if (cmd_common_option(ctx, e, c, optarg))
			continue;
		if (c == ':')
			return cmd_usage_error(e, "%s needs a value", argv[optind - 1]);
		if (c == OPT_ROLE && e == &cmd_analyst_add_entry)
			role_arg = optarg;
		else if (c == OPT_DISPLAY && e == &cmd_analyst_add_entry)
			display = optarg;
		else if (c == OPT_REASON && e == &cmd_analyst_disable_entry)
			reason = optarg;
		else
			return cmd_usage_error(e, "unknown option '%s'", argv[optind - 1]);
	}
	if (optind >= argc)
		return cmd_usage_error(e, "no analyst named");
	name = argv[optind++];
	if (e == &cmd_analyst_role_entry && optind < argc)
		role_arg = argv[optind++];
	if (optind < argc)
		return cmd_usage_error(e, "unexpected argument '%s'", argv[optind]);
	if (e == &cmd_analyst_add_entry || e == &cmd_analyst_role_entry) {
		if (role_arg == NULL)
			return cmd_usage_error(e, "a role is needed: viewer, analyst, lead or admin");
		if ((role = analyst_role_parse(role_arg)) == ROLE_NONE)
			return cmd_usage_error(e, "unknown role '%s': use viewer, analyst,"
			    " lead or admin", role_arg);
	}
	if ((rc = cmd_connect(ctx, false)) != EXIT_OK)
		return rc;
	if (e == &cmd_analyst_add_entry)
		r = analyst_add(&ctx->db, name, role, display);
	else if (e == &cmd_analyst_role_entry)
		r = analyst_set_role(&ctx->db, name, role);
	else
		r = analyst_set_active(&ctx->db, name, e == &cmd_analyst_enable_entry, reason);
	if (r < 0) {
		if (db_sqlstate_is(&ctx->db, DB_SQLSTATE_NO_PRIV))
			audit_denied(&ctx->db, action, "analyst", 0, NULL, 0, ctx->db.errmsg);
		return cmd_db_failure(ctx);
	}
	if (ctx->json) {
		doc = json_pack("{s:b, s:s, s:s}", "ok", 1, "action", action, "analyst", name);
		if (role != ROLE_NONE)
			json_object_set_new(doc, "role", json_string(analyst_role_name(role)));
		return output_json(stdout, doc) < 0 ? EXIT_FAIL : EXIT_OK;
	}
	printf("analyst ");
	output_text(stdout, name);
	if (e == &cmd_analyst_add_entry || e == &cmd_analyst_role_entry)
		printf(" is now %s\n", analyst_role_name(role));
	else
		printf(" %s\n", e == &cmd_analyst_enable_entry ? "enabled" : "disabled");
	return EXIT_OK;
}
