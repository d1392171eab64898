-- The control register: persons included on a legal ground from a closed list by a decision, the
-- notices sent to them, their applications for removal and the decisions on those. An entry is
-- removed (departure, a legalising permit, the decision cancelled, an application granted) by
-- recording why and when; nothing is deleted (triggers refuse it), so every inclusion, removal,
-- application and decision stays readable.
CREATE TABLE control_entries (
    id              BLOB PRIMARY KEY,
    person_id       BLOB NOT NULL REFERENCES persons (id),
    ground          TEXT NOT NULL CHECK (ground IN ('illegal_entry', 'court_sentence', 'permit_expired_or_annulled',
                                                   'stay_shortened', 'deportation', 'readmission', 'expulsion',
                                                   'citizenship_lost', 'refugee_status_refused', 'entry_ban')),
    decision_ref    TEXT NOT NULL,
    decided_on      TEXT,
    basis           TEXT,
    decided_by      TEXT NOT NULL,
    included_at     INTEGER NOT NULL,
    removed_at      INTEGER,
    removal_reason  TEXT CHECK (removal_reason IN ('departure', 'legalised_status', 'decision_cancelled',
                                                   'application_granted')),
    removal_note    TEXT,
    removal_ref     BLOB,
    removed_by      TEXT,
    CHECK ((removed_at IS NULL) = (removal_reason IS NULL) AND (removed_at IS NULL) = (removed_by IS NULL))
) WITHOUT ROWID;
CREATE INDEX control_entries_by_person ON control_entries (person_id, removed_at);
CREATE INDEX control_entries_active ON control_entries (included_at) WHERE removed_at IS NULL;
CREATE TRIGGER control_entries_kept BEFORE DELETE ON control_entries
BEGIN
    SELECT RAISE(ABORT, 'control register entries are never deleted; remove one with a reason');
END;

CREATE TABLE control_notices (
    id           BLOB PRIMARY KEY,
    entry_id     BLOB NOT NULL REFERENCES control_entries (id),
    channel      TEXT NOT NULL CHECK (channel IN ('in_person', 'post', 'email', 'sms', 'consular')),
    sent_on      TEXT NOT NULL,
    recorded_by  TEXT NOT NULL,
    recorded_at  INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX control_notices_by_entry ON control_notices (entry_id, sent_on);
CREATE TRIGGER control_notices_kept BEFORE DELETE ON control_notices
BEGIN
    SELECT RAISE(ABORT, 'control register notices are never deleted');
END;

-- Documents are kept one per line (a document's name holds no line break).
CREATE TABLE removal_applications (
    id               BLOB PRIMARY KEY,
    entry_id         BLOB NOT NULL REFERENCES control_entries (id),
    applicant        TEXT NOT NULL CHECK (applicant IN ('person', 'representative', 'state')),
    applicant_name   TEXT NOT NULL,
    grounds          TEXT NOT NULL CHECK (grounds IN ('departure', 'legalised_status', 'decision_cancelled',
                                                      'court_ruling', 'error')),
    statement        TEXT NOT NULL,
    documents        TEXT NOT NULL,
    filed_by         TEXT NOT NULL,
    filed_at         INTEGER NOT NULL,
    filed_on         TEXT NOT NULL,
    due_on           TEXT NOT NULL,
    decision         TEXT CHECK (decision IN ('grant', 'deny')),
    reasons          TEXT,
    appeal_route     TEXT,
    decided_by       TEXT,
    decided_at       INTEGER,
    CHECK ((decision IS NULL) = (reasons IS NULL) AND (decision IS NULL) = (decided_at IS NULL)),
    CHECK (decision IS NOT 'deny' OR appeal_route IS NOT NULL)
) WITHOUT ROWID;
CREATE INDEX removal_applications_by_entry ON removal_applications (entry_id, filed_at);
CREATE INDEX removal_applications_by_due ON removal_applications (due_on, filed_at);
CREATE TRIGGER removal_applications_kept BEFORE DELETE ON removal_applications
BEGIN
    SELECT RAISE(ABORT, 'removal applications are never deleted');
END;
