-- Outbox sequencing after refusals (docs/protocol.md, section 6): a rejected message gives its
-- sequence number back and the channel's later messages are renumbered, so a number is unique
-- only among the messages of a channel that are not rejected. A channel whose partner disagrees
-- with this node's record of it is halted until an operator resumes it.

ALTER TABLE exchange_outbox DROP CONSTRAINT exchange_outbox_channel_seq_key;
CREATE UNIQUE INDEX exchange_outbox_channel_seq ON exchange_outbox (channel, seq) WHERE status <> 'rejected';

CREATE TABLE exchange_channel_halts (
    channel     TEXT PRIMARY KEY,
    message_id  UUID NOT NULL,
    code        TEXT NOT NULL,
    detail      TEXT NOT NULL,
    halted_at   TIMESTAMPTZ NOT NULL
);
