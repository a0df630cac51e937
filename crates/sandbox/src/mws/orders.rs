//! Orders 2013-09-01: ListOrders, ListOrdersByNextToken, GetOrder, ListOrderItems,
//! ListOrderItemsByNextToken (GetServiceStatus is shared).

use crate::ids::OrderId;
use crate::mws::call::{Call, Reply};
use crate::mws::errors::MwsErrorAnswer;
use crate::mws::next_token::{self, TokenKind, Writer};
use crate::mws::render::{write_item, write_order};
use crate::orders::{
    Cursor, FulfillmentChannel, OrderQuery, OrderStatus, PaymentMethod, SellerOrders, TimeField,
};
use crate::timefmt::{self, from_ms, millis_z};
use crate::world::World;

/// ListOrderItems page size (Amazon does not document one).
pub const ITEMS_PAGE_SIZE: usize = 100;
/// The "2 minutes" rule: upper bounds must be at least this far before the request time.
pub const LAG_MS: i64 = 120_000;

/// Dispatches an Orders operation.
pub fn run(world: &mut World, call: &Call<'_>) -> Result<Reply, MwsErrorAnswer> {
    match call.operation {
        "ListOrders" => {
            let query = parse_list_orders(call)?;
            Ok(orders_page(world, call, &query, None))
        }
        "ListOrdersByNextToken" => {
            let token = call
                .params
                .non_empty("NextToken")
                .ok_or_else(|| MwsErrorAnswer::missing("NextToken"))?;
            let (query, cursor) = open_orders_token(world, &call.seller.seller_id, token)
                .ok_or_else(MwsErrorAnswer::next_token_corrupted)?;
            Ok(orders_page(world, call, &query, Some(cursor)))
        }
        "GetOrder" => get_order(world, call),
        "ListOrderItems" => {
            let text = call
                .params
                .non_empty("AmazonOrderId")
                .ok_or_else(|| MwsErrorAnswer::missing("AmazonOrderId"))?;
            let id = OrderId::parse("AmazonOrderId", text)
                .map_err(|e| MwsErrorAnswer::invalid(e.to_string()))?;
            items_page(world, call, id, 0)
        }
        "ListOrderItemsByNextToken" => {
            let token = call
                .params
                .non_empty("NextToken")
                .ok_or_else(|| MwsErrorAnswer::missing("NextToken"))?;
            let (id, offset) = open_items_token(world, &call.seller.seller_id, token)
                .ok_or_else(MwsErrorAnswer::next_token_corrupted)?;
            items_page(world, call, id, offset)
        }
        _ => Ok(call.service_status()),
    }
}

fn parse_time(call: &Call<'_>, name: &str) -> Result<Option<i64>, MwsErrorAnswer> {
    match call.params.get(name) {
        None => Ok(None),
        Some(text) => timefmt::parse(text)
            .map(|t| Some(t.as_millisecond()))
            .ok_or_else(|| {
                MwsErrorAnswer::invalid(format!(
                    "{text} is not a valid ISO 8601 date-time for {name}."
                ))
            }),
    }
}

