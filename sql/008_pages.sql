-- 008_pages.sql: pages that follow the incident (issue 8, on-call part).
--
-- Acknowledge and resolve rows are written by the incident action that
-- changes the status (core/outbox_follow.c), in its transaction, for the
-- PagerDuty channels the incident was triggered on.  Which channels those
-- are is read from the outbox itself, so the action needs no settings
-- file: each row now says which contract its payload follows (kind).
--
-- Follow-ups must reach the backend after the trigger they follow: an
-- acknowledge delivered while its trigger waits for a retry would be
-- dropped by PagerDuty, and the trigger would then open an alert nobody
-- acknowledges.  So a row is due only when no earlier row of the same
-- incident and channel is still pending or retrying: one channel's pages
-- of one incident go out in the order they were written.

ALTER TABLE outbox ADD COLUMN kind text
    CHECK (kind IN ('pagerduty', 'opsgenie', 'slack', 'webhook'));

-- Rows written before this migration: the kind from the payload's shape
-- (core/channel_*.c: only PagerDuty's has event_action, only Opsgenie's an
-- alias, only the webhook's an event, only Slack's text without those).
UPDATE outbox SET kind = CASE
        WHEN payload ? 'event_action' THEN 'pagerduty'
        WHEN payload ? 'alias' THEN 'opsgenie'
        WHEN payload ? 'event' THEN 'webhook'
        WHEN payload ? 'text' THEN 'slack'
    END
    WHERE kind IS NULL;

-- The follow-up rule reads an incident's pages per channel and kind.
CREATE INDEX outbox_incident_kind_idx ON outbox (incident_id, kind, channel, id);

-- As in 006, plus the order within an incident's channel.
CREATE OR REPLACE FUNCTION vsoc_outbox_claim(p_channels text[]) RETURNS SETOF outbox
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    PERFORM vsoc_outbox_may_deliver();
    RETURN QUERY UPDATE outbox SET claimed_xact = txid_current()
        WHERE id = (SELECT o.id FROM outbox o
            WHERE o.status IN ('pending', 'retrying') AND o.next_attempt <= clock_timestamp()
              AND o.channel = ANY (p_channels)
              AND NOT EXISTS (SELECT 1 FROM outbox e
                  WHERE e.incident_id = o.incident_id AND e.channel = o.channel
                    AND e.id < o.id AND e.status IN ('pending', 'retrying'))
            ORDER BY o.next_attempt, o.id LIMIT 1 FOR UPDATE OF o SKIP LOCKED)
        RETURNING *;
END $$;
ALTER FUNCTION vsoc_outbox_claim(text[]) OWNER TO vsoc_owner;
REVOKE ALL ON FUNCTION vsoc_outbox_claim(text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION vsoc_outbox_claim(text[]) TO vsoc_analyst, vsoc_deliverer;

-- Whether this session's console delivers pages: only where an admin
-- made the analyst a deliverer (GRANT vsoc_deliverer TO alice), so which
-- consoles hold the channels' secrets and send is a decision, not an
-- accident of who opened one.
CREATE FUNCTION vsoc_console_delivers() RETURNS boolean LANGUAGE sql STABLE
SET search_path = public, pg_temp AS $$
    SELECT pg_has_role(session_user, 'vsoc_deliverer', 'MEMBER')
$$;
ALTER FUNCTION vsoc_console_delivers() OWNER TO vsoc_owner;
REVOKE ALL ON FUNCTION vsoc_console_delivers() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION vsoc_console_delivers() TO vsoc_viewer, vsoc_deliverer;
