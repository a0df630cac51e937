-- A fleet of workers on one database (sqlite dialect). Keep in step with ../postgres/1000_fleet.sql.
--
-- `leases.token` is a fencing token: it grows by one each time a lease passes to a new holder (or is taken again
-- after it expired), never when its holder renews it. A holder writes only while the lease still carries its
-- owner and token, so a worker that stalled past its lease cannot overwrite what its successor wrote. A released
-- lease keeps its row (expired at once), so tokens never start again from 1.
ALTER TABLE leases ADD COLUMN token INTEGER NOT NULL DEFAULT 1;

-- When a connection's next import (or, while Amazon refuses it, its next re-check) is due; workers claim the
-- oldest due first, one merchant's connections taking turns with another's. A new connection is due from its
-- creation; one that existed before this migration is due from the start of its last import (or its creation),
-- so every connection is imported once more at once and the queue's age reads as time since the last import.
ALTER TABLE connections ADD COLUMN import_due_ms INTEGER NOT NULL DEFAULT 0;
UPDATE connections SET import_due_ms = COALESCE(
    (SELECT MAX(started_at_ms) FROM sync_runs WHERE sync_runs.connection_id = connections.id), created_at_ms);
CREATE INDEX connections_import_due ON connections (import_due_ms);
