-- 002_security.sql: roles enforced by PostgreSQL, and a linear audit chain.
--
-- Who acts is the database session user: an analyst is a PostgreSQL login
-- role with the same name as its row in analysts, and a member of one of
-- four group roles, each including the one before:
--
--   vsoc_viewer    reads everything; saves its own queue views
--   vsoc_analyst   triage: changes alerts, incidents, notes, suppressions
--   vsoc_lead      also reassigns others' work, overrides severity,
--                  approves high-risk playbook steps
--   vsoc_admin     also manages analysts, rules and settings in the database
--
-- The tables and functions belong to vsoc_owner, a role nobody logs in as:
-- an application login role never owns audit_log and so can never disable
-- its triggers.  Privileges are plain grants; the finer rules (reassigning
-- someone else's alert, approving one's own request) are checked by
-- triggers and SECURITY DEFINER functions that read session_user, which a
-- client cannot fake.  A superuser or a member of vsoc_owner (the DBA who
-- runs migrations and demo seeds) is not an analyst and passes every check;
-- what that role can do to the audit log is caught by the chain's anchors
-- outside the database (vsoc audit anchor / verify --anchors).
--
-- Needs a superuser, or a role with CREATEROLE that is a member of
-- vsoc_owner once it exists.

DO $$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['vsoc_owner', 'vsoc_viewer', 'vsoc_analyst', 'vsoc_lead', 'vsoc_admin']
    LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
            EXECUTE format('CREATE ROLE %I NOLOGIN', r);
        END IF;
    END LOOP;
END $$;
-- The owner creates, enables and disables analysts' login roles through the
-- functions below, which check that the caller is an admin.
ALTER ROLE vsoc_owner CREATEROLE;
GRANT vsoc_viewer TO vsoc_analyst;
GRANT vsoc_analyst TO vsoc_lead;
GRANT vsoc_lead TO vsoc_admin;
-- Extensions of later migrations (pg_trgm is trusted) are created by the owner.
DO $$ BEGIN
    EXECUTE format('GRANT CREATE ON DATABASE %I TO vsoc_owner', current_database());
END $$;

-- --- who is acting ----------------------------------------------------------

-- The DBA: a superuser or a member of vsoc_owner (superusers are members of
-- every role).  Not an analyst; passes the triggers' checks.
CREATE FUNCTION vsoc_is_dba() RETURNS boolean LANGUAGE sql STABLE
SET search_path = public, pg_temp AS $$
    SELECT pg_has_role(session_user, 'vsoc_owner', 'MEMBER')
$$;

-- The acting analyst's id, or NULL when the session user is not an active
-- analyst.  SECURITY DEFINER so that the lookup works whatever the caller
-- may read.
CREATE FUNCTION vsoc_session_analyst() RETURNS integer LANGUAGE sql STABLE
SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT id FROM analysts WHERE name = session_user AND active
$$;

-- The acting analyst's id; an error naming the reason when there is none.
CREATE FUNCTION vsoc_actor_id() RETURNS integer LANGUAGE plpgsql STABLE
SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    a record;
BEGIN
    SELECT id, active INTO a FROM analysts WHERE name = session_user;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'database user % is not a vsoc analyst', session_user
            USING ERRCODE = 'insufficient_privilege',
                  HINT = 'an admin adds it with: vsoc analyst add NAME --role ROLE';
    END IF;
    IF NOT a.active THEN
        RAISE EXCEPTION 'analyst % is disabled', session_user
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN a.id;
END $$;

-- The session's effective vsoc role from its memberships: what the database
-- enforces, whatever analysts.role says.
CREATE FUNCTION vsoc_session_role() RETURNS text LANGUAGE sql STABLE
SET search_path = public, pg_temp AS $$
    SELECT CASE
        WHEN pg_has_role(session_user, 'vsoc_admin', 'USAGE') THEN 'admin'
        WHEN pg_has_role(session_user, 'vsoc_lead', 'USAGE') THEN 'lead'
        WHEN pg_has_role(session_user, 'vsoc_analyst', 'USAGE') THEN 'analyst'
        WHEN pg_has_role(session_user, 'vsoc_viewer', 'USAGE') THEN 'viewer'
        ELSE 'none' END
