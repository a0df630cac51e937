//! `sellerlink app-credentials`: the SP-API app's LWA client secret and its 180-day countdown.

use sellerlink_app::App;

use crate::output::Output;

pub fn run(app: &App, output: &Output) -> anyhow::Result<()> {
    let Some(status) = app.app_credentials_status(app.now()) else {
        output.done(
            "No SP-API app is configured (SELLERLINK_SPAPI_APPLICATION_ID, SELLERLINK_LWA_CLIENT_ID, …).",
            serde_json::json!({ "configured": false }),
        );
        return Ok(());
    };
    output.done(
        &format!("{}\n{}", status.message_en(), status.message_ja()),
        serde_json::json!({
            "configured": true,
            "client_id": status.client_id.to_string(),
            "expires_on": status.expires_on,
            "days_left": status.days_left,
            "condition": format!("{:?}", status.condition).to_lowercase(),
        }),
    );
    Ok(())
}
