//! `sellerlink orders …`

use jiff::Timestamp;
use jiff::civil::Date;
use sellerlink_app::{App, AppError, ShipmentInput};
use sellerlink_domain::ids::{AmazonOrderId, ConnectionId, OrderIdLookup};
use sellerlink_domain::order::{FulfillmentChannel, OrderStatus};
use sellerlink_store::{OrderQuery, ShipmentFilter};

use crate::args::{OrdersCommand, OrdersListArgs, OrdersShipArgs};
use crate::output::Output;

pub async fn run(app: &App, command: OrdersCommand, output: &Output) -> anyhow::Result<()> {
    match command {
        OrdersCommand::List(args) => {
            let query = query(app, args).await?;
            let orders = app.store().orders(&query).await?;
            let total = app
                .store()
                .count_orders(&OrderQuery {
                    limit: u32::MAX,
                    offset: 0,
                    ..query.clone()
                })
                .await?;
            let rows = orders
                .iter()
                .map(|stored| {
                    let o = &stored.order;
                    vec![
                        o.amazon_order_id.to_string(),
                        o.purchase_date.strftime("%Y-%m-%d %H:%M").to_string(),
                        o.status.to_string(),
                        o.fulfillment_channel
                            .map_or("-", FulfillmentChannel::as_str)
                            .to_owned(),
                        o.order_total.as_ref().map_or_else(
                            || "-".to_owned(),
                            |m| format!("{} {}", m.amount, m.currency),
                        ),
                        o.items.len().to_string(),
                    ]
                })
                .collect();
            output.table(
                &[
                    "ORDER",
                    "PURCHASED (UTC)",
                    "STATUS",
                    "CHANNEL",
                    "TOTAL",
                    "ITEMS",
                ],
                rows,
                &orders,
            );
            if !output.json {
                println!("{} of {total} order(s)", orders.len());
            }
        }
        OrdersCommand::Ship(args) => ship(app, args, output).await?,
        OrdersCommand::Shipments {
            connection,
            order_id,
            limit,
        } => {
            let shipments = app
                .shipments(&ShipmentFilter {
                    connection,
                    amazon_order_id: order_id.map(|lookup| lookup.id().clone()),
                    limit,
                    ..ShipmentFilter::default()
                })
                .await?;
            let rows = shipments
                .iter()
                .map(|s| {
                    vec![
                        s.id.to_string()[..8].to_owned(),
                        s.amazon_order_id.to_string(),
                        s.carrier.clone(),
                        s.tracking_number.clone(),
                        s.state.as_str().to_owned(),
                        s.last_error.clone().unwrap_or_default(),
                    ]
                })
                .collect();
            output.table(
                &[
                    "SHIPMENT",
                    "ORDER",
                    "CARRIER",
                    "TRACKING",
                    "STATE",
                    "AMAZON SAID",
                ],
                rows,
                &shipments,
            );
        }
        OrdersCommand::EraseBuyerData { older_than_days } => {
            let erased = app.erase_buyer_data(older_than_days).await?;
            output.done(
                &format!(
                    "Erased the buyer's name and address of {erased} finished order(s) last updated more than \
                     {older_than_days} day(s) ago."
                ),
                serde_json::json!({ "erased": erased, "older_than_days": older_than_days }),
            );
        }
        OrdersCommand::Show {
            connection,
            order_id,
        } => {
            let (order_id, unusual_shape) = order_id.into_parts();
            let stored =
                app.store().order(connection, &order_id).await?.ok_or_else(
                    || match unusual_shape {
                        Some(strict) => AppError::InvalidId(strict),
                        None => AppError::InvalidInput {
                            field: "order",
                            problem: format!("{order_id} was not imported through {connection}"),
                        },
                    },
                )?;
            if output.json {
                output.done("", &stored);
            } else {
                let o = &stored.order;
                println!("Order           {}", o.amazon_order_id);
                println!("Marketplace     {}", o.marketplace_id.marketplace().name);
                println!("Status          {}", o.status);
                println!("Purchased       {}", o.purchase_date);
                println!("Last update     {}", o.last_update_date);
                if let Some(total) = &o.order_total {
                    println!("Total           {} {}", total.amount, total.currency);
                }
                println!("Items:");
                for item in &o.items {
                    println!(
                        "  {}  {:<12} {} × {}  (shipped {})",
                        item.order_item_id,
                        item.seller_sku.as_deref().unwrap_or("-"),
                        item.title.as_deref().unwrap_or(&item.asin),
                        item.quantity_ordered,
                        item.quantity_shipped
                    );
                }
            }
        }
    }
    Ok(())
}

