-- 005_severity.sql: explainable incident severity, as data.
--
-- An incident's severity is computed by core/severity.c from:
--   * each rule's ISO/SAE 21434 impact ratings (safety, financial,
--     operational, privacy: severe, major, moderate, negligible) and attack
--     feasibility (high, medium, low, very_low): rule_ratings;
--   * a risk matrix, worst impact x feasibility -> risk 1..5:
--     severity_matrix (risk 5 critical, 4 high, 3 medium, 2 low, 1 info);
--   * the adjustments for scope (one connector or vehicle .. a share of the
--     fleet), asset criticality, distinct assets, a campaign (the same rule
--     on many stations or vehicles within a window) and confidence (alerts
--     closed as false positive): severity_scope, severity_criticality and
--     severity_params.
-- The incident keeps the computed value and its explanation beside an
-- analyst's override; incidents.severity is the override when there is one,
-- else the computed value.  sla_targets holds the per-severity times to
-- acknowledge and to resolve for the SLA timers.
--
-- Every table here is configuration: every role reads it, only an admin
-- changes it (no rebuild), and each change is an audit record written by a
-- trigger, as rules_audit does for the rules.

-- --- ratings per rule ---------------------------------------------------------

CREATE TABLE rule_ratings (
    rule_id     text PRIMARY KEY REFERENCES rules(id) ON DELETE CASCADE,
    safety      text NOT NULL CHECK (safety IN ('severe', 'major', 'moderate', 'negligible')),
    financial   text NOT NULL CHECK (financial IN ('severe', 'major', 'moderate', 'negligible')),
    operational text NOT NULL CHECK (operational IN ('severe', 'major', 'moderate', 'negligible')),
    privacy     text NOT NULL CHECK (privacy IN ('severe', 'major', 'moderate', 'negligible')),
    feasibility text NOT NULL CHECK (feasibility IN ('high', 'medium', 'low', 'very_low')),
    rationale   text NOT NULL DEFAULT '' CHECK (length(rationale) <= 2000),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- Defaults for every shipped rule (sql/001_schema.sql; the demo fleet uses
-- the same ids).  Impact is what a successful attack of this kind does to
-- the road user (safety), the operator and drivers (financial), the
-- charging or vehicle service (operational) and personal data (privacy);
-- feasibility is the attack potential it needs (21434 Annex G: elapsed
-- time, expertise, knowledge, window of opportunity, equipment).  With the
-- matrix below each lands on the severity its alerts are usually raised
-- with; where it does not, the rationale says why.
INSERT INTO rule_ratings (rule_id, safety, financial, operational, privacy, feasibility, rationale) VALUES
 ('R1',  'negligible', 'major',    'major',    'moderate',   'high',
  'An impersonated station takes over sessions and billing (financial major) and cuts the real station off the CSMS (operational major); identity-only Basic auth on security profile 1 is exploitable remotely with public tooling (SaiFlow).'),
 ('R2',  'negligible', 'major',    'moderate', 'moderate',   'high',
  'A guessed AuthorizationKey gives the attacker a station identity (R1 follows: financial major); lockouts disturb charging; brute force needs only network access and scripts.'),
 ('R3',  'negligible', 'moderate', 'negligible', 'moderate', 'high',
  'Probing finds valid idTags: free charging on a victim''s contract and card numbers exposed; cheap RFID tools at an unattended station.'),
 ('R4',  'negligible', 'major',    'negligible', 'moderate', 'high',
  'A cloned card charges on several stations at once, billed to its owner, and reveals where the owner charges; MIFARE Classic clones are a commodity.'),
 ('R5',  'negligible', 'major',    'moderate', 'negligible', 'medium',
  'Replayed transaction and meter messages corrupt billing records and station state; replay needs an on-path position or a captured session.'),
 ('R6',  'moderate',   'major',    'major',    'major',      'medium',
  'Without TLS an on-path attacker reads credentials and idTags (privacy major) and can inject any CSMS command (charging profiles, firmware URLs); it needs a position on the station''s network: medium on its own, raised by scope.'),
 ('R7',  'severe',     'severe',   'severe',   'major',      'high',
  'Foreign firmware controls power electronics, contactors and thermal limits (safety severe) and can brick or enlist the fleet; OCPP 1.6 stations without signed firmware install what UpdateFirmware points at, one compromised operator account suffices.'),
 ('R8',  'severe',     'moderate', 'major',    'negligible', 'medium',
  'Limits above the rating stress cables and connectors, synchronised limit changes on many stations are a load-altering attack on the grid (safety severe), limit 0 stops charging; it needs a CSMS or smart-charging API principal.'),
 ('R9',  'negligible', 'moderate', 'major',    'negligible', 'high',
  'Remote start/stop floods stop drivers'' sessions and block stations (operational major) and enable fee fraud; any roaming partner or stolen API token can send them.'),
 ('R10', 'moderate',   'severe',   'moderate', 'negligible', 'medium',
  'Falsified meter values make billing wrong and legally unusable (calibration law: financial severe); implied power above the rating hints at unsafe operation; it needs a compromised station or an on-path position: high on its own, critical once it reaches several stations.'),
 ('R11', 'severe',     'major',    'major',    'moderate',   'high',
  'An opened enclosure exposes live parts and tampered hardware (safety severe); wiped logs and moved clocks hide fraud and break evidence; unattended public sites give physical access with ordinary tools.'),
 ('R12', 'negligible', 'moderate', 'major',    'negligible', 'high',
  'A station in a reboot loop or out of memory is unavailable (operational major) and loses revenue; crash-inducing input and floods need only a connection.'),
 ('R13', 'moderate',   'negligible', 'major',  'negligible', 'high',
  'Fuzzing crashes stations or the CSMS (operational major) and probes for memory-safety bugs in firmware that drives power electronics; public fuzzers (OCPPStorm, nocpp) make it easy.'),
 ('R14', 'negligible', 'negligible', 'moderate', 'negligible', 'high',
  'Scans and floods degrade a station''s connectivity (operational moderate) and precede targeted attacks; anyone on the network can run them.'),
 ('A1',  'moderate',   'major',    'negligible', 'major',    'high',
  'A taken-over driver account exposes name, addresses, charging history and vehicle location (privacy major), bills charging to the driver and may reach remote vehicle functions; credential stuffing and phishing are cheap.'),
 ('O1',  'severe',     'major',    'severe',   'moderate',   'medium',
  'A bad image on BMS, ADAS or vehicle-control ECUs affects vehicle safety functions and can strand vehicles (safety and operational severe); ECUs verify signed images (UN R156), so it needs hawkBit operator access or a signing key: medium.');

-- A rule added later (ingest, a DBA) starts with middle ratings until an
-- admin rates it, so no rule is ever without one.
CREATE FUNCTION rule_ratings_default() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp AS $$
BEGIN
    INSERT INTO rule_ratings (rule_id, safety, financial, operational, privacy, feasibility,
                              rationale)
        VALUES (NEW.id, 'moderate', 'moderate', 'moderate', 'moderate', 'medium',
                'default for a new rule: an admin should rate it')
        ON CONFLICT (rule_id) DO NOTHING;
    RETURN NULL;
END $$;
CREATE TRIGGER rules_rating_default AFTER INSERT ON rules
    FOR EACH ROW EXECUTE FUNCTION rule_ratings_default();

CREATE FUNCTION rule_ratings_touch() RETURNS trigger LANGUAGE plpgsql
SET search_path = public, pg_temp AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END $$;
CREATE TRIGGER rule_ratings_touch BEFORE UPDATE ON rule_ratings
    FOR EACH ROW EXECUTE FUNCTION rule_ratings_touch();

-- --- the risk matrix ------------------------------------------------------------

-- The example risk matrix of ISO/SAE 21434 (Annex H): the worst impact
-- rating against the attack feasibility.  Printed in the README.
CREATE TABLE severity_matrix (
    impact      text NOT NULL CHECK (impact IN ('severe', 'major', 'moderate', 'negligible')),
    feasibility text NOT NULL CHECK (feasibility IN ('high', 'medium', 'low', 'very_low')),
    risk        smallint NOT NULL CHECK (risk BETWEEN 1 AND 5),
    PRIMARY KEY (impact, feasibility)
);
INSERT INTO severity_matrix (impact, feasibility, risk) VALUES
 ('severe', 'very_low', 2), ('severe', 'low', 3), ('severe', 'medium', 4), ('severe', 'high', 5),
 ('major', 'very_low', 1), ('major', 'low', 2), ('major', 'medium', 3), ('major', 'high', 4),
 ('moderate', 'very_low', 1), ('moderate', 'low', 2), ('moderate', 'medium', 2), ('moderate', 'high', 3),
 ('negligible', 'very_low', 1), ('negligible', 'low', 1), ('negligible', 'medium', 1),
 ('negligible', 'high', 1);

-- --- adjustments ---------------------------------------------------------------

-- Scope: how far the incident reaches in the fleet, in levels added to the
-- risk.  asset: one connector, vehicle, app account or service; station:
-- one station (or it and its connectors); site: several stations of one
-- site; sites: stations of two or more sites; fleet: a share of the fleet's
-- stations, vehicles or app users (severity_params fleet_share and
-- fleet_min_units).
CREATE TABLE severity_scope (
    level       text PRIMARY KEY CHECK (level IN ('asset', 'station', 'site', 'sites', 'fleet')),
    rank        smallint NOT NULL UNIQUE CHECK (rank BETWEEN 1 AND 5),
    adjustment  smallint NOT NULL CHECK (adjustment BETWEEN -4 AND 4),
    description text NOT NULL
);
INSERT INTO severity_scope (level, rank, adjustment, description) VALUES
 ('asset',   1, 0, 'one connector, vehicle, app account or service'),
 ('station', 2, 0, 'one charging station'),
 ('site',    3, 1, 'several stations of one site'),
 ('sites',   4, 1, 'stations at several sites'),
 ('fleet',   5, 2, 'a share of the fleet');

-- The highest assets.criticality among the incident's assets (1..5, 3 is
-- the default) moves the result at the extremes only.
CREATE TABLE severity_criticality (
    criticality smallint PRIMARY KEY CHECK (criticality BETWEEN 1 AND 5),
    adjustment  smallint NOT NULL CHECK (adjustment BETWEEN -4 AND 4)
);
INSERT INTO severity_criticality (criticality, adjustment) VALUES
 (1, -1), (2, 0), (3, 0), (4, 0), (5, 1);

