//! The one integration-test binary of sellerlink-notify.

mod docs_example;
mod fuzz;
mod message;
mod outbox;
mod render;
mod smtp;
mod support;
mod webhook;
