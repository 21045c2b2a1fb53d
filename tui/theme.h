/* theme.h: colour roles (htop's ColorElements) and symbols.
 *
 * Code asks for a role, never a colour: each role has a colour attribute
 * and a monochrome one (bold, reverse, underline), and the monochrome
 * scheme is used when the terminal has no colours or NO_COLOR is set.
 * Symbols have an ASCII form for terminals whose locale is not UTF-8. */
#ifndef VSOC_THEME_H
#define VSOC_THEME_H

#include <stdbool.h>

#include <curses.h>

#define THEME_ROLES(_) \
	_(NORMAL) _(HEADER) _(HEADER_LABEL) _(COLUMNS) _(SELECTED) _(MARKED) \
	_(SEV_CRIT) _(SEV_HIGH) _(SEV_MED) _(SEV_LOW) _(SEV_INFO) \
	_(STATUS) _(ERROR) _(NEW_MARKER) _(LABEL) _(SECTION) _(PROMPT) _(DIM) \
	_(OFF) _(SLA_BREACHED) _(SLA_DUE)

enum theme_role {
#define THEME_ROLE_ENUM(r) ROLE_##r,
	THEME_ROLES(THEME_ROLE_ENUM)
#undef THEME_ROLE_ENUM
	ROLE__COUNT
};

enum theme_sym {
	SYM_MARK,	/* a marked row */
	SYM_HLINE,	/* rule between sections */
	SYM_DESC,	/* sort direction: largest first */
	SYM_ASC,
	SYM_MORE,	/* rows past the window edge */
	SYM__COUNT
};

/* Pick the scheme: colours when the terminal has them and NO_COLOR is
 * unset; UTF-8 symbols when the locale is UTF-8.  Call after initscr(). */
void		 theme_init(bool colors, bool utf8);
attr_t		 theme_attr(enum theme_role r);
/* The attribute of a severity's role (1..5). */
attr_t		 theme_severity(int sev);
/* An SLA cell's attribute for its state (enum sla_state): the breach and
 * the hour before it stand out; any other state keeps base. */
attr_t		 theme_sla(int state, attr_t base);
/* A row whose SLA is breached: base with the breach's attribute added
 * (bold in both schemes), so the row stands out beyond its cell. */
attr_t		 theme_sla_row(int state, attr_t base);
const char	*theme_sym(enum theme_sym s);
bool		 theme_has_colors(void);
/* Should colours be used?  has_colors() and no NO_COLOR in the environment. */
bool		 theme_want_colors(void);

#endif
