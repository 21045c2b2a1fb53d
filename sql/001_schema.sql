-- 001_schema.sql: schema v1 of vsoc.
--
-- Designed for the whole roadmap: alerts and their triage now; incidents,
-- digital twins, playbooks, ingest, roles and the hash-chained audit log
-- build on these tables later.  Enumerations are text with CHECK constraints
-- rather than CREATE TYPE ... AS ENUM, because a CHECK can be widened in a
-- later migration inside a transaction.  Severity is a smallint rank (1 info
-- .. 5 critical) so that the queue's sort orders are plain btree scans.
--
-- Applied by `vsoc db migrate` inside one transaction.

-- Analysts and their roles (roadmap 7 maps these onto PostgreSQL roles).
CREATE TABLE analysts (
    id           serial PRIMARY KEY,
    -- "me", "none" and "-" mean the acting analyst and nobody in filters
    -- (assignee=me, assignee=none), so nobody may be called that.
    name         text NOT NULL UNIQUE CHECK (name ~ '^[A-Za-z0-9_.@-]{1,64}$'
                 AND lower(name) NOT IN ('me', 'none', '-')),
    display_name text,
    role         text NOT NULL DEFAULT 'analyst'
                 CHECK (role IN ('viewer', 'analyst', 'lead', 'admin')),
    active       boolean NOT NULL DEFAULT true,
    created_at   timestamptz NOT NULL DEFAULT now()
);

-- Everything an alert can be about.  external_id is the backend's own name
-- (OCPP identity, VIN, Keycloak user id, hawkBit rollout id, ...).
CREATE TABLE assets (
    id          bigserial PRIMARY KEY,
    kind        text NOT NULL CHECK (kind IN ('site', 'station', 'connector', 'vehicle',
                     'ecu', 'app_user', 'backend_service', 'ota_rollout')),
    external_id text NOT NULL,
    name        text,
    parent_id   bigint REFERENCES assets(id) ON DELETE RESTRICT,
    criticality smallint NOT NULL DEFAULT 3 CHECK (criticality BETWEEN 1 AND 5),
    attributes  jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (kind, external_id)
);
CREATE INDEX assets_parent_idx ON assets (parent_id);
CREATE INDEX assets_external_idx ON assets (external_id);