/// The order id a lookup names. An id that is not Amazon's usual 3-7-7 shape must belong to an order imported
/// through `connection`; otherwise it is taken for a typo and refused with the typed rule's error.
async fn imported_order_id(
    app: &App,
    connection: ConnectionId,
    lookup: OrderIdLookup,
) -> Result<AmazonOrderId, AppError> {
    let (order_id, unusual_shape) = lookup.into_parts();
    match unusual_shape {
        Some(strict) if app.store().order(connection, &order_id).await?.is_none() => {
            Err(AppError::InvalidId(strict))
        }
        _ => Ok(order_id),
    }
}

/// `orders ship`: queues the confirmation, and with `--now` runs the shipper until nothing is due.
async fn ship(app: &App, args: OrdersShipArgs, output: &Output) -> anyhow::Result<()> {
    let ship_date = args.ship_date.as_deref().map(parse_ship_date).transpose()?;
    let order_id = imported_order_id(app, args.connection, args.order_id).await?;
    let (queued, created) = app
        .queue_shipment(
            args.connection,
            &order_id,
            ShipmentInput {
                carrier: args.carrier,
                shipping_method: args.method,
                tracking_number: args.tracking,
                ship_date,
            },
            &super::cli_actor(),
        )
        .await?;
    if args.now {
        app.shipper()?.run_until_idle(10).await?;
    }
    let shipment = app.store().shipment(queued.id).await?;
    let sentence = match (created, shipment.state.as_str()) {
        (false, state) => format!(
            "Shipment {} of order {} with this tracking number exists already ({state}); nothing new was queued.",
            shipment.id, shipment.amazon_order_id
        ),
        (true, "queued") => format!(
            "Shipment {} of order {} is queued; the worker sends it to Amazon.",
            shipment.id, shipment.amazon_order_id
        ),
        (true, "submitted") => format!(
            "Shipment {} of order {} was handed to Amazon (feed {}); the worker reads Amazon's answer when it is processed.",
            shipment.id,
            shipment.amazon_order_id,
            shipment.feed_submission_id.as_deref().unwrap_or("?")
        ),
        (true, "confirmed") => format!(
            "Amazon confirmed shipment {} of order {}.",
            shipment.id, shipment.amazon_order_id
        ),
        (true, state) => format!(
            "Shipment {} of order {} is {state}: {}",
            shipment.id,
            shipment.amazon_order_id,
            shipment.last_error.as_deref().unwrap_or("")
        ),
    };
    output.done(&sentence, &shipment);
    Ok(())
}

/// `--ship-date`: RFC 3339, or a date (00:00 in Japan).
fn parse_ship_date(text: &str) -> Result<Timestamp, AppError> {
    let text = text.trim();
    instant_or_day(text, jiff::tz::TimeZone::fixed(jiff::tz::offset(9)))
        .ok_or_else(|| AppError::ShipmentRefused {
            field: "ship_date",
            en: format!("{text:?} is not a date; expected YYYY-MM-DD or RFC 3339, e.g. 2026-11-28T10:00:00+09:00"),
            ja: format!("出荷日時 {text:?} が読めません。YYYY-MM-DD または RFC 3339（例: 2026-11-28T10:00:00+09:00）で入力してください。"),
        })
}

async fn query(app: &App, args: OrdersListArgs) -> Result<OrderQuery, AppError> {
    let merchant = match args.merchant {
        Some(m) => Some(app.find_merchant(&m).await?.id),
        None => None,
    };
    let channel = args
        .channel
        .map(|c| {
            FulfillmentChannel::parse(&c).ok_or_else(|| AppError::InvalidInput {
                field: "--channel",
                problem: format!("{c:?} is not a channel; expected MFN or AFN"),
            })
        })
        .transpose()?;
    let since = args.since.map(|text| parse_since(&text)).transpose()?;
    Ok(OrderQuery {
        connection: args.connection,
        merchant,
        statuses: args
            .statuses
            .iter()
            .map(|s| OrderStatus::parse(s))
            .collect(),
        marketplace: args.marketplace_id,
        channel,
        purchased_after: since,
        limit: args.limit,
        offset: args.offset,
        ..OrderQuery::default()
    })
}

fn parse_since(text: &str) -> Result<Timestamp, AppError> {
    let text = text.trim();
    instant_or_day(text, jiff::tz::TimeZone::UTC).ok_or_else(|| AppError::InvalidInput {
        field: "--since",
        problem: format!("{text:?} is not a date; expected YYYY-MM-DD or RFC 3339"),
    })
}

/// An RFC 3339 instant, or a date read as its first instant in `zone`.
fn instant_or_day(text: &str, zone: jiff::tz::TimeZone) -> Option<Timestamp> {
    if let Ok(instant) = text.parse::<Timestamp>() {
        return Some(instant);
    }
    text.parse::<Date>()
        .ok()
        .and_then(|d| d.to_zoned_datetime(zone).ok())
        .map(|z| z.timestamp())
}
