-- A seller's quota state travels with its connection's lease (sqlite dialect). Keep in step with
-- ../postgres/1300_lease_quota_state.sql.
--
-- The process that holds `sync:<connection id>` spends that seller's Amazon quota with token buckets of its own.
-- `quota_state` is what it knew of them when it last renewed or released the lease (levels at an instant, rates
-- Amazon reported): small versioned JSON the store keeps as opaque text, written only under the holder's fence and
-- handed to the next holder when it takes the lease, so it does not start from full buckets while Amazon's are
-- nearly empty. NULL: nothing known (a lease taken before this migration, or by a process that never called).
ALTER TABLE leases ADD COLUMN quota_state TEXT;