$$;

-- Who the session is, for vsoc itself: works even for a session whose
-- analyst lost every role (it can then read nothing else), so that vsoc can
-- say "disabled" rather than "permission denied".
CREATE FUNCTION vsoc_whoami(OUT session text, OUT id integer, OUT name text,
    OUT display_name text, OUT active boolean, OUT role text) LANGUAGE sql STABLE
SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT session_user::text, a.id, a.name, a.display_name, a.active, vsoc_session_role()
    FROM (SELECT 1) one LEFT JOIN analysts a ON a.name = session_user
$$;

CREATE FUNCTION vsoc_require(min_role text, what text) RETURNS void LANGUAGE plpgsql STABLE
SET search_path = public, pg_temp AS $$
BEGIN
    IF vsoc_is_dba() THEN
        RETURN;
    END IF;
    PERFORM vsoc_actor_id();
    IF NOT pg_has_role(session_user, 'vsoc_' || min_role, 'USAGE') THEN
        RAISE EXCEPTION '% needs the % role (% is %)', what, min_role, session_user,
            vsoc_session_role() USING ERRCODE = 'insufficient_privilege';
    END IF;
END $$;

-- Columns that name the acting analyst are set by the database, not the
-- client: TG_ARGV[0] is the column.
CREATE FUNCTION vsoc_force_actor() RETURNS trigger LANGUAGE plpgsql
SET search_path = public, pg_temp AS $$
BEGIN
    IF vsoc_is_dba() THEN
        RETURN NEW;
    END IF;
    NEW := jsonb_populate_record(NEW, jsonb_build_object(TG_ARGV[0], vsoc_actor_id()));
    RETURN NEW;
END $$;

CREATE TRIGGER notes_author BEFORE INSERT ON notes
    FOR EACH ROW EXECUTE FUNCTION vsoc_force_actor('author_id');
CREATE TRIGGER suppressions_creator BEFORE INSERT ON suppressions
    FOR EACH ROW EXECUTE FUNCTION vsoc_force_actor('created_by');
CREATE TRIGGER incident_alerts_adder BEFORE INSERT ON incident_alerts
    FOR EACH ROW EXECUTE FUNCTION vsoc_force_actor('added_by');
CREATE TRIGGER saved_views_owner BEFORE INSERT OR UPDATE ON saved_views
    FOR EACH ROW EXECUTE FUNCTION vsoc_force_actor('analyst_id');
CREATE TRIGGER playbook_runs_starter BEFORE INSERT ON playbook_runs
    FOR EACH ROW EXECUTE FUNCTION vsoc_force_actor('started_by');

-- Reassigning work someone else owns is a lead's decision.
CREATE FUNCTION vsoc_guard_owner() RETURNS trigger LANGUAGE plpgsql
SET search_path = public, pg_temp AS $$
DECLARE
    col text := TG_ARGV[0];
    old_owner integer := (to_jsonb(OLD) ->> col)::integer;
    new_owner integer := (to_jsonb(NEW) ->> col)::integer;
    me integer;
BEGIN
    IF old_owner IS NOT DISTINCT FROM new_owner OR vsoc_is_dba() THEN
        RETURN NEW;
    END IF;
    me := vsoc_actor_id();
    IF old_owner IS NOT NULL AND old_owner <> me
       AND NOT pg_has_role(session_user, 'vsoc_lead', 'USAGE') THEN
        RAISE EXCEPTION 'reassigning % % owned by another analyst needs the lead role',
            rtrim(TG_TABLE_NAME, 's'), OLD.id USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER alerts_guard_assignee BEFORE UPDATE OF assignee_id ON alerts
    FOR EACH ROW EXECUTE FUNCTION vsoc_guard_owner('assignee_id');
CREATE TRIGGER incidents_guard_owner BEFORE UPDATE OF owner_id ON incidents
    FOR EACH ROW EXECUTE FUNCTION vsoc_guard_owner('owner_id');

