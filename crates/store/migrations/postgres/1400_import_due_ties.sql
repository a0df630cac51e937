-- The import queue's index orders ties (postgres dialect). Keep in step with ../sqlite/1400_import_due_ties.sql.
--
-- A claim takes the due connections in (import_due_ms, id) order. With the index on import_due_ms alone, many
-- connections due at the same instant (all created or re-scheduled together) had to be read and sorted by id
-- before the first few could be taken, so each claim cost the whole tie. With id in the index, a claim reads only
-- the rows it looks at.
DROP INDEX connections_import_due;
CREATE INDEX connections_import_due ON connections (import_due_ms, id);
