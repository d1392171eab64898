-- Registration of foreigners at their place of stay: one row per notification, filed by the
-- receiving party (a private host, a legal entity — hotel, landlord, employer — or the migrant),
-- with the address, the period, who filed it and how, the deadline the stay rules set for the
-- arrival it is for and, when it came late, the failure-to-register violation it drafted.
-- A registration is never deleted: an address change supersedes it, an exit or a deregistration
-- ends it, an extension moves its end; each change is a row of `registration_events`.
CREATE TABLE registrations (
    id                   BLOB PRIMARY KEY,
    person_id            BLOB NOT NULL REFERENCES persons (id),
    -- The arrival it is for: the day of the entry and, when known, that crossing.
    arrival_on           TEXT NOT NULL,
    arrival_crossing_id  BLOB,
    region               TEXT NOT NULL,
    locality             TEXT NOT NULL,
    street               TEXT,
    building             TEXT,
    flat                 TEXT,
    valid_from           TEXT NOT NULL,
    valid_until          TEXT NOT NULL,
    party_kind           TEXT NOT NULL CHECK (party_kind IN ('private_person', 'legal_entity', 'migrant')),
    party_name           TEXT NOT NULL,
    -- A private host's identity document number, a legal entity's registration number (BIN).
    party_identity       TEXT,
    employer_id          BLOB REFERENCES employers (id),
    filed_by             TEXT NOT NULL,
    channel              TEXT NOT NULL CHECK (channel IN ('desk', 'api', 'web', 'self')),
    filed_on             TEXT NOT NULL,
    filed_at             INTEGER NOT NULL,
    state                TEXT NOT NULL
                         CHECK (state IN ('submitted', 'accepted', 'refused', 'superseded', 'ended')),
    -- A refusal's reason and legal basis.
    state_reason         TEXT,
    legal_basis          TEXT,
    superseded_by        BLOB,
    ended_on             TEXT,
    end_reason           TEXT CHECK (end_reason IN ('exit', 'deregistered')),
    -- The last day to register on time for the arrival, the rule that sets it and whom it names.
    due_on               TEXT,
    rule_id              TEXT,
    liable               TEXT CHECK (liable IN ('receiving_party', 'migrant')),
    violation_id         BLOB REFERENCES violations (id),
    changed_at           INTEGER NOT NULL,
    CHECK (valid_from <= valid_until),
    CHECK ((state = 'ended') = (ended_on IS NOT NULL) AND (ended_on IS NULL) = (end_reason IS NULL)),
    CHECK ((state = 'superseded') = (superseded_by IS NOT NULL)),
    CHECK ((due_on IS NULL) = (rule_id IS NULL) AND (due_on IS NULL) = (liable IS NULL)),
    CHECK (party_kind = 'migrant' OR party_identity IS NOT NULL)
) WITHOUT ROWID;
CREATE INDEX registrations_by_person ON registrations (person_id, filed_at);
-- At most one registration of a person is in force.
CREATE UNIQUE INDEX registrations_one_active ON registrations (person_id) WHERE state IN ('submitted', 'accepted');
CREATE TRIGGER registrations_kept BEFORE DELETE ON registrations
BEGIN
    SELECT RAISE(ABORT, 'registrations are never deleted; end one with a reason');
END;

-- What happened to a registration: filed, extended (the end before and after), superseded by an
-- address change, ended (the day and the reason).
CREATE TABLE registration_events (
    id               BLOB PRIMARY KEY,
    registration_id  BLOB NOT NULL REFERENCES registrations (id),
    kind             TEXT NOT NULL CHECK (kind IN ('filed', 'extended', 'superseded', 'ended')),
    day              TEXT NOT NULL,
    until_before     TEXT,
    until_after      TEXT,
    reason           TEXT,
    recorded_by      TEXT NOT NULL,
    recorded_at      INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX registration_events_by_registration ON registration_events (registration_id, recorded_at);
CREATE TRIGGER registration_events_kept BEFORE DELETE ON registration_events
BEGIN
    SELECT RAISE(ABORT, 'registration events are never deleted');
END;

-- One failure-to-register violation per arrival: a late filing or the nightly sweep drafts it,
-- whichever comes first; the key keeps the other from drafting a second.
CREATE TABLE registration_failures (
    person_id     BLOB NOT NULL REFERENCES persons (id),
    arrival_on    TEXT NOT NULL,
    violation_id  BLOB NOT NULL,
    due_on        TEXT NOT NULL,
    liable        TEXT NOT NULL CHECK (liable IN ('receiving_party', 'migrant')),
    recorded_at   INTEGER NOT NULL,
    PRIMARY KEY (person_id, arrival_on)
) WITHOUT ROWID;
CREATE TRIGGER registration_failures_kept BEFORE DELETE ON registration_failures
BEGIN
    SELECT RAISE(ABORT, 'registration failures are never deleted');
END;

-- Hosts, hotels and employers file registrations with accounts of their own: the role `host`.
-- SQLite cannot widen a CHECK in place, so the token and user tables are rebuilt with their rows
-- (and the sessions, which refer to the users).
CREATE TABLE api_tokens_new (
    id          BLOB PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    role        TEXT NOT NULL
                CHECK (role IN ('border', 'officer', 'exchange', 'signatory', 'analyst', 'auditor', 'admin', 'host')),
    token_hash  BLOB NOT NULL UNIQUE,
    created_at  INTEGER NOT NULL,
    revoked_at  INTEGER,
    expires_at  INTEGER
);
INSERT INTO api_tokens_new (id, name, role, token_hash, created_at, revoked_at, expires_at)
    SELECT id, name, role, token_hash, created_at, revoked_at, expires_at FROM api_tokens;
DROP TABLE api_tokens;
ALTER TABLE api_tokens_new RENAME TO api_tokens;

ALTER TABLE users RENAME TO users_before_hosts;
CREATE TABLE users (
    id              BLOB PRIMARY KEY,
    name            TEXT NOT NULL UNIQUE,
    role            TEXT NOT NULL
                    CHECK (role IN ('border', 'officer', 'exchange', 'signatory', 'analyst', 'auditor', 'admin', 'host')),
    password_hash   TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    created_by      TEXT NOT NULL,
    disabled_at     INTEGER,
    disabled_by     TEXT
) WITHOUT ROWID;
INSERT INTO users SELECT id, name, role, password_hash, created_at, created_by, disabled_at, disabled_by
    FROM users_before_hosts;
-- The rename pointed the sessions at the old table: they are rebuilt to point at the new one.
CREATE TABLE web_sessions_new (
    id              BLOB PRIMARY KEY,
    secret_hash     BLOB NOT NULL UNIQUE,
    user_id         BLOB NOT NULL REFERENCES users (id),
    csrf_token      TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    last_seen_at    INTEGER NOT NULL,
    ended_at        INTEGER,
    ended_why       TEXT CHECK (ended_why IN ('logout', 'idle', 'disabled')),
    address         TEXT,
    CHECK ((ended_at IS NULL) = (ended_why IS NULL))
);
INSERT INTO web_sessions_new (id, secret_hash, user_id, csrf_token, created_at, last_seen_at, ended_at, ended_why,
        address)
    SELECT id, secret_hash, user_id, csrf_token, created_at, last_seen_at, ended_at, ended_why, address
    FROM web_sessions;
DROP TABLE web_sessions;
ALTER TABLE web_sessions_new RENAME TO web_sessions;
CREATE INDEX web_sessions_open_by_user ON web_sessions (user_id) WHERE ended_at IS NULL;
DROP TABLE users_before_hosts;
