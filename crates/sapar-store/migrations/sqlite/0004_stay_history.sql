-- Each person's stays, derived from their crossings and kept in step at recording, so that the
-- overstayer sweep reads one row per present person (encoding: src/stay_history.rs).
-- NULL until the store fills it: existing persons are backfilled from their crossings when the
-- database is opened after this migration.
ALTER TABLE persons ADD COLUMN stay_history BLOB;
