-- Exchange ids as in the rest of the schema: UUIDs as 16-byte blobs instead of hyphenated text
-- (PostgreSQL stores them as `uuid` already; its migration 0010 changes nothing). The columns keep
-- their declared type: a TEXT column stores a blob unchanged, and comparisons, keys and indexes
-- work on the blobs. Version 9 is another change's.

UPDATE exchange_inbox SET message_id = unhex(replace(message_id, '-', '')), case_id = unhex(replace(case_id, '-', ''))
    WHERE typeof(message_id) = 'text';
UPDATE exchange_outbox SET message_id = unhex(replace(message_id, '-', '')) WHERE typeof(message_id) = 'text';
UPDATE exchange_cases SET case_id = unhex(replace(case_id, '-', '')) WHERE typeof(case_id) = 'text';
UPDATE exchange_log SET message_id = unhex(replace(message_id, '-', '')) WHERE typeof(message_id) = 'text';
UPDATE exchange_channel_halts SET message_id = unhex(replace(message_id, '-', '')) WHERE typeof(message_id) = 'text';
UPDATE exchange_signatory_lists SET message_id = unhex(replace(message_id, '-', ''))
    WHERE typeof(message_id) = 'text';
UPDATE exchange_authority_changes SET message_id = unhex(replace(message_id, '-', ''))
    WHERE typeof(message_id) = 'text';
