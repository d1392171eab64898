-- The access log: one row per read of a person's data, append-only. Triggers refuse every change
-- and deletion, whoever asks.
CREATE TABLE access_log (
    id            BLOB PRIMARY KEY,
    at            INTEGER NOT NULL,
    actor         TEXT NOT NULL,
    role          TEXT NOT NULL,
    channel       TEXT NOT NULL CHECK (channel IN ('web', 'api', 'cli')),
    person_id     BLOB NOT NULL,
    view          TEXT NOT NULL,
    purpose       TEXT NOT NULL,
    purpose_note  TEXT,
    address       TEXT
);
CREATE INDEX access_log_at ON access_log (at);
CREATE INDEX access_log_actor ON access_log (actor, at);
CREATE INDEX access_log_person ON access_log (person_id, at);
CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log
BEGIN
    SELECT RAISE(ABORT, 'the access log is append-only');
END;
CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log
BEGIN
    SELECT RAISE(ABORT, 'the access log is append-only');
END;
