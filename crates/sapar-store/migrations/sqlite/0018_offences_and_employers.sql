-- Employers, work permits, and violations beyond overstay.
--
-- Employers are identified by their registration number (in Kazakhstan the 12-digit BIN); a work
-- permit may name the employer it binds the worker to; a violation may name the employer who
-- committed it (illegal foreign labour) or at whose premises it was found.
CREATE TABLE employers (
    id                   BLOB PRIMARY KEY,
    registration_number  TEXT NOT NULL UNIQUE,
    name                 TEXT NOT NULL,
    -- The name in lower case (Unicode), for finding employers by part of their name.
    name_folded          TEXT NOT NULL,
    region               TEXT NOT NULL,
    address              TEXT,
    recorded_by          TEXT NOT NULL,
    created_at           INTEGER NOT NULL
) WITHOUT ROWID;

-- Work permits join the permit kinds; SQLite cannot widen a CHECK in place, so the table is
-- rebuilt with its rows.
CREATE TABLE permits_with_work (
    id              BLOB PRIMARY KEY,
    person_id       BLOB NOT NULL REFERENCES persons (id),
    kind            TEXT NOT NULL
                    CHECK (kind IN ('temporary_residence', 'permanent_residence', 'long_stay_visa', 'work_permit')),
    purpose         TEXT CHECK (purpose IN ('work', 'family', 'study', 'business', 'humanitarian', 'other')),
    number          TEXT NOT NULL,
    valid_from      TEXT NOT NULL,
    valid_to        TEXT NOT NULL,
    issued_by       TEXT,
    recorded_by     TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    revoked_from    TEXT,
    revoked_by      TEXT,
    revoked_reason  TEXT,
    revoked_at      INTEGER,
    employer_id     BLOB REFERENCES employers (id),
    CHECK (valid_from <= valid_to),
    UNIQUE (kind, number)
) WITHOUT ROWID;
INSERT INTO permits_with_work
    (id, person_id, kind, purpose, number, valid_from, valid_to, issued_by, recorded_by, created_at,
     revoked_from, revoked_by, revoked_reason, revoked_at)
SELECT id, person_id, kind, purpose, number, valid_from, valid_to, issued_by, recorded_by, created_at,
       revoked_from, revoked_by, revoked_reason, revoked_at
FROM permits;
DROP TABLE permits;
ALTER TABLE permits_with_work RENAME TO permits;
CREATE INDEX permits_by_person ON permits (person_id);
CREATE INDEX permits_by_employer ON permits (employer_id) WHERE employer_id IS NOT NULL;

-- Violations of every kind. The kinds are rule data (sapar-register's `violation_kinds.toml`),
-- so the column is not a closed list here. An overstay found by the register keeps its stay
-- facts (all four or none); one an officer records carries the article, the fine and the
-- decision instead. A fine has its payment status: unpaid until paid (with day and reference).
CREATE TABLE violations_of_all_kinds (
    id              BLOB PRIMARY KEY,
    person_id       BLOB NOT NULL REFERENCES persons (id),
    kind            TEXT NOT NULL,
    stay_entry      TEXT,
    detected_on     TEXT NOT NULL,
    overstay_days   INTEGER CHECK (overstay_days > 0),
    last_legal_day  TEXT,
    rule_id         TEXT,
    status          TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'confirmed', 'dismissed')),
    created_at      INTEGER NOT NULL,
    decided_at      INTEGER,
    decided_by      TEXT,
    decision_note   TEXT,
    recorded_by     TEXT,
    article         TEXT,
    description     TEXT,
    employer_id     BLOB REFERENCES employers (id),
    decision_ref    TEXT,
    fine_amount     INTEGER CHECK (fine_amount >= 0),
    fine_unit       TEXT,
    paid_on         TEXT,
    payment_ref     TEXT,
    CHECK ((stay_entry IS NULL) = (overstay_days IS NULL) AND (stay_entry IS NULL) = (rule_id IS NULL)),
    CHECK (kind <> 'overstay' OR stay_entry IS NOT NULL OR recorded_by IS NOT NULL),
    CHECK ((fine_amount IS NULL) = (fine_unit IS NULL)),
    CHECK (paid_on IS NULL OR fine_amount IS NOT NULL),
    UNIQUE (person_id, kind, stay_entry)
) WITHOUT ROWID;
INSERT INTO violations_of_all_kinds
    (id, person_id, kind, stay_entry, detected_on, overstay_days, last_legal_day, rule_id, status,
     created_at, decided_at, decided_by, decision_note)
SELECT id, person_id, kind, stay_entry, detected_on, overstay_days, last_legal_day, rule_id, status,
       created_at, decided_at, decided_by, decision_note
FROM violations;
DROP TABLE violations;
ALTER TABLE violations_of_all_kinds RENAME TO violations;
CREATE INDEX violations_by_status ON violations (status, detected_on);
CREATE INDEX violations_by_person ON violations (person_id, detected_on);
CREATE INDEX violations_by_employer ON violations (employer_id, detected_on) WHERE employer_id IS NOT NULL;
