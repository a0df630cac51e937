//! `sellerlink merchant …`

use sellerlink_app::{App, AppError};
use sellerlink_domain::connection::{Language, MerchantName};

use super::cli_actor;
use crate::args::{LanguageArg, MerchantCommand};
use crate::output::Output;

pub async fn run(app: &App, command: MerchantCommand, output: &Output) -> anyhow::Result<()> {
    match command {
        MerchantCommand::Add { name, language } => {
            let name = MerchantName::parse(&name).map_err(|err| AppError::InvalidInput {
                field: "--name",
                problem: err.to_string(),
            })?;
            let language = match language {
                LanguageArg::Ja => Language::Ja,
                LanguageArg::En => Language::En,
            };
            let merchant = app.add_merchant(name, language, &cli_actor()).await?;
            output.done(
                &format!("Merchant {} added with id {}.", merchant.name, merchant.id),
                &merchant,
            );
        }
        MerchantCommand::List => {
            let merchants = app.merchants().await?;
            let rows = merchants
                .iter()
                .map(|m| {
                    vec![
                        m.id.to_string(),
                        m.name.to_string(),
                        m.language.code().to_owned(),
                    ]
                })
                .collect();
            output.table(&["ID", "NAME", "LANGUAGE"], rows, &merchants);
        }
    }
    Ok(())
}