-- The digital twin's timeline: every observation about an asset.  The twin's
-- current state (roadmap 4) is derived from this into asset_state.
CREATE TABLE asset_events (
    id          bigserial PRIMARY KEY,
    asset_id    bigint NOT NULL REFERENCES assets(id) ON DELETE CASCADE,
    occurred_at timestamptz NOT NULL,
    ingested_at timestamptz NOT NULL DEFAULT now(),
    kind        text NOT NULL,
    source      text NOT NULL DEFAULT 'demo',
    data        jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX asset_events_asset_time_idx ON asset_events (asset_id, occurred_at DESC, id DESC);

CREATE TABLE asset_state (
    asset_id   bigint PRIMARY KEY REFERENCES assets(id) ON DELETE CASCADE,
    state      jsonb NOT NULL DEFAULT '{}'::jsonb,
    as_of      timestamptz NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- Detection rules R1..R14; thresholds are data (roadmap 6).
CREATE TABLE rules (
    id               text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9_.-]{1,32}$'),
    name             text NOT NULL,
    description      text NOT NULL DEFAULT '',
    default_severity smallint NOT NULL CHECK (default_severity BETWEEN 1 AND 5),
    enabled          boolean NOT NULL DEFAULT true,
    params           jsonb NOT NULL DEFAULT '{}'::jsonb
);

-- Incidents group alerts and assets (roadmap 3: IR phases, 21434 impact).
CREATE TABLE incidents (
    id          bigserial PRIMARY KEY,
    title       text NOT NULL,
    status      text NOT NULL DEFAULT 'open'
                CHECK (status IN ('open', 'triage', 'containment', 'eradication',
                                  'recovery', 'post_incident', 'closed')),
    severity    smallint NOT NULL DEFAULT 3 CHECK (severity BETWEEN 1 AND 5),
    impact      jsonb NOT NULL DEFAULT '{}'::jsonb,  -- safety, financial, operational, privacy
    scope       text NOT NULL DEFAULT 'asset'
                CHECK (scope IN ('asset', 'site', 'fleet')),
    owner_id    integer REFERENCES analysts(id),
    summary     text NOT NULL DEFAULT '',
    version     integer NOT NULL DEFAULT 1,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    closed_at   timestamptz
);
CREATE INDEX incidents_open_idx ON incidents (updated_at DESC) WHERE status <> 'closed';

CREATE TABLE alerts (
    id                 bigserial PRIMARY KEY,
    rule_id            text NOT NULL REFERENCES rules(id),
    title              text NOT NULL,
    severity           smallint NOT NULL CHECK (severity BETWEEN 1 AND 5),
    status             text NOT NULL DEFAULT 'new'
                       CHECK (status IN ('new', 'acknowledged', 'escalated', 'closed', 'suppressed')),
    disposition        text CHECK (disposition IN ('true_positive', 'false_positive', 'benign', 'duplicate')),
    disposition_reason text,
    asset_id           bigint NOT NULL REFERENCES assets(id),
    -- The asset's external id, copied at creation: the queue shows and
    -- searches it without a join (external ids never change).
    asset_ref          text NOT NULL,
    first_seen         timestamptz NOT NULL,
    last_seen          timestamptz NOT NULL,
    occurrences        integer NOT NULL DEFAULT 1 CHECK (occurrences >= 1),
    dedup_key          text,
    assignee_id        integer REFERENCES analysts(id),
    incident_id        bigint REFERENCES incidents(id),
    evidence           jsonb NOT NULL DEFAULT '{}'::jsonb,
    version            integer NOT NULL DEFAULT 1,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    closed_at          timestamptz,
    CHECK (last_seen >= first_seen),
    CHECK ((status = 'closed') = (disposition IS NOT NULL))
);
-- The queue's sort orders, each ending in id for keyset pagination.  The
-- open partial indexes serve the default view; the full ones serve the rest.
CREATE INDEX alerts_sev_idx        ON alerts (severity, last_seen, id);
CREATE INDEX alerts_open_sev_idx   ON alerts (severity, last_seen, id)
    WHERE status IN ('new', 'acknowledged');
CREATE INDEX alerts_last_seen_idx  ON alerts (last_seen, id);
CREATE INDEX alerts_open_last_idx  ON alerts (last_seen, id)
    WHERE status IN ('new', 'acknowledged');
CREATE INDEX alerts_first_seen_idx ON alerts (first_seen, id);
CREATE INDEX alerts_rule_idx       ON alerts (rule_id, severity, last_seen, id);
CREATE INDEX alerts_title_idx      ON alerts (title, id);
CREATE INDEX alerts_asset_idx      ON alerts (asset_id, severity, last_seen, id);
CREATE INDEX alerts_assignee_idx   ON alerts ((coalesce(assignee_id, 0)), severity, last_seen, id);
CREATE INDEX alerts_status_idx     ON alerts (status, severity, last_seen, id);
CREATE INDEX alerts_occ_idx        ON alerts (occurrences, id);
CREATE INDEX alerts_incident_idx   ON alerts (incident_id) WHERE incident_id IS NOT NULL;
-- Ingest deduplicates on this while the alert is live (roadmap 6).
CREATE UNIQUE INDEX alerts_dedup_live_idx ON alerts (dedup_key)
    WHERE dedup_key IS NOT NULL AND status NOT IN ('closed', 'suppressed');

CREATE TABLE incident_alerts (
    incident_id bigint NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    alert_id    bigint NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,
    added_by    integer REFERENCES analysts(id),
    added_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (incident_id, alert_id)
);
CREATE INDEX incident_alerts_alert_idx ON incident_alerts (alert_id);

CREATE TABLE incident_assets (
    incident_id bigint NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    asset_id    bigint NOT NULL REFERENCES assets(id),
    PRIMARY KEY (incident_id, asset_id)
);

CREATE TABLE notes (
    id          bigserial PRIMARY KEY,
    alert_id    bigint REFERENCES alerts(id) ON DELETE CASCADE,
    incident_id bigint REFERENCES incidents(id) ON DELETE CASCADE,
    author_id   integer NOT NULL REFERENCES analysts(id),
    body        text NOT NULL CHECK (length(body) BETWEEN 1 AND 65536),
    created_at  timestamptz NOT NULL DEFAULT now(),
    CHECK (alert_id IS NOT NULL OR incident_id IS NOT NULL)
);
CREATE INDEX notes_alert_idx ON notes (alert_id, created_at) WHERE alert_id IS NOT NULL;
CREATE INDEX notes_incident_idx ON notes (incident_id, created_at) WHERE incident_id IS NOT NULL;

-- Suppress similar alerts: same rule and asset, or same rule and evidence
-- field value, until expires_at.
CREATE TABLE suppressions (
    id             bigserial PRIMARY KEY,
    rule_id        text NOT NULL REFERENCES rules(id),
    asset_id       bigint REFERENCES assets(id),
    evidence_key   text,
    evidence_value text,
    reason         text NOT NULL CHECK (length(reason) > 0),
    created_by     integer NOT NULL REFERENCES analysts(id),
    created_at     timestamptz NOT NULL DEFAULT now(),
    expires_at     timestamptz NOT NULL,
    CHECK ((asset_id IS NOT NULL) <> (evidence_key IS NOT NULL)),
    CHECK ((evidence_key IS NULL) = (evidence_value IS NULL))
);
CREATE INDEX suppressions_rule_idx ON suppressions (rule_id, expires_at);

-- Saved queue filters, per analyst.
CREATE TABLE saved_views (
    id         serial PRIMARY KEY,
    analyst_id integer NOT NULL REFERENCES analysts(id) ON DELETE CASCADE,
    name       text NOT NULL CHECK (name ~ '^[A-Za-z0-9_.-]{1,32}$'),
    base_view  text NOT NULL DEFAULT 'open',
    filter     text NOT NULL DEFAULT '',
    sort       text NOT NULL DEFAULT 'severity',
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (analyst_id, name)
);

-- Append-only audit log.  One row per analyst action; alert_ids lists the
-- alerts it touched (a bulk close is one action).  Each row carries the hash
-- of the previous row, so `vsoc audit verify` (roadmap 7) can detect edits.
CREATE TABLE audit_log (
    id          bigserial PRIMARY KEY,
    at          timestamptz NOT NULL DEFAULT clock_timestamp(),
    actor       text NOT NULL,
    action      text NOT NULL,
    object_kind text NOT NULL,
    object_id   bigint,
    alert_ids   bigint[] NOT NULL DEFAULT '{}',
    details     jsonb NOT NULL DEFAULT '{}'::jsonb,
    prev_hash   text NOT NULL,
    hash        text NOT NULL
);
CREATE INDEX audit_alert_ids_idx ON audit_log USING gin (alert_ids);
CREATE INDEX audit_object_idx ON audit_log (object_kind, object_id);

CREATE FUNCTION audit_chain() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    last text;
BEGIN
    -- Serialise writers so the chain has no forks.
    PERFORM pg_advisory_xact_lock(7324001);
    SELECT hash INTO last FROM audit_log ORDER BY id DESC LIMIT 1;
    NEW.prev_hash := coalesce(last, repeat('0', 64));
    NEW.hash := encode(sha256(convert_to(
        NEW.prev_hash || '|' || NEW.id || '|' ||
        to_char(NEW.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') || '|' || NEW.actor || '|' ||
        NEW.action || '|' || NEW.object_kind || '|' || coalesce(NEW.object_id::text, '') || '|' ||
        NEW.alert_ids::text || '|' || NEW.details::text, 'UTF8')), 'hex');
    RETURN NEW;
END $$;
CREATE TRIGGER audit_chain BEFORE INSERT ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_chain();

CREATE FUNCTION audit_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER audit_no_update BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_immutable();
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_immutable();

-- Playbook runs as a crash-safe state machine (roadmap 5).
CREATE TABLE playbook_runs (
    id              bigserial PRIMARY KEY,
    playbook        text NOT NULL,
    playbook_hash   text NOT NULL,
    status          text NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'running', 'waiting_approval', 'succeeded',
                                      'failed', 'cancelled', 'compensating', 'compensated')),
    dry_run         boolean NOT NULL DEFAULT false,
    started_by      integer NOT NULL REFERENCES analysts(id),
    alert_id        bigint REFERENCES alerts(id),
    incident_id     bigint REFERENCES incidents(id),
    params          jsonb NOT NULL DEFAULT '{}'::jsonb,
    idempotency_key text NOT NULL UNIQUE,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    finished_at     timestamptz
);
CREATE INDEX playbook_runs_live_idx ON playbook_runs (status)
    WHERE status IN ('pending', 'running', 'waiting_approval', 'compensating');

