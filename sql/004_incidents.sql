-- 004_incidents.sql: the incident workflow (issue 8): who changed an
-- incident last, its resolution, merges, severity overrides, the rules the
-- database keeps whatever client writes, and live notices.
--
-- vsoc's own actions (core/incident_action.c) check all of this first for
-- a clear message; these triggers make the same rules hold for a psql
-- session of an analyst's login.

-- --- columns -------------------------------------------------------------------
ALTER TABLE incidents
    -- Who made the last change: set by the database (vsoc_force_actor), so
    -- a stale change can be refused naming who and when.
    ADD COLUMN updated_by integer REFERENCES analysts(id),
    -- Why it was closed: required to close (trigger below).
    ADD COLUMN resolution text CHECK (length(resolution) <= 4096),
    -- Closed as merged into another incident; never silent: the merge is
    -- one audited action, and the link stays.
    ADD COLUMN merged_into bigint REFERENCES incidents(id),
    -- A lead's override of the computed severity, with its reason; the
    -- computed value (severity) stays beside it.
    ADD COLUMN severity_override smallint CHECK (severity_override BETWEEN 1 AND 5),
    ADD COLUMN severity_override_reason text
        CHECK (length(severity_override_reason) BETWEEN 1 AND 4096),
    ADD COLUMN severity_override_by integer REFERENCES analysts(id),
    ADD COLUMN severity_override_at timestamptz,
    ADD CONSTRAINT incidents_merge_closed
        CHECK (merged_into IS NULL OR (status = 'closed' AND merged_into <> id)),
    ADD CONSTRAINT incidents_override_reason
        CHECK ((severity_override IS NULL) = (severity_override_reason IS NULL));

-- `vsoc incidents list`: newest first, keyset on id, by status or owner.
CREATE INDEX incidents_status_id_idx ON incidents (status, id);
CREATE INDEX incidents_owner_id_idx ON incidents ((coalesce(owner_id, 0)), id);
CREATE INDEX incidents_merged_idx ON incidents (merged_into) WHERE merged_into IS NOT NULL;

-- --- who changed it ------------------------------------------------------------
CREATE TRIGGER incidents_updated_by BEFORE INSERT OR UPDATE ON incidents
    FOR EACH ROW EXECUTE FUNCTION vsoc_force_actor('updated_by');

-- --- the rules -----------------------------------------------------------------

-- Overriding severity (setting, changing or clearing it) is a lead's call;
-- who and when are the database's.
CREATE FUNCTION incident_guard_override() RETURNS trigger LANGUAGE plpgsql
SET search_path = public, pg_temp AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND OLD.severity_override IS NOT DISTINCT FROM NEW.severity_override
       AND OLD.severity_override_reason IS NOT DISTINCT FROM NEW.severity_override_reason THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'INSERT' AND NEW.severity_override IS NULL THEN
        RETURN NEW;
    END IF;
    PERFORM vsoc_require('lead', 'overriding the severity of an incident');
    IF NOT vsoc_is_dba() THEN
        NEW.severity_override_by := CASE WHEN NEW.severity_override IS NULL THEN NULL
                                         ELSE vsoc_actor_id() END;
        NEW.severity_override_at := CASE WHEN NEW.severity_override IS NULL THEN NULL
                                         ELSE now() END;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER incidents_guard_override BEFORE INSERT OR UPDATE ON incidents
    FOR EACH ROW EXECUTE FUNCTION incident_guard_override();

-- Closing needs a resolution and no open alert left in the incident (vsoc
-- incident status ID closed --force closes them first, in the same
-- transaction); a merged incident stays closed.  The DBA (demo seeds,
-- repairs) is not held to the workflow.
CREATE FUNCTION incident_guard_status() RETURNS trigger LANGUAGE plpgsql
SET search_path = public, pg_temp AS $$
DECLARE
    n bigint;
