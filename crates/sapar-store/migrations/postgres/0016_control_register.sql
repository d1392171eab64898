-- The control register: persons included on a legal ground from a closed list by a decision, the
-- notices sent to them, their applications for removal and the decisions on those. An entry is
-- removed (departure, a legalising permit, the decision cancelled, an application granted) by
-- recording why and when; nothing is deleted (triggers refuse it, with never_deleted() of migration 15), so every inclusion, removal,
-- application and decision stays readable.
CREATE TABLE control_entries (
    id              UUID PRIMARY KEY,
    person_id       UUID NOT NULL REFERENCES persons (id),
    ground          TEXT NOT NULL CHECK (ground IN ('illegal_entry', 'court_sentence', 'permit_expired_or_annulled',
                                                   'stay_shortened', 'deportation', 'readmission', 'expulsion',
                                                   'citizenship_lost', 'refugee_status_refused', 'entry_ban')),
    decision_ref    TEXT NOT NULL,
    decided_on      DATE,
    basis           TEXT,
    decided_by      TEXT NOT NULL,
    included_at     TIMESTAMPTZ NOT NULL,
    removed_at      TIMESTAMPTZ,
    removal_reason  TEXT CHECK (removal_reason IN ('departure', 'legalised_status', 'decision_cancelled',
                                                   'application_granted')),
    removal_note    TEXT,
    removal_ref     UUID,
    removed_by      TEXT,
    CHECK ((removed_at IS NULL) = (removal_reason IS NULL) AND (removed_at IS NULL) = (removed_by IS NULL))
);
CREATE INDEX control_entries_by_person ON control_entries (person_id, removed_at);
CREATE INDEX control_entries_active ON control_entries (included_at) WHERE removed_at IS NULL;
CREATE TRIGGER control_entries_kept BEFORE DELETE ON control_entries FOR EACH ROW EXECUTE FUNCTION never_deleted();
CREATE TRIGGER control_entries_not_truncated BEFORE TRUNCATE ON control_entries FOR EACH STATEMENT EXECUTE FUNCTION never_deleted();

CREATE TABLE control_notices (
    id           UUID PRIMARY KEY,
    entry_id     UUID NOT NULL REFERENCES control_entries (id),
    channel      TEXT NOT NULL CHECK (channel IN ('in_person', 'post', 'email', 'sms', 'consular')),
    sent_on      DATE NOT NULL,
    recorded_by  TEXT NOT NULL,
    recorded_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX control_notices_by_entry ON control_notices (entry_id, sent_on);
CREATE TRIGGER control_notices_kept BEFORE DELETE ON control_notices FOR EACH ROW EXECUTE FUNCTION never_deleted();
CREATE TRIGGER control_notices_not_truncated BEFORE TRUNCATE ON control_notices FOR EACH STATEMENT EXECUTE FUNCTION never_deleted();

-- Documents are kept one per line (a document's name holds no line break).
CREATE TABLE removal_applications (
    id               UUID PRIMARY KEY,
    entry_id         UUID NOT NULL REFERENCES control_entries (id),
    applicant        TEXT NOT NULL CHECK (applicant IN ('person', 'representative', 'state')),
    applicant_name   TEXT NOT NULL,
    grounds          TEXT NOT NULL CHECK (grounds IN ('departure', 'legalised_status', 'decision_cancelled',
                                                      'court_ruling', 'error')),
    statement        TEXT NOT NULL,
    documents        TEXT NOT NULL,
    filed_by         TEXT NOT NULL,
    filed_at         TIMESTAMPTZ NOT NULL,
    filed_on         DATE NOT NULL,
    due_on           DATE NOT NULL,
    decision         TEXT CHECK (decision IN ('grant', 'deny')),
    reasons          TEXT,
    appeal_route     TEXT,
    decided_by       TEXT,
    decided_at       TIMESTAMPTZ,
    CHECK ((decision IS NULL) = (reasons IS NULL) AND (decision IS NULL) = (decided_at IS NULL)),
    CHECK (decision IS DISTINCT FROM 'deny' OR appeal_route IS NOT NULL)
);
CREATE INDEX removal_applications_by_entry ON removal_applications (entry_id, filed_at);
CREATE INDEX removal_applications_by_due ON removal_applications (due_on, filed_at);
CREATE TRIGGER removal_applications_kept BEFORE DELETE ON removal_applications FOR EACH ROW EXECUTE FUNCTION never_deleted();
CREATE TRIGGER removal_applications_not_truncated BEFORE TRUNCATE ON removal_applications FOR EACH STATEMENT EXECUTE FUNCTION never_deleted();
