-- 010_candidate_groups.sql: incident candidates kept current as alerts
-- change, so listing them reads a small table instead of grouping every
-- open alert (sql/009_candidates.sql computed them on each read: seconds
-- at a million alerts).
--
-- Every open alert in no incident belongs to a few candidate groups: its
-- asset, parent and site with its rule's family, its rule (campaign), and
-- each indicator in its evidence, each in the window its last_seen falls
-- in.  candidate_cells counts a group's alerts per asset (so distinct
-- assets are exact as alerts come and go); candidate_groups holds each
-- group's totals and per-severity counts (so the highest severity is exact
-- too).  Statement triggers on alerts keep both current in the writing
-- transaction; thresholds, lookback and `enabled` are applied when read,
-- so changing them needs nothing; a change of a window, of the families or
-- of the asset tree rebuilds both (vsoc_candidate_groups_rebuild).  The
-- bulk demo seed disables the triggers and rebuilds once (core/demo_load.c).
--
-- A candidate's first and last seen are not kept (a minimum cannot be
-- decremented): they are read from its alerts for the rows a screen shows.

-- --- the derived tables -------------------------------------------------------

CREATE TABLE candidate_groups (
    key          text PRIMARY KEY,
    kind         text NOT NULL,
    grp          text NOT NULL,
    subject      bigint,
    family       text,
    rule_id      text,
    indicator    text,
    window_start timestamptz NOT NULL,
    window_secs  bigint NOT NULL,
    alerts       bigint NOT NULL,
    assets       bigint NOT NULL,
    sev1         integer NOT NULL DEFAULT 0,
    sev2         integer NOT NULL DEFAULT 0,
    sev3         integer NOT NULL DEFAULT 0,
    sev4         integer NOT NULL DEFAULT 0,
    sev5         integer NOT NULL DEFAULT 0,
    max_severity integer GENERATED ALWAYS AS (CASE WHEN sev5 > 0 THEN 5 WHEN sev4 > 0 THEN 4
                     WHEN sev3 > 0 THEN 3 WHEN sev2 > 0 THEN 2 WHEN sev1 > 0 THEN 1 ELSE 0 END) STORED,
    -- Its kind is enabled and it meets the kind's thresholds: kept with
    -- the counts, and again for every group when an admin changes them.
    listed       boolean NOT NULL DEFAULT false
);
-- What listing reads: the few groups that are candidates, in the list's
-- order (scanned backwards: most severe, most assets, most alerts, latest
-- window, key), so a page is the next 50 entries after a row; and by kind
-- and window, for the count within each kind's lookback.
CREATE INDEX candidate_groups_order_idx ON candidate_groups
    (max_severity, assets, alerts, window_start, key) INCLUDE (kind) WHERE listed;
CREATE INDEX candidate_groups_recent_idx ON candidate_groups (kind, window_start)
    INCLUDE (key) WHERE listed;

CREATE TABLE candidate_cells (
    key      text NOT NULL,
    asset_id bigint NOT NULL,
    n        integer NOT NULL,
    PRIMARY KEY (key, asset_id)
);

-- One alert's share of a change: +1 joins its groups, -1 leaves them.
CREATE TYPE candidate_delta AS (
    asset_id   bigint,
    rule_id    text,
    last_seen  timestamptz,
    severity   smallint,
    indicators text[],
    d          integer
);

-- --- which groups an alert belongs to ------------------------------------------

-- The one definition of membership, as vsoc_candidate_groups in 009 read
-- it: asset, parent (a connector's or ECU's parent, else the asset) and
-- site (the asset, its parent or grandparent that is a site) with the
-- rule's family; the rule; each distinct indicator.  Windows are tumbling
-- and epoch-aligned on last_seen.  Every kind is kept, enabled or not.
CREATE FUNCTION vsoc_candidate_memberships(p_asset bigint, p_rule text, p_last timestamptz,
    p_ind text[])
RETURNS TABLE (key text, kind text, grp text, subject bigint, family text, rule_id text,
               indicator text, window_start timestamptz, window_secs bigint)
LANGUAGE sql STABLE AS $$
SELECT vsoc_candidate_key(s.kind, s.grp, to_timestamp(s.ws)), s.kind, s.grp, s.subject,
       s.family, s.rule_id, s.indicator, to_timestamp(s.ws), s.w
