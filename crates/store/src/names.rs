//! Short names the store keys rows by (sync streams, lease names and owners), parsed at the edge.

/// A name that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {problem}; expected {expected}")]
pub struct NameError {
    /// Which name was being parsed, e.g. `lease name`.
    pub field: &'static str,
    /// What is wrong with it.
    pub problem: String,
    /// The expected format.
    pub expected: &'static str,
}

/// The rules one kind of name follows.
pub(crate) struct NameRule {
    pub(crate) field: &'static str,
    pub(crate) max_chars: usize,
    pub(crate) allowed: fn(char) -> bool,
    pub(crate) expected: &'static str,
}

impl NameRule {
    /// The trimmed name, or what is wrong with it.
    pub(crate) fn check(&self, input: &str) -> Result<String, NameError> {
        let refuse = |problem: String| NameError {
            field: self.field,
            problem,
            expected: self.expected,
        };
        let name = input.trim();
        if name.is_empty() {
            return Err(refuse("is empty".to_owned()));
        }
        let count = name.chars().count();
        if count > self.max_chars {
            return Err(refuse(format!("is {count} characters long")));
        }
        if let Some((at, c)) = name.chars().enumerate().find(|(_, c)| !(self.allowed)(*c)) {
            return Err(refuse(format!(
                "contains {c:?} at position {}, which is not allowed",
                at + 1
            )));
        }
        Ok(name.to_owned())
    }
}

/// Implements `as_str`, `Display` and `FromStr` for a name newtype with a `parse` constructor.
macro_rules! name_plumbing {
    ($name:ident) => {
        impl $name {
            /// The name.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::names::NameError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::parse(s)
            }
        }
    };
}
pub(crate) use name_plumbing;

#[cfg(test)]
mod tests {
    use super::*;

    const RULE: NameRule = NameRule {
        field: "thing",
        max_chars: 3,
        allowed: |c| c.is_ascii_lowercase(),
        expected: "1–3 lower-case letters",
    };

    #[test]
    fn names_are_trimmed_and_checked() {
        assert_eq!(RULE.check(" ab ").unwrap(), "ab");
        assert_eq!(
            RULE.check("").unwrap_err().to_string(),
            "thing: is empty; expected 1–3 lower-case letters"
        );
        assert!(
            RULE.check("abcd")
                .unwrap_err()
                .problem
                .contains("4 characters")
        );
        assert!(RULE.check("aB").unwrap_err().problem.contains("position 2"));
    }
}
