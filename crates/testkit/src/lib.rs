#![doc = include_str!("../README.md")]

pub mod browser;
pub mod chromium;
pub mod database;
pub mod fuzz;
pub mod mail_sink;
pub mod mime;
pub mod sandbox_control;
pub mod tools;
mod wait;
pub mod webhook_receiver;

pub use browser::{Browser, Page, SellerLogin, unescape};
pub use chromium::{Chromium, Window};
pub use database::TestDatabase;
pub use mail_sink::{MailSink, ReceivedMail};
pub use mime::ParsedMail;
pub use sandbox_control::SandboxControl;
pub use wait::WaitTimeout;
pub use webhook_receiver::{RecordedRequest, WebhookReceiver};
