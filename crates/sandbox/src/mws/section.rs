//! The MWS sections the sandbox serves, with their paths, versions, namespaces and operations.

/// An MWS API section.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Section {
    /// Orders 2013-09-01.
    Orders,
    /// Sellers 2011-07-01.
    Sellers,
    /// Feeds 2009-01-01 (also served at `/` for legacy clients).
    Feeds,
}

impl Section {
    /// `Orders`, `Sellers` or `Feeds`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Orders => "Orders",
            Self::Sellers => "Sellers",
            Self::Feeds => "Feeds",
        }
    }

    /// The Version parameter value (the path's date).
    pub fn version(self) -> &'static str {
        match self {
            Self::Orders => "2013-09-01",
            Self::Sellers => "2011-07-01",
            Self::Feeds => "2009-01-01",
        }
    }

    /// The response namespace.
    pub fn namespace(self) -> &'static str {
        match self {
            Self::Orders => "https://mws.amazonservices.com/Orders/2013-09-01",
            Self::Sellers => "https://mws.amazonservices.com/Sellers/2011-07-01",
            Self::Feeds => "http://mws.amazonaws.com/doc/2009-01-01/",
        }
    }

    /// How ErrorResponse spells its request-id element in this section.
    pub fn error_request_id_tag(self) -> &'static str {
        match self {
            Self::Orders => "RequestID",
            Self::Sellers | Self::Feeds => "RequestId",
        }
    }

    /// The `Type` of a throttling error (observed empty for Orders).
    pub fn throttle_error_type(self) -> &'static str {
        match self {
            Self::Orders => "",
            Self::Sellers | Self::Feeds => "Sender",
        }
    }

    /// The operations the sandbox implements for this section.
    pub fn operations(self) -> &'static [&'static str] {
        match self {
            Self::Orders => &[
                "ListOrders",
                "ListOrdersByNextToken",
                "GetOrder",
                "ListOrderItems",
                "ListOrderItemsByNextToken",
                "GetServiceStatus",
            ],
            Self::Sellers => &[
                "ListMarketplaceParticipations",
                "ListMarketplaceParticipationsByNextToken",
                "GetServiceStatus",
            ],
            Self::Feeds => &[
                "SubmitFeed",
                "GetFeedSubmissionList",
                "GetFeedSubmissionListByNextToken",
                "GetFeedSubmissionCount",
                "GetFeedSubmissionResult",
                "GetServiceStatus",
            ],
        }
    }

    /// The operation name as listed (with a `'static` lifetime), if the section has it.
    pub fn operation(self, action: &str) -> Option<&'static str> {
        self.operations().iter().copied().find(|op| *op == action)
    }

    /// Whether an operation only reads state (so a truncated-body fault may hit it).
    pub fn is_read_only(self, operation: &str) -> bool {
        !(self == Self::Feeds && operation == "SubmitFeed")
    }
}
