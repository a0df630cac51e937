//! The SP-API operations the sandbox serves, with Amazon's default usage plans.

use crate::throttle::Quota;

/// An SP-API operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Operation {
    /// Sellers v1 `getMarketplaceParticipations`.
    GetMarketplaceParticipations,
    /// Orders 2026-01-01 `searchOrders`.
    SearchOrders,
    /// Orders 2026-01-01 `getOrder`.
    GetOrder,
    /// Orders v0 `confirmShipment`.
    ConfirmShipment,
    /// Listings Items 2021-08-01 `patchListingsItem`.
    PatchListingsItem,
}

impl Operation {
    /// Every operation.
    pub const ALL: [Operation; 5] = [
        Self::GetMarketplaceParticipations,
        Self::SearchOrders,
        Self::GetOrder,
        Self::ConfirmShipment,
        Self::PatchListingsItem,
    ];

    /// The operation ID, e.g. `searchOrders` (also its fault-rule name).
    pub fn name(self) -> &'static str {
        match self {
            Self::GetMarketplaceParticipations => "getMarketplaceParticipations",
            Self::SearchOrders => "searchOrders",
            Self::GetOrder => "getOrder",
            Self::ConfirmShipment => "confirmShipment",
            Self::PatchListingsItem => "patchListingsItem",
        }
    }

    /// The request-log operation, e.g. `SPAPI.searchOrders`.
    pub fn log_name(self) -> &'static str {
        match self {
            Self::GetMarketplaceParticipations => "SPAPI.getMarketplaceParticipations",
            Self::SearchOrders => "SPAPI.searchOrders",
            Self::GetOrder => "SPAPI.getOrder",
            Self::ConfirmShipment => "SPAPI.confirmShipment",
            Self::PatchListingsItem => "SPAPI.patchListingsItem",
        }
    }

    /// Amazon's default rate (requests per second).
    pub fn rate(self) -> f64 {
        match self {
            Self::GetMarketplaceParticipations => 0.016,
            Self::SearchOrders => 0.0056,
            Self::GetOrder => 0.5,
            Self::ConfirmShipment => 2.0,
            Self::PatchListingsItem => 5.0,
        }
    }

    /// Amazon's default burst (bucket size).
    pub fn burst(self) -> u32 {
        match self {
            Self::GetMarketplaceParticipations => 15,
            Self::SearchOrders => 20,
            Self::GetOrder => 30,
            Self::ConfirmShipment => 10,
            Self::PatchListingsItem => 5,
        }
    }

    /// Whether it only reads (only reads may get a truncated-body fault).
    pub fn is_read_only(self) -> bool {
        matches!(
            self,
            Self::GetMarketplaceParticipations | Self::SearchOrders | Self::GetOrder
        )
    }

    /// The token bucket: `burst` tokens, one back every `1 / rate` seconds.
    pub fn quota(self) -> Quota {
        Quota {
            group: self.log_name(),
            max: self.burst(),
            restore_ms: (1000.0 / self.rate()).round() as u64,
            hourly: None,
        }
    }
}

/// The `x-amzn-RateLimit-Limit` value for `rate` requests per second: up to four decimals,
/// at least one (`0.0056`, `0.5`, `2.0`).
pub fn rate_header(rate: f64) -> String {
    let text = format!("{rate:.4}");
    let trimmed = text.trim_end_matches('0');
    if trimmed.ends_with('.') {
        format!("{trimmed}0")
    } else {
        trimmed.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usage_plans_and_headers() {
        assert_eq!(rate_header(Operation::SearchOrders.rate()), "0.0056");
        assert_eq!(rate_header(Operation::GetOrder.rate()), "0.5");
        assert_eq!(rate_header(Operation::ConfirmShipment.rate()), "2.0");
        assert_eq!(rate_header(0.016 * 1000.0), "16.0");
        assert_eq!(Operation::SearchOrders.quota().restore_ms, 178_571);
        assert_eq!(Operation::PatchListingsItem.quota().max, 5);
    }
}
