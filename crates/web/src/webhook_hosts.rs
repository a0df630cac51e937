//! Where a merchant's webhook may point: a URL whose host is, or resolves to, a non-public address is refused when
//! a merchant's channel is added, unless [`crate::WebConfig::allow_private_webhooks`] is set (local development,
//! the demo, a 3PL that runs merchants' receivers on its own network). The rule itself lives in
//! [`sellerlink_notify::webhook::address`], which the webhook sender applies again at every send.

use sellerlink_notify::webhook::address;
use url::Url;

use crate::error::HttpError;

/// Refuses `address` (an already validated webhook URL) when it points at a non-public address.
pub(crate) async fn ensure_public(address: &str, field: &'static str) -> Result<(), HttpError> {
    let Ok(url) = Url::parse(address.trim()) else {
        return Ok(()); // the channel's own validation reports a URL that does not parse
    };
    address::resolve(&url, false)
        .await
        .map(|_| ())
        .map_err(|refusal| {
            HttpError::invalid(field, refusal.explain_en(field), refusal.explain_ja(field))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn non_public_literals_and_names_are_refused_with_the_field_named() {
        for url in [
            "http://127.0.0.1:8080/hook",
            "https://[::1]/hook",
            "https://[::127.0.0.1]/hook",
            "https://[::ffff:0:a00:1]/hook",
            "https://[64:ff9b::a9fe:a9fe]/latest/meta-data",
            "https://[2002:7f00:1::1]/hook",
            "https://[2001:0:5db8:d70e::80ff:fffe]/hook",
            "https://[fec0::1]/hook",
            "http://169.254.169.254/latest/meta-data",
            "http://localhost:9000/hook",
        ] {
            let error = ensure_public(url, "address").await.unwrap_err();
            assert_eq!(error.field, Some("address"), "{url}");
            assert_eq!(error.status, axum::http::StatusCode::UNPROCESSABLE_ENTITY);
            assert!(
                error.message.contains("loopback, private"),
                "{url}: {}",
                error.message
            );
            assert!(error.message_ja.contains("プライベート"), "{url}");
        }
    }

    #[tokio::test]
    async fn a_public_literal_passes() {
        ensure_public("https://93.184.215.14/hooks/sellerlink", "address")
            .await
            .unwrap();
    }
}
