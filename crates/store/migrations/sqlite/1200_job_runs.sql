-- The background jobs' last runs (sqlite dialect). Keep in step with ../postgres/1200_job_runs.sql.
--
-- One row per (job, process): every process of a fleet runs the same jobs, and the operator needs to see each
-- process's last run (a worker whose stock pushes keep failing must not hide behind another's success). A process
-- overwrites its own row at each run; rows of processes that stopped long ago are deleted by the next run of the
-- same job elsewhere. `owner` is the process's lease owner (`sellerlink@host:…`), the same name its leases carry.
-- `outcome` is `running` from a run's start until it ends `ok` or `failed`; `summary` is a short text without
-- secrets or buyer data (what the run did, or why it failed).
CREATE TABLE job_runs (
    job TEXT NOT NULL,
    owner TEXT NOT NULL,
    interval_ms INTEGER NOT NULL,
    started_at_ms INTEGER NOT NULL,
    finished_at_ms INTEGER,
    outcome TEXT NOT NULL CHECK (outcome IN ('running', 'ok', 'failed')),
    summary TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (job, owner)
);
