-- Treaty exchange: received messages (inbox), messages to send (outbox), the last message of each
-- channel and direction, cases, and the hash-chained message log with its signed checkpoints.
-- Times are TIMESTAMPTZ; hashes are lower-case hex SHA-256.

CREATE TABLE exchange_inbox (
    message_id              UUID PRIMARY KEY,
    message_hash            TEXT NOT NULL,
    channel                 TEXT NOT NULL,
    seq                     BIGINT NOT NULL CHECK (seq > 0),
    case_id                 UUID NOT NULL,
    agreement               TEXT NOT NULL,
    from_authority          TEXT NOT NULL,
    to_authority            TEXT NOT NULL,
    message_type            TEXT NOT NULL,
    created_at             TIMESTAMPTZ NOT NULL,
    received_at            TIMESTAMPTZ NOT NULL,
    signer                  TEXT NOT NULL,
    signatory_list_version  BIGINT NOT NULL,
    sealed_payload          TEXT,
    receipt                 TEXT NOT NULL,
    UNIQUE (channel, seq)
);

CREATE TABLE exchange_outbox (
    message_id       UUID PRIMARY KEY,
    channel          TEXT NOT NULL,
    seq              BIGINT NOT NULL CHECK (seq > 0),
    prev_hash        TEXT,
    message_hash     TEXT NOT NULL,
    jws              TEXT NOT NULL,
    status           TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'rejected')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL,
    last_error       TEXT,
    receipt          TEXT,
    created_at      TIMESTAMPTZ NOT NULL,
    UNIQUE (channel, seq)
);
CREATE INDEX exchange_outbox_pending ON exchange_outbox (channel, seq) WHERE status = 'pending';

CREATE TABLE exchange_channel_heads (
    channel    TEXT NOT NULL,
    direction  TEXT NOT NULL CHECK (direction IN ('sent', 'received')),
    seq        BIGINT NOT NULL,
    hash       TEXT NOT NULL,
    PRIMARY KEY (channel, direction)
);

CREATE TABLE exchange_cases (
    case_id    UUID PRIMARY KEY,
    agreement  TEXT NOT NULL,
    opened_by  TEXT NOT NULL,
    state      TEXT NOT NULL
);

CREATE TABLE exchange_log (
    idx              BIGINT PRIMARY KEY CHECK (idx >= 0),
    prev_entry_hash  TEXT,
    at              TIMESTAMPTZ NOT NULL,
    direction        TEXT NOT NULL CHECK (direction IN ('sent', 'received')),
    channel          TEXT NOT NULL,
    seq              BIGINT NOT NULL,
    message_id       UUID NOT NULL,
    message_hash     TEXT NOT NULL,
    entry_hash       TEXT NOT NULL
);

CREATE TABLE exchange_checkpoints (
    idx  BIGINT PRIMARY KEY REFERENCES exchange_log (idx),
    jws  TEXT NOT NULL,
    at  TIMESTAMPTZ NOT NULL
);
