/* audit.h: the append-only, hash-chained audit log.  Every analyst action
 * writes exactly one record, inside the action's own transaction, so the
 * record exists if and only if the change does. */
#ifndef VSOC_AUDIT_H
#define VSOC_AUDIT_H

#include <stddef.h>

#include <jansson.h>

struct db;

/* Append one record.  alert_ids lists every alert the action touched (a
 * bulk close is one record).  details is borrowed and may be NULL; it must
 * never hold a secret.  Returns the record id, or -1 with db->errmsg. */
long long	audit_append(struct db *db, const char *actor, const char *action,
		    const char *object_kind, long long object_id,
		    const long long *alert_ids, size_t n_ids, json_t *details);

#endif
