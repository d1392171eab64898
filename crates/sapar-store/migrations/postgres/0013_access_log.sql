-- The access log: one row per read of a person's data, append-only. A trigger refuses every
-- change, deletion and truncation, whoever asks.
CREATE TABLE access_log (
    id            UUID PRIMARY KEY,
    at            TIMESTAMPTZ NOT NULL,
    actor         TEXT NOT NULL,
    role          TEXT NOT NULL,
    channel       TEXT NOT NULL CHECK (channel IN ('web', 'api', 'cli')),
    person_id     UUID NOT NULL,
    view          TEXT NOT NULL,
    purpose       TEXT NOT NULL,
    purpose_note  TEXT,
    address       TEXT
);
CREATE INDEX access_log_at ON access_log (at);
CREATE INDEX access_log_actor ON access_log (actor, at);
CREATE INDEX access_log_person ON access_log (person_id, at);
CREATE FUNCTION access_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the access log is append-only';
END;
$$;
CREATE TRIGGER access_log_no_change BEFORE UPDATE OR DELETE ON access_log
    FOR EACH ROW EXECUTE FUNCTION access_log_append_only();
CREATE TRIGGER access_log_no_truncate BEFORE TRUNCATE ON access_log
    FOR EACH STATEMENT EXECUTE FUNCTION access_log_append_only();
