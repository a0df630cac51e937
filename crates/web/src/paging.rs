//! One rule for every list, in the pages and in `/api/v1` alike: a page number from 1 to [`MAX_PAGE`], a page size
//! (or `limit`) within the list's bounds, and a status filter that names statuses that exist. A value outside the
//! rule — a number that does not read, zero, one past the bound, an unknown status — is a 422 naming the field;
//! nothing is clamped or ignored in silence. An empty value is the same as none.

use std::ops::RangeInclusive;

use sellerlink_domain::order::OrderStatus;

use crate::error::{HttpError, echo};

/// The furthest page any list pages to (the store skips rows one by one).
pub(crate) const MAX_PAGE: u32 = 10_000;

/// The statuses an order filter may name, in the MWS spelling.
const ORDER_STATUSES: &str = "Pending, Unshipped, PartiallyShipped, Shipped, Canceled, Unfulfillable, \
                              InvoiceUnconfirmed or PendingAvailability";

/// A page of a list: its number from 1 and its size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Paging {
    pub page: u32,
    pub per_page: u32,
}

impl Paging {
    /// Reads `page` and `per_page` as typed; `per_page` defaults to `default_per_page` and may be at most
    /// `max_per_page`.
    pub(crate) fn parse(
        page: Option<&str>,
        per_page: Option<&str>,
        default_per_page: u32,
        max_per_page: u32,
    ) -> Result<Self, HttpError> {
        Ok(Self {
            page: bounded("page", page, 1, 1..=MAX_PAGE)?,
            per_page: bounded("per_page", per_page, default_per_page, 1..=max_per_page)?,
        })
    }

    /// How many rows come before this page.
    pub(crate) fn offset(&self) -> u64 {
        u64::from(self.page - 1) * u64::from(self.per_page)
    }
}

/// A whole number within `range` as typed in `field`, or `default` when none is given.
pub(crate) fn bounded(
    field: &'static str,
    text: Option<&str>,
    default: u32,
    range: RangeInclusive<u32>,
) -> Result<u32, HttpError> {
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(default);
    };
    match text.parse::<u32>() {
        Ok(value) if range.contains(&value) => Ok(value),
        _ => {
            let (low, high) = (range.start(), range.end());
            Err(HttpError::invalid(
                field,
                format!(
                    "{field}: {} is not a whole number from {low} to {high}; expected e.g. {low}",
                    echo(text)
                ),
                format!(
                    "{field}: {} は範囲外か数値ではありません。{low}〜{high} の整数を指定してください（例: {low}）。",
                    echo(text)
                ),
            ))
        }
    }
}

/// Comma-separated order statuses (empty parts ignored); an unknown one is refused.
pub(crate) fn order_statuses(text: Option<&str>) -> Result<Vec<OrderStatus>, HttpError> {
    let parts = text.unwrap_or_default().split(',').map(str::trim);
    parts
        .filter(|part| !part.is_empty())
        .map(|part| match OrderStatus::parse(part) {
            OrderStatus::Other(_) => Err(HttpError::invalid(
                "status",
                format!(
                    "status: {} is not an order status; expected {ORDER_STATUSES}, comma-separated",
                    echo(part)
                ),
                format!(
                    "status: {} は注文ステータスとして読めません。{ORDER_STATUSES} をカンマ区切りで指定してください。",
                    echo(part)
                ),
            )),
            known => Ok(known),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paging_reads_only_numbers_within_its_bounds() {
        let default = Paging::parse(None, Some(""), 50, 200).unwrap();
        assert_eq!(
            default,
            Paging {
                page: 1,
                per_page: 50
            }
        );
        let third = Paging::parse(Some("3"), Some("10"), 50, 200).unwrap();
        assert_eq!(third.offset(), 20);
        let last = Paging::parse(Some("10000"), Some("200"), 50, 200).unwrap();
        assert_eq!(last.offset(), 9_999 * 200);
        for (page, per_page, field) in [
            ("0", "1", "page"),
            ("10001", "1", "page"),
            ("368934881474191034", "1", "page"),
            ("-1", "1", "page"),
            ("abc", "1", "page"),
            ("1", "0", "per_page"),
            ("1", "201", "per_page"),
            ("1", "1.5", "per_page"),
        ] {
            let error = Paging::parse(Some(page), Some(per_page), 50, 200).unwrap_err();
            assert_eq!(error.field, Some(field), "{page} {per_page}");
            assert!(error.message.starts_with(&format!("{field}: ")));
            assert!(error.message_ja.contains("整数"));
        }
    }

    #[test]
    fn order_statuses_must_exist() {
        assert_eq!(
            order_statuses(Some("unshipped, ,PARTIALLY_SHIPPED")).unwrap(),
            vec![OrderStatus::Unshipped, OrderStatus::PartiallyShipped]
        );
        assert!(order_statuses(None).unwrap().is_empty());
        let error = order_statuses(Some("Shipped,abc")).unwrap_err();
        assert_eq!(error.field, Some("status"));
        assert!(error.message.contains("\"abc\""));
    }
}