-- Thresholds and the remaining adjustments, each with its allowed range.
CREATE TABLE severity_params (
    name        text PRIMARY KEY CHECK (name ~ '^[a-z_]{1,40}$'),
    value       numeric NOT NULL,
    min_value   numeric NOT NULL,
    max_value   numeric NOT NULL,
    description text NOT NULL,
    CHECK (value BETWEEN min_value AND max_value)
);
INSERT INTO severity_params (name, value, min_value, max_value, description) VALUES
 ('fleet_share', 0.10, 0.001, 1,
  'share of the fleet''s stations, vehicles or app users that makes the scope a share of the fleet'),
 ('fleet_min_units', 10, 1, 1000000,
  'and at least this many of them: a share of a tiny fleet is not fleet-wide'),
 ('campaign_window_minutes', 60, 1, 10080,
  'a campaign is the same rule on many stations or vehicles within this window'),
 ('campaign_min_units', 10, 2, 1000000,
  'distinct stations, vehicles or accounts one rule must hit within the window'),
 ('campaign_adjustment', 1, -4, 4, 'levels a campaign adds'),
 ('many_assets', 10, 2, 1000000, 'distinct assets from which the asset count raises the result'),
 ('many_assets_adjustment', 1, -4, 4, 'levels that many distinct assets add'),
 ('fp_majority_share', 0.5, 0.01, 1,
  'share of the alerts closed as false positive that lowers the result (not all of them)'),
 ('fp_majority_adjustment', -1, -4, 0, 'levels such a share removes'),
 ('fp_all_adjustment', -3, -4, 0, 'levels removed when every alert was closed as false positive'),
 ('max_raise', 2, 0, 4,
  'most levels scope, campaign, criticality and asset count together add to the start');

