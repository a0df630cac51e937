//! Integration tests of `sellerlink-reminders`: each test gets its own database (SQLite always; PostgreSQL too when
//! `TEST_DATABASE_URL` is set), a manual clock, and a real SMTP sink and webhook receiver on loopback.

#[macro_use]
mod harness;
mod world;

mod access;
mod crash;
mod delivery;
mod full_year;
mod workers;
