/* request.h: what a key asks for, independent of the key.
 *
 * The enum comes from requests.def, so a request, its name for the keys
 * file and its help line cannot drift apart. */
#ifndef VSOC_REQUEST_H
#define VSOC_REQUEST_H

enum request {
	REQ_NONE,		/* key unbound, or handled */
#define REQ_GROUP(title)
#define REQ_(id, name, help, role) REQ_##id,
#include "requests.def"
#undef REQ_GROUP
#undef REQ_
	REQ__COUNT
};

/* The least role a request needs (values as enum analyst_role in
 * core/analyst.h: 0 anyone, 2 analyst, 3 lead, 4 admin). */
#define REQUEST_ROLE_NONE	0
#define REQUEST_ROLE_ANALYST	2
#define REQUEST_ROLE_LEAD	3
#define REQUEST_ROLE_ADMIN	4

/* "move-down" for REQ_MOVE_DOWN; NULL for REQ_NONE or out of range. */
const char	*request_name(enum request r);
const char	*request_help(enum request r);
/* The help group a request belongs to ("Moving", ...). */
const char	*request_group(enum request r);
/* By exact name; REQ_NONE when unknown. */
enum request	 request_parse(const char *name);
/* REQUEST_ROLE_*: does the request change the database, and who may? */
int		 request_role(enum request r);

#endif
