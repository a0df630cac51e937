//! Orders 2026-01-01 `searchOrders` (`GET /orders/2026-01-01/orders`).
//!
//! The rules of MWS ListOrders, with the 2026 names: exactly one of `createdAfter` /
//! `lastUpdatedAfter`; the matching `*Before` is optional, not before the lower bound, at most
//! *now − 2 minutes* (default *now − 2 minutes*) and echoed as the next watermark;
//! `fulfillmentStatuses`, `fulfilledBy`, `marketplaceIds` (default: all of the seller's),
//! `maxResultsPerPage` 1–100 (default 100), `includedData`. Pages come from the same order book
//! and query as MWS, in (time, order ID) order; `pagination.nextToken` is an opaque, signed cursor
//! that pins the window and the filters and works for 24 hours (filters sent with it are
//! ignored; `includedData` applies per page).

use jiff::SignedDuration;

use super::errors::SpApiErrorAnswer;
use super::orders_json::{
    Included, fulfilled_by, fulfillment_status, order_json, parse_fulfilled_by,
    parse_fulfillment_status,
};
use super::pipeline::{Reply, SpCall};
use crate::ids::OrderId;
use crate::malformed::Malformation;
use crate::mws::next_token::{self, TokenKind, Writer};
use crate::orders::{Cursor, OrderQuery, SellerOrders, TimeField};
use crate::timefmt::{self, from_ms};
use crate::world::World;

/// The "2 minutes" rule.
pub const LAG_MS: i64 = 120_000;
/// How long a pagination token works.
pub const TOKEN_LIFETIME: SignedDuration = SignedDuration::from_hours(24);
/// Marks the sandbox's SP-API cursors (so an MWS NextToken is never taken for one, nor back).
const TOKEN_MARKER: &str = "spapi/orders/2026-01-01";

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct Pagination {
    next_token: String,
}

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct Body {
    orders: Vec<serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pagination: Option<Pagination>,
    #[serde(skip_serializing_if = "Option::is_none")]
    created_before: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_updated_before: Option<String>,
}

/// Answers `searchOrders`.
pub fn run(world: &World, call: &SpCall<'_>) -> Result<Reply, SpApiErrorAnswer> {
    let included = Included::parse(&call.query.list("includedData"))?;
    let (query, cursor) = match call.query.get("paginationToken") {
        Some(token) => open_token(world, call, token)?,
        None => (parse_query(call)?, None),
    };
    let now_ms = call.now.as_millisecond();
    let empty = SellerOrders::default();
    let book = world
        .orders
        .seller(&call.seller.seller_id)
        .unwrap_or(&empty);
    let page = query.page(book, cursor, now_ms);
    let mut echo_bound = true;
    let mut orders = Vec::with_capacity(page.orders.len());
    for (order, state) in &page.orders {
        let mut json = serde_json::to_value(order_json(order, *state, now_ms, &included))
            .map_err(|_| SpApiErrorAnswer::internal())?;
        if world.malformed.spapi(&call.seller.seller_id, &mut json)
            == Some(Malformation::OptionalFieldsMissing)
        {
            echo_bound = false;
        }
        orders.push(json);
    }
    let bound = from_ms(query.before_ms).to_string();
    let body = Body {
        orders,
        pagination: page.next.map(|next| Pagination {
            next_token: seal_token(world, call, &query, next),
        }),
        created_before: (query.field == TimeField::Created).then(|| bound.clone()),
        last_updated_before: (query.field == TimeField::LastUpdated && echo_bound).then_some(bound),
    };
    Ok(Reply::ok(&body))
}

fn parse_time(call: &SpCall<'_>, name: &'static str, bad: &mut Vec<&'static str>) -> Option<i64> {
    let text = call.query.get(name)?;
    match timefmt::parse(text) {
        Some(t) => Some(t.as_millisecond()),
        None => {
            bad.push(name);
            None
        }
    }
}

