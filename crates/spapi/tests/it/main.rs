//! Integration tests for sellerlink-spapi: documented fixtures parse and classify, and the client
//! behaves against a small LWA + SP-API server on 127.0.0.1 (`fake_amazon`).

mod auth;
mod fake_amazon;
mod fixtures;
mod fuzz;
mod headers;
mod lwa;
mod orders;
mod resilience;
