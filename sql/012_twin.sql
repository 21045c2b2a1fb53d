-- 012_twin.sql: the digital twin's storage (issue 9).
--
-- asset_state (001) holds each asset's state derived from its events by
-- core/twin*.c, written in the same transaction as each event
-- (core/twin_db.c).  Here: the snapshots that make "as of T" a replay of
-- at most TWIN_SNAPSHOT_EVERY events from the nearest snapshot at or
-- before T, never from the beginning; and the key that makes a re-sent
-- event (an OCPP MessageId, a Keycloak event id) a duplicate.
--
-- Writing events, states and snapshots stays with whoever writes events
-- today: the database's owner (the DBA; demo seed, the coming ingest).
-- No analyst role may write any of them; every role reads them.

-- The sender's own identity for an event, when it has one: the same key
-- from the same source for the same asset is the same event.
ALTER TABLE asset_events ADD COLUMN source_key text
    CHECK (source_key IS NULL OR length(source_key) BETWEEN 1 AND 200);
CREATE UNIQUE INDEX asset_events_source_key_idx ON asset_events (asset_id, source, source_key)
    WHERE source_key IS NOT NULL;

-- The state's position in the timeline: (as_of, event_id) of the last
-- folded event, so a late event is recognised without reading the state.
ALTER TABLE asset_state ADD COLUMN event_id bigint;

CREATE TABLE asset_snapshots (
    asset_id   bigint NOT NULL REFERENCES assets(id) ON DELETE CASCADE,
    as_of      timestamptz NOT NULL,
    event_id   bigint NOT NULL,
    state      jsonb NOT NULL,
    PRIMARY KEY (asset_id, as_of, event_id)
);

ALTER TABLE asset_snapshots OWNER TO vsoc_owner;
GRANT SELECT ON asset_snapshots TO vsoc_viewer;
