-- One connection per seller account and region, whatever the API (PostgreSQL dialect). Keep in step with
-- ../sqlite/0600_one_connection_per_account.sql.
--
-- A seller ID names an Amazon account; an authorization is valid in one API region. Before 0600 the same account
-- could be connected twice, once through MWS and once through SP-API (`UNIQUE (api, seller_id)`), and both
-- connections imported the same orders. From now on the account's region is stored for every connection in
-- `account_region` (SP-API: its `region`; MWS: the region of its home marketplace) and `(seller_id, account_region)`
-- is unique. Adding SP-API to an account connected by MWS (or the reverse) moves the existing connection to the new
-- API instead of adding a second one.
--
-- Why a new column and not `region` for MWS rows too: `region` must stay NULL for MWS by a table CHECK, and SQLite
-- can change a table constraint only by rebuilding the table (copy every row into a new table, drop the old one,
-- re-create indexes, with foreign keys pointing at it from five tables). A nullable column added with
-- `ALTER TABLE … ADD COLUMN` and a unique index need no rebuild, so nothing can be lost on the way; the old
-- `UNIQUE (api, seller_id)` stays and still holds. PostgreSQL could change the CHECK in place, but both engines keep
-- the same shape so that one set of statements serves both.
--
-- The column is filled, and connections already stored twice are merged into one, by `Store::migrate` right after
-- the migrations (in Rust: the region of a marketplace comes from the domain's marketplace table, which SQL does not
-- have). NULL therefore means "written before 0600" (or by an older binary during an upgrade) and lasts until the next
-- `migrate`; a unique index treats NULLs as distinct, so the index can exist before the rows are filled.
ALTER TABLE connections ADD COLUMN account_region TEXT COLLATE "C" CHECK (account_region IN ('na', 'eu', 'fe'));

CREATE UNIQUE INDEX connections_one_per_account ON connections (seller_id, account_region);
