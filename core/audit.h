/* audit.h: the append-only, hash-chained audit log.
 *
 * Every analyst action writes exactly one record, inside the action's own
 * transaction, so the record exists if and only if the change does.  The
 * database writes who and when (session_user, clock_timestamp()) and links
 * the record into the chain under a lock on the chain's head, so records
 * form one line whatever the concurrency (sql/002_security.sql).  Reading
 * and verifying the log is in auditlog.h. */
#ifndef VSOC_AUDIT_H
#define VSOC_AUDIT_H

#include <stddef.h>

#include <jansson.h>

struct db;

/* Append one record through audit_record(), the only way an application
 * role writes the log.  alert_ids lists every alert the action touched (a
 * bulk close is one record).  details is borrowed and may be NULL; it must
 * never hold a secret.  Returns the record id, or -1 with db->errmsg. */
long long	audit_append(struct db *db, const char *action, const char *object_kind,
		    long long object_id, const long long *alert_ids, size_t n_ids,
		    json_t *details);

/* Record a refused action ("permission.denied") in a transaction of its
 * own, after the caller rolled back: who tried what, and the reason given.
 * Best effort: a failure to record leaves db->errmsg as it was. */
void		audit_denied(struct db *db, const char *action, const char *object_kind,
		    long long object_id, const long long *alert_ids, size_t n_ids,
		    const char *why);

#endif
