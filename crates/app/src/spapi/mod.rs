//! SP-API connections in the product: "Connect with Amazon" (the website authorization workflow), the
//! re-authorization that comes back from Manage Your Apps through the log-in URI (a renewal of the existing
//! connection), and the countdown of the app's own client secret.
//!
//! Flow for the web layer:
//!
//! 1. "Connect with Amazon" pressed → [`App::start_spapi_authorization`] → `303` to the returned URL.
//! 2. Redirect URI hit → [`SpApiCallback::from_query`] → [`App::complete_spapi_authorization`] → show the
//!    connection (new, or renewed).
//! 3. Log-in URI hit (Manage Your Apps → Re-authorize, or the Appstore) → sign the merchant in →
//!    [`SpApiLogin::from_query`] → [`App::continue_spapi_reauthorization`] → `303` to the returned URL; Amazon
//!    then comes back through step 2. Send `Referrer-Policy: no-referrer` on both pages (codes and states travel
//!    in query strings).
//!
//! The CLI adds a connection from a refresh token the operator already holds with [`App::add_spapi_connection`]:
//! the same verification, sealing and renewal rules.

mod add;
mod app_credentials;
mod authorize;
mod connect;
mod failure;
mod query;
mod settings;
mod state;
mod urls;

pub use add::NewSpApiConnection;
pub use app_credentials::{AppCredentialsStatus, SECRET_EXPIRING_SOON_DAYS, SecretCondition};
pub use authorize::{AuthorizationRequest, SpApiConnected};
pub use failure::{AuthorizationDateProblem, SpApiFailure, StateProblem};
pub use query::{SpApiCallback, SpApiLogin};
pub use settings::{SpApiAppSettings, SpApiApplicationId};
pub use state::STATE_LIFETIME;

use sellerlink_sync::SpApiGatewayFactory;

/// SP-API as the running app uses it: the settings and the shared client (LWA, token cache, rate buckets).
#[derive(Debug)]
pub(crate) struct SpApiRuntime {
    pub(crate) settings: SpApiAppSettings,
    pub(crate) factory: SpApiGatewayFactory,
}