CREATE TABLE playbook_steps (
    id              bigserial PRIMARY KEY,
    run_id          bigint NOT NULL REFERENCES playbook_runs(id) ON DELETE CASCADE,
    seq             integer NOT NULL,
    name            text NOT NULL,
    kind            text NOT NULL CHECK (kind IN ('http', 'approval', 'notify', 'set',
                                                  'wait_until', 'compensate')),
    status          text NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'running', 'waiting_approval', 'succeeded',
                                      'failed', 'skipped', 'compensated')),
    attempt         integer NOT NULL DEFAULT 0,
    idempotency_key text NOT NULL,
    request         jsonb,   -- secrets redacted before storing
    response        jsonb,
    error           text,
    approved_by     integer REFERENCES analysts(id),
    started_at      timestamptz,
    finished_at     timestamptz,
    UNIQUE (run_id, seq)
);

-- Outbox for on-call notifications (roadmap 3): written in the action's
-- transaction, delivered afterwards, so a page is never lost.
CREATE TABLE outbox (
    id           bigserial PRIMARY KEY,
    channel      text NOT NULL,
    payload      jsonb NOT NULL,
    status       text NOT NULL DEFAULT 'pending'
                 CHECK (status IN ('pending', 'sent', 'failed')),
    attempts     integer NOT NULL DEFAULT 0,
    next_attempt timestamptz NOT NULL DEFAULT now(),
    last_error   text,
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX outbox_pending_idx ON outbox (next_attempt) WHERE status = 'pending';

-- Cheap header counts: maintained per statement from transition tables, so
-- the console never runs count(*) over a million alerts, and a COPY of a
-- million rows costs one aggregate, not a million row triggers.
CREATE TABLE alert_counts (
    status   text NOT NULL,
    severity smallint NOT NULL,
    n        bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (status, severity)
);

CREATE FUNCTION alert_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        INSERT INTO alert_counts AS c (status, severity, n)
            SELECT status, severity, -count(*) FROM old_rows GROUP BY status, severity
        ON CONFLICT (status, severity) DO UPDATE SET n = c.n + excluded.n;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        INSERT INTO alert_counts AS c (status, severity, n)
            SELECT status, severity, count(*) FROM new_rows GROUP BY status, severity
        ON CONFLICT (status, severity) DO UPDATE SET n = c.n + excluded.n;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER alert_counts_ins AFTER INSERT ON alerts
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION alert_counts_apply();
CREATE TRIGGER alert_counts_upd AFTER UPDATE ON alerts
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION alert_counts_apply();
CREATE TRIGGER alert_counts_del AFTER DELETE ON alerts
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION alert_counts_apply();

-- Live updates for every open console: one NOTIFY per statement carrying up
-- to 100 changed ids ("*" when more), never one per row.
CREATE FUNCTION alert_notify() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ids text;
    cnt bigint;
BEGIN
    SELECT count(*), string_agg(id::text, ',') INTO cnt, ids
        FROM (SELECT id FROM new_rows LIMIT 101) s;
    IF cnt = 0 THEN
        RETURN NULL;
    END IF;
    IF cnt > 100 THEN
        ids := '*';
    END IF;
    PERFORM pg_notify('vsoc_alerts', lower(TG_OP) || ':' || ids);
    RETURN NULL;
END $$;
CREATE TRIGGER alert_notify_ins AFTER INSERT ON alerts
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION alert_notify();
CREATE TRIGGER alert_notify_upd AFTER UPDATE ON alerts
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION alert_notify();

INSERT INTO rules (id, name, default_severity, description) VALUES
 ('R1',  'Station identity hijack / duplicate connection', 4, 'Second concurrent WebSocket session or >1 source IP per identity in 10 min'),
 ('R2',  'Credential brute force on WebSocket upgrade',    4, '>=5 failed Basic-auth upgrades per identity or >=20 per source IP in 5 min'),
 ('R3',  'idTag brute force / cloned-card probing',        3, '>=5 distinct non-Accepted idTags on one station in 10 min'),
 ('R4',  'idTag replay / concurrent use',                  4, 'Same idTag active on two stations at once'),
 ('R5',  'OCPP message replay',                            3, 'Repeated CALL MessageId per identity within 24 h'),
 ('R6',  'Transport downgrade / TLS failure',              4, 'Certificate or TLS security events; attempts to lower the security profile'),
 ('R7',  'Malicious firmware / untrusted firmware host',   5, 'Firmware location outside the allow-list, or invalid firmware signature'),
 ('R8',  'Charging-profile manipulation',                  4, 'SetChargingProfile to many stations or limits outside rated range'),
 ('R9',  'Remote start/stop flood',                        4, '>=10 remote starts/stops per station in 10 min'),
 ('R10', 'Meter value false data injection',               5, 'Energy register decreasing or implied power above rating'),
 ('R11', 'Physical tamper / log wiping / clock tampering', 5, 'TamperDetectionActivated, SecurityLogWasCleared, maintenance login failures'),
 ('R12', 'Reboot loop / memory exhaustion',                4, '>=3 boots per hour, MemoryExhaustion, heartbeat gaps'),
 ('R13', 'Protocol fuzzing / malformed traffic',           4, '>=10 schema/RPC errors from one identity in 1 min'),
 ('R14', 'Network recon / floods on the charger',          3, 'Port scans and packet floods against an EVSE'),
 ('A1',  'App account takeover',                           4, 'Login from new country after password reset, MFA disabled, many failed logins'),
 ('O1',  'OTA rollout anomaly',                            4, 'Rollout error rate or unexpected distribution-set change');
