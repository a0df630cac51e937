//! The shared client set-up against a real HTTPS server: the sandbox's listener, whose
//! certificate is signed by a CA of its own.

mod tls;