-- Header counts and live notices are the database's own bookkeeping: the
-- trigger functions run as the owner, so analysts need no write access to
-- alert_counts (and cannot fake the counts).
ALTER FUNCTION alert_counts_apply() SECURITY DEFINER SET search_path = public, pg_temp;
ALTER FUNCTION alert_notify() SECURITY DEFINER SET search_path = public, pg_temp;

-- --- approvals (four eyes) ------------------------------------------------------

-- A request for a second analyst's approval, e.g. of a high-risk playbook
-- step.  Requests are inserted by analysts (requested_by is forced to the
-- session's analyst); decisions only go through vsoc_approval_decide(),
-- which refuses anyone but an active lead other than the requester.  The
-- CHECK keeps self-approval out even for the DBA.
CREATE TABLE approvals (
    id           bigserial PRIMARY KEY,
    run_id       bigint REFERENCES playbook_runs(id) ON DELETE CASCADE,
    step_id      bigint REFERENCES playbook_steps(id) ON DELETE CASCADE,
    what         text NOT NULL CHECK (length(what) BETWEEN 1 AND 1000),
    requested_by integer NOT NULL REFERENCES analysts(id),
    requested_at timestamptz NOT NULL DEFAULT now(),
    decision     text CHECK (decision IN ('approved', 'rejected')),
    decided_by   integer REFERENCES analysts(id),
    decided_at   timestamptz,
    reason       text,
    CHECK ((decision IS NULL) = (decided_by IS NULL)),
    CHECK ((decision IS NULL) = (decided_at IS NULL)),
    CHECK (decided_by IS NULL OR decided_by <> requested_by),
    CHECK (decision IS DISTINCT FROM 'rejected' OR length(reason) > 0)
);
CREATE INDEX approvals_pending_idx ON approvals (requested_at) WHERE decision IS NULL;
CREATE INDEX approvals_run_idx ON approvals (run_id) WHERE run_id IS NOT NULL;
CREATE TRIGGER approvals_requester BEFORE INSERT ON approvals
    FOR EACH ROW EXECUTE FUNCTION vsoc_force_actor('requested_by');

-- --- the audit chain, linear whatever the concurrency -------------------------

-- The chain's head, one row.  Every append locks it (FOR UPDATE), takes the
-- next sequence number and the previous hash from it, and moves it: writers
-- queue on this row, so each record follows exactly one other.  (The old
-- chain followed the row with the highest id, but ids come from a sequence
-- before any lock, so a late commit forked it.)
CREATE TABLE audit_head (
    one  boolean PRIMARY KEY DEFAULT true CHECK (one),
    seq  bigint NOT NULL,
    hash text NOT NULL
);

ALTER TABLE audit_log ADD COLUMN seq bigint;

-- The timestamp exactly as hashed and as vsoc audit verify reads it back.
-- (No SET search_path on these two: they read no table, and a function
-- with a SET clause is never inlined, which costs verify a call per row.)
CREATE FUNCTION audit_ts(t timestamptz) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
$$;

-- What a record's hash covers: every field, each as <bytes>:<text> so no
-- separator inside a value can make two records read alike, ending in the
-- previous record's hash.  core/auditlog.c builds the same text to verify.
CREATE FUNCTION audit_canonical(seq bigint, at timestamptz, actor text, action text,
    object_kind text, object_id bigint, alert_ids bigint[], details jsonb, prev_hash text)
RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT string_agg(octet_length(f) || ':' || f, '|' ORDER BY n)
    FROM unnest(ARRAY['vsoc-audit-2', seq::text, audit_ts(at), actor, action, object_kind,
                      coalesce(object_id::text, ''), alert_ids::text, details::text,
                      prev_hash]) WITH ORDINALITY AS t(f, n)
$$;

CREATE OR REPLACE FUNCTION audit_chain() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    h record;
BEGIN
    SELECT seq, hash INTO h FROM audit_head FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'audit_head is empty: the audit chain has no head'
            USING ERRCODE = 'data_corrupted';
    END IF;
    -- Who and when are the database's, never the client's.
    NEW.actor := session_user;
    NEW.at := clock_timestamp();
    NEW.seq := h.seq + 1;
    NEW.prev_hash := h.hash;
    NEW.hash := encode(sha256(convert_to(audit_canonical(NEW.seq, NEW.at, NEW.actor,
        NEW.action, NEW.object_kind, NEW.object_id, NEW.alert_ids, NEW.details,
        NEW.prev_hash), 'UTF8')), 'hex');
    UPDATE audit_head SET seq = NEW.seq, hash = NEW.hash;
    RETURN NEW;
END $$;

-- Re-anchor what the old chain wrote: in id order (the order it was written
-- in when nothing raced), with the new hash.  The record of this step
-- keeps the old head's hash, so the old chain stays comparable.
DO $$
DECLARE
    r record;
    n bigint := 0;
    prev text := repeat('0', 64);
    legacy text;
BEGIN
    SELECT hash INTO legacy FROM audit_log ORDER BY id DESC LIMIT 1;
    ALTER TABLE audit_log DISABLE TRIGGER audit_no_update;
    FOR r IN SELECT * FROM audit_log ORDER BY id LOOP
        n := n + 1;
        UPDATE audit_log SET seq = n, prev_hash = prev,
            hash = encode(sha256(convert_to(audit_canonical(n, r.at, r.actor, r.action,
                r.object_kind, r.object_id, r.alert_ids, r.details, prev), 'UTF8')), 'hex')
            WHERE id = r.id RETURNING hash INTO prev;
    END LOOP;
    ALTER TABLE audit_log ENABLE TRIGGER audit_no_update;
    INSERT INTO audit_head (seq, hash) VALUES (n, prev);
    INSERT INTO audit_log (actor, action, object_kind, details, prev_hash, hash)
        VALUES ('', 'audit.rechain', 'audit', jsonb_build_object(
            'records', n, 'legacy_head', legacy, 'scheme', 'vsoc-audit-2',
            'why', 'linear chain on a sequence number taken under the head lock'), '', '');
END $$;
ALTER TABLE audit_log ALTER COLUMN seq SET NOT NULL;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_seq_key UNIQUE (seq);

-- An analyst's change without its audit record is refused at commit: a
-- transaction that changed triage state must also have appended to the
-- chain.  It did if the head's current row version is its own (age(xmin) is
-- 0 only for rows the running transaction wrote), and only the chain
-- trigger writes the head, so a client cannot fake it.
CREATE FUNCTION vsoc_require_audit() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM audit_head WHERE age(xmin) = 0) OR vsoc_is_dba() THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'a change to % must be recorded in the audit log in the same transaction',
        TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege',
        HINT = 'change triage state through vsoc, which records every action';