/// Validates a first-page request into the shared order query.
pub fn parse_query(call: &SpCall<'_>) -> Result<OrderQuery, SpApiErrorAnswer> {
    let mut bad = Vec::new();
    let created_after = parse_time(call, "createdAfter", &mut bad);
    let created_before = parse_time(call, "createdBefore", &mut bad);
    let updated_after = parse_time(call, "lastUpdatedAfter", &mut bad);
    let updated_before = parse_time(call, "lastUpdatedBefore", &mut bad);
    if !bad.is_empty() {
        return Err(SpApiErrorAnswer::invalid_dates(&bad));
    }
    let (field, after, before, before_name) = match (created_after, updated_after) {
        (None, None) => {
            return Err(SpApiErrorAnswer::invalid(
                "Exactly one of createdAfter and lastUpdatedAfter must be provided.",
            ));
        }
        (Some(_), Some(_)) => {
            return Err(SpApiErrorAnswer::invalid(
                "createdAfter and lastUpdatedAfter cannot both be provided.",
            ));
        }
        (Some(after), None) => {
            if updated_before.is_some() {
                return Err(SpApiErrorAnswer::invalid(
                    "lastUpdatedBefore cannot be combined with createdAfter.",
                ));
            }
            (TimeField::Created, after, created_before, "createdBefore")
        }
        (None, Some(after)) => {
            if created_before.is_some() {
                return Err(SpApiErrorAnswer::invalid(
                    "createdBefore cannot be combined with lastUpdatedAfter.",
                ));
            }
            (
                TimeField::LastUpdated,
                after,
                updated_before,
                "lastUpdatedBefore",
            )
        }
    };
    let latest = call.now.as_millisecond() - LAG_MS;
    let before = match before {
        Some(b) if b > latest => {
            return Err(SpApiErrorAnswer::invalid(format!(
                "{before_name} must be at least 2 minutes before the time of the request, i.e. at most {}.",
                from_ms(latest)
            )));
        }
        Some(b) => b,
        None => latest,
    };
    if after > before {
        return Err(SpApiErrorAnswer::invalid(format!(
            "The lower bound must not be after {before_name} ({}), which is at most 2 minutes before the time of the request.",
            from_ms(before)
        )));
    }

    let mut marketplaces = call.query.list("marketplaceIds");
    if marketplaces.len() > 50 {
        return Err(SpApiErrorAnswer::invalid(
            "marketplaceIds accepts at most 50 values.",
        ));
    }
    if let Some(foreign) = marketplaces
        .iter()
        .find(|m| !call.seller.marketplace_ids.contains(m))
    {
        return Err(SpApiErrorAnswer::invalid(format!(
            "The seller does not participate in marketplace {foreign}."
        )));
    }
    if marketplaces.is_empty() {
        marketplaces = call.seller.marketplace_ids.clone();
    }
    let mut statuses = Vec::new();
    for text in call.query.list("fulfillmentStatuses") {
        statuses.push(parse_fulfillment_status(&text).ok_or_else(|| {
            SpApiErrorAnswer::invalid(format!(
                "fulfillmentStatuses value {text} is not one of PENDING_AVAILABILITY, PENDING, UNSHIPPED, PARTIALLY_SHIPPED, SHIPPED, CANCELLED, UNFULFILLABLE."
            ))
        })?);
    }
    let mut channels = Vec::new();
    for text in call.query.list("fulfilledBy") {
        channels.push(parse_fulfilled_by(&text).ok_or_else(|| {
            SpApiErrorAnswer::invalid(format!(
                "fulfilledBy value {text} is not MERCHANT or AMAZON."
            ))
        })?);
    }
    let page_size = match call.query.get("maxResultsPerPage") {
        None => 100,
        Some(text) => match text.parse::<usize>() {
            Ok(n) if (1..=100).contains(&n) => n,
            _ => {
                return Err(SpApiErrorAnswer::invalid(format!(
                    "maxResultsPerPage must be an integer between 1 and 100, got {text}."
                )));
            }
        },
    };
    Ok(OrderQuery {
        field,
        after_ms: after,
        before_ms: before,
        marketplaces,
        statuses,
        channels,
        payment_methods: Vec::new(),
        buyer_email: None,
        seller_order_id: None,
        page_size,
    })
}

fn seal_token(world: &World, call: &SpCall<'_>, q: &OrderQuery, cursor: Cursor) -> String {
    let mut w = Writer::default();
    w.str(TOKEN_MARKER)
        .str(&call.seller.seller_id)
        .str(&call.application_id)
        .i64(call.now.as_millisecond())
        .u8(u8::from(q.field == TimeField::LastUpdated))
        .i64(q.after_ms)
        .i64(q.before_ms);
    w.strs(q.marketplaces.iter().map(String::as_str));
    w.strs(q.statuses.iter().map(|s| fulfillment_status(*s)));
    w.strs(q.channels.iter().map(|c| fulfilled_by(*c)));
    w.i64(q.page_size as i64)
        .i64(cursor.time_ms)
        .str(cursor.id.as_str());
    next_token::seal(&world.next_token_key, TokenKind::Orders, w)
}

fn open_token(
    world: &World,
    call: &SpCall<'_>,
    token: &str,
) -> Result<(OrderQuery, Option<Cursor>), SpApiErrorAnswer> {
    let corrupt =
        || SpApiErrorAnswer::invalid("The paginationToken is not valid; start again without it.");
    let bytes =
        next_token::open(&world.next_token_key, TokenKind::Orders, token).ok_or_else(corrupt)?;
    let read = || -> Option<(i64, OrderQuery, Cursor)> {
        let mut r = next_token::reader(&bytes);
        if r.str()? != TOKEN_MARKER
            || r.str()? != call.seller.seller_id
            || r.str()? != call.application_id
        {
            return None;
        }
        let issued_ms = r.i64()?;
        let field = if r.u8()? == 0 {
            TimeField::Created
        } else {
            TimeField::LastUpdated
        };
        let after_ms = r.i64()?;
        let before_ms = r.i64()?;
        let marketplaces = r.strs()?;
        let statuses = r
            .strs()?
            .iter()
            .map(|s| parse_fulfillment_status(s))
            .collect::<Option<Vec<_>>>()?;
        let channels = r
            .strs()?
            .iter()
            .map(|s| parse_fulfilled_by(s))
            .collect::<Option<Vec<_>>>()?;
        let page_size = usize::try_from(r.i64()?).ok()?;
        let cursor = Cursor {
            time_ms: r.i64()?,
            id: OrderId::parse("paginationToken", &r.str()?).ok()?,
        };
        r.is_done().then_some((
            issued_ms,
            OrderQuery {
                field,
                after_ms,
                before_ms,
                marketplaces,
                statuses,
                channels,
                payment_methods: Vec::new(),
                buyer_email: None,
                seller_order_id: None,
                page_size,
            },
            cursor,
        ))
    };
    let (issued_ms, query, cursor) = read().ok_or_else(corrupt)?;
    if call.now.as_millisecond() - issued_ms >= TOKEN_LIFETIME.as_millis() as i64 {
        return Err(SpApiErrorAnswer::invalid(
            "The paginationToken has expired (tokens work for 24 hours); start again without it.",
        ));
    }
    Ok((query, Some(cursor)))
}
