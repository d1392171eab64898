-- Violations found by the register's checks: overstay drafts from the daily sweep, confirmed or
-- dismissed by an officer. One row per person, kind and detection date, so a sweep run twice for
-- the same date records nothing new.

CREATE TABLE violations (
    id              BLOB PRIMARY KEY,
    person_id       BLOB NOT NULL REFERENCES persons (id),
    kind            TEXT NOT NULL CHECK (kind IN ('overstay')),
    detected_on     TEXT NOT NULL,
    overstay_days   INTEGER NOT NULL CHECK (overstay_days > 0),
    last_legal_day  TEXT,
    rule_id         TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'confirmed', 'dismissed')),
    created_at      INTEGER NOT NULL,
    UNIQUE (person_id, kind, detected_on)
) WITHOUT ROWID;
