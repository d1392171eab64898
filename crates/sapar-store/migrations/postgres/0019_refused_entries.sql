-- A crossing's outcome: the traveller crossed, or was refused entry. A refused entry is kept with
-- the crossings (the person's history, the refusal statistics) but is no crossing of the border:
-- the recording planner gives it no place in the person's stays or latest crossing, and every
-- statement that derives stays reads `outcome = 'crossed'` only. Only an entry can be refused, and
-- only a refusal has a ground (and perhaps a note).
ALTER TABLE crossings
    ADD COLUMN outcome TEXT NOT NULL DEFAULT 'crossed' CHECK (outcome IN ('crossed', 'refused')),
    ADD COLUMN refusal_ground TEXT CHECK (refusal_ground IN ('entry_ban', 'invalid_document', 'no_visa',
        'no_days_left', 'stay_rules_breach', 'control_register', 'false_purpose', 'public_safety', 'other')),
    ADD COLUMN refusal_note TEXT,
    ADD CONSTRAINT crossings_refusal_shape CHECK (
        (outcome = 'refused') = (refusal_ground IS NOT NULL)
        AND (outcome = 'crossed' OR direction = 'entry')
        AND (outcome = 'refused' OR refusal_note IS NULL));

-- The refusal statistics count by local date, post and ground.
CREATE INDEX crossings_refused ON crossings (local_date, point, refusal_ground) WHERE outcome = 'refused';
