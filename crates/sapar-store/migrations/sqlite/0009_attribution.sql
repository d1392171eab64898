-- Tokens may expire; crossings name the token (or user) that recorded them.
ALTER TABLE api_tokens ADD COLUMN expires_at INTEGER;
ALTER TABLE crossings ADD COLUMN recorded_by TEXT;
