//! The MWS `User-Agent` header: `App/Version (Language=Rust/1.95; Platform=Linux)` with
//! Amazon's backslash escaping (`docs/amazon/MWS.md#user-agent`).

/// The longest header Amazon accepts.
pub const MAX_USER_AGENT_LEN: usize = 500;

/// The Rust version that compiled this crate, `major.minor`.
const RUSTC_VERSION: &str = env!("SELLERLINK_MWS_RUSTC_VERSION");

/// Builds the header for `app` at `version`. Escapes `\` and `/` in the name, `\` and `(` in
/// the version, and `\`, `)` and `;` in attribute values; control characters become spaces.
pub fn user_agent(app: &str, version: &str) -> String {
    let app = escape(app.trim(), &['\\', '/']);
    let version = escape(version.trim(), &['\\', '(']);
    let language = format!("Rust/{RUSTC_VERSION}");
    let platform = platform();
    format!(
        "{app}/{version} (Language={}; Platform={})",
        escape(&language, &['\\', ')', ';']),
        escape(platform, &['\\', ')', ';'])
    )
}

fn escape(text: &str, special: &[char]) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() {
            out.push(' ');
            continue;
        }
        if special.contains(&c) {
            out.push('\\');
        }
        out.push(c);
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
    fn plain_name_and_version() {
        let header = user_agent("sellerlink", "0.1.0");
        assert!(
            header.starts_with("sellerlink/0.1.0 (Language=Rust/"),
            "{header}"
        );
        assert!(header.ends_with(&format!("; Platform={})", platform())));
        let language = header
            .split("Language=Rust/")
            .nth(1)
            .and_then(|rest| rest.split(';').next())
            .expect("version");
        assert!(
            language.split('.').all(|part| part.parse::<u32>().is_ok()),
            "{language}"
        );
    }

    #[test]
    fn special_characters_are_escaped() {
        let header = user_agent("My/App\\X", "1.0(beta)");
        assert!(
            header.starts_with(r"My\/App\\X/1.0\(beta) (Language="),
            "{header}"
        );
        assert_eq!(escape("a;b)c", &['\\', ')', ';']), r"a\;b\)c");
        assert_eq!(escape("line\nbreak", &[]), "line break");
    }
}
