/* cmd.h: the command-line front end.  One table of commands (tmux's
 * cmd_entry): each command lives in its own tui/cmd_*.c file and exports a
 * const struct cmd_entry; cmd.c lists them, dispatches and prints help. */
#ifndef VSOC_CMD_H
#define VSOC_CMD_H

#include <getopt.h>
#include <stdbool.h>

#include <jansson.h>

#include "analyst.h"
#include "db.h"
#include "triage.h"

/* Exit codes, documented in `vsoc --help`. */
enum {
	EXIT_OK = 0,		/* success */
	EXIT_FAIL = 1,		/* failure: database unreachable, backend error */
	EXIT_USAGE = 2,		/* bad flag, missing argument, malformed value */
	EXIT_CONFLICT = 3,	/* someone else changed or owns the alert */
	EXIT_NOTFOUND = 4,	/* no such alert, analyst or incident */
	EXIT_DENIED = 5		/* the analyst's role (or --read-only) does not allow it */
};

#define CMD_NEEDS_DB		0x1	/* connect before exec */
#define CMD_NEEDS_ANALYST	0x2	/* resolve the acting analyst too */
#define CMD_WRITES		0x4	/* changes the database: refused under --read-only */

struct cmd_entry;

struct cmd_ctx {
	const struct cmd_entry *entry;	/* the command being run */
	const char	*db_flag;	/* --db */
	const char	*as;		/* --as: a check, not a choice */
	bool		 json;		/* --json */
	bool		 read_only;	/* --read-only */
	struct db	 db;
	struct analyst	 me;
	bool		 connected;
};

struct cmd_entry {
	const char	*name;		/* "alerts list", "alert take", ... */
	const char	*usage;		/* arguments after the name */
	const char	*summary;	/* one line for `vsoc --help` */
	const char	*help;		/* the rest of `vsoc help NAME` */
	int		 flags;
	int		(*exec)(struct cmd_ctx *ctx, int argc, char **argv);
};

/* Long options every command accepts; add to a command's own table. */
#define CMD_COMMON_OPTIONS \
	{ "db", required_argument, NULL, 0x100 }, \
	{ "as", required_argument, NULL, 0x101 }, \
	{ "json", no_argument, NULL, 0x102 }, \
	{ "help", no_argument, NULL, 0x103 }, \
	{ "read-only", no_argument, NULL, 0x104 }

/* Handle a common option in a command's getopt loop: returns true when c
 * was one (and stores it in ctx); --help prints the command's help and
 * exits 0. */
bool	 cmd_common_option(struct cmd_ctx *ctx, const struct cmd_entry *e, int c,
	    const char *arg);
/* With --json on the command line, every failure is also one JSON document
 * on stdout, {"ok": false, "result": "usage|error|conflict|not_found",
 * "error": MESSAGE, ...context}, printed by cmd_error/cmd_usage_error, so
 * that even a bad option gives a script something to parse. */
void	 cmd_json_errors(bool on);
/* A field for that document ("action", "alert"); steals value. */
void	 cmd_json_context(const char *key, json_t *value);
/* Print "vsoc: <message>" (sanitized) to stderr and return code. */
int	 cmd_error(int code, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* A usage error: the message plus "usage: vsoc NAME USAGE"; returns 2. */
int	 cmd_usage_error(const struct cmd_entry *e, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* Connect (and resolve the analyst) if not yet done; prints the error.
 * Refuses a database whose schema is older or newer than this vsoc. */
int	 cmd_connect(struct cmd_ctx *ctx, bool analyst);
/* Connect whatever the schema (db migrate, db status). */
int	 cmd_connect_any(struct cmd_ctx *ctx);
/* After a failed statement: print db->errmsg and return the exit code its
 * SQLSTATE means (42501 denied, P0002 not found, 23505 and 55000 conflict,
 * 22023 usage, anything else failure). */
int	 cmd_db_failure(struct cmd_ctx *ctx);
/* Parse a positive integer argument; false if malformed. */
bool	 cmd_parse_int(const char *s, long long *out);

void	 cmd_print_help(const struct cmd_entry *e);

/* The exit code of an action's result (0 ok, 1 error, 2 usage, 3 conflict,
 * 4 not found, 5 denied). */
int	 cmd_result_exit(enum triage_result r);
/* --text -: all of standard input as a note (at most one byte over
 * TRIAGE_NOTE_MAX, trailing newlines dropped).  NULL with *why and *res
 * (usage for a NUL byte, error for a read error).  Caller frees. */
char	*cmd_read_stdin_text(const char **why, enum triage_result *res);

/* The command table. */
extern const struct cmd_entry cmd_db_migrate_entry;
extern const struct cmd_entry cmd_db_status_entry;
extern const struct cmd_entry cmd_demo_seed_entry;
extern const struct cmd_entry cmd_alerts_list_entry;
extern const struct cmd_entry cmd_alert_show_entry;
extern const struct cmd_entry cmd_alert_take_entry;
extern const struct cmd_entry cmd_alert_assign_entry;
extern const struct cmd_entry cmd_alert_ack_entry;
extern const struct cmd_entry cmd_alert_note_entry;
extern const struct cmd_entry cmd_alert_close_entry;
extern const struct cmd_entry cmd_alert_reopen_entry;
extern const struct cmd_entry cmd_alert_suppress_entry;
extern const struct cmd_entry cmd_alert_escalate_entry;
extern const struct cmd_entry cmd_incidents_list_entry;
extern const struct cmd_entry cmd_incident_show_entry;
extern const struct cmd_entry cmd_incident_create_entry;
extern const struct cmd_entry cmd_incident_rename_entry;
extern const struct cmd_entry cmd_incident_assign_entry;
extern const struct cmd_entry cmd_incident_status_entry;
extern const struct cmd_entry cmd_incident_note_entry;
extern const struct cmd_entry cmd_incident_add_entry;
extern const struct cmd_entry cmd_incident_remove_entry;
extern const struct cmd_entry cmd_incident_move_entry;
extern const struct cmd_entry cmd_incident_merge_entry;
extern const struct cmd_entry cmd_incident_severity_entry;
extern const struct cmd_entry cmd_console_entry;
extern const struct cmd_entry cmd_config_show_entry;
extern const struct cmd_entry cmd_config_check_entry;
extern const struct cmd_entry cmd_outbox_list_entry;
extern const struct cmd_entry cmd_outbox_deliver_entry;
extern const struct cmd_entry cmd_outbox_page_entry;
extern const struct cmd_entry cmd_incident_page_entry;
extern const struct cmd_entry cmd_analyst_list_entry;
extern const struct cmd_entry cmd_twin_show_entry;
extern const struct cmd_entry cmd_twin_timeline_entry;
extern const struct cmd_entry cmd_analyst_add_entry;
extern const struct cmd_entry cmd_analyst_role_entry;
extern const struct cmd_entry cmd_analyst_disable_entry;
extern const struct cmd_entry cmd_analyst_enable_entry;
extern const struct cmd_entry cmd_audit_verify_entry;
extern const struct cmd_entry cmd_audit_anchor_entry;
extern const struct cmd_entry cmd_audit_list_entry;
extern const struct cmd_entry cmd_audit_export_entry;
extern const struct cmd_entry cmd_severity_explain_entry;
extern const struct cmd_entry cmd_sla_report_entry;
extern const struct cmd_entry cmd_candidates_list_entry;
extern const struct cmd_entry cmd_candidates_accept_entry;
extern const struct cmd_entry cmd_candidates_dismiss_entry;

#endif
