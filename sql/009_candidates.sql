-- 009_candidates.sql: incident candidates, proposed from open alerts that
-- are in no incident, and never merged without an analyst's decision.
--
-- Kinds of candidate (correlation_settings.kind):
--   asset          one asset, rules of one family, within a window
--   parent         a station with its connectors (a vehicle with its ECUs),
--                  rules of one family, within a window, on several assets
--   site           the stations and connectors of one site, one family
--   campaign       one rule on many assets within a window
--   source_ip, id_tag, principal, firmware_host
--                  one indicator in the evidence across assets
-- Windows are tumbling, aligned to the epoch: a candidate's key is its
-- kind, its grouping value and its window's start (core/candidates.h), so
-- it stays the same while its alerts do, and a dismissal can name it.
--
-- Builds a stored column over the existing alerts: about 10 s per million.

-- --- data: windows, thresholds, families ----------------------------------

CREATE TABLE correlation_settings (
    kind        text PRIMARY KEY CHECK (kind IN ('asset', 'parent', 'site', 'campaign',
                    'source_ip', 'id_tag', 'principal', 'firmware_host')),
    enabled     boolean NOT NULL DEFAULT true,
    -- Whole minutes, so windows start on a minute and keys read well.
    time_window interval NOT NULL CHECK (time_window BETWEEN interval '1 minute'
                    AND interval '7 days' AND extract(epoch FROM time_window)::bigint % 60 = 0),
    min_alerts  integer NOT NULL CHECK (min_alerts BETWEEN 2 AND 1000000),
    min_assets  integer NOT NULL CHECK (min_assets BETWEEN 1 AND 1000000),
    -- How far back alerts are correlated at all.
    lookback    interval NOT NULL CHECK (lookback BETWEEN interval '1 hour' AND interval '90 days'),
    description text NOT NULL DEFAULT '',
    CHECK (lookback >= time_window)
);

INSERT INTO correlation_settings (kind, time_window, min_alerts, min_assets, lookback, description) VALUES
 ('asset',         '1 hour',   3, 1, '7 days', 'one asset, rules of one family'),
 ('parent',        '1 hour',   3, 2, '7 days', 'a station and its connectors, or a vehicle and its ECUs, rules of one family'),
 ('site',          '1 hour',   4, 3, '7 days', 'the stations and connectors of one site, rules of one family'),
 ('campaign',      '1 hour',   5, 5, '7 days', 'one rule on many assets'),
 ('source_ip',     '6 hours',  3, 3, '7 days', 'one source address in the evidence across assets'),
 ('id_tag',        '24 hours', 2, 2, '7 days', 'one idTag in the evidence across assets'),
 ('principal',     '1 hour',   3, 3, '7 days', 'one operator principal in the evidence across assets'),
 ('firmware_host', '24 hours', 2, 2, '7 days', 'one firmware download host across assets');

-- Families of rules: what an attacker is after.  A rule in no family takes
-- part in campaigns and indicators, not in asset, parent or site candidates.
CREATE TABLE rule_families (
    rule_id text PRIMARY KEY REFERENCES rules(id) ON DELETE CASCADE,
    family  text NOT NULL CHECK (family ~ '^[a-z][a-z0-9_]{0,31}$')
);

INSERT INTO rule_families (rule_id, family) VALUES
 ('R1', 'identity'), ('R2', 'identity'), ('R6', 'identity'),
 ('R3', 'authorization'), ('R4', 'authorization'), ('A1', 'authorization'),
 ('R7', 'integrity'), ('R11', 'integrity'), ('R12', 'integrity'), ('O1', 'integrity'),
 ('R8', 'control'), ('R9', 'control'), ('R10', 'control'),
 ('R5', 'protocol'), ('R13', 'protocol'), ('R14', 'protocol');