-- --- SLA targets ---------------------------------------------------------------

-- Per severity: the time to acknowledge and the time to resolve an incident
-- of that severity (NULL: no target).  For the SLA timers and report.
CREATE TABLE sla_targets (
    severity        smallint PRIMARY KEY CHECK (severity BETWEEN 1 AND 5),
    name            text NOT NULL UNIQUE
                    CHECK (name IN ('info', 'low', 'medium', 'high', 'critical')),
    time_to_ack     interval CHECK (time_to_ack > interval '0'),
    time_to_resolve interval CHECK (time_to_resolve > interval '0'),
    CHECK (time_to_resolve IS NULL OR time_to_ack IS NULL OR time_to_resolve >= time_to_ack),
    CHECK (name = (ARRAY['info', 'low', 'medium', 'high', 'critical'])[severity])
);
INSERT INTO sla_targets (severity, name, time_to_ack, time_to_resolve) VALUES
 (5, 'critical', '15 minutes', '4 hours'),
 (4, 'high', '1 hour', '24 hours'),
 (3, 'medium', '4 hours', '3 days'),
 (2, 'low', '24 hours', '7 days'),
 (1, 'info', NULL, NULL);

-- --- the incident's computed severity and override ------------------------------

-- IF NOT EXISTS: the incident workflow's migration may add some of these
-- under the same names.
ALTER TABLE incidents
    ADD COLUMN IF NOT EXISTS severity_computed smallint CHECK (severity_computed BETWEEN 1 AND 5),
    ADD COLUMN IF NOT EXISTS severity_explanation jsonb NOT NULL DEFAULT '{}'::jsonb,
    ADD COLUMN IF NOT EXISTS severity_computed_at timestamptz,
    ADD COLUMN IF NOT EXISTS severity_override smallint CHECK (severity_override BETWEEN 1 AND 5),
    ADD COLUMN IF NOT EXISTS severity_override_reason text,
    ADD COLUMN IF NOT EXISTS severity_override_by integer REFERENCES analysts(id),
    ADD COLUMN IF NOT EXISTS severity_override_at timestamptz;
