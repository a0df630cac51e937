//! The one integration-test binary of sellerlink-notify.

mod docs_example;
mod message;
mod outbox;
mod render;
mod smtp;
mod support;
mod webhook;
