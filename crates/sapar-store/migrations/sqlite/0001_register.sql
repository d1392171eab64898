-- Register core: persons, their documents, border crossings, daily counts, API tokens.
-- Ids are UUIDs stored as 16-byte blobs; instants are Unix microseconds; civil dates are ISO text.

CREATE TABLE persons (
    id                  BLOB PRIMARY KEY,
    surname_native      TEXT,
    given_names_native  TEXT,
    patronymic_native   TEXT,
    surname_latin       TEXT,
    given_names_latin   TEXT,
    patronymic_latin    TEXT,
    sex                 TEXT NOT NULL CHECK (sex IN ('M', 'F', 'X')),
    birth_date          TEXT,
    citizenship         TEXT NOT NULL,
    created_at          INTEGER NOT NULL,
    -- Latest crossing, kept in step with `crossings` so that ingest checks need no history scan.
    last_crossing_at    INTEGER,
    last_direction      TEXT CHECK (last_direction IN ('entry', 'exit')),
    CHECK (surname_native IS NOT NULL OR surname_latin IS NOT NULL)
) WITHOUT ROWID;

CREATE TABLE documents (
    issuing_state   TEXT NOT NULL,
    number          TEXT NOT NULL,
    document_type   TEXT NOT NULL,
    expiry          TEXT,
    person_id       BLOB NOT NULL REFERENCES persons (id),
    PRIMARY KEY (issuing_state, number)
) WITHOUT ROWID;
CREATE INDEX documents_by_person ON documents (person_id);

-- A rowid table: rows append in arrival order whatever the client's ids look like (random v4
-- ids in a WITHOUT ROWID table would scatter every batch over the whole B-tree).
CREATE TABLE crossings (
    seq             INTEGER PRIMARY KEY,
    id              BLOB NOT NULL UNIQUE,
    request_hash    BLOB NOT NULL,
    person_id       BLOB NOT NULL REFERENCES persons (id),
    direction       TEXT NOT NULL CHECK (direction IN ('entry', 'exit')),
    occurred_at     INTEGER NOT NULL,
    time_zone       TEXT NOT NULL,
    local_date      TEXT NOT NULL,
    point           TEXT NOT NULL,
    purpose         TEXT NOT NULL,
    document_state  TEXT NOT NULL,
    document_number TEXT NOT NULL,
    recorded_at     INTEGER NOT NULL
);
CREATE INDEX crossings_by_person_time ON crossings (person_id, occurred_at);

CREATE TABLE crossing_daily_counts (
    local_date  TEXT NOT NULL,
    citizenship TEXT NOT NULL,
    point       TEXT NOT NULL,
    direction   TEXT NOT NULL,
    count       INTEGER NOT NULL,
    PRIMARY KEY (local_date, citizenship, point, direction)
) WITHOUT ROWID;

CREATE TABLE api_tokens (
    id          BLOB PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    role        TEXT NOT NULL CHECK (role IN ('border', 'officer', 'analyst', 'admin')),
    token_hash  BLOB NOT NULL UNIQUE,
    created_at  INTEGER NOT NULL,
    revoked_at  INTEGER
);
