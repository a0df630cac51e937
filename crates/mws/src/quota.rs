//! The operations this client calls, the API section each belongs to, and Amazon's published
//! throttling quotas for them, kept as data (`docs/amazon/MWS.md#throttling-and-quotas`).

use std::fmt;
use std::time::Duration;

/// An MWS API section: its path on the endpoint and its `Version` parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Section {
    /// Sellers 2011-07-01 (`/Sellers/2011-07-01`).
    Sellers,
    /// Orders 2013-09-01 (`/Orders/2013-09-01`).
    Orders,
    /// Feeds 2009-01-01 (`/Feeds/2009-01-01`).
    Feeds,
}

impl Section {
    /// The section's name as Amazon writes it in `Access to <Section>.<Operation> is denied`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Sellers => "Sellers",
            Self::Orders => "Orders",
            Self::Feeds => "Feeds",
        }
    }

    /// The request path of the section, e.g. `/Orders/2013-09-01`.
    pub fn path(self) -> &'static str {
        match self {
            Self::Sellers => "/Sellers/2011-07-01",
            Self::Orders => "/Orders/2013-09-01",
            Self::Feeds => "/Feeds/2009-01-01",
        }
    }

    /// The `Version` parameter, equal to the date in the path.
    pub fn version(self) -> &'static str {
        match self {
            Self::Sellers => "2011-07-01",
            Self::Orders => "2013-09-01",
            Self::Feeds => "2009-01-01",
        }
    }
}

/// A section whose `GetServiceStatus` this client can call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ServiceStatusSection {
    /// Sellers `GetServiceStatus`.
    Sellers,
    /// Orders `GetServiceStatus`.
    Orders,
}

impl ServiceStatusSection {
    /// The `GetServiceStatus` operation of this section.
    pub fn operation(self) -> Operation {
        match self {
            Self::Sellers => Operation::SellersGetServiceStatus,
            Self::Orders => Operation::OrdersGetServiceStatus,
        }
    }
}

/// An MWS operation this client performs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Operation {
    /// Sellers `ListMarketplaceParticipations`.
    ListMarketplaceParticipations,
    /// Sellers `ListMarketplaceParticipationsByNextToken`.
    ListMarketplaceParticipationsByNextToken,
    /// Sellers `GetServiceStatus`.
    SellersGetServiceStatus,
    /// Orders `ListOrders`.
    ListOrders,
    /// Orders `ListOrdersByNextToken`.
    ListOrdersByNextToken,
    /// Orders `GetOrder`.
    GetOrder,
    /// Orders `ListOrderItems`.
    ListOrderItems,
    /// Orders `ListOrderItemsByNextToken`.
    ListOrderItemsByNextToken,
    /// Orders `GetServiceStatus`.
    OrdersGetServiceStatus,
    /// Feeds `SubmitFeed`.
    SubmitFeed,
    /// Feeds `GetFeedSubmissionList`.
    GetFeedSubmissionList,
    /// Feeds `GetFeedSubmissionListByNextToken`.
    GetFeedSubmissionListByNextToken,
    /// Feeds `GetFeedSubmissionResult`.
    GetFeedSubmissionResult,
}

impl Operation {
    /// Every operation, in table order.
    pub const ALL: [Operation; 13] = [
        Self::ListMarketplaceParticipations,
        Self::ListMarketplaceParticipationsByNextToken,
        Self::SellersGetServiceStatus,
        Self::ListOrders,
        Self::ListOrdersByNextToken,
        Self::GetOrder,
        Self::ListOrderItems,
        Self::ListOrderItemsByNextToken,
        Self::OrdersGetServiceStatus,
        Self::SubmitFeed,
        Self::GetFeedSubmissionList,
        Self::GetFeedSubmissionListByNextToken,
        Self::GetFeedSubmissionResult,
    ];