FROM (
    SELECT m.kind, m.subject, m.family, m.rule_id, m.indicator,
           coalesce(m.rule_id, m.indicator, m.subject || '.' || m.family) AS grp,
           w.w, t.t - t.t % w.w AS ws
    FROM (
        SELECT k.kind, CASE k.kind WHEN 'asset' THEN x.id
                   WHEN 'parent' THEN CASE WHEN x.kind IN ('connector', 'ecu')
                       AND x.parent_id IS NOT NULL THEN x.parent_id ELSE x.id END
                   ELSE CASE WHEN x.kind = 'site' THEN x.id WHEN p.kind = 'site' THEN p.id
                       WHEN g.kind = 'site' THEN g.id END END AS subject,
               f.family, NULL::text AS rule_id, NULL::text AS indicator
        FROM rule_families f
        JOIN assets x ON x.id = p_asset
        LEFT JOIN assets p ON p.id = x.parent_id
        LEFT JOIN assets g ON g.id = p.parent_id
        CROSS JOIN (VALUES ('asset'), ('parent'), ('site')) k (kind)
        WHERE f.rule_id = p_rule
        UNION ALL
        SELECT 'campaign', NULL::bigint, NULL::text, p_rule, NULL::text
        UNION ALL
        SELECT DISTINCT split_part(v, ':', 1), NULL::bigint, NULL::text, NULL::text,
               substr(v, strpos(v, ':') + 1)
        FROM unnest(p_ind) v
    ) m
    JOIN correlation_settings c ON c.kind = m.kind
    CROSS JOIN LATERAL (SELECT extract(epoch FROM c.time_window)::bigint AS w) w
    CROSS JOIN LATERAL (SELECT extract(epoch FROM p_last)::bigint AS t) t
    WHERE m.subject IS NOT NULL OR m.kind NOT IN ('asset', 'parent', 'site')
) s
$$;

-- --- keeping them current ----------------------------------------------------

-- Apply alerts joining (+1) and leaving (-1) their groups.  (The counts
-- have no CHECK >= 0: PostgreSQL checks the row an upsert proposes, a
-- negative delta, before it finds the conflict; the tests compare the
-- tables with the alerts instead.)  Cells first:
-- a cell going from 0 to n>0 adds an asset to its group, n>0 to 0 removes
-- one (the RETURNING holds the new count; old = new - delta).  Rows are
-- written in key order, so two writers touching the same groups lock them
-- in the same order.  Emptied rows are deleted, so the tables hold only
-- what open alerts in no incident make.
-- Planned once per session: a single alert's insert must not pay for
-- planning this statement every time (plan_cache_mode).
CREATE FUNCTION candidate_groups_delta(p candidate_delta[]) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
SET plan_cache_mode = force_generic_plan AS $$
DECLARE
    dead_groups text[];
    dead_keys text[];
    dead_assets bigint[];
