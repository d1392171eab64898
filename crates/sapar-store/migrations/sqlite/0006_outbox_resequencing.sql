-- Outbox sequencing after refusals (docs/protocol.md, section 6): a rejected message gives its
-- sequence number back and the channel's later messages are renumbered, so a number is unique
-- only among the messages of a channel that are not rejected. SQLite cannot drop a table
-- constraint, so the outbox is rebuilt without UNIQUE (channel, seq) and gets a partial index.
-- A channel whose partner disagrees with this node's record of it is halted until an operator
-- resumes it.

CREATE TABLE exchange_outbox_resequenced (
    message_id       TEXT PRIMARY KEY,
    channel          TEXT NOT NULL,
    seq              INTEGER NOT NULL CHECK (seq > 0),
    prev_hash        TEXT,
    message_hash     TEXT NOT NULL,
    jws              TEXT NOT NULL,
    status           TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'rejected')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  INTEGER NOT NULL,
    last_error       TEXT,
    receipt          TEXT,
    created_at       INTEGER NOT NULL
);
INSERT INTO exchange_outbox_resequenced (message_id, channel, seq, prev_hash, message_hash, jws, status, attempts,
    next_attempt_at, last_error, receipt, created_at)
SELECT message_id, channel, seq, prev_hash, message_hash, jws, status, attempts, next_attempt_at, last_error, receipt,
    created_at
FROM exchange_outbox;
DROP TABLE exchange_outbox;
ALTER TABLE exchange_outbox_resequenced RENAME TO exchange_outbox;
CREATE UNIQUE INDEX exchange_outbox_channel_seq ON exchange_outbox (channel, seq) WHERE status <> 'rejected';
CREATE INDEX exchange_outbox_pending ON exchange_outbox (channel, seq) WHERE status = 'pending';

CREATE TABLE exchange_channel_halts (
    channel     TEXT PRIMARY KEY,
    message_id  TEXT NOT NULL,
    code        TEXT NOT NULL,
    detail      TEXT NOT NULL,
    halted_at   INTEGER NOT NULL
);
