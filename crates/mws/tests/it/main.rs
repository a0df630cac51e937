//! Integration tests: the client against the real sandbox over HTTP(S). Each test starts its
//! own sandbox on free loopback ports, so tests are independent.

mod feeds;
mod fuzz;
mod orders;
mod resilience;
mod sellers;
mod support;