BEGIN
    IF p IS NULL OR cardinality(p) = 0 THEN
        RETURN;
    END IF;
    WITH m AS MATERIALIZED (
        SELECT mm.*, x.asset_id, x.severity, x.d
        FROM unnest(p) x
        CROSS JOIN LATERAL vsoc_candidate_memberships(x.asset_id, x.rule_id, x.last_seen,
            x.indicators) mm
    ), per_cell AS (
        SELECT m.key, m.asset_id, sum(m.d)::integer AS d FROM m
        GROUP BY m.key, m.asset_id HAVING sum(m.d) <> 0
    ), cells AS (
        INSERT INTO candidate_cells AS c (key, asset_id, n)
        SELECT pc.key, pc.asset_id, pc.d FROM per_cell pc ORDER BY pc.key, pc.asset_id
        ON CONFLICT (key, asset_id) DO UPDATE SET n = c.n + excluded.n
        RETURNING c.key, c.asset_id, c.n
    ), asset_d AS (
        SELECT c.key, sum((c.n > 0)::integer - (c.n - pc.d > 0)::integer)::bigint AS da
        FROM cells c JOIN per_cell pc ON pc.key = c.key AND pc.asset_id = c.asset_id
        GROUP BY c.key
    ), per_group AS (
        SELECT m.key, min(m.kind) AS kind, min(m.grp) AS grp, min(m.subject) AS subject,
               min(m.family) AS family, min(m.rule_id) AS rule_id, min(m.indicator) AS indicator,
               min(m.window_start) AS window_start, min(m.window_secs) AS window_secs,
               sum(m.d)::bigint AS dn,
               coalesce(sum(m.d) FILTER (WHERE m.severity = 1), 0)::integer AS d1,
               coalesce(sum(m.d) FILTER (WHERE m.severity = 2), 0)::integer AS d2,
               coalesce(sum(m.d) FILTER (WHERE m.severity = 3), 0)::integer AS d3,
               coalesce(sum(m.d) FILTER (WHERE m.severity = 4), 0)::integer AS d4,
               coalesce(sum(m.d) FILTER (WHERE m.severity = 5), 0)::integer AS d5
        FROM m GROUP BY m.key
    ), groups AS (
        INSERT INTO candidate_groups AS g (key, kind, grp, subject, family, rule_id, indicator,
            window_start, window_secs, alerts, assets, sev1, sev2, sev3, sev4, sev5, listed)
        SELECT pg.key, pg.kind, pg.grp, pg.subject, pg.family, pg.rule_id, pg.indicator,
               pg.window_start, pg.window_secs, pg.dn, coalesce(a.da, 0),
               pg.d1, pg.d2, pg.d3, pg.d4, pg.d5,
               c.enabled AND pg.dn >= c.min_alerts AND coalesce(a.da, 0) >= c.min_assets
        FROM per_group pg LEFT JOIN asset_d a ON a.key = pg.key
        JOIN correlation_settings c ON c.kind = pg.kind
        WHERE pg.dn <> 0 OR a.da <> 0 OR pg.d1 <> 0 OR pg.d2 <> 0 OR pg.d3 <> 0
           OR pg.d4 <> 0 OR pg.d5 <> 0
        ORDER BY pg.key
        ON CONFLICT (key) DO UPDATE SET alerts = g.alerts + excluded.alerts,
            assets = g.assets + excluded.assets, sev1 = g.sev1 + excluded.sev1,
            sev2 = g.sev2 + excluded.sev2, sev3 = g.sev3 + excluded.sev3,
            sev4 = g.sev4 + excluded.sev4, sev5 = g.sev5 + excluded.sev5,
            listed = EXISTS (SELECT 1 FROM correlation_settings c WHERE c.kind = g.kind
                AND c.enabled AND g.alerts + excluded.alerts >= c.min_alerts
                AND g.assets + excluded.assets >= c.min_assets)
        RETURNING g.key, g.alerts
    )
    SELECT (SELECT array_agg(gr.key) FROM groups gr WHERE gr.alerts = 0),
           (SELECT array_agg(c.key) FROM cells c WHERE c.n = 0),
           (SELECT array_agg(c.asset_id) FROM cells c WHERE c.n = 0)
        INTO dead_groups, dead_keys, dead_assets;
    IF dead_keys IS NOT NULL THEN
        DELETE FROM candidate_cells c USING unnest(dead_keys, dead_assets) z (key, asset_id)
            WHERE c.key = z.key AND c.asset_id = z.asset_id AND c.n = 0;
    END IF;
    IF dead_groups IS NOT NULL THEN
        DELETE FROM candidate_groups g WHERE g.key = ANY (dead_groups) AND g.alerts = 0;
    END IF;
END $$;

-- An alert counts while it is open (new, acknowledged) and in no incident.
CREATE FUNCTION candidate_groups_ins() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp SET plan_cache_mode = force_generic_plan AS $$
BEGIN
    PERFORM candidate_groups_delta(array_agg(ROW(n.asset_id, n.rule_id, n.last_seen,
        n.severity, n.indicators, 1)::candidate_delta))
    FROM new_rows n WHERE n.status IN ('new', 'acknowledged') AND n.incident_id IS NULL;
    RETURN NULL;
END $$;

