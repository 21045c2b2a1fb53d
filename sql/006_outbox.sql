-- 006_outbox.sql: on-call pages through the outbox (issue 8).
--
-- A page is a row written in the same transaction as the incident change
-- that causes it (core/outbox.c, outbox_enqueue), so it exists if and only
-- if the change does.  Deliverers (the console, `vsoc outbox deliver`) claim
-- one due row at a time with FOR UPDATE SKIP LOCKED, hold the row lock
-- while they send, and record the outcome through vsoc_outbox_result() in
-- the same transaction: two deliverers never hold the same row, and a row
-- whose outcome is recorded is never due again.  A deliverer that dies
-- mid-send rolls back, and the row is sent again later (at least once; the
-- channels deduplicate by the incident's key).
--
-- Who may deliver: an analyst (the console delivers as its analyst) or a
-- member of vsoc_deliverer, a group role with no other right than
-- claiming, recording outcomes and reading the outbox, for a service
-- account that runs `vsoc outbox deliver --follow` and is no analyst:
--
--   CREATE ROLE vsoc_pager LOGIN IN ROLE vsoc_deliverer;
--
-- Every outcome is one audit record whose actor is the deliverer's
-- session user.  Nothing secret is stored here: payloads hold the
-- contract's JSON without routing keys, tokens or webhook URLs, which the
-- deliverer adds from its own secrets when it sends.

DO $$ BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'vsoc_deliverer') THEN
        CREATE ROLE vsoc_deliverer NOLOGIN;
    END IF;
END $$;

ALTER TABLE outbox
    ADD COLUMN incident_id bigint REFERENCES incidents(id),
    ADD COLUMN action text NOT NULL DEFAULT 'trigger'
        CHECK (action IN ('trigger', 'acknowledge', 'resolve')),
    ADD COLUMN created_by integer REFERENCES analysts(id),
    ADD COLUMN last_code integer,
    ADD COLUMN sent_at timestamptz,
    ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now(),
    -- The transaction that claimed the row: only it may record the
    -- outcome, so nobody marks a page sent (or failed) without sending it.
    ADD COLUMN claimed_xact bigint;
ALTER TABLE outbox DROP CONSTRAINT outbox_status_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_status_check
    CHECK (status IN ('pending', 'sent', 'retrying', 'failed'));
-- Channel names are configuration names (core/channel.c checks the same).
ALTER TABLE outbox ADD CONSTRAINT outbox_channel_check
    CHECK (channel ~ '^[A-Za-z0-9_-]{1,32}$');
ALTER TABLE outbox ADD CONSTRAINT outbox_error_check
    CHECK (last_error IS NULL OR length(last_error) <= 1000);
ALTER TABLE outbox ADD CONSTRAINT outbox_payload_check
    CHECK (jsonb_typeof(payload) = 'object' AND octet_length(payload::text) <= 262144);

DROP INDEX outbox_pending_idx;
CREATE INDEX outbox_due_idx ON outbox (next_attempt, id)
    WHERE status IN ('pending', 'retrying');
CREATE INDEX outbox_incident_idx ON outbox (incident_id, id);
CREATE INDEX outbox_status_idx ON outbox (status, id);

-- A new row starts pending, due now, by the session's analyst: whatever
-- the client wrote in those columns.
CREATE FUNCTION outbox_insert_guard() RETURNS trigger LANGUAGE plpgsql
SET search_path = public, pg_temp AS $$
BEGIN
    NEW.status := 'pending';
    NEW.attempts := 0;
    NEW.next_attempt := now();
    NEW.last_error := NULL;
    NEW.last_code := NULL;
    NEW.sent_at := NULL;
    NEW.claimed_xact := NULL;
    NEW.created_at := now();
    NEW.updated_at := now();
    IF NOT vsoc_is_dba() THEN
        NEW.created_by := vsoc_actor_id();
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER outbox_insert_guard BEFORE INSERT ON outbox
    FOR EACH ROW EXECUTE FUNCTION outbox_insert_guard();
-- A page is part of an audited action, like any other change.
CREATE CONSTRAINT TRIGGER outbox_audited AFTER INSERT ON outbox
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION vsoc_require_audit();

-- Consoles show a page's state change live.
CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    PERFORM pg_notify('vsoc_outbox', lower(TG_OP) || ':' || NEW.id || ';' ||
        coalesce(NEW.incident_id::text, '') || ';' || NEW.status);
    RETURN NULL;
END $$;
CREATE TRIGGER outbox_notify AFTER INSERT OR UPDATE OF status ON outbox
    FOR EACH ROW EXECUTE FUNCTION outbox_notify();

