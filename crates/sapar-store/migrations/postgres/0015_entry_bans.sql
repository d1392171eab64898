-- Entry bans: who may not enter from when until when, on which ground and legal basis, by whose
-- decision. A ban is lifted early only by a recorded decision with reasons; nothing is deleted
-- (a trigger refuses it), so the history of every ban stays readable.
CREATE TABLE entry_bans (
    id                 UUID PRIMARY KEY,
    person_id          UUID NOT NULL REFERENCES persons (id),
    starts_on          DATE NOT NULL,
    ends_on            DATE NOT NULL,
    ground             TEXT NOT NULL CHECK (ground IN ('expulsion', 'court_decision', 'administrative_decision',
                                                       'partner_notice', 'other')),
    basis              TEXT NOT NULL,
    decision_ref       TEXT NOT NULL,
    decided_by         TEXT,
    recorded_by        TEXT NOT NULL,
    recorded_at        TIMESTAMPTZ NOT NULL,
    lifted_from        DATE,
    lift_reason        TEXT,
    lift_decision_ref  TEXT,
    lifted_by          TEXT,
    lifted_at          TIMESTAMPTZ,
    CHECK (starts_on <= ends_on),
    CHECK ((lifted_from IS NULL) = (lift_reason IS NULL) AND (lifted_from IS NULL) = (lifted_at IS NULL))
);
CREATE INDEX entry_bans_by_person ON entry_bans (person_id, starts_on);

-- What happened to a person that a partner state may have to be told of (agreement arts. 6.2
-- and 9): a ban recorded or lifted, and later expulsions and the control register. The treaty
-- case desk turns them into notices; until then they show in the person's history. Kept forever.
CREATE TABLE person_events (
    id            UUID PRIMARY KEY,
    person_id     UUID NOT NULL REFERENCES persons (id),
    kind          TEXT NOT NULL,
    subject_id    UUID NOT NULL,
    citizenship   TEXT NOT NULL,
    at            TIMESTAMPTZ NOT NULL,
    actor         TEXT NOT NULL,
    summary       TEXT NOT NULL
);
CREATE INDEX person_events_by_person ON person_events (person_id, at);

CREATE FUNCTION never_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% rows are never deleted', TG_TABLE_NAME;
END;
$$;
CREATE TRIGGER entry_bans_kept BEFORE DELETE ON entry_bans FOR EACH ROW EXECUTE FUNCTION never_deleted();
CREATE TRIGGER entry_bans_not_truncated BEFORE TRUNCATE ON entry_bans FOR EACH STATEMENT EXECUTE FUNCTION never_deleted();
CREATE TRIGGER person_events_kept BEFORE DELETE ON person_events FOR EACH ROW EXECUTE FUNCTION never_deleted();
CREATE TRIGGER person_events_not_truncated BEFORE TRUNCATE ON person_events FOR EACH STATEMENT EXECUTE FUNCTION never_deleted();
