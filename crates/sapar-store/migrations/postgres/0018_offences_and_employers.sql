-- Employers, work permits, and violations beyond overstay.
--
-- Employers are identified by their registration number (in Kazakhstan the 12-digit BIN); a work
-- permit may name the employer it binds the worker to; a violation may name the employer who
-- committed it (illegal foreign labour) or at whose premises it was found.
CREATE TABLE employers (
    id                   UUID PRIMARY KEY,
    registration_number  TEXT NOT NULL UNIQUE,
    name                 TEXT NOT NULL,
    -- The name in lower case (Unicode), for finding employers by part of their name.
    name_folded          TEXT NOT NULL,
    region               TEXT NOT NULL,
    address              TEXT,
    recorded_by          TEXT NOT NULL,
    created_at           TIMESTAMPTZ NOT NULL
);

ALTER TABLE permits DROP CONSTRAINT permits_kind_check;
ALTER TABLE permits ADD CONSTRAINT permits_kind_check
    CHECK (kind IN ('temporary_residence', 'permanent_residence', 'long_stay_visa', 'work_permit'));
ALTER TABLE permits ADD COLUMN employer_id UUID REFERENCES employers (id);
CREATE INDEX permits_by_employer ON permits (employer_id) WHERE employer_id IS NOT NULL;

-- Violations of every kind. The kinds are rule data (sapar-register's `violation_kinds.toml`),
-- so the column is not a closed list here. An overstay found by the register keeps its stay
-- facts (all four or none); one an officer records carries the article, the fine and the
-- decision instead. A fine has its payment status: unpaid until paid (with day and reference).
ALTER TABLE violations DROP CONSTRAINT violations_kind_check;
ALTER TABLE violations ALTER COLUMN stay_entry DROP NOT NULL;
ALTER TABLE violations ALTER COLUMN overstay_days DROP NOT NULL;
ALTER TABLE violations ALTER COLUMN rule_id DROP NOT NULL;
ALTER TABLE violations ADD COLUMN recorded_by TEXT;
ALTER TABLE violations ADD COLUMN article TEXT;
ALTER TABLE violations ADD COLUMN description TEXT;
ALTER TABLE violations ADD COLUMN employer_id UUID REFERENCES employers (id);
ALTER TABLE violations ADD COLUMN decision_ref TEXT;
ALTER TABLE violations ADD COLUMN fine_amount BIGINT CHECK (fine_amount >= 0);
ALTER TABLE violations ADD COLUMN fine_unit TEXT;
ALTER TABLE violations ADD COLUMN paid_on DATE;
ALTER TABLE violations ADD COLUMN payment_ref TEXT;
ALTER TABLE violations ADD CONSTRAINT violations_stay_facts_together
    CHECK ((stay_entry IS NULL) = (overstay_days IS NULL) AND (stay_entry IS NULL) = (rule_id IS NULL));
ALTER TABLE violations ADD CONSTRAINT violations_overstay_has_facts_or_officer
    CHECK (kind <> 'overstay' OR stay_entry IS NOT NULL OR recorded_by IS NOT NULL);
ALTER TABLE violations ADD CONSTRAINT violations_fine_has_unit CHECK ((fine_amount IS NULL) = (fine_unit IS NULL));
ALTER TABLE violations ADD CONSTRAINT violations_paid_fine CHECK (paid_on IS NULL OR fine_amount IS NOT NULL);
CREATE INDEX violations_by_person ON violations (person_id, detected_on);
CREATE INDEX violations_by_employer ON violations (employer_id, detected_on) WHERE employer_id IS NOT NULL;