fn parse_list_orders(call: &Call<'_>) -> Result<OrderQuery, MwsErrorAnswer> {
    let p = call.params;
    let now_ms = call.now.as_millisecond();
    let marketplaces: Vec<String> = p
        .list("MarketplaceId.Id")
        .into_iter()
        .map(str::to_owned)
        .collect();
    if marketplaces.is_empty() {
        return Err(MwsErrorAnswer::missing("MarketplaceId.Id.1"));
    }
    if marketplaces.len() > 50 {
        return Err(MwsErrorAnswer::invalid(
            "MarketplaceId accepts at most 50 values.",
        ));
    }
    if let Some(foreign) = marketplaces
        .iter()
        .find(|m| !call.seller.marketplace_ids.contains(m))
    {
        return Err(MwsErrorAnswer::invalid(format!(
            "The seller is not registered in marketplace {foreign}."
        )));
    }

    let created_after = parse_time(call, "CreatedAfter")?;
    let created_before = parse_time(call, "CreatedBefore")?;
    let updated_after = parse_time(call, "LastUpdatedAfter")?;
    let updated_before = parse_time(call, "LastUpdatedBefore")?;
    let (field, after, before, after_name, before_name) = match (created_after, updated_after) {
        (None, None) => {
            return Err(MwsErrorAnswer::invalid(
                "CreatedAfter or LastUpdatedAfter must be specified",
            ));
        }
        (Some(_), Some(_)) => {
            return Err(MwsErrorAnswer::invalid(
                "CreatedAfter and LastUpdatedAfter cannot both be specified.",
            ));
        }
        (Some(a), None) => {
            if updated_before.is_some() {
                return Err(MwsErrorAnswer::invalid(
                    "LastUpdatedBefore cannot be combined with CreatedAfter.",
                ));
            }
            (
                TimeField::Created,
                a,
                created_before,
                "CreatedAfter",
                "CreatedBefore",
            )
        }
        (None, Some(a)) => {
            if created_before.is_some() {
                return Err(MwsErrorAnswer::invalid(
                    "CreatedBefore cannot be combined with LastUpdatedAfter.",
                ));
            }
            (
                TimeField::LastUpdated,
                a,
                updated_before,
                "LastUpdatedAfter",
                "LastUpdatedBefore",
            )
        }
    };
    let latest = now_ms - LAG_MS;
    let before = match before {
        Some(b) if b > latest => {
            return Err(MwsErrorAnswer::invalid(format!(
                "{before_name} must be at least 2 minutes before the request time; it may be at most {}.",
                millis_z(from_ms(latest))
            )));
        }
        Some(b) => b,
        None => latest,
    };
    if after >= before {
        return Err(MwsErrorAnswer::invalid(format!(
            "{after_name} must be earlier than {before_name} ({}), which may be at most 2 minutes before the request time.",
            millis_z(from_ms(before))
        )));
    }

    let mut statuses = Vec::new();
    for text in p.list("OrderStatus.Status") {
        let status = OrderStatus::parse(text).ok_or_else(|| {
            MwsErrorAnswer::invalid(format!("{text} is not a valid OrderStatus."))
        })?;
        statuses.push(status);
    }
    if statuses.contains(&OrderStatus::Unshipped)
        != statuses.contains(&OrderStatus::PartiallyShipped)
    {
        return Err(MwsErrorAnswer::invalid(
            "OrderStatus Unshipped and PartiallyShipped must be used together.",
        ));
    }
    let mut channels = Vec::new();
    for text in p.list("FulfillmentChannel.Channel") {
        channels.push(FulfillmentChannel::parse(text).ok_or_else(|| {
            MwsErrorAnswer::invalid(format!(
                "{text} is not a valid FulfillmentChannel; use AFN or MFN."
            ))
        })?);
    }
    let mut payment_methods = Vec::new();
    for text in p.list("PaymentMethod.Method") {
        payment_methods.push(PaymentMethod::parse(text).ok_or_else(|| {
            MwsErrorAnswer::invalid(format!(
                "{text} is not a valid PaymentMethod; use COD, CVS or Other."
            ))
        })?);
    }
    let buyer_email = p.non_empty("BuyerEmail").map(str::to_owned);
    let seller_order_id = p.non_empty("SellerOrderId").map(str::to_owned);
    for (given, name) in [
        (&buyer_email, "BuyerEmail"),
        (&seller_order_id, "SellerOrderId"),
    ] {
        if given.is_none() {
            continue;
        }
        let conflict = if !statuses.is_empty() {
            Some("OrderStatus")
        } else if !channels.is_empty() {
            Some("FulfillmentChannel")
        } else if !payment_methods.is_empty() {
            Some("PaymentMethod")
        } else if field == TimeField::LastUpdated {
            Some("LastUpdatedAfter")
        } else if buyer_email.is_some() && seller_order_id.is_some() {
            Some(if name == "BuyerEmail" {
                "SellerOrderId"
            } else {
                "BuyerEmail"
            })
        } else {
            None
        };
        if let Some(other) = conflict {
            return Err(MwsErrorAnswer::invalid(format!(
                "{name} cannot be combined with {other}."
            )));
        }
    }
    let page_size = match p.get("MaxResultsPerPage") {
        None => 100,
        Some(text) => match text.parse::<usize>() {
            Ok(n) if (1..=100).contains(&n) => n,
            _ => {
                return Err(MwsErrorAnswer::invalid(format!(
                    "MaxResultsPerPage must be between 1 and 100, got '{text}'."
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
        payment_methods,
        buyer_email,
        seller_order_id,
        page_size,
    })
}

fn orders_token(world: &World, seller_id: &str, q: &OrderQuery, cursor: Cursor) -> String {
    let mut w = Writer::default();
    w.str(seller_id)
        .u8(if q.field == TimeField::Created { 0 } else { 1 })
        .i64(q.after_ms)
        .i64(q.before_ms);
    w.strs(q.marketplaces.iter().map(String::as_str));
    w.strs(q.statuses.iter().map(|s| s.as_str()));
    w.strs(q.channels.iter().map(|c| c.as_str()));
    w.strs(q.payment_methods.iter().map(|m| m.as_str()));
    w.opt_str(q.buyer_email.as_deref())
        .opt_str(q.seller_order_id.as_deref());
    w.i64(q.page_size as i64)
        .i64(cursor.time_ms)
        .str(cursor.id.as_str());
    next_token::seal(&world.next_token_key, TokenKind::Orders, w)
}

fn open_orders_token(world: &World, seller_id: &str, token: &str) -> Option<(OrderQuery, Cursor)> {
    let bytes = next_token::open(&world.next_token_key, TokenKind::Orders, token)?;
    let mut r = next_token::reader(&bytes);
    if r.str()? != seller_id {
        return None;
    }
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
        .map(|s| OrderStatus::parse(s))
        .collect::<Option<Vec<_>>>()?;
    let channels = r
        .strs()?
        .iter()
        .map(|s| FulfillmentChannel::parse(s))
        .collect::<Option<Vec<_>>>()?;
    let payment_methods = r
        .strs()?
        .iter()
        .map(|s| PaymentMethod::parse(s))
        .collect::<Option<Vec<_>>>()?;
    let buyer_email = r.opt_str()?;
    let seller_order_id = r.opt_str()?;
    let page_size = usize::try_from(r.i64()?).ok()?;
    let cursor = Cursor {
        time_ms: r.i64()?,
        id: OrderId::parse("NextToken", &r.str()?).ok()?,
    };
    if !r.is_done() {
        return None;
    }
    let query = OrderQuery {
        field,
        after_ms,
        before_ms,
        marketplaces,
        statuses,
        channels,
        payment_methods,
        buyer_email,
        seller_order_id,
        page_size,
    };
    Some((query, cursor))
}

/// Renders one ListOrders / ListOrdersByNextToken page.
pub fn orders_page(
    world: &World,
    call: &Call<'_>,
    query: &OrderQuery,
    cursor: Option<Cursor>,
) -> Reply {
    let now_ms = call.now.as_millisecond();
    let empty = SellerOrders::default();
    let orders = world
        .orders
        .seller(&call.seller.seller_id)
        .unwrap_or(&empty);
    let page = query.page(orders, cursor, now_ms);
    let mut w = call.begin(1024 + page.orders.len() * 2048);
    if let Some(next) = page.next {
        w.leaf(
            "NextToken",
            &orders_token(world, &call.seller.seller_id, query, next),
        );
    }
    let bound = millis_z(from_ms(query.before_ms));
    match query.field {
        TimeField::Created => w.leaf("CreatedBefore", &bound),
        TimeField::LastUpdated => w.leaf("LastUpdatedBefore", &bound),
    };
    if page.orders.is_empty() {
        w.empty("Orders");
    } else {
        w.open("Orders");
        for (order, state) in &page.orders {
            let malformation = world
                .malformed
                .get(&call.seller.seller_id, order.id.as_str());
            write_order(&mut w, order, *state, now_ms, malformation);
        }
        w.close("Orders");
    }
    call.end(w)
}

fn get_order(world: &World, call: &Call<'_>) -> Result<Reply, MwsErrorAnswer> {
    let texts = call.params.list("AmazonOrderId.Id");
    if texts.is_empty() {
        return Err(MwsErrorAnswer::missing("AmazonOrderId.Id.1"));
    }
    if texts.len() > 50 {
        return Err(MwsErrorAnswer::invalid(
            "AmazonOrderId accepts at most 50 values.",
        ));
    }
    let mut ids = Vec::with_capacity(texts.len());
    for text in texts {
        ids.push(
            OrderId::parse("AmazonOrderId", text)
                .map_err(|e| MwsErrorAnswer::invalid(e.to_string()))?,
        );
    }
    let now_ms = call.now.as_millisecond();
    let book = world.orders.seller(&call.seller.seller_id);
    let mut w = call.begin(1024 + ids.len() * 2048);
    let found: Vec<_> = ids
        .iter()
        .filter_map(|id| book.and_then(|b| b.get(id)))
        .filter_map(|order| order.state_at(now_ms).map(|state| (order, state)))
        .collect();
    if found.is_empty() {
        w.empty("Orders");
    } else {
        w.open("Orders");
        for (order, state) in found {
            let malformation = world
                .malformed
                .get(&call.seller.seller_id, order.id.as_str());
            write_order(&mut w, order, state, now_ms, malformation);
        }
        w.close("Orders");
    }
    Ok(call.end(w))
}

fn open_items_token(world: &World, seller_id: &str, token: &str) -> Option<(OrderId, usize)> {
    let bytes = next_token::open(&world.next_token_key, TokenKind::OrderItems, token)?;
    let mut r = next_token::reader(&bytes);
    if r.str()? != seller_id {
        return None;
    }
    let id = OrderId::parse("NextToken", &r.str()?).ok()?;
    let offset = usize::try_from(r.i64()?).ok()?;
    r.is_done().then_some((id, offset))
}

fn items_page(
    world: &World,
    call: &Call<'_>,
    id: OrderId,
    offset: usize,
) -> Result<Reply, MwsErrorAnswer> {
    let now_ms = call.now.as_millisecond();
    let order = world
        .orders
        .seller(&call.seller.seller_id)
        .and_then(|b| b.get(&id))
        .filter(|o| o.purchase_ms() <= now_ms)
        .ok_or_else(|| MwsErrorAnswer::invalid(format!("Invalid AmazonOrderId: {id}")))?;
    let state = order
        .state_at(now_ms)
        .ok_or_else(|| MwsErrorAnswer::invalid(format!("Invalid AmazonOrderId: {id}")))?;
    if offset >= order.items.len() && offset > 0 {
        return Err(MwsErrorAnswer::next_token_corrupted());
    }
    let end = (offset + ITEMS_PAGE_SIZE).min(order.items.len());
    let mut w = call.begin(1024 + (end - offset) * 1024);
    if end < order.items.len() {
        let mut cursor = Writer::default();
        cursor
            .str(&call.seller.seller_id)
            .str(id.as_str())
            .i64(end as i64);
        w.leaf(
            "NextToken",
            &next_token::seal(&world.next_token_key, TokenKind::OrderItems, cursor),
        );
    }
    w.leaf("AmazonOrderId", id.as_str());
    w.open("OrderItems");
    for index in offset..end {
        write_item(&mut w, order, index, state, now_ms);
    }
    w.close("OrderItems");
    Ok(call.end(w))
}