END $$;
CREATE CONSTRAINT TRIGGER alerts_audited
    AFTER UPDATE OF status, disposition, disposition_reason, assignee_id, incident_id ON alerts
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION vsoc_require_audit();
CREATE CONSTRAINT TRIGGER incidents_audited AFTER INSERT OR UPDATE ON incidents
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION vsoc_require_audit();
CREATE CONSTRAINT TRIGGER notes_audited AFTER INSERT ON notes
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION vsoc_require_audit();
CREATE CONSTRAINT TRIGGER suppressions_audited AFTER INSERT ON suppressions
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION vsoc_require_audit();
CREATE CONSTRAINT TRIGGER incident_alerts_audited AFTER INSERT OR DELETE ON incident_alerts
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION vsoc_require_audit();
CREATE CONSTRAINT TRIGGER approvals_audited AFTER INSERT ON approvals
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION vsoc_require_audit();

-- The one way an application role writes the audit log.  Actor and time are
-- set by the chain trigger.  A session without the analyst role (a viewer,
-- or an analyst just disabled) may only record its own sessions and the
-- refusals it met.
CREATE FUNCTION audit_record(p_action text, p_object_kind text, p_object_id bigint,
    p_alert_ids bigint[], p_details jsonb) RETURNS bigint LANGUAGE plpgsql
SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    rid bigint;
BEGIN
    IF p_action IS NULL OR p_action !~ '^[a-z_]+\.[a-z_.]+$' OR length(p_action) > 64 THEN
        RAISE EXCEPTION 'invalid audit action %', p_action USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF NOT vsoc_is_dba() AND NOT pg_has_role(session_user, 'vsoc_analyst', 'USAGE')
       AND p_action NOT IN ('session.start', 'session.end', 'session.lock', 'session.unlock',
                            'permission.denied', 'view.save', 'view.delete') THEN
        RAISE EXCEPTION 'recording % needs the analyst role', p_action
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF p_action LIKE 'analyst.%' OR p_action LIKE 'audit.%' THEN
        RAISE EXCEPTION '% records are written by the database itself', p_action
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF octet_length(p_details::text) > 65536 THEN
        RAISE EXCEPTION 'audit details longer than 64 KiB' USING ERRCODE = 'program_limit_exceeded';
    END IF;
    INSERT INTO audit_log (actor, action, object_kind, object_id, alert_ids, details,
                           prev_hash, hash)
        VALUES ('', p_action, p_object_kind, p_object_id, coalesce(p_alert_ids, '{}'),
                coalesce(p_details, '{}'), '', '')
        RETURNING id INTO rid;
    RETURN rid;
END $$;

-- --- decisions on approvals -----------------------------------------------------

CREATE FUNCTION vsoc_approval_decide(p_id bigint, p_approve boolean, p_reason text)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    a record;
    me integer := vsoc_actor_id();
BEGIN
    IF NOT pg_has_role(session_user, 'vsoc_lead', 'USAGE') THEN
        RAISE EXCEPTION 'approving needs the lead role (% is %)', session_user,
            vsoc_session_role() USING ERRCODE = 'insufficient_privilege';
    END IF;
    SELECT * INTO a FROM approvals WHERE id = p_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'approval % not found', p_id USING ERRCODE = 'no_data_found';
    END IF;
    IF a.requested_by = me THEN
        RAISE EXCEPTION 'nobody approves their own request (approval %)', p_id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF a.decision IS NOT NULL THEN
        RAISE EXCEPTION 'approval % was already %', p_id, a.decision
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    IF NOT p_approve AND coalesce(length(btrim(p_reason)), 0) = 0 THEN
        RAISE EXCEPTION 'a rejection needs a reason' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    UPDATE approvals SET decision = CASE WHEN p_approve THEN 'approved' ELSE 'rejected' END,
        decided_by = me, decided_at = now(), reason = p_reason WHERE id = p_id;
    INSERT INTO audit_log (actor, action, object_kind, object_id, details, prev_hash, hash)
        VALUES ('', CASE WHEN p_approve THEN 'approval.approve' ELSE 'approval.reject' END,
                'approval', p_id, jsonb_build_object('what', a.what, 'requested_by',
                (SELECT name FROM analysts WHERE id = a.requested_by), 'run', a.run_id,
                'step', a.step_id, 'reason', p_reason,
                'before', jsonb_build_object('decision', NULL),
                'after', jsonb_build_object('decision',
                    CASE WHEN p_approve THEN 'approved' ELSE 'rejected' END)), '', '');
END $$;

-- --- managing analysts (admin) ------------------------------------------------------

CREATE FUNCTION vsoc_role_check(p_role text) RETURNS void LANGUAGE plpgsql IMMUTABLE
SET search_path = public, pg_temp AS $$
BEGIN
    IF p_role IS NULL OR p_role NOT IN ('viewer', 'analyst', 'lead', 'admin') THEN
        RAISE EXCEPTION 'unknown role %: use viewer, analyst, lead or admin', p_role
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
END $$;

