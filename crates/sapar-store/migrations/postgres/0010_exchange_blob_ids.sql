-- Exchange ids as in the rest of the schema: on PostgreSQL they are `uuid` already (SQLite's
-- migration 0010 turns its text ids into 16-byte blobs). Kept so both backends have the same
-- versions. Version 9 is another change's.

SELECT 1;
