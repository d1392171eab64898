-- Each person's stays, derived from their crossings and kept in step at recording, so that the
-- overstayer sweep reads one row per present person (encoding: src/stay_history.rs).
-- NULL until the store fills it: existing persons are backfilled from their crossings when the
-- database is opened after this migration.
ALTER TABLE persons ADD COLUMN stay_history BYTEA;

-- One overstay violation per person and stay, not per night: a later sweep finds the draft (or
-- the officer's decision) already there and adds nothing. `stay_entry` is the first day of the
-- overstayed stay; `detected_on` the night it was first found. Existing rows get the entry date
-- of the person's latest entry on or before detection; of several nights' drafts for one stay
-- the first is kept.
ALTER TABLE violations ADD COLUMN stay_entry DATE;
UPDATE violations v SET stay_entry = COALESCE(
    (SELECT MAX(c.local_date) FROM crossings c
     WHERE c.person_id = v.person_id AND c.direction = 'entry' AND c.local_date <= v.detected_on),
    v.detected_on);
DELETE FROM violations v USING violations w
WHERE v.person_id = w.person_id AND v.kind = w.kind AND v.stay_entry = w.stay_entry
  AND (w.detected_on, w.id) < (v.detected_on, v.id);
ALTER TABLE violations ALTER COLUMN stay_entry SET NOT NULL;
ALTER TABLE violations DROP CONSTRAINT violations_person_id_kind_detected_on_key;
ALTER TABLE violations ADD CONSTRAINT violations_one_per_stay UNIQUE (person_id, kind, stay_entry);
