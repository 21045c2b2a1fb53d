/* migrate.h: numbered schema migrations, embedded from sql/ at build time. */
#ifndef VSOC_MIGRATE_H
#define VSOC_MIGRATE_H

struct db;

struct migration {
	int		 version;
	const char	*name;	/* e.g. "001_schema" */
	const char	*sql;
};

extern const struct migration	migrations[];
extern const int		migrations_count;

/* Progress callback: called after each applied migration. */
typedef void (*migrate_cb)(const struct migration *m, void *arg);

/* Apply every migration not yet recorded in schema_migrations, in order,
 * each in its own transaction.  Returns the number applied, or -1 (the
 * failing migration is rolled back and named in db->errmsg). */
int	migrate_apply(struct db *db, migrate_cb cb, void *arg);
/* Highest applied version, 0 for an empty database, -1 on error. */
int	migrate_current(struct db *db);
/* Highest version this binary knows. */
int	migrate_latest(void);

#endif
