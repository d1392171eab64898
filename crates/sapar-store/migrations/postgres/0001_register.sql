-- Register core: persons, their documents, border crossings, daily counts, API tokens.
-- The same tables and columns as the SQLite schema, in PostgreSQL's native types.

CREATE TABLE persons (
    id                  UUID PRIMARY KEY,
    surname_native      TEXT,
    given_names_native  TEXT,
    patronymic_native   TEXT,
    surname_latin       TEXT,
    given_names_latin   TEXT,
    patronymic_latin    TEXT,
    sex                 TEXT NOT NULL CHECK (sex IN ('M', 'F', 'X')),
    birth_date          DATE,
    citizenship         TEXT NOT NULL,
    created_at          TIMESTAMPTZ NOT NULL,
    last_crossing_at    TIMESTAMPTZ,
    last_direction      TEXT CHECK (last_direction IN ('entry', 'exit')),
    CHECK (surname_native IS NOT NULL OR surname_latin IS NOT NULL)
);

CREATE TABLE documents (
    issuing_state   TEXT NOT NULL,
    number          TEXT NOT NULL,
    document_type   TEXT NOT NULL,
    expiry          DATE,
    person_id       UUID NOT NULL REFERENCES persons (id),
    PRIMARY KEY (issuing_state, number)
);
CREATE INDEX documents_by_person ON documents (person_id);

CREATE TABLE crossings (
    id              UUID PRIMARY KEY,
    request_hash    BYTEA NOT NULL,
    person_id       UUID NOT NULL REFERENCES persons (id),
    direction       TEXT NOT NULL CHECK (direction IN ('entry', 'exit')),
    occurred_at     TIMESTAMPTZ NOT NULL,
    time_zone       TEXT NOT NULL,
    local_date      DATE NOT NULL,
    point           TEXT NOT NULL,
    purpose         TEXT NOT NULL,
    document_state  TEXT NOT NULL,
    document_number TEXT NOT NULL,
    recorded_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX crossings_by_person_time ON crossings (person_id, occurred_at);

CREATE TABLE crossing_daily_counts (
    local_date  DATE NOT NULL,
    citizenship TEXT NOT NULL,
    point       TEXT NOT NULL,
    direction   TEXT NOT NULL,
    count       BIGINT NOT NULL,
    PRIMARY KEY (local_date, citizenship, point, direction)
);

CREATE TABLE api_tokens (
    id          UUID PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    role        TEXT NOT NULL CHECK (role IN ('border', 'officer', 'analyst', 'admin')),
    token_hash  BYTEA NOT NULL UNIQUE,
    created_at  TIMESTAMPTZ NOT NULL,
    revoked_at  TIMESTAMPTZ
);
