-- Administrative expulsions, deportations and readmissions: the decision, and its execution (the
-- day the person left, the exit crossing when recorded) with the entry ban it implied. Nothing is
-- deleted (a trigger refuses it).
CREATE TABLE expulsions (
    id                BLOB PRIMARY KEY,
    person_id         BLOB NOT NULL REFERENCES persons (id),
    kind              TEXT NOT NULL CHECK (kind IN ('administrative_expulsion', 'deportation', 'readmission')),
    decided_on        TEXT NOT NULL,
    decision_ref      TEXT NOT NULL,
    basis             TEXT NOT NULL,
    leave_by          TEXT,
    recorded_by       TEXT NOT NULL,
    recorded_at       INTEGER NOT NULL,
    executed_on       TEXT,
    exit_crossing_id  BLOB,
    ban_id            BLOB REFERENCES entry_bans (id),
    executed_at       INTEGER,
    CHECK (leave_by IS NULL OR decided_on <= leave_by),
    CHECK ((executed_on IS NULL) = (executed_at IS NULL))
) WITHOUT ROWID;
CREATE INDEX expulsions_by_person ON expulsions (person_id, decided_on);
CREATE TRIGGER expulsions_kept BEFORE DELETE ON expulsions
BEGIN
    SELECT RAISE(ABORT, 'expulsions are never deleted');
END;
