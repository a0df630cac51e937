//! Typed MWS responses. Elements are matched by local name (namespaces and prefixes are
//! ignored), unknown elements are skipped, element order does not matter, and both
//! `RequestId` and `RequestID` are read.

pub mod common;
pub(crate) mod de;
pub mod feeds;
pub mod orders;
pub mod sellers;
pub mod service_status;

use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::error::DecodeError;

/// Parses a whole document into `T`, turning every failure into a [`DecodeError`].
pub(crate) fn decode<T: DeserializeOwned>(xml: &str) -> Result<T, DecodeError> {
    quick_xml::de::from_str(xml).map_err(DecodeError::from_xml)
}

/// `ResponseMetadata`, present on every successful response.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct ResponseMetadata {
    #[serde(rename = "RequestId", alias = "RequestID", default)]
    request_id: Option<String>,
}

impl ResponseMetadata {
    pub(crate) fn request_id(metadata: Option<Self>) -> Option<String> {
        metadata
            .and_then(|m| m.request_id)
            .map(|id| id.trim().to_owned())
            .filter(|id| !id.is_empty())
    }
}

#[cfg(test)]
pub(crate) mod tests {
    /// Reads `tests/fixtures/<name>`.
    pub(crate) fn fixture(name: &str) -> String {
        let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }
}
