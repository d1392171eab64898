-- Entry bans: who may not enter from when until when, on which ground and legal basis, by whose
-- decision. A ban is lifted early only by a recorded decision with reasons; nothing is deleted
-- (a trigger refuses it), so the history of every ban stays readable.
CREATE TABLE entry_bans (
    id                 BLOB PRIMARY KEY,
    person_id          BLOB NOT NULL REFERENCES persons (id),
    starts_on          TEXT NOT NULL,
    ends_on            TEXT NOT NULL,
    ground             TEXT NOT NULL CHECK (ground IN ('expulsion', 'court_decision', 'administrative_decision',
                                                       'partner_notice', 'other')),
    basis              TEXT NOT NULL,
    decision_ref       TEXT NOT NULL,
    decided_by         TEXT,
    recorded_by        TEXT NOT NULL,
    recorded_at        INTEGER NOT NULL,
    lifted_from        TEXT,
    lift_reason        TEXT,
    lift_decision_ref  TEXT,
    lifted_by          TEXT,
    lifted_at          INTEGER,
    CHECK (starts_on <= ends_on),
    CHECK ((lifted_from IS NULL) = (lift_reason IS NULL) AND (lifted_from IS NULL) = (lifted_at IS NULL))
) WITHOUT ROWID;
CREATE INDEX entry_bans_by_person ON entry_bans (person_id, starts_on);
CREATE TRIGGER entry_bans_kept BEFORE DELETE ON entry_bans
BEGIN
    SELECT RAISE(ABORT, 'entry bans are never deleted; lift one with a decision');
END;

-- What happened to a person that a partner state may have to be told of (agreement arts. 6.2
-- and 9): a ban recorded or lifted, and later expulsions and the control register. The treaty
-- case desk turns them into notices; until then they show in the person's history. Kept forever.
CREATE TABLE person_events (
    id            BLOB PRIMARY KEY,
    person_id     BLOB NOT NULL REFERENCES persons (id),
    kind          TEXT NOT NULL,
    subject_id    BLOB NOT NULL,
    citizenship   TEXT NOT NULL,
    at            INTEGER NOT NULL,
    actor         TEXT NOT NULL,
    summary       TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX person_events_by_person ON person_events (person_id, at);
CREATE TRIGGER person_events_kept BEFORE DELETE ON person_events
BEGIN
    SELECT RAISE(ABORT, 'person events are never deleted');
END;
