-- 003_search.sql: word search and asset lookups that stay fast at 10M
-- alerts, and change notices that say which statuses they touch.
--
-- Builds indexes on existing alerts: about 10 s per million alerts.

-- --- free words --------------------------------------------------------------
-- The queue's words match the search text ' ' || title || ' ' || asset_ref
-- || ' ' || rule_id (core/queue.c, SEARCH_TEXT).  Trigram indexes find the
-- rows that hold a word without reading the others: one over the open
-- alerts (the default view, a fifth of the table), one over all of them
-- for the other views.  pg_trgm is a trusted extension shipped with
-- PostgreSQL (Debian's postgresql-15 package).
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE INDEX alerts_open_search_idx ON alerts
    USING gin ((' ' || title || ' ' || asset_ref || ' ' || rule_id) gin_trgm_ops)
    WHERE status IN ('new', 'acknowledged');
CREATE INDEX alerts_search_idx ON alerts
    USING gin ((' ' || title || ' ' || asset_ref || ' ' || rule_id) gin_trgm_ops);

-- --- one asset's alerts ------------------------------------------------------
-- An alert's detail lists the latest alerts of its asset: with this index
-- "asset_id = N ORDER BY last_seen DESC LIMIT k" reads k entries, for the
-- busiest station as for the quietest.
CREATE INDEX alerts_asset_last_idx ON alerts (asset_id, last_seen, id);
-- "asset=CS-0042 sev>=high" in the open view: an ordered range scan.
CREATE INDEX alerts_open_asset_idx ON alerts (asset_id, severity, last_seen, id)
    WHERE status IN ('new', 'acknowledged');

-- --- change notices ----------------------------------------------------------
-- "insert:1,2,3;new" / "update:*;acknowledged,closed": the ids (or * past
-- 100), then every status the statement's rows had before or have after,
-- so a console whose view holds none of them skips the notice without a
-- query (tui/console.c).
CREATE OR REPLACE FUNCTION alert_notify() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ids text;
    cnt bigint;
    sts text;
BEGIN
    SELECT count(*), string_agg(id::text, ',') INTO cnt, ids
        FROM (SELECT id FROM new_rows LIMIT 101) s;
    IF cnt = 0 THEN
        RETURN NULL;
    END IF;
    IF cnt > 100 THEN
        ids := '*';
    END IF;
    IF TG_OP = 'UPDATE' THEN
        SELECT string_agg(DISTINCT status, ',') INTO sts
            FROM (SELECT status FROM new_rows UNION SELECT status FROM old_rows) s;
    ELSE
        SELECT string_agg(DISTINCT status, ',') INTO sts FROM new_rows;
    END IF;
    PERFORM pg_notify('vsoc_alerts', lower(TG_OP) || ':' || ids || ';' || sts);
    RETURN NULL;
END $$;
DROP TRIGGER alert_notify_upd ON alerts;
CREATE TRIGGER alert_notify_upd AFTER UPDATE ON alerts
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION alert_notify();
ALTER FUNCTION alert_notify() SECURITY DEFINER SET search_path = public, pg_temp;
ALTER FUNCTION alert_notify() OWNER TO vsoc_owner;
REVOKE ALL ON FUNCTION alert_notify() FROM PUBLIC;
