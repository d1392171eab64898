-- Migrant cards: one card per allowed stay, its number (with a check digit) derived from a
-- sequence, its validity bound to the stay's last legal day, and the signed seal that was issued.
-- A card is revoked (on exit, expulsion, ban, replacement or an officer's decision), never
-- deleted; a renewal keeps the seal it replaced.
CREATE TABLE cards (
    number          TEXT PRIMARY KEY,
    serial          BIGINT NOT NULL UNIQUE,
    person_id       UUID NOT NULL REFERENCES persons (id),
    issuing_state   TEXT NOT NULL,
    entry_id        UUID,
    issued_on       DATE NOT NULL,
    valid_until     DATE NOT NULL,
    issued_by       TEXT NOT NULL,
    issued_at       TIMESTAMPTZ NOT NULL,
    seal            TEXT NOT NULL,
    revoked_on      DATE,
    revocation      TEXT CHECK (revocation IN ('exit', 'expulsion', 'ban', 'replaced', 'officer')),
    revocation_note TEXT,
    revoked_by      TEXT,
    revoked_at      TIMESTAMPTZ,
    CHECK (issued_on <= valid_until),
    CHECK ((revoked_on IS NULL) = (revocation IS NULL) AND (revoked_on IS NULL) = (revoked_at IS NULL))
);
CREATE INDEX cards_by_person ON cards (person_id, issued_at);
CREATE UNIQUE INDEX cards_one_in_force ON cards (person_id) WHERE revoked_on IS NULL;

CREATE TABLE card_renewals (
    id                   UUID PRIMARY KEY,
    card_number          TEXT NOT NULL REFERENCES cards (number),
    previous_valid_until DATE NOT NULL,
    valid_until          DATE NOT NULL,
    previous_seal        TEXT NOT NULL,
    renewed_by           TEXT NOT NULL,
    renewed_at           TIMESTAMPTZ NOT NULL
);
CREATE INDEX card_renewals_by_card ON card_renewals (card_number, renewed_at);

CREATE TRIGGER cards_kept BEFORE DELETE ON cards FOR EACH ROW EXECUTE FUNCTION never_deleted();
CREATE TRIGGER cards_not_truncated BEFORE TRUNCATE ON cards FOR EACH STATEMENT EXECUTE FUNCTION never_deleted();
CREATE TRIGGER card_renewals_kept BEFORE DELETE ON card_renewals FOR EACH ROW EXECUTE FUNCTION never_deleted();
CREATE TRIGGER card_renewals_not_truncated BEFORE TRUNCATE ON card_renewals FOR EACH STATEMENT EXECUTE FUNCTION never_deleted();
