-- What the exchange changes at runtime (docs/protocol.md, sections 5.6, 5.7 and 6): every version
-- of every signatory list received from a partner or sent by this node (Art. 10.3, 10.4), and
-- every authority change (Art. 2), each with the message that carried it. Rows are never updated
-- or deleted. `generation` numbers the rows of both tables together, in the order they were
-- recorded: a node replays authority changes in that order, and compares the highest generation
-- with the one its in-memory registry reflects to know when to reload it.

CREATE TABLE exchange_signatory_lists (
    authority       TEXT NOT NULL,
    version         BIGINT NOT NULL CHECK (version > 0),
    effective_from  TIMESTAMPTZ NOT NULL,
    generation      BIGINT NOT NULL UNIQUE CHECK (generation > 0),
    direction       TEXT NOT NULL CHECK (direction IN ('sent', 'received')),
    message_id      UUID NOT NULL,
    recorded_at     TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (authority, version)
);

CREATE TABLE exchange_signatories (
    authority           TEXT NOT NULL,
    version             BIGINT NOT NULL,
    ordinal             INTEGER NOT NULL CHECK (ordinal >= 0),
    name                TEXT NOT NULL,
    position            TEXT NOT NULL,
    certificate_sha256  TEXT NOT NULL,
    PRIMARY KEY (authority, version, ordinal),
    FOREIGN KEY (authority, version) REFERENCES exchange_signatory_lists (authority, version)
);

CREATE TABLE exchange_authority_changes (
    message_id    UUID PRIMARY KEY,
    generation    BIGINT NOT NULL UNIQUE CHECK (generation > 0),
    direction     TEXT NOT NULL CHECK (direction IN ('sent', 'received')),
    agreement     TEXT NOT NULL,
    state         TEXT NOT NULL,
    effective_on  DATE NOT NULL,
    replaced      TEXT,
    new_id        TEXT,
    new_name_ru   TEXT,
    new_name_en   TEXT,
    basis         TEXT NOT NULL,
    recorded_at   TIMESTAMPTZ NOT NULL,
    CHECK (replaced IS NOT NULL OR new_id IS NOT NULL),
    CHECK ((new_id IS NULL) = (new_name_ru IS NULL) AND (new_id IS NULL) = (new_name_en IS NULL))
);
