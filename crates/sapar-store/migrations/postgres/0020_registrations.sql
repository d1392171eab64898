-- Registration of foreigners at their place of stay: one row per notification, filed by the
-- receiving party (a private host, a legal entity — hotel, landlord, employer — or the migrant),
-- with the address, the period, who filed it and how, the deadline the stay rules set for the
-- arrival it is for and, when it came late, the failure-to-register violation it drafted.
-- A registration is never deleted: an address change supersedes it, an exit or a deregistration
-- ends it, an extension moves its end; each change is a row of `registration_events`.
CREATE TABLE registrations (
    id                   UUID PRIMARY KEY,
    person_id            UUID NOT NULL REFERENCES persons (id),
    -- The arrival it is for: the day of the entry and, when known, that crossing.
    arrival_on           DATE NOT NULL,
    arrival_crossing_id  UUID,
    region               TEXT NOT NULL,
    locality             TEXT NOT NULL,
    street               TEXT,
    building             TEXT,
    flat                 TEXT,
    valid_from           DATE NOT NULL,
    valid_until          DATE NOT NULL,
    party_kind           TEXT NOT NULL CHECK (party_kind IN ('private_person', 'legal_entity', 'migrant')),
    party_name           TEXT NOT NULL,
    -- A private host's identity document number, a legal entity's registration number (BIN).
    party_identity       TEXT,
    employer_id          UUID REFERENCES employers (id),
    filed_by             TEXT NOT NULL,
    channel              TEXT NOT NULL CHECK (channel IN ('desk', 'api', 'web', 'self')),
    filed_on             DATE NOT NULL,
    filed_at             TIMESTAMPTZ NOT NULL,
    state                TEXT NOT NULL
                         CHECK (state IN ('submitted', 'accepted', 'refused', 'superseded', 'ended')),
    -- A refusal's reason and legal basis.
    state_reason         TEXT,
    legal_basis          TEXT,
    superseded_by        UUID,
    ended_on             DATE,
    end_reason           TEXT CHECK (end_reason IN ('exit', 'deregistered')),
    -- The last day to register on time for the arrival, the rule that sets it and whom it names.
    due_on               DATE,
    rule_id              TEXT,
    liable               TEXT CHECK (liable IN ('receiving_party', 'migrant')),
    violation_id         UUID REFERENCES violations (id),
    changed_at           TIMESTAMPTZ NOT NULL,
    CHECK (valid_from <= valid_until),
    CHECK ((state = 'ended') = (ended_on IS NOT NULL) AND (ended_on IS NULL) = (end_reason IS NULL)),
    CHECK ((state = 'superseded') = (superseded_by IS NOT NULL)),
    CHECK ((due_on IS NULL) = (rule_id IS NULL) AND (due_on IS NULL) = (liable IS NULL)),
    CHECK (party_kind = 'migrant' OR party_identity IS NOT NULL)
);
CREATE INDEX registrations_by_person ON registrations (person_id, filed_at);
-- At most one registration of a person is in force.
CREATE UNIQUE INDEX registrations_one_active ON registrations (person_id) WHERE state IN ('submitted', 'accepted');
CREATE TRIGGER registrations_kept BEFORE DELETE ON registrations FOR EACH ROW EXECUTE FUNCTION never_deleted();
CREATE TRIGGER registrations_not_truncated BEFORE TRUNCATE ON registrations FOR EACH STATEMENT EXECUTE FUNCTION never_deleted();

-- What happened to a registration: filed, extended (the end before and after), superseded by an
-- address change, ended (the day and the reason).
CREATE TABLE registration_events (
    id               UUID PRIMARY KEY,
    registration_id  UUID NOT NULL REFERENCES registrations (id),
    kind             TEXT NOT NULL CHECK (kind IN ('filed', 'extended', 'superseded', 'ended')),
    day              DATE NOT NULL,
    until_before     DATE,
    until_after      DATE,
    reason           TEXT,
    recorded_by      TEXT NOT NULL,
    recorded_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX registration_events_by_registration ON registration_events (registration_id, recorded_at);
CREATE TRIGGER registration_events_kept BEFORE DELETE ON registration_events FOR EACH ROW EXECUTE FUNCTION never_deleted();
CREATE TRIGGER registration_events_not_truncated BEFORE TRUNCATE ON registration_events FOR EACH STATEMENT EXECUTE FUNCTION never_deleted();

-- One failure-to-register violation per arrival: a late filing or the nightly sweep drafts it,
-- whichever comes first; the key keeps the other from drafting a second.
CREATE TABLE registration_failures (
    person_id     UUID NOT NULL REFERENCES persons (id),
    arrival_on    DATE NOT NULL,
    violation_id  UUID NOT NULL,
    due_on        DATE NOT NULL,
    liable        TEXT NOT NULL CHECK (liable IN ('receiving_party', 'migrant')),
    recorded_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (person_id, arrival_on)
);
CREATE TRIGGER registration_failures_kept BEFORE DELETE ON registration_failures FOR EACH ROW EXECUTE FUNCTION never_deleted();
CREATE TRIGGER registration_failures_not_truncated BEFORE TRUNCATE ON registration_failures FOR EACH STATEMENT EXECUTE FUNCTION never_deleted();

-- Hosts, hotels and employers file registrations with accounts of their own: the role `host`.
ALTER TABLE api_tokens DROP CONSTRAINT api_tokens_role_check;
ALTER TABLE api_tokens ADD CONSTRAINT api_tokens_role_check
    CHECK (role IN ('border', 'officer', 'exchange', 'signatory', 'analyst', 'auditor', 'admin', 'host'));
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check
    CHECK (role IN ('border', 'officer', 'exchange', 'signatory', 'analyst', 'auditor', 'admin', 'host'));
