-- Each person's stays, derived from their crossings and kept in step at recording, so that the
-- overstayer sweep reads one row per present person (encoding: src/stay_history.rs).
-- NULL until the store fills it: existing persons are backfilled from their crossings when the
-- database is opened after this migration.
ALTER TABLE persons ADD COLUMN stay_history BLOB;

-- One overstay violation per person and stay, not per night: a later sweep finds the draft (or
-- the officer's decision) already there and adds nothing. `stay_entry` is the first day of the
-- overstayed stay; `detected_on` the night it was first found. Existing rows get the entry date
-- of the person's latest entry on or before detection; of several nights' drafts for one stay
-- the first is kept.
CREATE TABLE violations_by_stay (
    id              BLOB PRIMARY KEY,
    person_id       BLOB NOT NULL REFERENCES persons (id),
    kind            TEXT NOT NULL CHECK (kind IN ('overstay')),
    stay_entry      TEXT NOT NULL,
    detected_on     TEXT NOT NULL,
    overstay_days   INTEGER NOT NULL CHECK (overstay_days > 0),
    last_legal_day  TEXT,
    rule_id         TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'confirmed', 'dismissed')),
    created_at      INTEGER NOT NULL,
    UNIQUE (person_id, kind, stay_entry)
) WITHOUT ROWID;
INSERT INTO violations_by_stay
    (id, person_id, kind, stay_entry, detected_on, overstay_days, last_legal_day, rule_id, status, created_at)
SELECT id, person_id, kind, stay_entry, detected_on, overstay_days, last_legal_day, rule_id, status, created_at
FROM (
    SELECT *, ROW_NUMBER() OVER (PARTITION BY person_id, kind, stay_entry ORDER BY detected_on, id) AS nth
    FROM (
        SELECT v.*, COALESCE(
            (SELECT MAX(c.local_date) FROM crossings c
             WHERE c.person_id = v.person_id AND c.direction = 'entry' AND c.local_date <= v.detected_on),
            v.detected_on) AS stay_entry
        FROM violations v
    )
)
WHERE nth = 1;
DROP TABLE violations;
ALTER TABLE violations_by_stay RENAME TO violations;
