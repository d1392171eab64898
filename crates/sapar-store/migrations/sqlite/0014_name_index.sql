-- Person search: one row per distinct word of the scheme-invariant keys (`sapar_identity::name_key`)
-- of a person's surname, given names and patronymic in both scripts, so that Ерлан, YERLAN and
-- ERLAN find the same person. The keys are computed by the store wherever persons are written.
CREATE TABLE name_index (
    key        TEXT NOT NULL,
    person_id  BLOB NOT NULL REFERENCES persons (id),
    PRIMARY KEY (key, person_id)
) WITHOUT ROWID;
-- A person's keys: for a prefix checked per candidate, and for moving keys on a merge.
CREATE INDEX name_index_by_person ON name_index (person_id, key);

-- A document number typed without its issuing state.
CREATE INDEX documents_by_number ON documents (number);
-- A search with a birth date starts from the persons born that day.
CREATE INDEX persons_by_birth_date ON persons (birth_date);

-- Persons recorded before the index existed. SQL cannot compute keys, so the store fills theirs
-- when it opens the database, in batches, and empties this table as it goes.
CREATE TABLE name_index_pending (
    person_id  BLOB PRIMARY KEY
) WITHOUT ROWID;
INSERT INTO name_index_pending (person_id) SELECT id FROM persons;
