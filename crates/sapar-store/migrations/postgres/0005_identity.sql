-- Identity resolution in the register: persons merged into another (the older one survives and
-- the merged id keeps answering for it), pairs of persons an officer reviews, the fitted linkage
-- model, and which persons a linking run has already compared with everyone.
-- The same tables and columns as the SQLite schema, in PostgreSQL's native types.

CREATE TABLE person_merges (
    merged_id       UUID PRIMARY KEY REFERENCES persons (id),
    survivor_id     UUID NOT NULL REFERENCES persons (id),
    merged_at       TIMESTAMPTZ NOT NULL,
    review_item_id  UUID,
    probability     DOUBLE PRECISION NOT NULL,
    decided_by      TEXT NOT NULL,
    CHECK (merged_id <> survivor_id)
);
CREATE INDEX person_merges_by_survivor ON person_merges (survivor_id);

CREATE TABLE review_items (
    id           UUID PRIMARY KEY,
    person_a     UUID NOT NULL REFERENCES persons (id),
    person_b     UUID NOT NULL REFERENCES persons (id),
    probability  DOUBLE PRECISION NOT NULL,
    weight       DOUBLE PRECISION NOT NULL,
    explanation  TEXT NOT NULL,
    status       TEXT NOT NULL DEFAULT 'pending'
                 CHECK (status IN ('pending', 'match', 'non_match', 'superseded')),
    created_at   TIMESTAMPTZ NOT NULL,
    decided_at   TIMESTAMPTZ,
    decided_by   TEXT,
    note         TEXT,
    CHECK (person_a < person_b),
    UNIQUE (person_a, person_b)
);
CREATE INDEX review_items_by_status ON review_items (status, probability);
CREATE INDEX review_items_by_b ON review_items (person_b);

CREATE TABLE link_models (
    id         UUID PRIMARY KEY,
    config     TEXT NOT NULL,
    model      TEXT NOT NULL,
    persons    BIGINT NOT NULL,
    fitted_at  TIMESTAMPTZ NOT NULL
);

CREATE TABLE link_runs (
    id           UUID PRIMARY KEY,
    model_id     UUID NOT NULL REFERENCES link_models (id),
    started_at   TIMESTAMPTZ NOT NULL,
    finished_at  TIMESTAMPTZ,
    lower        DOUBLE PRECISION NOT NULL,
    upper        DOUBLE PRECISION NOT NULL,
    linked       BIGINT NOT NULL DEFAULT 0,
    merged       BIGINT NOT NULL DEFAULT 0,
    proposed     BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE linked_persons (
    person_id  UUID PRIMARY KEY REFERENCES persons (id),
    run_id     UUID NOT NULL REFERENCES link_runs (id)
);
