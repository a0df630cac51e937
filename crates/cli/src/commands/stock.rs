//! `sellerlink stock …`

use sellerlink_app::{App, AppError};
use sellerlink_domain::ids::Sku;
use sellerlink_store::{StockChange, StockFilter};

use crate::args::StockCommand;
use crate::output::Output;

/// `SKU=QUANTITY`, or the refusal naming what is wrong.
fn pair(text: &str) -> Result<(String, u32), AppError> {
    let refused = || AppError::StockRefused {
        field: "levels",
        en: format!("{text:?} is not SKU=QUANTITY; e.g. TEA-GREEN-100G=12"),
        ja: format!("{text:?} は SKU=数量 の形式ではありません（例: TEA-GREEN-100G=12）。"),
    };
    let (sku, quantity) = text.rsplit_once('=').ok_or_else(refused)?;
    let quantity = quantity.trim().parse::<u32>().map_err(|_| refused())?;
    Ok((sku.to_owned(), quantity))
}

pub async fn run(app: &App, command: StockCommand, output: &Output) -> anyhow::Result<()> {
    match command {
        StockCommand::Set {
            connection,
            levels,
            now,
        } => {
            let levels = levels
                .iter()
                .map(|text| pair(text))
                .collect::<Result<Vec<_>, _>>()?;
            let changes = app.set_stock_levels(connection, &levels).await?;
            if now {
                app.stock_pusher()?.run_until_idle(10).await?;
            }
            let after = app
                .stock_levels(&StockFilter {
                    connection: Some(connection),
                    limit: 500,
                    ..StockFilter::default()
                })
                .await?;
            let changed = changes
                .iter()
                .filter(|(_, change)| *change != StockChange::Unchanged)
                .count();
            let set: Vec<_> = after
                .into_iter()
                .filter(|level| {
                    levels
                        .iter()
                        .any(|(sku, _)| Sku::parse(sku).is_ok_and(|sku| sku.as_str() == level.sku))
                })
                .collect();
            output.done(
                &format!(
                    "{} SKU(s) recorded, {changed} changed{}.",
                    levels.len(),
                    if now {
                        "; pushed to Amazon (see `sellerlink stock list`)"
                    } else {
                        "; the worker pushes them to Amazon"
                    }
                ),
                &set,
            );
        }
        StockCommand::List { connection, limit } => {
            let levels = app
                .stock_levels(&StockFilter {
                    connection,
                    limit,
                    ..StockFilter::default()
                })
                .await?;
            let rows = levels
                .iter()
                .map(|level| {
                    vec![
                        level.connection_id.to_string()[..8].to_owned(),
                        level.sku.clone(),
                        level.quantity.to_string(),
                        level
                            .pushed_quantity
                            .map_or_else(|| "-".to_owned(), |q| q.to_string()),
                        level.state.as_str().to_owned(),
                        level.last_error.clone().unwrap_or_default(),
                    ]
                })
                .collect();
            output.table(
                &[
                    "CONNECTION",
                    "SKU",
                    "QUANTITY",
                    "AT AMAZON",
                    "STATE",
                    "AMAZON SAID",
                ],
                rows,
                &levels,
            );
        }
    }
    Ok(())
}
