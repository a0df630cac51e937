-- The order list sorts and filters by the ship-by deadline (出荷期限, Amazon's LatestShipDate) (postgres dialect).
-- Keep in step with ../sqlite/1100_orders_by_ship_by.sql.
--
-- `latest_ship_date_ms` has been stored since 0001; this index lets "due today" and "overdue" (a range on the
-- deadline) and the sort by deadline walk the deadline in order instead of reading every order.
CREATE INDEX orders_by_ship_by ON orders (latest_ship_date_ms, connection_id, amazon_order_id);
