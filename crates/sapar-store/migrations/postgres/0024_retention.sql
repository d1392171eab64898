-- Art. 12.4: received payloads are destroyed when their retention period ends. The message log
-- takes a third kind of entry, `destroyed`, chaining the destruction with the message's hash.
-- Each destruction is also kept, append-only, with the rule applied.
ALTER TABLE exchange_log DROP CONSTRAINT exchange_log_direction_check;
ALTER TABLE exchange_log ADD CONSTRAINT exchange_log_direction_check
    CHECK (direction IN ('sent', 'received', 'destroyed'));

CREATE TABLE exchange_destructions (
    message_id    UUID PRIMARY KEY,
    case_id       UUID NOT NULL,
    channel       TEXT NOT NULL,
    seq           BIGINT NOT NULL,
    message_type  TEXT NOT NULL,
    received_at   TIMESTAMPTZ NOT NULL,
    destroyed_at  TIMESTAMPTZ NOT NULL,
    rule          TEXT NOT NULL,
    basis         TEXT NOT NULL,
    message_hash  TEXT NOT NULL
);
CREATE FUNCTION exchange_destructions_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the destruction record is append-only';
END;
$$;
CREATE TRIGGER exchange_destructions_no_change BEFORE UPDATE OR DELETE ON exchange_destructions
    FOR EACH ROW EXECUTE FUNCTION exchange_destructions_append_only();
CREATE TRIGGER exchange_destructions_no_truncate BEFORE TRUNCATE ON exchange_destructions
    FOR EACH STATEMENT EXECUTE FUNCTION exchange_destructions_append_only();
