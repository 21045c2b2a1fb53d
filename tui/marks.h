/* marks.h: the alerts marked on the queue for a bulk action.
 *
 * Each mark is an alert id with the version the analyst saw, so a bulk
 * action sends those versions and a change made since is refused rather
 * than overwritten.  Marks are ids, not rows, so they survive reloads,
 * scrolling and live updates.  A sorted array: the queue asks "marked?"
 * once per drawn row (a binary search), and iteration is in id order, the
 * order triage locks alerts in.  Pure: no curses, no database. */
#ifndef VSOC_MARKS_H
#define VSOC_MARKS_H

#include <stdbool.h>
#include <stddef.h>

struct mark {
	long long	 id;
	int		 version;
};

struct marks {
	struct mark	*v;		/* sorted by id, no duplicates */
	size_t		 n, cap;
};

void	 marks_init(struct marks *m);
void	 marks_free(struct marks *m);

/* Mark id as seen at version; an id already marked takes the new version.
 * True when id was not marked before. */
bool	 marks_add(struct marks *m, long long id, int version);
/* Mark many at once (mark-all): one sort and one merge instead of n
 * insertions; a mark already present takes the new version.  Returns how
 * many ids were not marked before. */
size_t	 marks_add_many(struct marks *m, const struct mark *add, size_t n);
/* True when id was marked. */
bool	 marks_remove(struct marks *m, long long id);
/* Mark id if unmarked, else unmark it; true when it is now marked. */
bool	 marks_toggle(struct marks *m, long long id, int version);
/* A marked id takes version (the analyst now sees it); false if unmarked. */
bool	 marks_update(struct marks *m, long long id, int version);
bool	 marks_has(const struct marks *m, long long id);
void	 marks_clear(struct marks *m);
size_t	 marks_count(const struct marks *m);

/* The i-th mark in id order, i < marks_count(); for iterating. */
const struct mark *marks_at(const struct marks *m, size_t i);
/* Every mark's id and version into arrays of marks_count() entries (an
 * action target). */
void	 marks_copy(const struct marks *m, long long *ids, int *versions);

#endif
