//! Security headers on every response, and the one inline script (the copy buttons), allowed by its hash.

use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use sha2::{Digest as _, Sha256};

use crate::state::WebState;

/// The copy buttons: shown only when scripts run (without JavaScript the values stay visible to select by hand);
/// a click copies the button's `data-copy` text and says so.
pub(crate) const COPY_SCRIPT: &str = "document.querySelectorAll('button[data-copy]').forEach(function(b){\
b.hidden=false;b.addEventListener('click',function(){\
navigator.clipboard.writeText(b.getAttribute('data-copy')).then(function(){b.textContent=b.getAttribute('data-done');});\
});});";

/// The headers every response carries, computed once.
pub(crate) struct Headers {
    csp: HeaderValue,
}

impl Headers {
    /// The headers for a web app whose forms may also lead to `form_targets` (origins such as
    /// `https://sellercentral.amazon.co.jp`): "Connect with Amazon" posts to our own `/connect/amazon`, which
    /// redirects to Seller Central's consent page, and Chromium applies `form-action` to that redirect too.
    pub(crate) fn new(form_targets: &[String]) -> Self {
        let hash = STANDARD.encode(Sha256::digest(COPY_SCRIPT.as_bytes()));
        let mut form_action = String::from("'self'");
        for origin in form_targets {
            form_action.push(' ');
            form_action.push_str(origin);
        }
        let csp = format!(
            "default-src 'none'; script-src 'sha256-{hash}'; style-src 'self'; img-src 'self'; \
             connect-src 'self'; form-action {form_action}; frame-ancestors 'none'; base-uri 'none'"
        );
        Self {
            csp: HeaderValue::from_str(&csp).expect("the policy is header-safe"),
        }
    }
}

/// Adds the security headers: a strict CSP (no inline script but the hashed copy snippet), no framing, no
/// sniffing, no referrer (pages can carry seller identifiers and OAuth values in their URLs), and `no-store` on
/// everything but the static assets (pages show account data; the API-key page shows a key once).
pub(crate) async fn add_headers(
    State(state): State<WebState>,
    request: Request,
    next: Next,
) -> Response {
    let is_static = request.uri().path() == crate::pages::STYLESHEET_PATH;
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_SECURITY_POLICY, state.headers().csp.clone());
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(
        HeaderName::from_static("cross-origin-opener-policy"),
        HeaderValue::from_static("same-origin"),
    );
    if !is_static {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_allows_exactly_the_copy_script() {
        let csp = Headers::new(&[]).csp.to_str().unwrap().to_owned();
        let hash = STANDARD.encode(Sha256::digest(COPY_SCRIPT.as_bytes()));
        assert!(
            csp.contains(&format!("script-src 'sha256-{hash}'")),
            "{csp}"
        );
        assert!(!csp.contains("unsafe-inline"));
        assert!(csp.contains("frame-ancestors 'none'"));
        assert!(csp.contains("form-action 'self';"), "{csp}");
    }

    #[test]
    fn forms_may_lead_to_exactly_the_configured_seller_central_origins() {
        let targets = [
            "https://sellercentral.amazon.co.jp".to_owned(),
            "https://sellercentral.amazon.com".to_owned(),
        ];
        let csp = Headers::new(&targets).csp.to_str().unwrap().to_owned();
        assert!(
            csp.contains(
                "form-action 'self' https://sellercentral.amazon.co.jp https://sellercentral.amazon.com;"
            ),
            "{csp}"
        );
    }
}
