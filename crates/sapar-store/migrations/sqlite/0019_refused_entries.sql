-- A crossing's outcome: the traveller crossed, or was refused entry. A refused entry is kept with
-- the crossings (the person's history, the refusal statistics) but is no crossing of the border:
-- the recording planner gives it no place in the person's stays or latest crossing, and every
-- statement that derives stays reads `outcome = 'crossed'` only. Only an entry can be refused, and
-- only a refusal has a ground (and perhaps a note).
ALTER TABLE crossings ADD COLUMN outcome TEXT NOT NULL DEFAULT 'crossed' CHECK (outcome IN ('crossed', 'refused'));
ALTER TABLE crossings ADD COLUMN refusal_ground TEXT CHECK (refusal_ground IN ('entry_ban', 'invalid_document',
    'no_visa', 'no_days_left', 'stay_rules_breach', 'control_register', 'false_purpose', 'public_safety', 'other'));
ALTER TABLE crossings ADD COLUMN refusal_note TEXT;

-- The refusal statistics count by local date, post and ground.
CREATE INDEX crossings_refused ON crossings (local_date, point, refusal_ground) WHERE outcome = 'refused';

-- What the planner guarantees, held by the database as well: a refusal is an entry with a ground,
-- a crossing has neither ground nor note.
CREATE TRIGGER crossings_refusal_shape BEFORE INSERT ON crossings
WHEN (NEW.outcome = 'refused') != (NEW.refusal_ground IS NOT NULL)
  OR (NEW.outcome = 'refused' AND NEW.direction <> 'entry')
  OR (NEW.outcome = 'crossed' AND NEW.refusal_note IS NOT NULL)
BEGIN
    SELECT RAISE(ABORT, 'a refused crossing is an entry with a ground; a crossing has no ground or note');
END;