-- Memberships follow analysts.role: revoke every vsoc group, grant one.
CREATE FUNCTION vsoc_grant_role(p_name text, p_role text) RETURNS void LANGUAGE plpgsql
SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    g text;
BEGIN
    FOREACH g IN ARRAY ARRAY['vsoc_viewer', 'vsoc_analyst', 'vsoc_lead', 'vsoc_admin'] LOOP
        IF EXISTS (SELECT 1 FROM pg_auth_members m
                JOIN pg_roles r ON r.oid = m.roleid JOIN pg_roles u ON u.oid = m.member
                WHERE r.rolname = g AND u.rolname = p_name) THEN
            EXECUTE format('REVOKE %I FROM %I', g, p_name);
        END IF;
    END LOOP;
    IF p_role IS NOT NULL THEN
        EXECUTE format('GRANT %I TO %I', 'vsoc_' || p_role, p_name);
    END IF;
END $$;
REVOKE ALL ON FUNCTION vsoc_grant_role(text, text) FROM PUBLIC;

-- The last active admin cannot be demoted or disabled: nobody could undo it.
CREATE FUNCTION vsoc_keep_an_admin(p_name text) RETURNS void LANGUAGE plpgsql
SET search_path = public, pg_temp AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM analysts WHERE name = p_name AND role = 'admin' AND active)
       AND NOT EXISTS (SELECT 1 FROM analysts WHERE name <> p_name AND role = 'admin' AND active) THEN
        RAISE EXCEPTION '% is the last active admin', p_name
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'make another analyst an admin first';
    END IF;
END $$;

CREATE FUNCTION vsoc_analyst_add(p_name text, p_role text, p_display text)
RETURNS integer LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    a record;
    rid integer;
    created boolean := false;
BEGIN
    PERFORM vsoc_require('admin', 'adding an analyst');
    PERFORM vsoc_role_check(p_role);
    IF p_name IS NULL OR p_name !~ '^[A-Za-z0-9_.@-]{1,63}$' OR lower(p_name) IN ('me', 'none', '-')
       OR p_name ~ '^(pg_|vsoc_)' OR lower(p_name) IN ('public', 'postgres') THEN
        RAISE EXCEPTION 'invalid analyst name %: use 1-63 letters, digits and . _ @ - (not me, none, -, public, postgres, pg_* or vsoc_*)', p_name
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = p_name AND rolsuper) THEN
        RAISE EXCEPTION '% is a PostgreSQL superuser: an analyst must not be one', p_name
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'the database cannot enforce roles on a superuser';
    END IF;
    SELECT * INTO a FROM analysts WHERE name = p_name FOR UPDATE;
    IF FOUND AND a.active THEN
        RAISE EXCEPTION 'analyst % exists already (role %)', p_name, a.role
            USING ERRCODE = 'unique_violation', HINT = 'change it with: vsoc analyst role';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = p_name) THEN
        EXECUTE format('CREATE ROLE %I LOGIN', p_name);
        created := true;
    ELSE
        EXECUTE format('ALTER ROLE %I LOGIN', p_name);
    END IF;
    PERFORM vsoc_grant_role(p_name, p_role);
    INSERT INTO analysts (name, display_name, role, active) VALUES (p_name, p_display, p_role, true)
        ON CONFLICT (name) DO UPDATE SET role = excluded.role, active = true,
            display_name = coalesce(excluded.display_name, analysts.display_name)
        RETURNING id INTO rid;
    INSERT INTO audit_log (actor, action, object_kind, object_id, details, prev_hash, hash)
        VALUES ('', 'analyst.add', 'analyst', rid, jsonb_build_object('name', p_name,
            'login_role_created', created,
            'before', CASE WHEN a.id IS NULL THEN NULL ELSE jsonb_build_object('role', a.role, 'active', a.active) END,
            'after', jsonb_build_object('role', p_role, 'active', true)), '', '');
    RETURN rid;
END $$;

CREATE FUNCTION vsoc_analyst_set_role(p_name text, p_role text) RETURNS void LANGUAGE plpgsql
SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    a record;
BEGIN
    PERFORM vsoc_require('admin', 'changing a role');
    PERFORM vsoc_role_check(p_role);
    SELECT * INTO a FROM analysts WHERE name = p_name FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no analyst named %', p_name USING ERRCODE = 'no_data_found';
    END IF;
    IF a.role = p_role THEN
        RETURN;
    END IF;
    IF p_role <> 'admin' THEN
        PERFORM vsoc_keep_an_admin(p_name);
    END IF;
    IF a.active THEN
        PERFORM vsoc_grant_role(p_name, p_role);
    END IF;
    UPDATE analysts SET role = p_role WHERE id = a.id;
    INSERT INTO audit_log (actor, action, object_kind, object_id, details, prev_hash, hash)
        VALUES ('', 'analyst.role', 'analyst', a.id, jsonb_build_object('name', p_name,
            'before', jsonb_build_object('role', a.role),
            'after', jsonb_build_object('role', p_role)), '', '');
