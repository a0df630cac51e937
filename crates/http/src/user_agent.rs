//! The `User-Agent` Amazon requires of MWS and SP-API calls:
//! `AppName/AppVersion (Language=Rust/1.95; Platform=Linux)`, with Amazon's backslash escaping and
//! at most 500 characters (`docs/amazon/MWS.md#user-agent`, `docs/amazon/SP-API.md#request-headers`).

use reqwest::header::HeaderValue;

/// The longest header Amazon accepts.
pub const MAX_USER_AGENT_LEN: usize = 500;

/// `major.minor` of the compiler that built this crate (written by `build.rs`).
const RUSTC_RELEASE: &str = env!("SELLERLINK_HTTP_RUSTC_VERSION");

/// Why an application name and version make no `User-Agent` Amazon accepts. `Display` completes
/// the sentence "user agent …".
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UserAgentError {
    /// Longer than [`MAX_USER_AGENT_LEN`].
    #[error("is {len} bytes long; Amazon accepts at most {MAX_USER_AGENT_LEN}")]
    TooLong {
        /// The header's length in bytes.
        len: usize,
    },
    /// Holds characters other than printable ASCII.
    #[error("must be printable ASCII (name the application in Latin letters)")]
    NotPrintableAscii,
}

/// The header text for `app` at `version`: `\` and `/` are escaped in the name, `\` and `(` in
/// the version, `\`, `)` and `;` in attribute values; control characters become spaces.
pub fn amazon_user_agent(app: &str, version: &str) -> String {
    let name = escaped(app.trim(), &['\\', '/']);
    let version = escaped(version.trim(), &['\\', '(']);
    let language = escaped(&format!("Rust/{RUSTC_RELEASE}"), &['\\', ')', ';']);
    let platform = escaped(platform(), &['\\', ')', ';']);
    format!("{name}/{version} (Language={language}; Platform={platform})")
}

/// [`amazon_user_agent`] as a header value, checked against Amazon's limits.
///
/// # Errors
///
/// [`UserAgentError::TooLong`] beyond [`MAX_USER_AGENT_LEN`] bytes,
/// [`UserAgentError::NotPrintableAscii`] for any other character than printable ASCII.
pub fn amazon_user_agent_header(app: &str, version: &str) -> Result<HeaderValue, UserAgentError> {
    let text = amazon_user_agent(app, version);
    if text.len() > MAX_USER_AGENT_LEN {
        return Err(UserAgentError::TooLong { len: text.len() });
    }
    if !text.chars().all(|c| c == ' ' || c.is_ascii_graphic()) {
        return Err(UserAgentError::NotPrintableAscii);
    }
    HeaderValue::from_str(&text).map_err(|_| UserAgentError::NotPrintableAscii)
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
        let header = amazon_user_agent("sellerlink", "0.1.0");
        assert_eq!(
            header,
            format!(
                "sellerlink/0.1.0 (Language=Rust/{RUSTC_RELEASE}; Platform={})",
                platform()
            )
        );
        assert!(
            RUSTC_RELEASE.split('.').count() == 2
                && RUSTC_RELEASE
                    .split('.')
                    .all(|part| part.parse::<u32>().is_ok()),
            "{RUSTC_RELEASE}"
        );
        if cfg!(target_os = "linux") {
            assert!(header.ends_with("; Platform=Linux)"), "{header}");
        }
    }

    #[test]
    fn name_and_version_are_trimmed() {
        assert_eq!(
            amazon_user_agent("  sellerlink-sync ", " 2.0\t"),
            amazon_user_agent("sellerlink-sync", "2.0")
        );
    }

    #[test]
    fn amazons_escaping_rules() {
        let header = amazon_user_agent("3PL/Sync\\Tool", "2.0(rc1)");
        assert!(
            header.starts_with(r"3PL\/Sync\\Tool/2.0\(rc1) (Language="),
            "{header}"
        );
        assert_eq!(escaped("a;b)c", &['\\', ')', ';']), r"a\;b\)c");
        assert_eq!(escaped("tab\there", &[]), "tab here");
        assert_eq!(escaped("line\nbreak", &[]), "line break");
    }

    #[test]
    fn the_header_is_checked_against_amazons_limits() {
        let header = amazon_user_agent_header("sellerlink", "0.1.0").expect("accepted");
        assert_eq!(
            header.to_str().expect("ASCII"),
            amazon_user_agent("sellerlink", "0.1.0")
        );
        let long = "x".repeat(480);
        let error = amazon_user_agent_header(&long, "1.0").expect_err("too long");
        assert!(matches!(error, UserAgentError::TooLong { len } if len > 500));
        assert!(error.to_string().contains("at most 500"), "{error}");
        assert_eq!(
            amazon_user_agent_header("倉庫アプリ", "1.0"),
            Err(UserAgentError::NotPrintableAscii)
        );
    }
}
