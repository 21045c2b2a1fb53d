/* severity.h: an incident's severity from its alerts, explained.
 *
 * Pure computation, no database: core/severity_db.c loads the inputs and
 * the policy (the data tables of sql/005_severity.sql) and stores the
 * result.  The steps, each a line of the explanation when it moves the
 * result:
 *
 *   start        the highest risk among the alerts: per alert, its rule's
 *                worst ISO/SAE 21434 impact (safety, financial,
 *                operational, privacy) against its attack feasibility in
 *                the risk matrix; an unrated rule uses the alert's own
 *                severity.  Ties go to the worse impact, then the higher
 *                feasibility, then the rule id, so the line is stable.
 *   scope        one connector or vehicle, one station, a site, several
 *                sites, a share of the fleet;
 *   campaign     the same rule on many stations, vehicles or accounts
 *                within a window;
 *   criticality  the highest criticality among the affected assets;
 *   assets       many distinct assets;
 *   cap          those four together raise at most max_raise levels;
 *   confidence   alerts closed as false positive lower it;
 *   bounds       the result stays within info .. critical.
 *
 * Severity ranks are the schema's: 1 info, 2 low, 3 medium, 4 high,
 * 5 critical; a risk value 1..5 maps onto them one to one. */
#ifndef VSOC_SEVERITY_H
#define VSOC_SEVERITY_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

enum sev_impact {
	IMPACT_NEGLIGIBLE,
	IMPACT_MODERATE,
	IMPACT_MAJOR,
	IMPACT_SEVERE,
	IMPACT__COUNT
};

enum sev_feasibility {
	FEAS_VERY_LOW,
	FEAS_LOW,
	FEAS_MEDIUM,
	FEAS_HIGH,
	FEAS__COUNT
};

enum sev_category {
	CAT_SAFETY,
	CAT_FINANCIAL,
	CAT_OPERATIONAL,
	CAT_PRIVACY,
	CAT__COUNT
};

enum sev_scope {
	SCOPE_ASSET,	/* one connector, vehicle, app account, service */
	SCOPE_STATION,	/* one station, or it and its connectors */
	SCOPE_SITE,	/* several stations of one site */
	SCOPE_SITES,	/* stations at several sites */
	SCOPE_FLEET,	/* a share of the fleet */
	SCOPE__COUNT
};

/* What a fleet share is counted in. */
enum sev_unit {
	UNIT_STATIONS,
	UNIT_VEHICLES,
	UNIT_APP_USERS,
	UNIT__COUNT
};

#define SEVERITY_RULE_MAX	33	/* rule ids are at most 32 bytes */

struct severity_rating {
	char			 rule[SEVERITY_RULE_MAX];
	enum sev_impact		 impact[CAT__COUNT];
	enum sev_feasibility	 feasibility;
};

struct severity_alert {
	const char			*rule;
	const struct severity_rating	*rating;	/* NULL: the rule is unrated */
	int				 alert_severity; /* 1..5: used when unrated */
	long long			 first_seen;	/* seconds since the epoch */
	/* The station, vehicle or account it is about (a connector's station,
	 * an ECU's vehicle), else the asset: what a campaign counts. */
	long long			 unit;
};

/* The data tables, as numbers. */
struct severity_policy {
	int	 matrix[IMPACT__COUNT][FEAS__COUNT];	/* risk 1..5 */
	int	 scope_adjust[SCOPE__COUNT];
	int	 criticality_adjust[6];			/* [1..5] */
	double	 fleet_share;
	long	 fleet_min_units;
	long	 campaign_window_s;
	long	 campaign_min_units;
	int	 campaign_adjust;
	long	 many_assets;
	int	 many_assets_adjust;
	double	 fp_majority_share;
	int	 fp_majority_adjust;
	int	 fp_all_adjust;
	int	 max_raise;
};

struct severity_input {
	const struct severity_alert	*alerts;
	size_t				 nalerts;
	long				 assets;	/* distinct assets */
	long				 stations;	/* distinct stations (connectors' too) */
	long				 sites;		/* distinct sites of those */
	long				 affected[UNIT__COUNT];	/* stations, vehicles, app users */
	long				 fleet[UNIT__COUNT];	/* how many the fleet has */
	bool				 station_wide;	/* an alert is about a station itself */
	bool				 site_wide;	/* ... or about a site */
	int				 max_criticality; /* 1..5, 0 unknown */
	long				 false_positives; /* alerts closed as false positive */
	const struct severity_policy	*policy;
};

#define SEVERITY_FACTORS_MAX	8
#define SEVERITY_TEXT_MAX	200

struct severity_factor {
	const char	*name;		/* "scope", "campaign", ... */
	int		 adjust;	/* levels added (negative: removed) */
	char		 text[SEVERITY_TEXT_MAX];
};

struct severity_result {
	int			 severity;	/* 1..5; 0: no alerts, nothing computed */
	int			 start;		/* the start: the highest risk */
	char			 rule[SEVERITY_RULE_MAX]; /* whose alert set it */
	bool			 rated;		/* that rule has ratings */
	enum sev_impact		 impact;	/* its worst impact */
	unsigned		 categories;	/* 1 << sev_category at that impact */
	enum sev_feasibility	 feasibility;
	enum sev_scope		 scope;
	long			 campaign_units; /* most units one rule hit in a window */
	char			 campaign_rule[SEVERITY_RULE_MAX];
	char			 start_text[SEVERITY_TEXT_MAX];
	struct severity_factor	 factors[SEVERITY_FACTORS_MAX];
	size_t			 nfactors;
};

/* Names as stored ("severe", "very_low", "safety", "sites"); parse
 * returns -1 for an unknown name. */
const char	*sev_impact_name(enum sev_impact i);
const char	*sev_feasibility_name(enum sev_feasibility f);
const char	*sev_category_name(enum sev_category c);
const char	*sev_scope_name(enum sev_scope s);
int		 sev_impact_parse(const char *s);
int		 sev_feasibility_parse(const char *s);
int		 sev_scope_parse(const char *s);

/* Compute.  Never fails: missing or out-of-range numbers are clamped. */
void		 severity_compute(const struct severity_input *in,
		    struct severity_result *out);

/* The explanation as JSON (new reference): severity, start, factors with
 * their adjustments and texts, lines (one per factor that moved it), and
 * the counts it was computed from. */
json_t		*severity_result_json(const struct severity_result *r,
		    const struct severity_input *in);

#endif
