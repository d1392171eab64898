-- The treaty case desk. An outgoing message's case and type are kept beside its signed text, so
-- that a case's messages are found without opening every signature (rows queued before this
-- migration are labelled by the node when it starts). The inbox is looked up by case too. Every
-- officer's read of a case's messages is logged, append-only like the access log.
ALTER TABLE exchange_outbox ADD COLUMN case_id BLOB;
ALTER TABLE exchange_outbox ADD COLUMN message_type TEXT;
CREATE INDEX exchange_outbox_case ON exchange_outbox (case_id);
CREATE INDEX exchange_inbox_case ON exchange_inbox (case_id);

CREATE TABLE exchange_case_reads (
    id            BLOB PRIMARY KEY,
    at            INTEGER NOT NULL,
    actor         TEXT NOT NULL,
    role          TEXT NOT NULL,
    channel       TEXT NOT NULL CHECK (channel IN ('web', 'api', 'cli')),
    case_id       BLOB NOT NULL,
    purpose       TEXT NOT NULL,
    purpose_note  TEXT,
    address       TEXT
);
CREATE INDEX exchange_case_reads_case ON exchange_case_reads (case_id, at);
CREATE INDEX exchange_case_reads_at ON exchange_case_reads (at);
CREATE TRIGGER exchange_case_reads_no_update BEFORE UPDATE ON exchange_case_reads
BEGIN
    SELECT RAISE(ABORT, 'the case read log is append-only');
END;
CREATE TRIGGER exchange_case_reads_no_delete BEFORE DELETE ON exchange_case_reads
BEGIN
    SELECT RAISE(ABORT, 'the case read log is append-only');
END;
