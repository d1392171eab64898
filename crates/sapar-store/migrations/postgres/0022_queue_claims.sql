-- Claims on work-queue items: an officer claims an item before acting on it, so that two officers
-- never work the same one. One claim per item; the register decides when a claim lapses; a claim
-- is released by its holder and goes with the item's decision.
CREATE TABLE queue_claims (
    queue      TEXT NOT NULL CHECK (queue IN ('violations', 'review')),
    item_id    UUID NOT NULL,
    claimed_by TEXT NOT NULL,
    claimed_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (queue, item_id)
);
