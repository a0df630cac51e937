#![doc = include_str!("../README.md")]

pub mod audit;
pub mod carrier;
pub mod clock;
pub mod connection;
pub mod ids;
pub mod lifecycle;
pub mod marketplace;
pub mod order;
pub mod quota;
pub mod refusal;
pub mod text;
pub mod unreadable;

pub use refusal::RefusalCause;