END $$;

-- Disabling takes effect at once: the login is refused from now on, and the
-- group memberships go, so a session still open can no longer change
-- anything (privileges are checked at every statement).
CREATE FUNCTION vsoc_analyst_set_active(p_name text, p_active boolean, p_reason text)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    a record;
BEGIN
    PERFORM vsoc_require('admin', CASE WHEN p_active THEN 'enabling' ELSE 'disabling' END || ' an analyst');
    SELECT * INTO a FROM analysts WHERE name = p_name FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no analyst named %', p_name USING ERRCODE = 'no_data_found';
    END IF;
    IF a.active = p_active THEN
        RETURN;
    END IF;
    IF NOT p_active THEN
        IF p_name = session_user THEN
            RAISE EXCEPTION 'you cannot disable yourself' USING ERRCODE = 'object_not_in_prerequisite_state';
        END IF;
        PERFORM vsoc_keep_an_admin(p_name);
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = p_name) THEN
            PERFORM vsoc_grant_role(p_name, NULL);
            EXECUTE format('ALTER ROLE %I NOLOGIN', p_name);
        END IF;
    ELSE
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = p_name) THEN
            EXECUTE format('CREATE ROLE %I LOGIN', p_name);
        ELSE
            EXECUTE format('ALTER ROLE %I LOGIN', p_name);
        END IF;
        PERFORM vsoc_grant_role(p_name, a.role);
    END IF;
    UPDATE analysts SET active = p_active WHERE id = a.id;
    INSERT INTO audit_log (actor, action, object_kind, object_id, details, prev_hash, hash)
        VALUES ('', CASE WHEN p_active THEN 'analyst.enable' ELSE 'analyst.disable' END,
            'analyst', a.id, jsonb_build_object('name', p_name, 'reason', p_reason,
            'before', jsonb_build_object('active', a.active),
            'after', jsonb_build_object('active', p_active)), '', '');
END $$;

-- Rules' tuning (thresholds, enabled) is an admin's; a trigger records it.
CREATE FUNCTION rules_audit() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp AS $$
BEGIN
    INSERT INTO audit_log (actor, action, object_kind, details, prev_hash, hash)
        VALUES ('', 'rule.update', 'rule', jsonb_build_object('rule', NEW.id,
            'before', to_jsonb(OLD), 'after', to_jsonb(NEW)), '', '');
    RETURN NEW;
END $$;
CREATE TRIGGER rules_audit AFTER UPDATE ON rules
    FOR EACH ROW WHEN (OLD IS DISTINCT FROM NEW) EXECUTE FUNCTION rules_audit();

-- Analysts of an existing database keep working: each active one gets a
-- login role (if it has none) and the group of its role.  A name that is a
-- superuser, or that PostgreSQL reserves, stays a record only: the database
-- cannot hold a superuser to a role.
DO $$
DECLARE
    a record;
BEGIN
    FOR a IN SELECT name, role FROM analysts WHERE active ORDER BY id LOOP
        CONTINUE WHEN a.name ~ '^(pg_|vsoc_)' OR lower(a.name) IN ('public', 'postgres')
            OR EXISTS (SELECT 1 FROM pg_roles WHERE rolname = a.name AND rolsuper);
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = a.name) THEN
            EXECUTE format('CREATE ROLE %I LOGIN', a.name);
        END IF;
        PERFORM vsoc_grant_role(a.name, a.role);
    END LOOP;
END $$;

-- --- ownership and grants ---------------------------------------------------------

DO $$
DECLARE
    r record;
