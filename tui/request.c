/* request.c: names, help lines and groups of the requests, from the one
 * list in requests.def. */
#include <stddef.h>
#include <string.h>

#include "request.h"

struct request_info {
	const char	*name;
	const char	*help;
	const char	*group;
	int		 role;
};

/* Expand the list once with the group carried along: each REQ_GROUP sets
 * the group of the REQ_ entries after it. */
static const struct request_info request_table[REQ__COUNT] = {
	[REQ_NONE] = { "none", "Do nothing (unbinds a key)", "", REQUEST_ROLE_NONE },
#define REQ_GROUP(title)
#define REQ_(id, name, help, role) [REQ_##id] = { name, help, NULL, REQUEST_ROLE_##role },
#include "requests.def"
#undef REQ_GROUP
#undef REQ_
};

/* The group titles, in list order. */
static const char *const group_titles[] = {
#define REQ_GROUP(title) title,
#define REQ_(id, name, help, role)
#include "requests.def"
#undef REQ_GROUP
#undef REQ_
};

/* Request ids in list order, with a -1 marker where each group starts. */
static const int request_order[] = {
#define REQ_GROUP(title) -1,
#define REQ_(id, name, help, role) REQ_##id,
#include "requests.def"
#undef REQ_GROUP
#undef REQ_
};

const char *
request_name(enum request r)
{
	return r > REQ_NONE && r < REQ__COUNT ? request_table[r].name : NULL;
}

const char *
request_help(enum request r)
{
	return r >= REQ_NONE && r < REQ__COUNT ? request_table[r].help : NULL;
}

const char *
request_group(enum request r)
{
	size_t i, g = 0;
	int seen = -1;

	for (i = 0; i < sizeof request_order / sizeof request_order[0]; i++) {
		if (request_order[i] < 0) {
			seen = (int)g++;
			continue;
		}
		if (request_order[i] == (int)r)
			return seen >= 0 ? group_titles[seen] : "";
	}
	return "";
}

enum request
request_parse(const char *name)
{
	int i;

	if (name == NULL)
		return REQ_NONE;
	for (i = REQ_NONE + 1; i < REQ__COUNT; i++)
		if (strcmp(request_table[i].name, name) == 0)
			return (enum request)i;
	return REQ_NONE;
}

int
request_role(enum request r)
{
	return r > REQ_NONE && r < REQ__COUNT ? request_table[r].role : REQUEST_ROLE_NONE;
}
