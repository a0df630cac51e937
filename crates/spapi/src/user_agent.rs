//! The `User-Agent` SP-API requires on every request (`docs/amazon/SP-API.md#request-headers`):
//! `AppName/AppVersion (Language=Rust/1.95; Platform=Linux)`, with Amazon's backslash escaping.

/// The longest header Amazon accepts.
pub const MAX_USER_AGENT_LEN: usize = 500;

/// `major.minor` of the compiler that built this crate (written by `build.rs`).
const RUSTC_RELEASE: &str = env!("SELLERLINK_SPAPI_RUSTC_VERSION");

/// Builds the header for `app` at `version`: `\` and `/` are escaped in the name, `\` and `(` in
/// the version, `\`, `)` and `;` in attribute values. Control characters become spaces.
pub fn user_agent(app: &str, version: &str) -> String {
    let name = escaped(app.trim(), &['\\', '/']);
    let version = escaped(version.trim(), &['\\', '(']);
    let language = escaped(&format!("Rust/{RUSTC_RELEASE}"), &['\\', ')', ';']);
    let platform = escaped(platform(), &['\\', ')', ';']);
    format!("{name}/{version} (Language={language}; Platform={platform})")
}

fn escaped(text: &str, special: &[char]) -> String {
    let mut out = String::with_capacity(text.len() + 4);
    for c in text.chars() {
        if c.is_control() {
            out.push(' ');
        } else {
            if special.contains(&c) {
                out.push('\\');
            }
            out.push(c);
        }
    }
    out
}

fn platform() -> &'static str {
    match std::env::consts::OS {
        "linux" => "Linux",
        "macos" => "macOS",
        "windows" => "Windows",
        "freebsd" => "FreeBSD",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_shape() {
        let header = user_agent("sellerlink", "0.1.0");
        let prefix = format!("sellerlink/0.1.0 (Language=Rust/{RUSTC_RELEASE}; Platform=");
        assert!(header.starts_with(&prefix), "{header}");
        assert!(header.ends_with(')'), "{header}");
        assert!(
            RUSTC_RELEASE.split('.').count() == 2
                && RUSTC_RELEASE
                    .split('.')
                    .all(|part| part.parse::<u32>().is_ok()),
            "{RUSTC_RELEASE}"
        );
    }

    #[test]
    fn amazons_escaping_rules() {
        let header = user_agent("3PL/Sync\\Tool", "2.0(rc1)");
        assert!(
            header.starts_with(r"3PL\/Sync\\Tool/2.0\(rc1) (Language="),
            "{header}"
        );
        assert_eq!(escaped("a;b)c", &['\\', ')', ';']), r"a\;b\)c");
        assert_eq!(escaped("tab\there", &[]), "tab here");
    }
}
