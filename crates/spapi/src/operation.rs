//! The SP-API operations this client calls, with Amazon's documented usage plans
//! (`docs/amazon/SP-API.md#rate-limits`). Rate limiting keys its buckets by (seller, operation).

use std::fmt;

/// One SP-API operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Operation {
    /// Sellers v1 `getMarketplaceParticipations` — proves an authorization works.
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

/// A usage plan: `rate` tokens per second refill a bucket holding at most `burst`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct UsagePlan {
    /// Requests per second, on average.
    pub rate: f64,
    /// Requests that may be sent at once after idling.
    pub burst: u32,
}

impl Operation {
    /// Every operation, in the order of the table in the docs.
    pub const ALL: [Operation; 5] = [
        Self::GetMarketplaceParticipations,
        Self::SearchOrders,
        Self::GetOrder,
        Self::ConfirmShipment,
        Self::PatchListingsItem,
    ];

    /// Amazon's `operationId`.
    pub fn name(self) -> &'static str {
        match self {
            Self::GetMarketplaceParticipations => "getMarketplaceParticipations",
            Self::SearchOrders => "searchOrders",
            Self::GetOrder => "getOrder",
            Self::ConfirmShipment => "confirmShipment",
            Self::PatchListingsItem => "patchListingsItem",
        }
    }

    /// The default usage plan Amazon publishes for the operation. Amazon may grant a seller more
    /// (dynamic usage plans); `x-amzn-RateLimit-Limit` tells.
    pub fn documented_plan(self) -> UsagePlan {
        let (rate, burst) = match self {
            Self::GetMarketplaceParticipations => (0.016, 15),
            Self::SearchOrders => (0.0056, 20),
            Self::GetOrder => (0.5, 30),
            Self::ConfirmShipment => (2.0, 10),
            Self::PatchListingsItem => (5.0, 5),
        };
        UsagePlan { rate, burst }
    }
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The table in `docs/amazon/SP-API.md#rate-limits`.
    #[test]
    fn documented_plans_match_the_rate_limit_table_of_the_docs() {
        let plans: Vec<_> = Operation::ALL
            .iter()
            .map(|op| {
                (
                    op.name(),
                    op.documented_plan().rate,
                    op.documented_plan().burst,
                )
            })
            .collect();
        assert_eq!(
            plans,
            [
                ("getMarketplaceParticipations", 0.016, 15),
                ("searchOrders", 0.0056, 20),
                ("getOrder", 0.5, 30),
                ("confirmShipment", 2.0, 10),
                ("patchListingsItem", 5.0, 5),
            ]
        );
    }
}