-- The deliverer check: the DBA, a vsoc_deliverer member or an analyst.
CREATE FUNCTION vsoc_outbox_may_deliver() RETURNS void LANGUAGE plpgsql STABLE
SET search_path = public, pg_temp AS $$
BEGIN
    IF vsoc_is_dba() OR pg_has_role(session_user, 'vsoc_deliverer', 'USAGE') THEN
        RETURN;
    END IF;
    PERFORM vsoc_require('analyst', 'delivering pages');
END $$;

-- One due row of the given channels (those the caller can send to), locked
-- until the caller's transaction ends; none when every due row is taken.
CREATE FUNCTION vsoc_outbox_claim(p_channels text[]) RETURNS SETOF outbox
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    PERFORM vsoc_outbox_may_deliver();
    RETURN QUERY UPDATE outbox SET claimed_xact = txid_current()
        WHERE id = (SELECT id FROM outbox
            WHERE status IN ('pending', 'retrying') AND next_attempt <= clock_timestamp()
              AND channel = ANY (p_channels)
            ORDER BY next_attempt, id LIMIT 1 FOR UPDATE SKIP LOCKED)
        RETURNING *;
END $$;

-- Record one delivery attempt's outcome and its audit record.  p_delay is
-- the backoff the deliverer chose (core/backoff.c), counted from now.
CREATE FUNCTION vsoc_outbox_result(p_id bigint, p_state text, p_delay double precision,
    p_code integer, p_error text) RETURNS void LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp AS $$
DECLARE
    o record;
    nxt timestamptz;
BEGIN
    PERFORM vsoc_outbox_may_deliver();
    IF p_state IS NULL OR p_state NOT IN ('sent', 'retrying', 'failed') THEN
        RAISE EXCEPTION 'invalid outbox state %', p_state USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF p_state = 'retrying' AND (p_delay IS NULL OR p_delay < 0 OR p_delay > 86400) THEN
        RAISE EXCEPTION 'a retry needs a delay of 0 to 86400 seconds'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    SELECT * INTO o FROM outbox WHERE id = p_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'outbox message % not found', p_id USING ERRCODE = 'no_data_found';
    END IF;
    IF o.status NOT IN ('pending', 'retrying') THEN
        RAISE EXCEPTION 'outbox message % is already %', p_id, o.status
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    IF o.claimed_xact IS DISTINCT FROM txid_current() THEN
        RAISE EXCEPTION 'outbox message % was not claimed by this transaction', p_id
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'claim it with vsoc_outbox_claim() and send it first';
    END IF;
    nxt := CASE WHEN p_state = 'retrying'
                THEN clock_timestamp() + make_interval(secs => p_delay) ELSE o.next_attempt END;
    UPDATE outbox SET status = p_state, attempts = o.attempts + 1, next_attempt = nxt,
        last_code = p_code, last_error = left(p_error, 1000),
        sent_at = CASE WHEN p_state = 'sent' THEN clock_timestamp() END,
        updated_at = clock_timestamp()
        WHERE id = p_id;
    INSERT INTO audit_log (actor, action, object_kind, object_id, details, prev_hash, hash)
        VALUES ('', 'outbox.' || p_state, 'incident', o.incident_id, jsonb_build_object(
            'outbox', p_id, 'channel', o.channel, 'page', o.action,
            'attempt', o.attempts + 1, 'code', p_code, 'error', left(p_error, 1000),
            'before', jsonb_build_object('status', o.status),
            'after', jsonb_build_object('status', p_state,
                'next_attempt', CASE WHEN p_state = 'retrying' THEN audit_ts(nxt) END)),
            '', '');
END $$;

DO $$
DECLARE
    f text;
BEGIN
    FOREACH f IN ARRAY ARRAY['outbox_insert_guard()', 'outbox_notify()',
        'vsoc_outbox_may_deliver()', 'vsoc_outbox_claim(text[])',
        'vsoc_outbox_result(bigint, text, double precision, integer, text)']
    LOOP
        EXECUTE format('ALTER FUNCTION %s OWNER TO vsoc_owner', f);
        EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', f);
    END LOOP;
END $$;

GRANT EXECUTE ON FUNCTION outbox_insert_guard() TO vsoc_analyst;
GRANT EXECUTE ON FUNCTION vsoc_outbox_may_deliver(), vsoc_outbox_claim(text[]),
    vsoc_outbox_result(bigint, text, double precision, integer, text)
    TO vsoc_analyst, vsoc_deliverer;
-- What the deliverer needs besides: read the outbox (outbox list) and the
-- schema version (every vsoc command checks it); it reads nothing else.
GRANT SELECT ON outbox, schema_migrations TO vsoc_deliverer;