    /// The `Action` parameter Amazon expects.
    pub fn action(self) -> &'static str {
        match self {
            Self::ListMarketplaceParticipations => "ListMarketplaceParticipations",
            Self::ListMarketplaceParticipationsByNextToken => {
                "ListMarketplaceParticipationsByNextToken"
            }
            Self::SellersGetServiceStatus | Self::OrdersGetServiceStatus => "GetServiceStatus",
            Self::ListOrders => "ListOrders",
            Self::ListOrdersByNextToken => "ListOrdersByNextToken",
            Self::GetOrder => "GetOrder",
            Self::ListOrderItems => "ListOrderItems",
            Self::ListOrderItemsByNextToken => "ListOrderItemsByNextToken",
            Self::SubmitFeed => "SubmitFeed",
            Self::GetFeedSubmissionList => "GetFeedSubmissionList",
            Self::GetFeedSubmissionListByNextToken => "GetFeedSubmissionListByNextToken",
            Self::GetFeedSubmissionResult => "GetFeedSubmissionResult",
        }
    }

    /// The section the operation belongs to.
    pub fn section(self) -> Section {
        match self {
            Self::ListMarketplaceParticipations
            | Self::ListMarketplaceParticipationsByNextToken
            | Self::SellersGetServiceStatus => Section::Sellers,
            Self::ListOrders
            | Self::ListOrdersByNextToken
            | Self::GetOrder
            | Self::ListOrderItems
            | Self::ListOrderItemsByNextToken
            | Self::OrdersGetServiceStatus => Section::Orders,
            Self::SubmitFeed
            | Self::GetFeedSubmissionList
            | Self::GetFeedSubmissionListByNextToken
            | Self::GetFeedSubmissionResult => Section::Feeds,
        }
    }

    /// `Section.Action` as a constant (the [`fmt::Display`] form), e.g. for a metric's label.
    pub fn qualified_name(self) -> &'static str {
        match self {
            Self::ListMarketplaceParticipations => "Sellers.ListMarketplaceParticipations",
            Self::ListMarketplaceParticipationsByNextToken => {
                "Sellers.ListMarketplaceParticipationsByNextToken"
            }
            Self::SellersGetServiceStatus => "Sellers.GetServiceStatus",
            Self::ListOrders => "Orders.ListOrders",
            Self::ListOrdersByNextToken => "Orders.ListOrdersByNextToken",
            Self::GetOrder => "Orders.GetOrder",
            Self::ListOrderItems => "Orders.ListOrderItems",
            Self::ListOrderItemsByNextToken => "Orders.ListOrderItemsByNextToken",
            Self::OrdersGetServiceStatus => "Orders.GetServiceStatus",
            Self::SubmitFeed => "Feeds.SubmitFeed",
            Self::GetFeedSubmissionList => "Feeds.GetFeedSubmissionList",
            Self::GetFeedSubmissionListByNextToken => "Feeds.GetFeedSubmissionListByNextToken",
            Self::GetFeedSubmissionResult => "Feeds.GetFeedSubmissionResult",
        }
    }

    /// The operation's throttling quota from [`QUOTA_TABLE`].
    pub fn quota(self) -> Quota {
        QUOTA_TABLE
            .iter()
            .find(|row| row.operation == self)
            .map(|row| row.quota)
            .unwrap_or(FALLBACK_QUOTA)
    }
}

impl fmt::Display for Operation {
    /// `Section.Action`, the form Amazon uses in `Access to Orders.ListOrders is denied`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.section().name(), self.action())
    }
}

/// A throttling bucket. Operations in the same group draw from the same bucket, e.g.
/// `ListOrders` and `ListOrdersByNextToken`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum QuotaGroup {
    /// `ListMarketplaceParticipations` and its by-next-token form.
    MarketplaceParticipations,
    /// Sellers `GetServiceStatus`.
    SellersServiceStatus,
    /// `ListOrders` and `ListOrdersByNextToken`.
    ListOrders,
    /// `GetOrder`.
    GetOrder,
    /// `ListOrderItems` and `ListOrderItemsByNextToken`.
    ListOrderItems,
    /// Orders `GetServiceStatus`.
    OrdersServiceStatus,
    /// `SubmitFeed`.
    SubmitFeed,
    /// `GetFeedSubmissionList`.
    GetFeedSubmissionList,
    /// `GetFeedSubmissionListByNextToken` (its own, larger bucket).
    GetFeedSubmissionListByNextToken,
    /// `GetFeedSubmissionResult`.
    GetFeedSubmissionResult,
}

/// Amazon's leaky bucket for one group: `max_request_quota` requests at once, one more every
/// `restore_period`, and for some Feeds operations a cap per hour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quota {
    /// The bucket the operation draws from.
    pub group: QuotaGroup,
    /// The burst: how many requests a full bucket allows.
    pub max_request_quota: u32,
    /// How long it takes Amazon to restore one request.
    pub restore_period: Duration,
    /// The hourly request cap, where Amazon publishes one.
    pub hourly_quota: Option<u32>,
}

/// One row of the quota table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuotaRow {
    /// The operation.
    pub operation: Operation,
    /// Its quota.
    pub quota: Quota,
}

const fn row(
    operation: Operation,
    group: QuotaGroup,
    max_request_quota: u32,
    restore_secs: u64,
    hourly_quota: Option<u32>,
) -> QuotaRow {
    QuotaRow {
        operation,
        quota: Quota {
            group,
            max_request_quota,
            restore_period: Duration::from_secs(restore_secs),
            hourly_quota,
        },
    }
}

