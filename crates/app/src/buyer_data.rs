//! Erasing buyers' names and addresses once an order no longer needs them (Amazon's Data Protection Policy).

use crate::{App, AppError};

impl App {
    /// Erases the buyer data of finished orders Amazon last updated more than `days` days ago; returns how many.
    /// `sellerlink orders erase-buyer-data` and the daily buyer-data erasure job both call this.
    pub async fn erase_buyer_data(&self, days: u32) -> Result<u64, AppError> {
        let now = self.now();
        let cut_off = now
            .checked_sub(jiff::SignedDuration::from_hours(24 * i64::from(days)))
            .unwrap_or(jiff::Timestamp::MIN);
        Ok(self.store.erase_buyer_data(cut_off, now).await?)
    }
}
