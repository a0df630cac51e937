//! SP-API's error envelope, the same for every API: `{"errors":[{"code","message","details"}]}`.

use std::fmt;

use serde::Deserialize;

use crate::lwa::excerpt_of as excerpt;

/// One entry of Amazon's `errors` list.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ApiError {
    /// Amazon's error code, e.g. `Unauthorized`, `QuotaExceeded`, `InvalidInput`.
    #[serde(default)]
    pub code: String,
    /// The message, e.g. `Access to requested resource is denied.`.
    #[serde(default)]
    pub message: String,
    /// Further details, e.g. `The access token you provided has expired.`; `None` when empty.
    #[serde(default, deserialize_with = "empty_as_none")]
    pub details: Option<String>,
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} — {}", self.code, self.message)?;
        if let Some(details) = &self.details {
            write!(f, " ({details})")?;
        }
        Ok(())
    }
}

fn empty_as_none<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<String>, D::Error> {
    let value = Option::<String>::deserialize(deserializer)?;
    Ok(value.filter(|text| !text.trim().is_empty()))
}

/// The error body of an SP-API answer.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ErrorEnvelope {
    /// Amazon's entries (usually one).
    #[serde(default)]
    pub errors: Vec<ApiError>,
}

impl ErrorEnvelope {
    /// Parses an error body. An empty body is an envelope without entries; anything that is not the
    /// envelope (an HTML page from a gateway, say) is described in the error.
    pub fn parse(body: &[u8]) -> Result<Self, String> {
        if body.iter().all(u8::is_ascii_whitespace) {
            return Ok(Self { errors: Vec::new() });
        }
        serde_json::from_slice(body).map_err(|_| {
            format!(
                "the body is not SP-API's error envelope ({})",
                excerpt(body)
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_details_are_none() {
        let envelope = ErrorEnvelope::parse(
            br#"{"errors":[{"code":"InvalidInput","message":"Invalid Input","details":""}]}"#,
        )
        .unwrap();
        assert_eq!(envelope.errors[0].details, None);
        assert_eq!(
            envelope.errors[0].to_string(),
            "InvalidInput — Invalid Input"
        );
        assert!(ErrorEnvelope::parse(b"").unwrap().errors.is_empty());
        assert!(
            ErrorEnvelope::parse(b"<html>502</html>")
                .unwrap_err()
                .contains("<html>502")
        );
    }
}
