#![doc = include_str!("../README.md")]

pub mod email;
pub mod error;
pub mod fix;
mod jst;
pub mod message;
pub mod render;
mod seller_central;
pub mod webhook;

pub use email::{
    Delivery, DeliveryRoute, Email, EmailTransport, Mailbox, Mailer, SmtpSettings, SmtpTls,
};
pub use error::NotifyError;
pub use fix::{FixActor, FixGuide, FixStep, fix_for};
pub use message::{
    AccessLossCause, Api, ConnectionSummary, Notification, NotificationKind, SellerCentralHost,
    SellerCentralHostError,
};
pub use render::{Rendered, render};
pub use sellerlink_http::RetryPolicy;
pub use webhook::{
    WebhookDelivery, WebhookEndpoint, WebhookPayload, WebhookSecret, WebhookSender,
    verify_signature,
};
