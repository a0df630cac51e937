//! Buyer data kept no longer than needed: the buyer's name and shipping address of finished orders are erased
//! after a retention period (Amazon's Data Protection Policy asks PII holders to delete it within 30 days of
//! delivery). The order itself, its items and its status stay.

use jiff::Timestamp;
use sellerlink_domain::order::OrderStatus;

use super::rows::id_list;
use crate::codec::millis;
use crate::engine::{Args, Pool, bind_args, on_pool};
use crate::error::StoreResult;

/// Statuses after which the 3PL needs the buyer's address no more: shipped (delivered or on its way) or never to be.
pub const FINISHED_STATUSES: [OrderStatus; 3] = [
    OrderStatus::Shipped,
    OrderStatus::Canceled,
    OrderStatus::Unfulfillable,
];

pub(super) async fn erase_buyer_data(
    pool: &Pool,
    last_updated_before: Timestamp,
    now: Timestamp,
) -> StoreResult<u64> {
    let mut args = Args::new(pool.engine());
    let now = args.int(millis(now));
    let before = args.int(millis(last_updated_before));
    let statuses = id_list(&mut args, FINISHED_STATUSES.iter().map(|s| s.as_str()));
    let sql = format!(
        "UPDATE orders SET buyer_name = NULL, shipping_address_json = NULL, buyer_kek_id = NULL, \
         buyer_sealed = NULL, updated_at_ms = {now} \
         WHERE last_update_ms < {before} AND status IN ({statuses}) \
         AND (buyer_name IS NOT NULL OR shipping_address_json IS NOT NULL OR buyer_sealed IS NOT NULL)"
    );
    let affected = on_pool!(pool, |pool| {
        bind_args!(sqlx::query(sqlx::AssertSqlSafe(sql)), args)
            .execute(pool)
            .await?
            .rows_affected()
    });
    Ok(affected)
}
