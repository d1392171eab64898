-- Migrant cards: one card per allowed stay, its number (with a check digit) derived from a
-- sequence, its validity bound to the stay's last legal day, and the signed seal that was issued.
-- A card is revoked (on exit, expulsion, ban, replacement or an officer's decision), never
-- deleted; a renewal keeps the seal it replaced.
CREATE TABLE cards (
    number          TEXT PRIMARY KEY,
    serial          INTEGER NOT NULL UNIQUE,
    person_id       BLOB NOT NULL REFERENCES persons (id),
    issuing_state   TEXT NOT NULL,
    entry_id        BLOB,
    issued_on       TEXT NOT NULL,
    valid_until     TEXT NOT NULL,
    issued_by       TEXT NOT NULL,
    issued_at       INTEGER NOT NULL,
    seal            TEXT NOT NULL,
    revoked_on      TEXT,
    revocation      TEXT CHECK (revocation IN ('exit', 'expulsion', 'ban', 'replaced', 'officer')),
    revocation_note TEXT,
    revoked_by      TEXT,
    revoked_at      INTEGER,
    CHECK (issued_on <= valid_until),
    CHECK ((revoked_on IS NULL) = (revocation IS NULL) AND (revoked_on IS NULL) = (revoked_at IS NULL))
) WITHOUT ROWID;
CREATE INDEX cards_by_person ON cards (person_id, issued_at);
CREATE UNIQUE INDEX cards_one_in_force ON cards (person_id) WHERE revoked_on IS NULL;
CREATE TRIGGER cards_kept BEFORE DELETE ON cards
BEGIN
    SELECT RAISE(ABORT, 'cards are never deleted; revoke one');
END;

CREATE TABLE card_renewals (
    id                   BLOB PRIMARY KEY,
    card_number          TEXT NOT NULL REFERENCES cards (number),
    previous_valid_until TEXT NOT NULL,
    valid_until          TEXT NOT NULL,
    previous_seal        TEXT NOT NULL,
    renewed_by           TEXT NOT NULL,
    renewed_at           INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX card_renewals_by_card ON card_renewals (card_number, renewed_at);
CREATE TRIGGER card_renewals_kept BEFORE DELETE ON card_renewals
BEGIN
    SELECT RAISE(ABORT, 'card renewals are never deleted');
END;