-- (Its own name: 004_incidents.sql has an incidents_override_reason.)
ALTER TABLE incidents ADD CONSTRAINT incidents_severity_override_reason CHECK (
    severity_override IS NULL OR length(btrim(coalesce(severity_override_reason, ''))) > 0);

-- incidents.severity follows the override, else the computed value: a
-- write of either moves it, and while an override stands nothing else
-- does.  Setting or clearing an override is a lead's decision, recorded
-- as who and when by the database (not the client).
CREATE FUNCTION incidents_severity() RETURNS trigger LANGUAGE plpgsql
SET search_path = public, pg_temp AS $$
DECLARE
    changed boolean;
BEGIN
    IF TG_OP = 'INSERT' THEN
        changed := NEW.severity_override IS NOT NULL;
    ELSE
        changed := NEW.severity_override IS DISTINCT FROM OLD.severity_override
            OR NEW.severity_override_reason IS DISTINCT FROM OLD.severity_override_reason;
    END IF;
    IF changed AND NOT vsoc_is_dba() THEN
        PERFORM vsoc_require('lead', 'overriding an incident''s severity');
        NEW.severity_override_by := CASE WHEN NEW.severity_override IS NULL THEN NULL
                                         ELSE vsoc_actor_id() END;
        NEW.severity_override_at := CASE WHEN NEW.severity_override IS NULL THEN NULL
                                         ELSE now() END;
    END IF;
    IF NEW.severity_override IS NULL AND changed THEN
        NEW.severity_override_reason := NULL;
    END IF;
    IF NEW.severity_override IS NOT NULL THEN
        NEW.severity := NEW.severity_override;
    ELSIF NEW.severity_computed IS NOT NULL AND (TG_OP = 'INSERT' OR changed
            OR NEW.severity_computed IS DISTINCT FROM OLD.severity_computed) THEN
        NEW.severity := NEW.severity_computed;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER incidents_severity BEFORE INSERT OR UPDATE ON incidents
    FOR EACH ROW EXECUTE FUNCTION incidents_severity();

-- --- audit of configuration changes ----------------------------------------------

