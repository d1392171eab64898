-- Identity resolution in the register: persons merged into another (the older one survives and
-- the merged id keeps answering for it), pairs of persons an officer reviews, the fitted linkage
-- model, and which persons a linking run has already compared with everyone.
-- Ids are UUIDs as 16-byte blobs; instants are Unix microseconds.

CREATE TABLE person_merges (
    merged_id       BLOB PRIMARY KEY REFERENCES persons (id),
    survivor_id     BLOB NOT NULL REFERENCES persons (id),
    merged_at       INTEGER NOT NULL,
    -- The review item whose `match` decision merged them; NULL for an automatic merge.
    review_item_id  BLOB,
    probability     REAL NOT NULL,
    -- Token name of the officer, or `automatic`.
    decided_by      TEXT NOT NULL,
    CHECK (merged_id <> survivor_id)
) WITHOUT ROWID;
CREATE INDEX person_merges_by_survivor ON person_merges (survivor_id);

-- One row per unordered pair (person_a < person_b). A decided pair is never proposed again.
CREATE TABLE review_items (
    id           BLOB PRIMARY KEY,
    person_a     BLOB NOT NULL REFERENCES persons (id),
    person_b     BLOB NOT NULL REFERENCES persons (id),
    probability  REAL NOT NULL,
    weight       REAL NOT NULL,
    -- Per-field explanation as JSON text, written by the linking job.
    explanation  TEXT NOT NULL,
    status       TEXT NOT NULL DEFAULT 'pending'
                 CHECK (status IN ('pending', 'match', 'non_match', 'superseded')),
    created_at   INTEGER NOT NULL,
    decided_at   INTEGER,
    decided_by   TEXT,
    note         TEXT,
    CHECK (person_a < person_b),
    UNIQUE (person_a, person_b)
) WITHOUT ROWID;
CREATE INDEX review_items_by_status ON review_items (status, probability);
CREATE INDEX review_items_by_b ON review_items (person_b);

-- Fitted models with the configuration they fit; the newest is used.
CREATE TABLE link_models (
    id         BLOB PRIMARY KEY,
    config     TEXT NOT NULL,
    model      TEXT NOT NULL,
    persons    INTEGER NOT NULL,
    fitted_at  INTEGER NOT NULL
);

CREATE TABLE link_runs (
    id           BLOB PRIMARY KEY,
    model_id     BLOB NOT NULL REFERENCES link_models (id),
    started_at   INTEGER NOT NULL,
    finished_at  INTEGER,
    lower        REAL NOT NULL,
    upper        REAL NOT NULL,
    linked       INTEGER NOT NULL DEFAULT 0,
    merged       INTEGER NOT NULL DEFAULT 0,
    proposed     INTEGER NOT NULL DEFAULT 0
);

-- Persons a run has compared with everyone before them; the next run links only the others.
CREATE TABLE linked_persons (
    person_id  BLOB PRIMARY KEY REFERENCES persons (id),
    run_id     BLOB NOT NULL REFERENCES link_runs (id)
) WITHOUT ROWID;