-- Admins tune both; a trigger records every change, as for rules.
CREATE FUNCTION correlation_audit() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp AS $$
BEGIN
    INSERT INTO audit_log (actor, action, object_kind, details, prev_hash, hash)
        VALUES ('', CASE TG_TABLE_NAME WHEN 'rule_families' THEN 'correlation.family'
                ELSE 'correlation.update' END || '.' || lower(TG_OP), 'correlation',
            jsonb_build_object('table', TG_TABLE_NAME,
                'before', CASE WHEN TG_OP = 'INSERT' THEN NULL ELSE to_jsonb(OLD) END,
                'after', CASE WHEN TG_OP = 'DELETE' THEN NULL ELSE to_jsonb(NEW) END),
            '', '');
    RETURN NULL;
END $$;
CREATE TRIGGER correlation_settings_audit AFTER INSERT OR UPDATE OR DELETE ON correlation_settings
    FOR EACH ROW EXECUTE FUNCTION correlation_audit();
CREATE TRIGGER rule_families_audit AFTER INSERT OR UPDATE OR DELETE ON rule_families
    FOR EACH ROW EXECUTE FUNCTION correlation_audit();

-- --- indicators in the evidence ----------------------------------------------

-- The indicators an alert's evidence names, as 'kind:value' text: source
-- addresses, idTags, operator principals and the host of a firmware
-- download URL, at the places detection writes them (the demo's evidence,
-- OCPP 1.6 and 2.0.1 payloads, Keycloak events, hawkBit).  Evidence is
-- untrusted and the column is part of an index, so it is bounded: fixed
-- places (the first two elements of a list), strings or numbers of 1 to
-- 64 bytes, at most 13 values.  One expression without subqueries, which
-- PostgreSQL inlines: a stored column computes it for every alert written,
-- a million in a demo seed, at a few microseconds each.
CREATE FUNCTION vsoc_indicator_text(p_kind text, v text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN octet_length(v) BETWEEN 1 AND 64 THEN p_kind || ':' || v END
$$;
CREATE FUNCTION vsoc_indicator(p_kind text, v jsonb) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN jsonb_typeof(v) IN ('string', 'number')
           THEN vsoc_indicator_text(p_kind, v #>> '{}') END
$$;
-- scheme://[userinfo@]host[:port]/...: the host, lower case ([v6] kept).
CREATE FUNCTION vsoc_url_host(url text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT lower(substring(url FROM
        '^[A-Za-z][A-Za-z0-9+.-]*://(?:[^/?#@]*@)?(\[[^]/?#]*\]|[^]:/?#]*)'))
$$;
CREATE FUNCTION vsoc_evidence_indicators(ev jsonb) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT array_remove(ARRAY[
        vsoc_indicator('source_ip', ev -> 'source_ip'),
        vsoc_indicator('source_ip', ev -> 'sessions' -> 0 -> 'source_ip'),
        vsoc_indicator('source_ip', ev -> 'sessions' -> 1 -> 'source_ip'),
        vsoc_indicator('source_ip', ev -> 'keycloak' -> 'events' -> 0 -> 'ipAddress'),
        vsoc_indicator('source_ip', ev -> 'keycloak' -> 'events' -> 1 -> 'ipAddress'),
        vsoc_indicator('source_ip', ev -> 'src' -> 'ip'),
        vsoc_indicator('id_tag', ev -> 'idTag'),
        vsoc_indicator('id_tag', ev -> 'ocpp' -> 'payload' -> 'idTag'),
        vsoc_indicator('id_tag', ev -> 'ocpp' -> 'payload' -> 'idToken' -> 'idToken'),
        vsoc_indicator('principal', ev -> 'principal'),
        vsoc_indicator('principal', ev -> 'hawkbit' -> 'lastModifiedBy'),
        vsoc_indicator_text('firmware_host',
            vsoc_url_host(ev -> 'ocpp' -> 'payload' ->> 'location')),
        vsoc_indicator_text('firmware_host',
            vsoc_url_host(ev -> 'ocpp' -> 'payload' -> 'firmware' ->> 'location'))
    ], NULL)
$$;

ALTER TABLE alerts ADD COLUMN indicators text[]
    GENERATED ALWAYS AS (vsoc_evidence_indicators(evidence)) STORED;

-- What the candidates read, and only that: open alerts in no incident (a
-- few percent of a large table), by time, with every column the grouping
-- needs, so computing candidates is an index-only scan.
CREATE INDEX alerts_uncorrelated_idx ON alerts (last_seen)
    INCLUDE (id, asset_id, rule_id, first_seen, severity, indicators)
    WHERE status IN ('new', 'acknowledged') AND incident_id IS NULL;
-- The alerts of one indicator candidate (vsoc_candidate_alerts).
CREATE INDEX alerts_uncorrelated_ind_idx ON alerts USING gin (indicators)
    WHERE status IN ('new', 'acknowledged') AND incident_id IS NULL AND indicators <> '{}';

-- --- dismissals ------------------------------------------------------------------

-- "Not an incident, for now": hides a candidate until `until`.  Analysts
-- dismiss (a viewer cannot: no grant), the database names who and when,
-- and the audit record must be in the same transaction.
CREATE TABLE candidate_dismissals (
    id            bigserial PRIMARY KEY,
    candidate_key text NOT NULL CHECK (candidate_key ~ '^[a-z_]+:[!-~]{1,120}$'),
    reason        text NOT NULL CHECK (length(btrim(reason)) BETWEEN 1 AND 4096),
    dismissed_by  integer NOT NULL REFERENCES analysts(id),
    dismissed_at  timestamptz NOT NULL DEFAULT now(),
    until         timestamptz NOT NULL,
    CHECK (until > dismissed_at AND until <= dismissed_at + interval '90 days')
);
CREATE INDEX candidate_dismissals_key_idx ON candidate_dismissals (candidate_key, until);

CREATE TRIGGER candidate_dismissals_actor BEFORE INSERT ON candidate_dismissals
    FOR EACH ROW EXECUTE FUNCTION vsoc_force_actor('dismissed_by');
-- When is the database's: a dismissal cannot be back-dated to stretch it.
CREATE FUNCTION candidate_dismissal_stamp() RETURNS trigger LANGUAGE plpgsql
SET search_path = public, pg_temp AS $$
BEGIN
    IF NOT vsoc_is_dba() THEN
        NEW.dismissed_at := now();
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER candidate_dismissals_stamp BEFORE INSERT ON candidate_dismissals
    FOR EACH ROW EXECUTE FUNCTION candidate_dismissal_stamp();
CREATE CONSTRAINT TRIGGER candidate_dismissals_audited AFTER INSERT ON candidate_dismissals
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION vsoc_require_audit();

-- --- keys --------------------------------------------------------------------------

-- KIND:GROUP@YYYYMMDDTHHMMZ, the window's start in UTC.  GROUP is the
-- asset id and family (4711.integrity), the rule (R7) or the indicator's
-- value, kept as it is when it is 1-64 of A-Z a-z 0-9 . _ : @ + - (an
-- address, an idTag, a host), and otherwise '~' and the first 20 hex
-- digits of the SHA-256 of 'kind:value': a key is always short printable
-- ASCII without blanks, safe to show and to paste, whatever the evidence
-- held.
CREATE FUNCTION vsoc_candidate_key(p_kind text, p_grp text, p_start timestamptz) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT p_kind || ':' || CASE WHEN p_grp ~ '^[A-Za-z0-9._:@+-]{1,64}$' THEN p_grp
               ELSE '~' || left(encode(sha256(convert_to(p_kind || ':' || p_grp, 'UTF8')),
                                       'hex'), 20) END
           || '@' || to_char(p_start AT TIME ZONE 'UTC', 'YYYYMMDD"T"HH24MI"Z"')
$$;

-- The inverse; a malformed key is invalid_parameter_value (vsoc: usage).
CREATE FUNCTION vsoc_candidate_key_parse(p_key text, OUT kind text, OUT grp text,
    OUT window_start timestamptz) LANGUAGE plpgsql IMMUTABLE SET search_path = public, pg_temp AS $$
DECLARE
    m text[];
BEGIN
    m := regexp_match(p_key, '^([a-z_]+):(.+)@([0-9]{8}T[0-9]{4})Z$');
    IF m IS NULL OR length(p_key) > 128 THEN
        RAISE EXCEPTION 'malformed candidate key %', left(p_key, 80)
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'keys look like asset:4711.integrity@20261202T0800Z (vsoc candidates list)';
    END IF;
    kind := m[1];
    IF kind NOT IN ('asset', 'parent', 'site', 'campaign', 'source_ip', 'id_tag', 'principal',
                    'firmware_host') THEN
        RAISE EXCEPTION 'unknown candidate kind %', kind USING ERRCODE = 'invalid_parameter_value';
    END IF;
    grp := m[2];
    IF left(grp, 1) = '~' AND grp !~ '^~[0-9a-f]{20}$' THEN
        RAISE EXCEPTION 'malformed candidate key %', left(p_key, 80)
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF kind IN ('asset', 'parent', 'site') AND grp !~ '^[0-9]{1,18}\.[a-z][a-z0-9_]{0,31}$' THEN
        RAISE EXCEPTION 'malformed candidate key %: % needs ASSET_ID.FAMILY', left(p_key, 80), kind
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    BEGIN
        window_start := to_timestamp(m[3], 'YYYYMMDD"T"HH24MI') AT TIME ZONE 'UTC';
    EXCEPTION WHEN others THEN
        RAISE EXCEPTION 'malformed candidate key %: bad time', left(p_key, 80)
            USING ERRCODE = 'invalid_parameter_value';
    END;
END $$;

-- --- computing candidates ----------------------------------------------------------

-- Every candidate over the open alerts in no incident, with counts (the
-- alerts themselves come from vsoc_candidate_alerts, for the few a screen
-- shows).  p_kind and p_start narrow it to one kind and one window, which
-- is how one key is looked up: the scan then covers that window only.
--
-- One pass over alerts_uncorrelated_idx: each row carries its window start
-- for every kind (epoch-aligned), its family and its asset's parent and
-- site.  Each kind is grouped twice, first per asset and then per
-- candidate, so distinct assets are counted with hashes and no sort (an
-- aggregate with DISTINCT would turn every grouping set into a sort).
CREATE FUNCTION vsoc_candidate_groups(p_kind text DEFAULT NULL, p_start timestamptz DEFAULT NULL)
RETURNS TABLE (key text, kind text, grp text, subject bigint, family text, rule_id text,
               indicator text, window_start timestamptz, window_secs bigint, alerts bigint,
               assets bigint, max_severity integer, first_seen timestamptz, last_seen timestamptz)
LANGUAGE sql STABLE SET search_path = public, pg_temp
-- The hash aggregates need room (a million alerts: about 60 MB for the one
-- call), and compiling this one-off plan costs more than running it.
SET work_mem = '96MB' SET jit = off AS $$
WITH cfg AS MATERIALIZED (
    SELECT c.kind, extract(epoch FROM c.time_window)::bigint AS w, c.min_alerts, c.min_assets,
           CASE WHEN p_start IS NULL THEN now() - c.lookback ELSE p_start END AS since,
           CASE WHEN p_start IS NULL THEN 'infinity'::timestamptz
                ELSE p_start + c.time_window END AS upto
    FROM correlation_settings c
    WHERE c.enabled AND (p_kind IS NULL OR c.kind = p_kind)
), w AS MATERIALIZED (
    SELECT max(w) FILTER (WHERE kind = 'asset') AS asset,
           max(w) FILTER (WHERE kind = 'parent') AS parent,
           max(w) FILTER (WHERE kind = 'site') AS site,
           max(w) FILTER (WHERE kind = 'campaign') AS campaign,
           coalesce(bool_or(kind IN ('asset', 'parent', 'site', 'campaign')), false) AS grp,
           coalesce(bool_or(kind IN ('source_ip', 'id_tag', 'principal', 'firmware_host')), false) AS ind,
           min(since) AS since, max(upto) AS upto
    FROM cfg
), base AS (
    SELECT a.id, a.asset_id, a.rule_id, a.first_seen, a.last_seen, a.severity, a.indicators,
           extract(epoch FROM a.last_seen)::bigint AS t
    FROM w, alerts a
    WHERE a.status IN ('new', 'acknowledged') AND a.incident_id IS NULL
      AND a.last_seen >= w.since AND a.last_seen < w.upto
), amap AS MATERIALIZED (
    SELECT x.id,
           CASE WHEN x.kind IN ('connector', 'ecu') AND x.parent_id IS NOT NULL
                THEN x.parent_id ELSE x.id END AS parent,
           CASE WHEN x.kind = 'site' THEN x.id WHEN p.kind = 'site' THEN p.id
                WHEN g.kind = 'site' THEN g.id END AS site
    FROM assets x LEFT JOIN assets p ON p.id = x.parent_id
         LEFT JOIN assets g ON g.id = p.parent_id
), per_asset AS (
    -- Asset, parent and site (by family) and campaign (by rule), per asset.
    SELECT CASE WHEN GROUPING(b.asset_id, f.family, k.ba) = 0 THEN 'asset'
                WHEN GROUPING(m.parent, f.family, k.bp) = 0 THEN 'parent'
                WHEN GROUPING(m.site, f.family, k.bs) = 0 THEN 'site'
                ELSE 'campaign' END AS kind,
           CASE WHEN GROUPING(b.asset_id, f.family, k.ba) = 0 THEN b.asset_id
                WHEN GROUPING(m.parent, f.family, k.bp) = 0 THEN m.parent
                WHEN GROUPING(m.site, f.family, k.bs) = 0 THEN m.site END AS subject,
           CASE WHEN GROUPING(b.rule_id) = 1 THEN f.family END AS family,
           CASE WHEN GROUPING(b.rule_id) = 0 THEN b.rule_id END AS rule_id,
           NULL::text AS indicator,
           CASE WHEN GROUPING(b.asset_id, f.family, k.ba) = 0 THEN k.ba
                WHEN GROUPING(m.parent, f.family, k.bp) = 0 THEN k.bp
                WHEN GROUPING(m.site, f.family, k.bs) = 0 THEN k.bs ELSE k.bc END AS ws,
           b.asset_id AS asset, count(*) AS n, max(b.severity) AS sev,
           min(b.first_seen) AS first_seen, max(b.last_seen) AS last_seen
    FROM w, base b
    LEFT JOIN rule_families f ON f.rule_id = b.rule_id
    JOIN amap m ON m.id = b.asset_id,
    LATERAL (SELECT b.t - b.t % w.asset AS ba, b.t - b.t % w.parent AS bp,
                    b.t - b.t % w.site AS bs, b.t - b.t % w.campaign AS bc) k
    WHERE w.grp
    GROUP BY GROUPING SETS ((b.asset_id, f.family, k.ba), (m.parent, f.family, k.bp, b.asset_id),
                            (m.site, f.family, k.bs, b.asset_id), (b.rule_id, k.bc, b.asset_id))
), per_indicator AS (
    SELECT c.kind, NULL::bigint AS subject, NULL::text AS family, NULL::text AS rule_id,
           substr(i.v, length(c.kind) + 2) AS indicator, b.t - b.t % c.w AS ws,
           b.asset_id AS asset, count(*) AS n, max(b.severity) AS sev,
           min(b.first_seen) AS first_seen, max(b.last_seen) AS last_seen
    FROM w, base b, unnest(b.indicators) WITH ORDINALITY i (v, n), cfg c
    WHERE w.ind AND b.indicators <> '{}' AND c.kind = split_part(i.v, ':', 1)
      -- An alert naming an address twice counts once.
      AND NOT i.v = ANY (b.indicators[1:i.n - 1])
    GROUP BY c.kind, 5, 6, b.asset_id
), per_candidate AS (
    SELECT p.kind, p.subject, p.family, p.rule_id, p.indicator, p.ws,
           sum(p.n)::bigint AS alerts, count(*) AS assets, max(p.sev) AS sev,
           min(p.first_seen) AS first_seen, max(p.last_seen) AS last_seen
    FROM (SELECT * FROM per_asset
          WHERE ws IS NOT NULL AND (kind = 'campaign' OR (subject IS NOT NULL AND family IS NOT NULL))
          UNION ALL SELECT * FROM per_indicator) p
    GROUP BY p.kind, p.subject, p.family, p.rule_id, p.indicator, p.ws
), found AS (
    SELECT p.*, c.w, CASE WHEN p.kind = 'campaign' THEN p.rule_id
               WHEN p.indicator IS NOT NULL THEN p.indicator
               ELSE p.subject || '.' || p.family END AS grp
    FROM per_candidate p JOIN cfg c ON c.kind = p.kind
    WHERE p.alerts >= c.min_alerts AND p.assets >= c.min_assets
      AND (p_start IS NULL OR p.ws = extract(epoch FROM p_start)::bigint)
)
SELECT vsoc_candidate_key(f.kind, f.grp, to_timestamp(f.ws)), f.kind, f.grp, f.subject,
       f.family, f.rule_id, f.indicator, to_timestamp(f.ws), f.w, f.alerts, f.assets,
       f.sev::integer, f.first_seen, f.last_seen
FROM found f
$$;

-- The alerts of one candidate: open, in no incident, in its window, most
-- recent first.  Whether the candidate still meets its thresholds is
-- vsoc_candidate_groups' to say.  One statement per kind, so each finds
-- its alerts through its own index (an asset's open alerts, a rule, an
-- indicator) rather than reading the whole window.
CREATE FUNCTION vsoc_candidate_alerts(p_key text)
RETURNS TABLE (id bigint, asset_id bigint, rule_id text, severity integer,
               first_seen timestamptz, last_seen timestamptz)
LANGUAGE plpgsql STABLE SET search_path = public, pg_temp AS $$
DECLARE
    k record;
    upto timestamptz;
    subj bigint;
    fam text;
    ids bigint[];
BEGIN
    k := vsoc_candidate_key_parse(p_key);
    SELECT k.window_start + c.time_window INTO upto FROM correlation_settings c
        WHERE c.kind = k.kind;
    IF k.kind = 'campaign' THEN
        RETURN QUERY SELECT a.id, a.asset_id, a.rule_id, a.severity::integer, a.first_seen,
               a.last_seen FROM alerts a
            WHERE a.status IN ('new', 'acknowledged') AND a.incident_id IS NULL
              AND a.last_seen >= k.window_start AND a.last_seen < upto AND a.rule_id = k.grp
            ORDER BY a.last_seen DESC, a.id DESC;
        RETURN;
    ELSIF k.kind NOT IN ('asset', 'parent', 'site') AND left(k.grp, 1) = '~' THEN
        -- A value named by its hash: the window's alerts, each looked at.
        RETURN QUERY SELECT a.id, a.asset_id, a.rule_id, a.severity::integer, a.first_seen,
               a.last_seen FROM alerts a
            WHERE a.status IN ('new', 'acknowledged') AND a.incident_id IS NULL
              AND a.last_seen >= k.window_start AND a.last_seen < upto
              AND a.indicators <> '{}' AND EXISTS (SELECT 1 FROM unnest(a.indicators) v
                  WHERE left(v, length(k.kind) + 1) = k.kind || ':'
                    AND left(encode(sha256(convert_to(v, 'UTF8')), 'hex'), 20) = substr(k.grp, 2))
            ORDER BY a.last_seen DESC, a.id DESC;
        RETURN;
    ELSIF k.kind NOT IN ('asset', 'parent', 'site') THEN
        RETURN QUERY SELECT a.id, a.asset_id, a.rule_id, a.severity::integer, a.first_seen,
               a.last_seen FROM alerts a
            WHERE a.status IN ('new', 'acknowledged') AND a.incident_id IS NULL
              AND a.last_seen >= k.window_start AND a.last_seen < upto
              AND a.indicators @> ARRAY[k.kind || ':' || k.grp]
            ORDER BY a.last_seen DESC, a.id DESC;
        RETURN;
    END IF;
    subj := split_part(k.grp, '.', 1)::bigint;
    fam := split_part(k.grp, '.', 2);
    -- The assets the candidate covers, as vsoc_candidate_groups maps them.
    IF k.kind = 'asset' THEN
        ids := ARRAY[subj];
    ELSIF k.kind = 'parent' THEN
        SELECT array_agg(x.id) INTO ids FROM assets x
            WHERE x.id = subj OR (x.parent_id = subj AND x.kind IN ('connector', 'ecu'));
    ELSE
        SELECT array_agg(x.id) INTO ids FROM assets x LEFT JOIN assets p ON p.id = x.parent_id
            WHERE (x.id = subj AND x.kind = 'site') OR (p.id = subj AND p.kind = 'site')
               OR (p.parent_id = subj AND p.kind <> 'site' AND EXISTS (SELECT 1 FROM assets g
                   WHERE g.id = subj AND g.kind = 'site'));
    END IF;
    RETURN QUERY SELECT a.id, a.asset_id, a.rule_id, a.severity::integer, a.first_seen,
           a.last_seen FROM alerts a
        WHERE a.status IN ('new', 'acknowledged') AND a.incident_id IS NULL
          AND a.asset_id = ANY(ids)
          AND a.last_seen >= k.window_start AND a.last_seen < upto
          AND a.rule_id IN (SELECT f.rule_id FROM rule_families f WHERE f.family = fam)
        ORDER BY a.last_seen DESC, a.id DESC;
END $$;

-- --- privileges ----------------------------------------------------------------------

ALTER TABLE correlation_settings OWNER TO vsoc_owner;
ALTER TABLE rule_families OWNER TO vsoc_owner;
ALTER TABLE candidate_dismissals OWNER TO vsoc_owner;
DO $$
DECLARE
    f text;
BEGIN
    FOREACH f IN ARRAY ARRAY['correlation_audit()', 'vsoc_evidence_indicators(jsonb)',
        'vsoc_indicator_text(text, text)', 'vsoc_indicator(text, jsonb)', 'vsoc_url_host(text)',
        'candidate_dismissal_stamp()', 'vsoc_candidate_key(text, text, timestamptz)',
        'vsoc_candidate_key_parse(text)', 'vsoc_candidate_groups(text, timestamptz)',
        'vsoc_candidate_alerts(text)']
    LOOP
        EXECUTE format('ALTER FUNCTION %s OWNER TO vsoc_owner', f);
        EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', f);
    END LOOP;
END $$;
-- Writing an alert computes its indicators, whoever writes it.
GRANT EXECUTE ON FUNCTION vsoc_evidence_indicators(jsonb), vsoc_indicator_text(text, text),
    vsoc_indicator(text, jsonb), vsoc_url_host(text) TO PUBLIC;

-- Viewers read settings, families, dismissals and candidates.
GRANT SELECT ON correlation_settings, rule_families, candidate_dismissals TO vsoc_viewer;
GRANT EXECUTE ON FUNCTION vsoc_candidate_key(text, text, timestamptz),
    vsoc_candidate_key_parse(text), vsoc_candidate_groups(text, timestamptz),
    vsoc_candidate_alerts(text) TO vsoc_viewer;
-- Analysts dismiss (accepting is an escalation: alerts and incidents).
GRANT INSERT ON candidate_dismissals TO vsoc_analyst;
GRANT USAGE ON SEQUENCE candidate_dismissals_id_seq TO vsoc_analyst;
GRANT EXECUTE ON FUNCTION candidate_dismissal_stamp() TO vsoc_analyst;
-- Admins tune windows, thresholds and families.
GRANT UPDATE (enabled, time_window, min_alerts, min_assets, lookback, description)
    ON correlation_settings TO vsoc_admin;
GRANT INSERT, UPDATE, DELETE ON rule_families TO vsoc_admin;