-- TG_ARGV[0] names the action: 'rule_rating' gives rule_rating.update.
CREATE FUNCTION severity_config_audit() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp AS $$
BEGIN
    INSERT INTO audit_log (actor, action, object_kind, details, prev_hash, hash)
        VALUES ('', TG_ARGV[0] || '.' || lower(TG_OP), 'config', jsonb_build_object(
            'table', TG_TABLE_NAME,
            'before', CASE WHEN TG_OP = 'INSERT' THEN NULL ELSE to_jsonb(OLD) END,
            'after', CASE WHEN TG_OP = 'DELETE' THEN NULL ELSE to_jsonb(NEW) END), '', '');
    RETURN NULL;
END $$;
CREATE TRIGGER rule_ratings_audit AFTER INSERT OR UPDATE OR DELETE ON rule_ratings
    FOR EACH ROW EXECUTE FUNCTION severity_config_audit('rule_rating');
CREATE TRIGGER severity_matrix_audit AFTER UPDATE ON severity_matrix
    FOR EACH ROW WHEN (OLD IS DISTINCT FROM NEW) EXECUTE FUNCTION severity_config_audit('severity_matrix');
CREATE TRIGGER severity_scope_audit AFTER UPDATE ON severity_scope
    FOR EACH ROW WHEN (OLD IS DISTINCT FROM NEW) EXECUTE FUNCTION severity_config_audit('severity_scope');
CREATE TRIGGER severity_criticality_audit AFTER UPDATE ON severity_criticality
    FOR EACH ROW WHEN (OLD IS DISTINCT FROM NEW)
    EXECUTE FUNCTION severity_config_audit('severity_criticality');
CREATE TRIGGER severity_params_audit AFTER UPDATE ON severity_params
    FOR EACH ROW WHEN (OLD IS DISTINCT FROM NEW) EXECUTE FUNCTION severity_config_audit('severity_param');
CREATE TRIGGER sla_targets_audit AFTER UPDATE ON sla_targets
    FOR EACH ROW WHEN (OLD IS DISTINCT FROM NEW) EXECUTE FUNCTION severity_config_audit('sla_target');

-- --- ownership and grants (as in 002) ---------------------------------------------

ALTER TABLE rule_ratings OWNER TO vsoc_owner;
ALTER TABLE severity_matrix OWNER TO vsoc_owner;
ALTER TABLE severity_scope OWNER TO vsoc_owner;
ALTER TABLE severity_criticality OWNER TO vsoc_owner;
ALTER TABLE severity_params OWNER TO vsoc_owner;
ALTER TABLE sla_targets OWNER TO vsoc_owner;
ALTER FUNCTION rule_ratings_default() OWNER TO vsoc_owner;
ALTER FUNCTION rule_ratings_touch() OWNER TO vsoc_owner;
ALTER FUNCTION incidents_severity() OWNER TO vsoc_owner;
ALTER FUNCTION severity_config_audit() OWNER TO vsoc_owner;
REVOKE ALL ON FUNCTION rule_ratings_default(), rule_ratings_touch(), incidents_severity(),
    severity_config_audit() FROM PUBLIC;

-- Every role reads the configuration; the trigger functions run for
-- whoever writes and check the caller themselves.
GRANT SELECT ON rule_ratings, severity_matrix, severity_scope, severity_criticality,
    severity_params, sla_targets TO vsoc_viewer;
GRANT EXECUTE ON FUNCTION rule_ratings_touch(), incidents_severity(), severity_config_audit()
    TO vsoc_viewer;
-- Admins configure: the values, never the keys.
GRANT UPDATE (safety, financial, operational, privacy, feasibility, rationale)
    ON rule_ratings TO vsoc_admin;
GRANT UPDATE (risk) ON severity_matrix TO vsoc_admin;
GRANT UPDATE (adjustment, description) ON severity_scope TO vsoc_admin;
GRANT UPDATE (adjustment) ON severity_criticality TO vsoc_admin;
GRANT UPDATE (value) ON severity_params TO vsoc_admin;
GRANT UPDATE (time_to_ack, time_to_resolve) ON sla_targets TO vsoc_admin;
