-- 007_sla.sql: SLA timers (issue 8): when an alert and an incident were
-- first acknowledged, so the time to acknowledge is measurable, and the
-- indexes behind the "breaching" views.
--
-- The clocks (core/sla.c): an alert or incident starts at created_at; until
-- it is acknowledged its deadline is created_at + sla_targets.time_to_ack
-- of its severity (the resolve target when there is no ack target), then
-- created_at + time_to_resolve; closed_at ends it.  Targets are data
-- (sql/005_severity.sql), so no deadline can be stored or indexed: the
-- breaching views read one index range per severity and clock
-- (core/queue_sla.c, core/incident_page.c) and merge them.

-- --- when it was first acknowledged ---------------------------------------------

-- Nullable and without a default: adding it is a catalog change only, no
-- rewrite of a million alerts.  Rows acknowledged before this migration
-- keep NULL: acknowledged at an unknown time, left out of the time to
-- acknowledge (the report counts them as acknowledged).
ALTER TABLE alerts ADD COLUMN acknowledged_at timestamptz;
ALTER TABLE incidents ADD COLUMN acknowledged_at timestamptz;

-- An alert is acknowledged the first time it leaves 'new' (acknowledged,
-- escalated, closed or suppressed: someone looked at it).  Set by the
-- database, never cleared, never moved by an analyst: analysts cannot
-- write the column (002's column grants), and this keeps a stamped value
-- whoever writes.  The DBA (imports, demo seeds, repairs) may give a time
-- explicitly, but not clear one.
CREATE FUNCTION alerts_sla_ack() RETURNS trigger LANGUAGE plpgsql
SET search_path = public, pg_temp AS $$
BEGIN
    IF NEW.acknowledged_at IS NOT NULL AND vsoc_is_dba() THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'UPDATE' AND OLD.acknowledged_at IS NOT NULL THEN
        NEW.acknowledged_at := OLD.acknowledged_at;
        RETURN NEW;
    END IF;
    NEW.acknowledged_at := CASE WHEN NEW.status <> 'new' THEN now() END;
    RETURN NEW;
END $$;
-- Row triggers with a WHEN: a bulk triage of thousands of alerts that
-- are already acknowledged never calls the function.
CREATE TRIGGER alerts_sla_ack_ins BEFORE INSERT ON alerts
    FOR EACH ROW WHEN (NEW.status <> 'new' OR NEW.acknowledged_at IS NOT NULL)
    EXECUTE FUNCTION alerts_sla_ack();
CREATE TRIGGER alerts_sla_ack_upd BEFORE UPDATE ON alerts
    FOR EACH ROW WHEN (OLD.acknowledged_at IS DISTINCT FROM NEW.acknowledged_at
        OR (OLD.acknowledged_at IS NULL AND OLD.status = 'new' AND NEW.status <> 'new'))
    EXECUTE FUNCTION alerts_sla_ack();

-- An incident is acknowledged the first time it leaves 'open' or gets an
-- owner.  Same rules as for alerts.
CREATE FUNCTION incidents_sla_ack() RETURNS trigger LANGUAGE plpgsql
SET search_path = public, pg_temp AS $$
BEGIN
    IF NEW.acknowledged_at IS NOT NULL AND vsoc_is_dba() THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'UPDATE' AND OLD.acknowledged_at IS NOT NULL THEN
        NEW.acknowledged_at := OLD.acknowledged_at;
        RETURN NEW;
    END IF;
    NEW.acknowledged_at := CASE WHEN NEW.status <> 'open' OR NEW.owner_id IS NOT NULL
                                THEN now() END;
    RETURN NEW;
END $$;
CREATE TRIGGER incidents_sla_ack BEFORE INSERT OR UPDATE ON incidents
    FOR EACH ROW EXECUTE FUNCTION incidents_sla_ack();

-- --- the breaching views ---------------------------------------------------------

-- Open alerts by clock (the status says which: 'new' runs to the ack
-- target, the others to the resolve target), severity and start: for each
-- (status, severity) the rows past a deadline are one range, read in
-- deadline order.  Partial: open alerts are a few percent of the table.
CREATE INDEX alerts_sla_idx ON alerts (status, severity, created_at, id)
    WHERE status IN ('new', 'acknowledged', 'escalated');
-- Open incidents by clock (acknowledged or not), severity and start.
CREATE INDEX incidents_sla_idx ON incidents ((acknowledged_at IS NULL), severity, created_at, id)
    WHERE status <> 'closed';
-- `vsoc sla report --since`: per severity, the alerts created in the
-- window are one range, read from the index alone (what the report needs
-- is in it: a tenth of the table's pages), in order, so no sort by
-- severity.  Incidents are few (10,000 read in milliseconds), and an index
-- on (severity, created_at) would draw the breaching view's next pages
-- away from incidents_sla_idx.
CREATE INDEX alerts_sla_report_idx ON alerts (severity, created_at)
    INCLUDE (status, acknowledged_at, closed_at, updated_at);
-- Five rows the planner should know are five: the breaching views loop
-- over them (an unanalyzed table is guessed at hundreds of rows, and the
-- guess makes the plan look expensive enough to compile).
ANALYZE sla_targets;

-- Incidents acknowledged before this migration: a small table, so they get
-- their best known time (the last change, the one that acknowledged them
-- or a later one) instead of none.  After the indexes: the update queues
-- the deferred audit check's trigger events, and PostgreSQL refuses
-- CREATE INDEX on a table with pending trigger events (an upgrade of a
-- database with incidents failed so).
UPDATE incidents SET acknowledged_at = least(updated_at, coalesce(closed_at, updated_at))
    WHERE acknowledged_at IS NULL AND (status <> 'open' OR owner_id IS NOT NULL);

-- --- ownership and grants (as in 002) ---------------------------------------------

ALTER FUNCTION alerts_sla_ack() OWNER TO vsoc_owner;
ALTER FUNCTION incidents_sla_ack() OWNER TO vsoc_owner;
REVOKE ALL ON FUNCTION alerts_sla_ack(), incidents_sla_ack() FROM PUBLIC;
-- Trigger functions run for whoever writes; they check the caller themselves.
GRANT EXECUTE ON FUNCTION alerts_sla_ack(), incidents_sla_ack() TO vsoc_viewer;
-- The columns are read with the tables (002's SELECT grants); analysts may
-- not write alerts.acknowledged_at (002 grants columns), and the trigger
-- keeps incidents.acknowledged_at the database's.
