/* auditlog.h: reading the audit log: verifying its chain, anchoring its
 * head outside the database, listing and exporting records.
 *
 * The chain: records are numbered by seq (1, 2, 3, ...) in the order they
 * were linked; each one's hash covers its canonical text, which ends in the
 * previous record's hash (audit_canonical() in sql/002_security.sql, and
 * auditlog_canonical() here: the verifier recomputes every hash itself).
 * An edit, a removal, an insertion or a reordering breaks the line at the
 * first record it touched.  Whoever owns the database could recompute the
 * whole chain after an edit; anchors catch that: a head's (seq, hash)
 * written outside the database, e.g. to syslog by cron, must still be in
 * the chain unchanged. */
#ifndef VSOC_AUDITLOG_H
#define VSOC_AUDITLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "sha256.h"

struct db;
struct strbuf;

enum audit_break_kind {
	AUDIT_OK,
	AUDIT_CHANGED,		/* content no longer matches its hash */
	AUDIT_REMOVED,		/* a seq is missing, or the chain ends early */
	AUDIT_INSERTED,		/* a record outside the sequence */
	AUDIT_REORDERED,	/* a record does not follow its predecessor */
	AUDIT_HEAD,		/* the head disagrees with the last record */
	AUDIT_ANCHOR		/* an anchored head is gone or different */
};

struct audit_verify {
	long long		 from;		/* first seq checked */
	long long		 records;	/* records checked */
	long long		 last_seq;
	char			 last_hash[SHA256_HEX_LEN + 1];
	long long		 anchors;	/* anchors checked */
	enum audit_break_kind	 kind;		/* AUDIT_OK when intact */
	long long		 seq;		/* the first record at fault */
	long long		 id;		/* its id, 0 if none */
	char			 message[600];
	double			 seconds;
};

const char	*auditlog_break_name(enum audit_break_kind k);

/* The text a record's hash covers, exactly as the database builds it. */
void		 auditlog_canonical(struct strbuf *out, const char *seq, const char *at,
		    const char *actor, const char *action, const char *object_kind,
		    const char *object_id, const char *alert_ids, const char *details,
		    const char *prev_hash);

/* Walk the chain from seq from (1: the start) to the head, then check the
 * anchors in anchors_path if given.  0 with the verdict in out (kind
 * AUDIT_OK when intact); -1 with db->errmsg when it could not be read. */
void		 auditlog_ts_from_iso(const char *, char *, size_t);
int		 auditlog_verify(struct db *db, long long from, const char *anchors_path,
		    struct audit_verify *out);

/* The head as one anchor line, "seq hash at\n".  0 or -1. */
int		 auditlog_head(struct db *db, char *line, size_t len);

/* A page of records for list/export and the console's audit view. */
struct audit_filter {
	time_t		 since;		/* 0: any */
	const char	*actor;
	const char	*action;	/* prefix: "alert." */
	long long	 alert_id;
	long long	 incident_id;
	long long	 before_seq;	/* newest first: seq < this (0: from the head) */
	long long	 after_seq;	/* oldest first: seq > this */
	bool		 oldest_first;
	int		 limit;
};

struct audit_record {
	long long	 id, seq;
	time_t		 at;
	char		*at_text;	/* ISO 8601, microseconds */
	char		*actor, *action, *object_kind;
	long long	 object_id;
	char		*alert_ids;	/* "{1,2}" */
	char		*details;	/* JSON text */
	char		*hash, *prev_hash;
};

/* A filter typed in the console's audit view: space-separated terms
 * actor=NAME action=PREFIX alert=ID incident=ID since=7d|TIME.  Strings
 * are copied into the struct; 0, or -1 with err naming the bad term. */
struct audit_query {
	struct audit_filter	 f;
	char			 actor[65];
	char			 action[65];
};
int		 auditlog_query_parse(struct audit_query *q, const char *text, time_t now,
		    char *err, size_t errlen);
/* The canonical text of a query ("" when it has no terms). */
void		 auditlog_query_format(const struct audit_query *q, struct strbuf *out);

/* Returns the number of records (<= limit) or -1. */
int		 auditlog_list(struct db *db, const struct audit_filter *f,
		    struct audit_record **out);
void		 auditlog_free(struct audit_record *r, int n);
/* Free one record's strings (not the record itself). */
void		 auditlog_record_clear(struct audit_record *r);
/* A deep copy of a record's strings into dst. */
void		 auditlog_record_copy(struct audit_record *dst, const struct audit_record *src);

#endif
