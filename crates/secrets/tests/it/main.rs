//! Integration tests of `sellerlink-secrets`, one binary with a module per area.

mod env_keys;
mod key_file;
mod masking;
mod redaction;
mod rotation;
mod round_trip;
mod support;
mod tampering;