BEGIN
    IF OLD.status = NEW.status OR vsoc_is_dba() THEN
        RETURN NEW;
    END IF;
    IF NEW.status = 'closed' THEN
        IF coalesce(length(btrim(NEW.resolution)), 0) = 0 THEN
            RAISE EXCEPTION 'closing incident % needs a resolution summary', NEW.id
                USING ERRCODE = 'check_violation';
        END IF;
        SELECT count(*) INTO n FROM alerts
            WHERE incident_id = NEW.id AND status IN ('new', 'acknowledged', 'escalated');
        IF n > 0 THEN
            RAISE EXCEPTION 'incident % still has % open alert(s)', NEW.id, n
                USING ERRCODE = 'object_not_in_prerequisite_state',
                      HINT = 'close them with it: vsoc incident status ID closed --force --disposition D';
        END IF;
        NEW.closed_at := now();
    ELSIF OLD.status = 'closed' THEN
        IF OLD.merged_into IS NOT NULL THEN
            RAISE EXCEPTION 'incident % was merged into incident %; it stays closed',
                OLD.id, OLD.merged_into USING ERRCODE = 'object_not_in_prerequisite_state';
        END IF;
        NEW.closed_at := NULL;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER incidents_guard_status BEFORE UPDATE OF status ON incidents
    FOR EACH ROW EXECUTE FUNCTION incident_guard_status();

-- Notes follow their incident when it is merged.  Analysts may not update
-- notes (a note is what it said), so the move is this function's: only an
-- incident's notes, only into the incident it was just merged into (the
-- merge's own UPDATE, in the same transaction, sets merged_into first).
CREATE FUNCTION vsoc_incident_move_notes(p_from bigint, p_to bigint) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    n bigint;
BEGIN
    PERFORM vsoc_require('analyst', 'merging incidents');
    IF NOT EXISTS (SELECT 1 FROM incidents WHERE id = p_from AND merged_into = p_to
                   AND age(xmin) = 0) THEN
        RAISE EXCEPTION 'incident % is not being merged into incident %', p_from, p_to
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    UPDATE notes SET incident_id = p_to WHERE incident_id = p_from;
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
END $$;

-- --- live notices --------------------------------------------------------------
-- Channel vsoc_incident, one notice per statement: "insert:ID,...",
-- "update:ID,..." (or * past 100 ids) for incidents, "note:ID,..." naming
-- the incidents that got notes.  Consoles showing an incident re-read it.
CREATE FUNCTION incident_notify() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    ids text;
    cnt bigint;
    kind text := lower(TG_OP);
BEGIN
    IF TG_TABLE_NAME = 'notes' THEN
        kind := 'note';
        SELECT count(*), string_agg(incident_id::text, ',') INTO cnt, ids
            FROM (SELECT DISTINCT incident_id FROM new_rows
                  WHERE incident_id IS NOT NULL LIMIT 101) s;
    ELSE
        SELECT count(*), string_agg(id::text, ',') INTO cnt, ids
            FROM (SELECT id FROM new_rows LIMIT 101) s;
    END IF;
    IF cnt = 0 THEN
        RETURN NULL;
    END IF;
    IF cnt > 100 THEN
        ids := '*';
    END IF;
    PERFORM pg_notify('vsoc_incident', kind || ':' || ids);
    RETURN NULL;
END $$;
CREATE TRIGGER incident_notify_ins AFTER INSERT ON incidents
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION incident_notify();
CREATE TRIGGER incident_notify_upd AFTER UPDATE ON incidents
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION incident_notify();
CREATE TRIGGER incident_notes_notify_ins AFTER INSERT ON notes
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION incident_notify();
CREATE TRIGGER incident_notes_notify_upd AFTER UPDATE ON notes
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION incident_notify();

-- --- ownership and grants ------------------------------------------------------
ALTER FUNCTION incident_guard_override() OWNER TO vsoc_owner;
ALTER FUNCTION incident_guard_status() OWNER TO vsoc_owner;
ALTER FUNCTION vsoc_incident_move_notes(bigint, bigint) OWNER TO vsoc_owner;
ALTER FUNCTION incident_notify() OWNER TO vsoc_owner;
REVOKE ALL ON FUNCTION incident_guard_override(), incident_guard_status(),
    vsoc_incident_move_notes(bigint, bigint), incident_notify() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION incident_guard_override(), incident_guard_status()
    TO vsoc_viewer;
GRANT EXECUTE ON FUNCTION vsoc_incident_move_notes(bigint, bigint) TO vsoc_analyst;
-- The new columns are covered by the table grants of 002: viewers read,
-- analysts insert and update incidents (the triggers above hold them to
-- the rules).
