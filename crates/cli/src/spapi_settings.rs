//! The operator's SP-API app settings from flags and the environment; all or nothing.

use sellerlink_app::{SpApiAppSettings, SpApiApplicationId, SpApiSettings};
use sellerlink_spapi::{LwaClientId, LwaClientSecret, LwaCredentials};

use crate::args::SpApiArgs;

/// `None` when no SP-API app is configured; an error naming the missing or malformed setting otherwise.
pub fn spapi_settings(args: &SpApiArgs) -> anyhow::Result<Option<SpApiAppSettings>> {
    let secret = std::env::var("SELLERLINK_LWA_CLIENT_SECRET")
        .ok()
        .filter(|s| !s.trim().is_empty());
    let (Some(application_id), Some(client_id)) = (&args.spapi_application_id, &args.lwa_client_id)
    else {
        if args.spapi_application_id.is_some() || args.lwa_client_id.is_some() || secret.is_some() {
            anyhow::bail!(
                "SP-API needs SELLERLINK_SPAPI_APPLICATION_ID, SELLERLINK_LWA_CLIENT_ID, SELLERLINK_LWA_CLIENT_SECRET, \
                 SELLERLINK_LWA_CLIENT_SECRET_EXPIRES_ON and SELLERLINK_SPAPI_REDIRECT_URI together"
            );
        }
        return Ok(None);
    };
    let need = |name: &str| anyhow::anyhow!("SP-API is configured but {name} is missing");
    let secret = secret.ok_or_else(|| need("SELLERLINK_LWA_CLIENT_SECRET"))?;
    let expires_on = args
        .lwa_client_secret_expires_on
        .as_deref()
        .ok_or_else(|| need("SELLERLINK_LWA_CLIENT_SECRET_EXPIRES_ON"))?;
    let expires_on: jiff::civil::Date = expires_on.trim().parse().map_err(|_| {
        anyhow::anyhow!(
            "SELLERLINK_LWA_CLIENT_SECRET_EXPIRES_ON {expires_on:?}: expected YYYY-MM-DD"
        )
    })?;
    let redirect_uri = args
        .spapi_redirect_uri
        .clone()
        .ok_or_else(|| need("SELLERLINK_SPAPI_REDIRECT_URI"))?;
    let credentials = LwaCredentials::new(
        LwaClientId::parse(client_id)?,
        LwaClientSecret::parse(&secret)?,
    );
    let mut api = SpApiSettings::new(credentials, expires_on);
    if let Some(url) = &args.lwa_endpoint {
        api.lwa_endpoint = url.clone();
    }
    api.spapi_endpoint_override = args.spapi_endpoint.clone();
    api.rate_scale = args.spapi_rate_scale;
    if let Some(path) = &args.spapi_ca_file {
        let pem = std::fs::read(path)
            .map_err(|e| anyhow::anyhow!("SELLERLINK_SPAPI_CA_FILE {}: {e}", path.display()))?;
        api.extra_ca_pem = Some(pem);
    }
    Ok(Some(SpApiAppSettings {
        application_id: SpApiApplicationId::parse(application_id)?,
        redirect_uri,
        consent_base_override: args.seller_central_url.clone(),
        draft: args.spapi_draft,
        api,
    }))
}
