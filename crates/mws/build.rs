//! Records the compiler's `major.minor` version for the MWS `User-Agent` header
//! (`Language=Rust/1.95`), so the header states the toolchain that built the client.

use std::process::Command;

fn main() {
    println!("cargo:rerun-if-env-changed=RUSTC");
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".to_owned());
    let version = Command::new(rustc)
        .arg("--version")
        .output()
        .ok()
        .and_then(|out| String::from_utf8(out.stdout).ok())
        .and_then(|text| major_minor(&text))
        .unwrap_or_else(|| "unknown".to_owned());
    println!("cargo:rustc-env=SELLERLINK_MWS_RUSTC_VERSION={version}");
}

/// `rustc 1.95.0 (abc 2026-01-01)` → `1.95`.
fn major_minor(text: &str) -> Option<String> {
    let full = text.split_whitespace().nth(1)?;
    let mut parts = full.split('.');
    let major = parts.next()?;
    let minor = parts.next()?;
    Some(format!("{major}.{minor}"))
}
