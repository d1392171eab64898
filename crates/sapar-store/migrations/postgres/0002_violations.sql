-- Violations found by the register's checks: overstay drafts from the daily sweep, confirmed or
-- dismissed by an officer. One row per person, kind and detection date, so a sweep run twice for
-- the same date records nothing new.

CREATE TABLE violations (
    id              UUID PRIMARY KEY,
    person_id       UUID NOT NULL REFERENCES persons (id),
    kind            TEXT NOT NULL CHECK (kind IN ('overstay')),
    detected_on     DATE NOT NULL,
    overstay_days   INTEGER NOT NULL CHECK (overstay_days > 0),
    last_legal_day  DATE,
    rule_id         TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'confirmed', 'dismissed')),
    created_at      TIMESTAMPTZ NOT NULL,
    UNIQUE (person_id, kind, detected_on)
);
