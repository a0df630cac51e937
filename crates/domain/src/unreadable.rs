//! [`UnreadableOrder`]: an order Amazon sent that the import cannot read. The Amazon gateway makes one from the
//! fragment Amazon sent (buyer data removed); the store quarantines it with the page it came in.

use jiff::Timestamp;

/// An order of a page that could not be read, to quarantine with the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnreadableOrder {
    /// Amazon's order id as sent, or, when it sent none, a digest of the fragment.
    pub order_key: String,
    /// Why it could not be read.
    pub reason: String,
    /// The fragment as Amazon sent it (JSON or XML), buyer data removed. The store keeps at most its
    /// `MAX_RAW_BYTES` of it.
    pub raw: String,
    /// The instant from which a listing contains the order again (its last update, when that reads).
    pub relist_from: Timestamp,
}