BEGIN
    FOR r IN SELECT c.relname, c.relkind FROM pg_class c
             JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm')
    LOOP
        EXECUTE format('ALTER TABLE %I OWNER TO vsoc_owner', r.relname);
    END LOOP;
    FOR r IN SELECT p.oid::regprocedure AS f FROM pg_proc p
             JOIN pg_namespace n ON n.oid = p.pronamespace
             WHERE n.nspname = current_schema() AND p.prokind = 'f'
    LOOP
        EXECUTE format('ALTER FUNCTION %s OWNER TO vsoc_owner', r.f);
        EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', r.f);
    END LOOP;
END $$;

-- Every vsoc role reads everything.
GRANT SELECT ON ALL TABLES IN SCHEMA public TO vsoc_viewer;
GRANT EXECUTE ON FUNCTION vsoc_require(text, text), audit_ts(timestamptz),
    audit_canonical(bigint, timestamptz, text, text, text, bigint, bigint[], jsonb, text)
    TO vsoc_viewer;
-- Who am I, and what may I do: answered for any session, even one whose
-- analyst was just disabled, so the refusal can say why.
GRANT EXECUTE ON FUNCTION vsoc_is_dba(), vsoc_session_analyst(), vsoc_actor_id(),
    vsoc_session_role(), vsoc_whoami() TO PUBLIC;
-- Recording one's session, and a refusal met, works even for a session that
-- lost its role: the function itself decides what each may record.
GRANT EXECUTE ON FUNCTION audit_record(text, text, bigint, bigint[], jsonb) TO PUBLIC;
-- Trigger functions run for whoever writes; they check the caller themselves.
GRANT EXECUTE ON FUNCTION vsoc_force_actor(), vsoc_guard_owner() TO vsoc_viewer;

-- Viewers keep their own saved views (row-level security: only one's own).
GRANT INSERT, UPDATE, DELETE ON saved_views TO vsoc_viewer;
GRANT USAGE ON SEQUENCE saved_views_id_seq TO vsoc_viewer;
ALTER TABLE saved_views ENABLE ROW LEVEL SECURITY;
CREATE POLICY saved_views_own ON saved_views
    USING (analyst_id = vsoc_session_analyst())
    WITH CHECK (analyst_id = vsoc_session_analyst());

-- Analysts triage.  Only the columns triage changes; alerts themselves come
-- from detection (ingest), not from analysts.
GRANT UPDATE (status, disposition, disposition_reason, assignee_id, incident_id, version,
              updated_at, closed_at) ON alerts TO vsoc_analyst;
GRANT INSERT ON notes, suppressions, incident_alerts, incident_assets, approvals TO vsoc_analyst;
GRANT DELETE ON incident_alerts, incident_assets TO vsoc_analyst;
GRANT INSERT, UPDATE ON incidents TO vsoc_analyst;
GRANT INSERT, UPDATE ON playbook_runs, playbook_steps TO vsoc_analyst;
GRANT INSERT ON outbox TO vsoc_analyst;
GRANT USAGE ON SEQUENCE notes_id_seq, suppressions_id_seq, incidents_id_seq,
    approvals_id_seq, playbook_runs_id_seq, playbook_steps_id_seq, outbox_id_seq
    TO vsoc_analyst;
GRANT EXECUTE ON FUNCTION vsoc_approval_decide(bigint, boolean, text) TO vsoc_analyst;

-- Admins tune rules and manage analysts (through the functions).
GRANT UPDATE (name, description, default_severity, enabled, params) ON rules TO vsoc_admin;
GRANT UPDATE (criticality, name) ON assets TO vsoc_admin;
GRANT EXECUTE ON FUNCTION vsoc_analyst_add(text, text, text),
    vsoc_analyst_set_role(text, text), vsoc_analyst_set_active(text, boolean, text),
    vsoc_role_check(text), vsoc_keep_an_admin(text) TO vsoc_admin;

-- The audit view and `vsoc audit list` filter by actor and time, newest first.
CREATE INDEX audit_actor_idx ON audit_log (actor, seq);
CREATE INDEX audit_at_idx ON audit_log (at);
