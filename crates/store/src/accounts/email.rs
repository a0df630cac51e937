//! [`Email`]: a user's sign-in address, parsed at the edge.

use std::fmt;

/// An e-mail address as users sign in with it: trimmed, lower-cased, `local@domain`, at most 254 characters.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Email(String);

/// A value that is not a usable e-mail address.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "e-mail address: {problem}; expected an address like name@example.com (at most 254 characters)"
)]
pub struct EmailError {
    problem: &'static str,
    problem_ja: &'static str,
}

impl EmailError {
    fn new(problem: &'static str, problem_ja: &'static str) -> Self {
        Self {
            problem,
            problem_ja,
        }
    }

    /// The same message in Japanese.
    pub fn message_ja(&self) -> String {
        format!(
            "メールアドレス{}。正しい形式: name@example.com（254文字以内）",
            self.problem_ja
        )
    }
}

impl Email {
    /// Parses an address, trimming white space (also full-width) and lower-casing it.
    pub fn parse(input: &str) -> Result<Self, EmailError> {
        let value = input
            .trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}')
            .to_lowercase();
        if value.is_empty() {
            return Err(EmailError::new("is empty", "が入力されていません"));
        }
        if value.chars().count() > 254 {
            return Err(EmailError::new(
                "is longer than 254 characters",
                "が長すぎます（254文字を超えています）",
            ));
        }
        if value.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(EmailError::new(
                "contains a space or a control character",
                "に空白または制御文字が含まれています",
            ));
        }
        let Some((local, domain)) = value.split_once('@') else {
            return Err(EmailError::new("has no @", "に @ がありません"));
        };
        if local.is_empty() || domain.is_empty() || domain.contains('@') {
            return Err(EmailError::new(
                "is not of the form name@domain",
                "の形式が正しくありません",
            ));
        }
        if local.chars().count() > 64 {
            return Err(EmailError::new(
                "has more than 64 characters before the @",
                "の @ より前が64文字を超えています",
            ));
        }
        if domain.starts_with('.') || domain.ends_with('.') || domain.contains("..") {
            return Err(EmailError::new(
                "has a malformed domain",
                "のドメイン部分の形式が正しくありません",
            ));
        }
        Ok(Self(value))
    }

    /// The address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Email({:?})", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_normalised_and_checked() {
        assert_eq!(
            Email::parse("  Operator@Example.JP\u{3000}")
                .unwrap()
                .as_str(),
            "operator@example.jp"
        );
        assert!(Email::parse("").is_err());
        assert!(
            Email::parse("no-at-sign")
                .unwrap_err()
                .to_string()
                .contains("has no @")
        );
        assert!(Email::parse("a@@b").is_err());
        assert!(Email::parse("a b@c.jp").is_err());
        assert!(Email::parse("a@.jp").is_err());
        assert!(Email::parse("@c.jp").is_err());
        let err = Email::parse("x").unwrap_err();
        assert!(
            err.message_ja().starts_with("メールアドレス"),
            "{}",
            err.message_ja()
        );
    }
}
