/* savedview.h: queue filters saved by name, per analyst, in the database. */
#ifndef VSOC_SAVEDVIEW_H
#define VSOC_SAVEDVIEW_H

struct db;

struct savedview {
	char	 name[33];
	char	*base_view;	/* queue_view_name() */
	char	*filter;	/* filter_format() text */
	char	*sort;		/* queue_sort_name(), "-" prefix when reversed */
};

/* Save or replace; 0, or -1 (db->errmsg).  One transaction, one audit record. */
int	savedview_save(struct db *db, int analyst_id, const struct savedview *v);
/* 0 found, 1 unknown, -1 error. */
int	savedview_get(struct db *db, int analyst_id, const char *name,
	    struct savedview *out);
int	savedview_delete(struct db *db, int analyst_id, const char *name);
/* Names, sorted; returns the count (at most max) or -1; caller frees each. */
int	savedview_names(struct db *db, int analyst_id, char **names, int max);
void	savedview_free(struct savedview *v);

#endif
