//! `sellerlink keys …`

use sellerlink_app::App;
use sellerlink_secrets::Keyring;

use crate::args::{GlobalArgs, KeysCommand};
use crate::output::Output;

pub async fn run(
    app: &App,
    global: &GlobalArgs,
    command: KeysCommand,
    output: &Output,
) -> anyhow::Result<()> {
    let app = match command {
        KeysCommand::Reseal => app.clone(),
        KeysCommand::Rotate => {
            if app.settings().keys.master_key.is_some() {
                anyhow::bail!(
                    "the master key comes from {}; to rotate it, set the new key there, list the old one in {}, \
                     then run `sellerlink keys reseal`",
                    sellerlink_secrets::MASTER_KEY_VAR,
                    sellerlink_secrets::PREVIOUS_MASTER_KEYS_VAR
                );
            }
            let key_file = &app.settings().keys.key_file;
            let new_id = Keyring::rotate_file(key_file)?;
            eprintln!(
                "New master key {new_id} added to {}; re-sealing credentials…",
                key_file.display()
            );
            // Reopen so the new key is current in this process too.
            sellerlink_app::App::open(
                crate::settings(global)?,
                std::sync::Arc::new(sellerlink_domain::clock::SystemClock),
            )
            .await?
        }
    };
    let report = app.reseal_credentials().await?;
    output.done(
        &format!(
            "{} credential(s) and {} order(s) of buyer data re-sealed with key {} ({} already current or changed \
             concurrently).",
            report.resealed,
            report.buyer_data_resealed,
            report.current_key_id,
            report.skipped + report.buyer_data_skipped
        ),
        &report,
    );
    Ok(())
}
