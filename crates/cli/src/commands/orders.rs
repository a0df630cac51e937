//! `sellerlink orders …`

use jiff::Timestamp;
use jiff::civil::Date;
use sellerlink_app::{App, AppError};
use sellerlink_domain::order::{FulfillmentChannel, OrderStatus};
use sellerlink_store::OrderQuery;

use crate::args::{OrdersCommand, OrdersListArgs};
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
        OrdersCommand::EraseBuyerData { older_than_days } => {
            let erased = erase_buyer_data(app, older_than_days).await?;
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
            let stored = app
                .store()
                .order(connection, &order_id)
                .await?
                .ok_or_else(|| AppError::InvalidInput {
                    field: "order",
                    problem: format!("{order_id} was not imported through {connection}"),
                })?;
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

/// Erases buyer data of finished orders Amazon last updated more than `days` days ago; returns how many.
pub async fn erase_buyer_data(app: &App, days: u32) -> Result<u64, AppError> {
    let now = app.now();
    let cut_off = now
        .checked_sub(jiff::SignedDuration::from_hours(24 * i64::from(days)))
        .unwrap_or(Timestamp::MIN);
    Ok(app.store().erase_buyer_data(cut_off, now).await?)
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
    if let Ok(instant) = text.parse::<Timestamp>() {
        return Ok(instant);
    }
    text.parse::<Date>()
        .ok()
        .and_then(|d| d.to_zoned_datetime(jiff::tz::TimeZone::UTC).ok())
        .map(|z| z.timestamp())
        .ok_or_else(|| AppError::InvalidInput {
            field: "--since",
            problem: format!("{text:?} is not a date; expected YYYY-MM-DD or RFC 3339"),
        })
}
