/* theme.c: two schemes, one row per role, and the symbol tables. */
#include <stdlib.h>

#include "sla.h"
#include "theme.h"

struct role_style {
	short	 fg, bg;	/* colour scheme; -1 is the terminal default */
	attr_t	 color_attr;	/* added to the colour pair */
	attr_t	 mono;		/* the whole monochrome style */
};

static const struct role_style styles[ROLE__COUNT] = {
	[ROLE_NORMAL]		= { -1, -1, A_NORMAL, A_NORMAL },
	[ROLE_HEADER]		= { COLOR_WHITE, COLOR_BLUE, A_NORMAL, A_REVERSE },
	[ROLE_HEADER_LABEL]	= { COLOR_YELLOW, COLOR_BLUE, A_BOLD, A_REVERSE | A_BOLD },
	[ROLE_COLUMNS]		= { COLOR_CYAN, -1, A_BOLD, A_BOLD | A_UNDERLINE },
	[ROLE_SELECTED]		= { COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_REVERSE },
	[ROLE_MARKED]		= { COLOR_YELLOW, -1, A_BOLD, A_BOLD },
	[ROLE_SEV_CRIT]		= { COLOR_RED, -1, A_BOLD, A_BOLD | A_UNDERLINE },
	[ROLE_SEV_HIGH]		= { COLOR_RED, -1, A_NORMAL, A_BOLD },
	[ROLE_SEV_MED]		= { COLOR_YELLOW, -1, A_NORMAL, A_NORMAL },
	[ROLE_SEV_LOW]		= { COLOR_GREEN, -1, A_NORMAL, A_NORMAL },
	[ROLE_SEV_INFO]		= { COLOR_BLUE, -1, A_NORMAL, A_DIM },
	[ROLE_STATUS]		= { COLOR_WHITE, COLOR_BLUE, A_NORMAL, A_REVERSE },
	[ROLE_ERROR]		= { COLOR_WHITE, COLOR_RED, A_BOLD, A_BOLD | A_REVERSE },
	[ROLE_NEW_MARKER]	= { COLOR_BLACK, COLOR_YELLOW, A_BOLD, A_BOLD | A_REVERSE },
	[ROLE_LABEL]		= { COLOR_CYAN, -1, A_NORMAL, A_BOLD },
	[ROLE_SECTION]		= { COLOR_YELLOW, -1, A_BOLD, A_BOLD | A_UNDERLINE },
	[ROLE_PROMPT]		= { -1, -1, A_BOLD, A_BOLD },
	[ROLE_DIM]		= { COLOR_BLUE, -1, A_BOLD, A_DIM },
	/* What this analyst may not do (read-only): faint, in both schemes. */
	[ROLE_OFF]		= { -1, -1, A_DIM, A_DIM },
	/* SLA breached: white on red and bold; without colours bold and
	 * reverse (never colour alone).  Due within the hour: yellow and
	 * bold; underlined without colours. */
	[ROLE_SLA_BREACHED]	= { COLOR_WHITE, COLOR_RED, A_BOLD, A_BOLD | A_REVERSE },
	[ROLE_SLA_DUE]		= { COLOR_YELLOW, -1, A_BOLD, A_BOLD | A_UNDERLINE },
};

static const char *const sym_utf8[SYM__COUNT] = {
	[SYM_MARK] = "\xe2\x97\x8f",	/* U+25CF black circle */
	[SYM_HLINE] = "\xe2\x94\x80",	/* U+2500 */
	[SYM_DESC] = "\xe2\x96\xbc",	/* U+25BC */
	[SYM_ASC] = "\xe2\x96\xb2",	/* U+25B2 */
	[SYM_MORE] = "\xe2\x80\xa6",	/* U+2026 */
};
static const char *const sym_ascii[SYM__COUNT] = {
	[SYM_MARK] = "*",
	[SYM_HLINE] = "-",
	[SYM_DESC] = "v",
	[SYM_ASC] = "^",
	[SYM_MORE] = "~",
};

static attr_t role_attr[ROLE__COUNT];
static bool use_utf8;
static bool use_colors;

bool
theme_want_colors(void)
{
	const char *nc = getenv("NO_COLOR");

	/* no-color.org: present and non-empty disables colour. */
	if (nc != NULL && *nc != '\0')
		return false;
	return has_colors();
}

void
theme_init(bool colors, bool utf8)
{
	int i;
	bool defaults = false;

	use_utf8 = utf8;
	use_colors = colors && start_color() == OK;
	if (use_colors) {
		defaults = use_default_colors() == OK;
		/* A terminal with fewer pairs than roles degrades to mono. */
		if (COLOR_PAIRS <= ROLE__COUNT)
			use_colors = false;
	}
	for (i = 0; i < ROLE__COUNT; i++) {
		if (!use_colors) {
			role_attr[i] = styles[i].mono;
			continue;
		}
		/* Without default colours, -1 means white on black. */
		init_pair((short)(i + 1),
		    styles[i].fg < 0 && !defaults ? COLOR_WHITE : styles[i].fg,
		    styles[i].bg < 0 && !defaults ? COLOR_BLACK : styles[i].bg);
		role_attr[i] = COLOR_PAIR(i + 1) | styles[i].color_attr;
	}
}

attr_t
theme_attr(enum theme_role r)
{
	return r >= 0 && r < ROLE__COUNT ? role_attr[r] : A_NORMAL;
}

attr_t
theme_severity(int sev)
{
	static const enum theme_role by_sev[] = {
		ROLE_NORMAL, ROLE_SEV_INFO, ROLE_SEV_LOW, ROLE_SEV_MED,
		ROLE_SEV_HIGH, ROLE_SEV_CRIT
	};

	return theme_attr(sev >= 0 && sev <= 5 ? by_sev[sev] : ROLE_NORMAL);
}

attr_t
theme_sla(int state, attr_t base)
{
	if (state == SLA_BREACHED)
		return theme_attr(ROLE_SLA_BREACHED);
	if (state == SLA_DUE_SOON)
		return theme_attr(ROLE_SLA_DUE);
	return base;
}

attr_t
theme_sla_row(int state, attr_t base)
{
	/* Only the attribute: the row keeps its own colour (or selection). */
	return state == SLA_BREACHED ? base | A_BOLD : base;
}

const char *
theme_sym(enum theme_sym s)
{
	if (s < 0 || s >= SYM__COUNT)
		return "?";
	return use_utf8 ? sym_utf8[s] : sym_ascii[s];
}

bool
theme_has_colors(void)
{
	return use_colors;
}