-- Only rows whose membership may have moved: an acknowledgement, an
-- assignment or a note leaves every group as it was.
CREATE FUNCTION candidate_groups_upd() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp SET plan_cache_mode = force_generic_plan AS $$
BEGIN
    PERFORM candidate_groups_delta(array_agg(x.d))
    FROM (SELECT ROW(o.asset_id, o.rule_id, o.last_seen, o.severity, o.indicators,
                 -1)::candidate_delta AS d, o.id
          FROM old_rows o
          WHERE o.status IN ('new', 'acknowledged') AND o.incident_id IS NULL
          UNION ALL
          SELECT ROW(n.asset_id, n.rule_id, n.last_seen, n.severity, n.indicators,
                 1)::candidate_delta, n.id
          FROM new_rows n
          WHERE n.status IN ('new', 'acknowledged') AND n.incident_id IS NULL) x
    WHERE NOT EXISTS (SELECT 1 FROM old_rows o JOIN new_rows n ON n.id = o.id
        WHERE o.id = x.id
          AND (o.status IN ('new', 'acknowledged') AND o.incident_id IS NULL)
            = (n.status IN ('new', 'acknowledged') AND n.incident_id IS NULL)
          AND o.asset_id = n.asset_id AND o.rule_id = n.rule_id
          AND o.last_seen = n.last_seen AND o.severity = n.severity
          AND o.indicators IS NOT DISTINCT FROM n.indicators);
    RETURN NULL;
END $$;

CREATE FUNCTION candidate_groups_del() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp SET plan_cache_mode = force_generic_plan AS $$
BEGIN
    PERFORM candidate_groups_delta(array_agg(ROW(o.asset_id, o.rule_id, o.last_seen,
        o.severity, o.indicators, -1)::candidate_delta))
    FROM old_rows o WHERE o.status IN ('new', 'acknowledged') AND o.incident_id IS NULL;
    RETURN NULL;
END $$;

CREATE TRIGGER candidate_groups_ins AFTER INSERT ON alerts
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION candidate_groups_ins();
CREATE TRIGGER candidate_groups_upd AFTER UPDATE ON alerts
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION candidate_groups_upd();
CREATE TRIGGER candidate_groups_del AFTER DELETE ON alerts
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION candidate_groups_del();

-- Both tables from the alerts at once (the bulk seed, a changed window,
-- family or asset tree): into empty tables, so plain inserts of the
-- aggregates in key order rather than the triggers' upserts.  Membership
-- is vsoc_candidate_memberships' set-based twin here (the asset tree and
-- the families hashed once instead of looked up per alert);
-- tests/integration/candidates_groups.sh compares the two after every
-- kind of change.  Distinct assets are the cells per group.  Returns the
-- groups kept.
CREATE FUNCTION vsoc_candidate_groups_rebuild() RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
SET work_mem = '256MB' SET jit = off AS $$
DECLARE
    n bigint;
