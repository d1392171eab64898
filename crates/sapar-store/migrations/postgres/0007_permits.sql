-- Residence permits and long-stay visas held by persons in the register. Their days do not count
-- toward short-stay limits (docs/stay-rules.md), so the stay answers and the overstayer sweep
-- read them. A permit is never deleted: revoking it records the first day it no longer covers.
CREATE TABLE permits (
    id              UUID PRIMARY KEY,
    person_id       UUID NOT NULL REFERENCES persons (id),
    kind            TEXT NOT NULL CHECK (kind IN ('temporary_residence', 'permanent_residence', 'long_stay_visa')),
    purpose         TEXT CHECK (purpose IN ('work', 'family', 'study', 'business', 'humanitarian', 'other')),
    number          TEXT NOT NULL,
    valid_from      DATE NOT NULL,
    valid_to        DATE NOT NULL,
    issued_by       TEXT,
    recorded_by     TEXT NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    revoked_from    DATE,
    revoked_by      TEXT,
    revoked_reason  TEXT,
    revoked_at      TIMESTAMPTZ,
    CHECK (valid_from <= valid_to),
    UNIQUE (kind, number)
);
CREATE INDEX permits_by_person ON permits (person_id);
-- The periods a person's permits cover together, revocations applied: derived data kept in step
-- whenever a permit is recorded, revoked or moved by a merge, so the overstayer sweep reads it
-- with the stay history in one row (encoding: src/permits.rs). NULL: no permit covers any day.
ALTER TABLE persons ADD COLUMN permit_periods BYTEA;

-- An officer's decision on a violation the sweep drafted: who, when and why.
ALTER TABLE violations ADD COLUMN decided_at TIMESTAMPTZ;
ALTER TABLE violations ADD COLUMN decided_by TEXT;
ALTER TABLE violations ADD COLUMN decision_note TEXT;
-- The officers' queue: violations of one status, oldest detection first.
CREATE INDEX violations_by_status ON violations (status, detected_on, id);
