-- Administrative expulsions, deportations and readmissions: the decision, and its execution (the
-- day the person left, the exit crossing when recorded) with the entry ban it implied. Nothing is
-- deleted (a trigger refuses it).
CREATE TABLE expulsions (
    id                UUID PRIMARY KEY,
    person_id         UUID NOT NULL REFERENCES persons (id),
    kind              TEXT NOT NULL CHECK (kind IN ('administrative_expulsion', 'deportation', 'readmission')),
    decided_on        DATE NOT NULL,
    decision_ref      TEXT NOT NULL,
    basis             TEXT NOT NULL,
    leave_by          DATE,
    recorded_by       TEXT NOT NULL,
    recorded_at       TIMESTAMPTZ NOT NULL,
    executed_on       DATE,
    exit_crossing_id  UUID,
    ban_id            UUID REFERENCES entry_bans (id),
    executed_at       TIMESTAMPTZ,
    CHECK (leave_by IS NULL OR decided_on <= leave_by),
    CHECK ((executed_on IS NULL) = (executed_at IS NULL))
);
CREATE INDEX expulsions_by_person ON expulsions (person_id, decided_on);
CREATE TRIGGER expulsions_kept BEFORE DELETE ON expulsions FOR EACH ROW EXECUTE FUNCTION never_deleted();
CREATE TRIGGER expulsions_not_truncated BEFORE TRUNCATE ON expulsions FOR EACH STATEMENT EXECUTE FUNCTION never_deleted();
