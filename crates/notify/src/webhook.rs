//! Webhooks: a JSON payload ([`WebhookPayload`]) POSTed to the merchant's endpoint, signed with
//! HMAC-SHA256 over `"{timestamp}.{body}"` ([`sign`], [`verify_signature`]) and retried with backoff
//! ([`WebhookSender`]). The schema and a verification walk-through are in `docs/WEBHOOKS.md`.

pub mod address;
mod endpoint;
mod payload;
mod secret;
mod sender;
mod signature;

pub use address::AddressRefusal;
pub use endpoint::{WebhookEndpoint, WebhookEndpointError};
pub use payload::{ConnectionData, EventDetail, WebhookData, WebhookPayload};
pub use secret::{WebhookSecret, WebhookSecretError};
pub use sender::{WebhookDelivery, WebhookSender, WebhookSenderBuilder};
pub use signature::{
    ID_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, VerifyError, sign, verify_signature,
};
