/* db.h: the one checked path to PostgreSQL.
 *
 * Every statement goes through db_query()/db_command(), which always use
 * PQexecParams with $n placeholders: values never become SQL text.  Errors
 * never exit(); they leave one line in db->errmsg and the SQLSTATE in
 * db->sqlstate, for the caller (CLI or console) to show. */
#ifndef VSOC_DB_H
#define VSOC_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <libpq-fe.h>

/* Where the connection settings came from, in order of precedence. */
enum db_source {
	DB_SRC_FLAG,	/* --db CONNINFO */
	DB_SRC_ENV,	/* VSOC_DB */
	DB_SRC_PGENV,	/* the standard PG* variables, read by libpq */
	DB_SRC_PRIVATE	/* the private cluster (VSOC_PGDIR or ./var/pg) */
};

struct db {
	PGconn		*conn;
	enum db_source	 source;
	char		 target[512];	/* where, for messages; never a password */
	char		 errmsg[1024];	/* last error, one line */
	char		 sqlstate[6];	/* last error's SQLSTATE, "" if none */
	unsigned long	 statements;	/* sent since connecting (VSOC_DEBUG_STATS) */
};

/* SQLSTATEs the callers branch on. */
#define DB_SQLSTATE_UNIQUE	"23505"
#define DB_SQLSTATE_FK		"23503"
#define DB_SQLSTATE_CHECK	"23514"
#define DB_SQLSTATE_SERIALIZE	"40001"
#define DB_SQLSTATE_NO_PRIV	"42501"

/* The private cluster's folder: $VSOC_PGDIR or ./var/pg, made absolute. */
void		 db_private_dir(char *buf, size_t len);

/* Connect; flag is the --db value or NULL.  Returns 0, or -1 with errmsg
 * naming the target and a hint.  Sessions run in UTC with ISO dates. */
int		 db_connect(struct db *db, const char *flag);
void		 db_disconnect(struct db *db);

/* Run a statement returning rows (PGRES_TUPLES_OK).  NULL on error. The
 * caller PQclear()s the result. */
PGresult	*db_query(struct db *db, const char *sql, int nparams,
		    const char *const *params);
/* Run a statement; returns the number of rows affected, or -1. */
long		 db_command(struct db *db, const char *sql, int nparams,
		    const char *const *params);
/* Run a parameterless script that may hold several statements. */
int		 db_script(struct db *db, const char *sql);

int		 db_begin(struct db *db);
int		 db_commit(struct db *db);
/* Rolls back; keeps the error that caused it in errmsg. */
void		 db_rollback(struct db *db);

/* LISTEN/NOTIFY for live updates. */
int		 db_listen(struct db *db, const char *channel);
int		 db_unlisten(struct db *db, const char *channel);
int		 db_socket(const struct db *db);
/* Consume input; returns 1 and fills payload when a notification waits,
 * 0 when none, -1 when the connection broke. */
int		 db_notification(struct db *db, char *channel, size_t chlen,
		    char *payload, size_t plen);

/* Reconnect after CONNECTION_BAD; 0 on success. */
int		 db_reset(struct db *db);

bool		 db_sqlstate_is(const struct db *db, const char *code);
void		 db_set_error(struct db *db, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3)));

/* Column access by name; db_value returns NULL for SQL NULL. */
const char	*db_value(const PGresult *res, int row, const char *col);
long long	 db_ll(const PGresult *res, int row, const char *col);
int		 db_int(const PGresult *res, int row, const char *col);
bool		 db_bool(const PGresult *res, int row, const char *col);
/* A copy of the value (caller frees), NULL for SQL NULL. */
char		*db_dup(const PGresult *res, int row, const char *col);
/* A timestamptz column as time_t, 0 for SQL NULL. */
time_t		 db_time(const PGresult *res, int row, const char *col);

#endif