BEGIN
    TRUNCATE candidate_cells, candidate_groups;
    WITH amap AS MATERIALIZED (
        SELECT x.id,
               CASE WHEN x.kind IN ('connector', 'ecu') AND x.parent_id IS NOT NULL
                    THEN x.parent_id ELSE x.id END AS parent,
               CASE WHEN x.kind = 'site' THEN x.id WHEN p.kind = 'site' THEN p.id
                    WHEN g.kind = 'site' THEN g.id END AS site
        FROM assets x LEFT JOIN assets p ON p.id = x.parent_id
             LEFT JOIN assets g ON g.id = p.parent_id
    ), base AS MATERIALIZED (
        SELECT a.id, a.asset_id, a.rule_id, a.severity, a.indicators,
               extract(epoch FROM a.last_seen)::bigint AS t
        FROM alerts a
        WHERE a.status IN ('new', 'acknowledged') AND a.incident_id IS NULL
    ), raw AS (
        SELECT k.kind, CASE k.kind WHEN 'asset' THEN b.asset_id WHEN 'parent' THEN am.parent
                   ELSE am.site END AS subject,
               f.family, NULL::text AS rule_id, NULL::text AS indicator,
               b.asset_id, b.severity, b.t
        FROM base b JOIN rule_families f ON f.rule_id = b.rule_id
        JOIN amap am ON am.id = b.asset_id
        CROSS JOIN (VALUES ('asset'), ('parent'), ('site')) k (kind)
        UNION ALL
        SELECT 'campaign', NULL, NULL, b.rule_id, NULL, b.asset_id, b.severity, b.t FROM base b
        UNION ALL
        SELECT DISTINCT ON (b.id, v) split_part(v, ':', 1), NULL, NULL, NULL,
               substr(v, strpos(v, ':') + 1), b.asset_id, b.severity, b.t
        FROM base b, unnest(b.indicators) v
        WHERE b.indicators <> '{}'
    ), m AS MATERIALIZED (
        SELECT vsoc_candidate_key(r.kind, s.grp, to_timestamp(r.t - r.t % c.w)) AS key,
               r.kind, s.grp, r.subject, r.family, r.rule_id, r.indicator,
               to_timestamp(r.t - r.t % c.w) AS window_start, c.w AS window_secs,
               r.asset_id, r.severity
        FROM raw r
        JOIN (SELECT kind, extract(epoch FROM time_window)::bigint AS w
              FROM correlation_settings) c ON c.kind = r.kind
        CROSS JOIN LATERAL (SELECT coalesce(r.rule_id, r.indicator,
            r.subject || '.' || r.family) AS grp) s
        WHERE r.subject IS NOT NULL OR r.kind NOT IN ('asset', 'parent', 'site')
    ), cells AS (
        INSERT INTO candidate_cells (key, asset_id, n)
        SELECT m.key, m.asset_id, count(*) FROM m GROUP BY m.key, m.asset_id
        ORDER BY m.key, m.asset_id
        RETURNING key
    ), per_asset AS (
        SELECT c.key, count(*) AS assets FROM cells c GROUP BY c.key
    ), per_group AS (
        SELECT m.key, min(m.kind) AS kind, min(m.grp) AS grp, min(m.subject) AS subject,
               min(m.family) AS family, min(m.rule_id) AS rule_id,
               min(m.indicator) AS indicator, min(m.window_start) AS window_start,
               min(m.window_secs) AS window_secs, count(*) AS alerts,
               count(*) FILTER (WHERE m.severity = 1) AS s1,
               count(*) FILTER (WHERE m.severity = 2) AS s2,
               count(*) FILTER (WHERE m.severity = 3) AS s3,
               count(*) FILTER (WHERE m.severity = 4) AS s4,
               count(*) FILTER (WHERE m.severity = 5) AS s5
        FROM m GROUP BY m.key
    )
    INSERT INTO candidate_groups (key, kind, grp, subject, family, rule_id, indicator,
        window_start, window_secs, alerts, assets, sev1, sev2, sev3, sev4, sev5, listed)
    SELECT g.key, g.kind, g.grp, g.subject, g.family, g.rule_id, g.indicator, g.window_start,
           g.window_secs, g.alerts, pa.assets, g.s1, g.s2, g.s3, g.s4, g.s5,
           c.enabled AND g.alerts >= c.min_alerts AND pa.assets >= c.min_assets
    FROM per_group g JOIN per_asset pa ON pa.key = g.key
    JOIN correlation_settings c ON c.kind = g.kind
    ORDER BY g.key;
    GET DIAGNOSTICS n = ROW_COUNT;
    -- The planner's view of tables that were just refilled.
    ANALYZE candidate_groups, candidate_cells;
    RETURN n;
END $$;

-- Thresholds and `enabled` decide which groups are listed.
CREATE FUNCTION candidate_groups_relist() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp AS $$
BEGIN
    UPDATE candidate_groups g
        SET listed = c.enabled AND g.alerts >= c.min_alerts AND g.assets >= c.min_assets
        FROM correlation_settings c
        WHERE c.kind = g.kind
          AND g.listed <> (c.enabled AND g.alerts >= c.min_alerts AND g.assets >= c.min_assets);
    RETURN NULL;
END $$;
CREATE TRIGGER candidate_groups_thresholds
    AFTER UPDATE OF enabled, min_alerts, min_assets ON correlation_settings
    FOR EACH STATEMENT EXECUTE FUNCTION candidate_groups_relist();

CREATE FUNCTION candidate_groups_reshape() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp AS $$
BEGIN
    PERFORM vsoc_candidate_groups_rebuild();
    RETURN NULL;
