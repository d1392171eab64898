-- Art. 12.4: received payloads are destroyed when their retention period ends. The message log
-- takes a third kind of entry, `destroyed`, chaining the destruction with the message's hash;
-- SQLite cannot change a CHECK in place, so the log (and the checkpoints that refer to it) are
-- rebuilt with their rows. Each destruction is also kept, append-only, with the rule applied.
CREATE TABLE exchange_log_v2 (
    idx              INTEGER PRIMARY KEY CHECK (idx >= 0),
    prev_entry_hash  TEXT,
    at               INTEGER NOT NULL,
    direction        TEXT NOT NULL CHECK (direction IN ('sent', 'received', 'destroyed')),
    channel          TEXT NOT NULL,
    seq              INTEGER NOT NULL,
    message_id       TEXT NOT NULL,
    message_hash     TEXT NOT NULL,
    entry_hash       TEXT NOT NULL
);
INSERT INTO exchange_log_v2 SELECT idx, prev_entry_hash, at, direction, channel, seq, message_id, message_hash,
    entry_hash FROM exchange_log;
CREATE TABLE exchange_checkpoints_v2 (
    idx  INTEGER PRIMARY KEY REFERENCES exchange_log_v2 (idx),
    jws  TEXT NOT NULL,
    at   INTEGER NOT NULL
);
INSERT INTO exchange_checkpoints_v2 SELECT idx, jws, at FROM exchange_checkpoints;
DROP TABLE exchange_checkpoints;
DROP TABLE exchange_log;
ALTER TABLE exchange_log_v2 RENAME TO exchange_log;
ALTER TABLE exchange_checkpoints_v2 RENAME TO exchange_checkpoints;

CREATE TABLE exchange_destructions (
    message_id    BLOB PRIMARY KEY,
    case_id       BLOB NOT NULL,
    channel       TEXT NOT NULL,
    seq           INTEGER NOT NULL,
    message_type  TEXT NOT NULL,
    received_at   INTEGER NOT NULL,
    destroyed_at  INTEGER NOT NULL,
    rule          TEXT NOT NULL,
    basis         TEXT NOT NULL,
    message_hash  TEXT NOT NULL
);
CREATE TRIGGER exchange_destructions_no_update BEFORE UPDATE ON exchange_destructions
BEGIN
    SELECT RAISE(ABORT, 'the destruction record is append-only');
END;
CREATE TRIGGER exchange_destructions_no_delete BEFORE DELETE ON exchange_destructions
BEGIN
    SELECT RAISE(ABORT, 'the destruction record is append-only');
END;