/// Amazon's published quotas for every operation of this client.
pub const QUOTA_TABLE: &[QuotaRow] = &[
    row(
        Operation::ListMarketplaceParticipations,
        QuotaGroup::MarketplaceParticipations,
        15,
        60,
        None,
    ),
    row(
        Operation::ListMarketplaceParticipationsByNextToken,
        QuotaGroup::MarketplaceParticipations,
        15,
        60,
        None,
    ),
    row(
        Operation::SellersGetServiceStatus,
        QuotaGroup::SellersServiceStatus,
        2,
        300,
        None,
    ),
    row(Operation::ListOrders, QuotaGroup::ListOrders, 6, 60, None),
    row(
        Operation::ListOrdersByNextToken,
        QuotaGroup::ListOrders,
        6,
        60,
        None,
    ),
    row(Operation::GetOrder, QuotaGroup::GetOrder, 6, 60, None),
    row(
        Operation::ListOrderItems,
        QuotaGroup::ListOrderItems,
        30,
        2,
        None,
    ),
    row(
        Operation::ListOrderItemsByNextToken,
        QuotaGroup::ListOrderItems,
        30,
        2,
        None,
    ),
    row(
        Operation::OrdersGetServiceStatus,
        QuotaGroup::OrdersServiceStatus,
        2,
        300,
        None,
    ),
    row(
        Operation::SubmitFeed,
        QuotaGroup::SubmitFeed,
        15,
        120,
        Some(30),
    ),
    row(
        Operation::GetFeedSubmissionList,
        QuotaGroup::GetFeedSubmissionList,
        10,
        45,
        Some(80),
    ),
    row(
        Operation::GetFeedSubmissionListByNextToken,
        QuotaGroup::GetFeedSubmissionListByNextToken,
        30,
        2,
        Some(1800),
    ),
    row(
        Operation::GetFeedSubmissionResult,
        QuotaGroup::GetFeedSubmissionResult,
        15,
        60,
        Some(60),
    ),
];

/// Never used for a listed operation (a unit test checks every operation has a row); the most
/// cautious published quota, so a gap in the table slows calls down rather than speeding them up.
const FALLBACK_QUOTA: Quota = Quota {
    group: QuotaGroup::SellersServiceStatus,
    max_request_quota: 1,
    restore_period: Duration::from_secs(300),
    hourly_quota: None,
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operation_has_exactly_one_row() {
        for operation in Operation::ALL {
            let rows = QUOTA_TABLE
                .iter()
                .filter(|row| row.operation == operation)
                .count();
            assert_eq!(rows, 1, "{operation} has {rows} quota rows");
        }
        assert_eq!(QUOTA_TABLE.len(), Operation::ALL.len());
    }

    #[test]
    fn operations_sharing_a_group_share_the_numbers() {
        for a in QUOTA_TABLE {
            for b in QUOTA_TABLE {
                if a.quota.group == b.quota.group {
                    assert_eq!(a.quota, b.quota, "{} vs {}", a.operation, b.operation);
                }
            }
        }
    }

    #[test]
    fn published_numbers() {
        let list_orders = Operation::ListOrdersByNextToken.quota();
        assert_eq!(list_orders.group, QuotaGroup::ListOrders);
        assert_eq!(list_orders.max_request_quota, 6);
        assert_eq!(list_orders.restore_period, Duration::from_secs(60));
        let items = Operation::ListOrderItems.quota();
        assert_eq!(
            (items.max_request_quota, items.restore_period),
            (30, Duration::from_secs(2))
        );
        let submit = Operation::SubmitFeed.quota();
        assert_eq!(
            (
                submit.max_request_quota,
                submit.restore_period,
                submit.hourly_quota
            ),
            (15, Duration::from_secs(120), Some(30))
        );
        assert_eq!(
            Operation::ListMarketplaceParticipations
                .quota()
                .max_request_quota,
            15
        );
        assert_eq!(
            Operation::OrdersGetServiceStatus.quota().restore_period,
            Duration::from_secs(300)
        );
    }

    #[test]
    fn qualified_names_are_the_display_form() {
        for operation in Operation::ALL {
            assert_eq!(operation.qualified_name(), operation.to_string());
        }
    }

    #[test]
    fn sections_and_display() {
        assert_eq!(Operation::ListOrders.to_string(), "Orders.ListOrders");
        assert_eq!(
            Operation::SellersGetServiceStatus.to_string(),
            "Sellers.GetServiceStatus"
        );
        assert_eq!(Operation::SubmitFeed.section().path(), "/Feeds/2009-01-01");
        for operation in Operation::ALL {
            let section = operation.section();
            assert!(section.path().ends_with(section.version()));
        }
    }
}