END $$;
-- Windows decide the keys; families and the asset tree decide membership.
CREATE TRIGGER candidate_groups_window AFTER UPDATE OF time_window ON correlation_settings
    FOR EACH STATEMENT EXECUTE FUNCTION candidate_groups_reshape();
CREATE TRIGGER candidate_groups_families AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON rule_families FOR EACH STATEMENT EXECUTE FUNCTION candidate_groups_reshape();
CREATE TRIGGER candidate_groups_assets AFTER UPDATE OF parent_id, kind ON assets
    FOR EACH STATEMENT EXECUTE FUNCTION candidate_groups_reshape();

-- --- reading -----------------------------------------------------------------------

-- The alerts of a listed campaign (vsoc_candidate_alerts: one rule in a
-- window), read from the index alone: the first page of the list is
-- mostly campaigns of hundreds of alerts each.
CREATE INDEX alerts_uncorrelated_rule_idx ON alerts (rule_id, last_seen)
    INCLUDE (id, asset_id, first_seen, severity)
    WHERE status IN ('new', 'acknowledged') AND incident_id IS NULL;
-- Its queries are planned once per session, not at every call: planning
-- against the alerts' indexes costs more than running them.
ALTER FUNCTION vsoc_candidate_alerts(text) SET plan_cache_mode = force_generic_plan;

-- The candidates now: listed groups (enabled kinds, thresholds met) in
-- windows that reach into their kind's lookback (counted in full).  p_kind
-- and p_start narrow it to one window (one key's).  Plain SQL without
-- settings, so the planner inlines it into the caller's query and reads
-- the listed groups through their indexes.
DROP FUNCTION vsoc_candidate_groups(text, timestamptz);
CREATE FUNCTION vsoc_candidate_groups(p_kind text DEFAULT NULL, p_start timestamptz DEFAULT NULL)
RETURNS TABLE (key text, kind text, grp text, subject bigint, family text, rule_id text,
               indicator text, window_start timestamptz, window_secs bigint, alerts bigint,
               assets bigint, max_severity integer)
LANGUAGE sql STABLE AS $$
    SELECT g.key, g.kind, g.grp, g.subject, g.family, g.rule_id, g.indicator, g.window_start,
           g.window_secs, g.alerts, g.assets, g.max_severity
    FROM public.candidate_groups g JOIN public.correlation_settings c ON c.kind = g.kind
    WHERE g.listed
      AND (p_kind IS NULL OR g.kind = p_kind)
      AND CASE WHEN p_start IS NULL
               THEN g.window_start > now() - c.lookback - c.time_window
               ELSE g.window_start = p_start END
$$;

-- --- privileges ----------------------------------------------------------------------

ALTER TABLE candidate_groups OWNER TO vsoc_owner;
ALTER TABLE candidate_cells OWNER TO vsoc_owner;
ALTER TYPE candidate_delta OWNER TO vsoc_owner;
DO $$
DECLARE
    f text;
BEGIN
    FOREACH f IN ARRAY ARRAY[
        'vsoc_candidate_memberships(bigint, text, timestamptz, text[])',
        'candidate_groups_delta(candidate_delta[])', 'candidate_groups_ins()',
        'candidate_groups_upd()', 'candidate_groups_del()', 'vsoc_candidate_groups_rebuild()',
        'candidate_groups_reshape()', 'candidate_groups_relist()',
        'vsoc_candidate_groups(text, timestamptz)']
    LOOP
        EXECUTE format('ALTER FUNCTION %s OWNER TO vsoc_owner', f);
        EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', f);
    END LOOP;
END $$;
-- Whoever changes alerts (analysts, ingest) runs the triggers; the
-- definer writes the tables, which nobody else may.
GRANT EXECUTE ON FUNCTION candidate_groups_ins(), candidate_groups_upd(),
    candidate_groups_del(), candidate_groups_reshape(), candidate_groups_relist() TO PUBLIC;
GRANT SELECT ON candidate_groups TO vsoc_viewer;
GRANT EXECUTE ON FUNCTION vsoc_candidate_groups(text, timestamptz) TO vsoc_viewer;

SELECT vsoc_candidate_groups_rebuild();
