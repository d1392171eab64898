-- Roles grow to the officers' web workplace: exchange officer, signatory, auditor. SQLite cannot
-- change a CHECK constraint in place, so the token table is rebuilt with its rows.
CREATE TABLE api_tokens_new (
    id          BLOB PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    role        TEXT NOT NULL CHECK (role IN ('border', 'officer', 'exchange', 'signatory', 'analyst', 'auditor', 'admin')),
    token_hash  BLOB NOT NULL UNIQUE,
    created_at  INTEGER NOT NULL,
    revoked_at  INTEGER,
    expires_at  INTEGER
);
INSERT INTO api_tokens_new (id, name, role, token_hash, created_at, revoked_at, expires_at)
    SELECT id, name, role, token_hash, created_at, revoked_at, expires_at FROM api_tokens;
DROP TABLE api_tokens;
ALTER TABLE api_tokens_new RENAME TO api_tokens;
