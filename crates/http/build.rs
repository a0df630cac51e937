//! Records the `major.minor` version of the compiler building this crate, so Amazon's `User-Agent`
//! header can state `Language=Rust/<version>` (`docs/amazon/MWS.md#user-agent`,
//! `docs/amazon/SP-API.md#request-headers`).

use std::process::Command;

fn main() {
    println!("cargo:rerun-if-env-changed=RUSTC");
    let compiler = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".to_owned());
    let version = Command::new(compiler)
        .arg("--version")
        .output()
        .ok()
        .and_then(|output| String::from_utf8(output.stdout).ok())
        .and_then(|text| release_of(&text))
        .unwrap_or_else(|| "unknown".to_owned());
    println!("cargo:rustc-env=SELLERLINK_HTTP_RUSTC_VERSION={version}");
}

/// Turns `rustc 1.95.0 (59807616e 2026-04-14)` into `1.95`.
fn release_of(version_line: &str) -> Option<String> {
    let number = version_line.split_whitespace().nth(1)?;
    let mut parts = number.split('.');
    Some(format!("{}.{}", parts.next()?, parts.next()?))
}
