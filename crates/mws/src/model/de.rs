//! Deserialisation helpers: element text parsed into typed values, with errors that name the
//! element and show the offending text.

use std::fmt::Display;

use jiff::Timestamp;
use serde::de::Error as _;
use serde::{Deserialize, Deserializer};

/// Reads an element's text and parses it, naming `element` if that fails.
pub(crate) fn element<'de, D, T, E>(
    deserializer: D,
    element: &str,
    parse: impl FnOnce(&str) -> Result<T, E>,
) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    E: Display,
{
    let text = String::deserialize(deserializer)?;
    parse(text.trim()).map_err(|error| {
        D::Error::custom(format_args!("element <{element}> holds {text:?}: {error}"))
    })
}

/// Like [`element`] for an optional element; an empty element counts as absent.
pub(crate) fn optional_element<'de, D, T, E>(
    deserializer: D,
    element: &str,
    parse: impl FnOnce(&str) -> Result<T, E>,
) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    E: Display,
{
    let text = Option::<String>::deserialize(deserializer)?;
    match text {
        None => Ok(None),
        Some(text) if text.trim().is_empty() => Ok(None),
        Some(text) => parse(text.trim()).map(Some).map_err(|error| {
            D::Error::custom(format_args!("element <{element}> holds {text:?}: {error}"))
        }),
    }
}

/// Parses an ISO 8601 instant with an offset (`Z`, `+00:00`, `-07`), fractional seconds allowed.
pub(crate) fn parse_timestamp(text: &str) -> Result<Timestamp, String> {
    text.parse::<Timestamp>()
        .map_err(|e| format!("not an ISO 8601 instant with an offset ({e})"))
}

/// Generates `fn name(deserializer)` helpers for `#[serde(deserialize_with = "…")]`, each bound
/// to the element name it reports in errors. `required` yields `T`, `optional` yields `Option<T>`
/// (use with `#[serde(default)]`).
macro_rules! element_parsers {
    ($( $kind:ident $name:ident : $element:literal => $ty:ty = $parse:expr ;)*) => {
        $( element_parsers!(@one $kind $name, $element, $ty, $parse); )*
    };
    (@one required $name:ident, $element:literal, $ty:ty, $parse:expr) => {
        fn $name<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<$ty, D::Error> {
            $crate::model::de::element(deserializer, $element, $parse)
        }
    };
    (@one optional $name:ident, $element:literal, $ty:ty, $parse:expr) => {
        fn $name<'de, D: serde::Deserializer<'de>>(
            deserializer: D,
        ) -> Result<Option<$ty>, D::Error> {
            $crate::model::de::optional_element(deserializer, $element, $parse)
        }
    };
}

pub(crate) use element_parsers;

/// Reads an optional `true`/`false` element; an empty element counts as absent.
pub(crate) fn optional_bool<'de, D>(deserializer: D) -> Result<Option<bool>, D::Error>
where
    D: Deserializer<'de>,
{
    match optional_text(deserializer)?.as_deref() {
        None => Ok(None),
        Some("true" | "True" | "TRUE" | "1") => Ok(Some(true)),
        Some("false" | "False" | "FALSE" | "0") => Ok(Some(false)),
        Some(other) => Err(D::Error::custom(format_args!(
            "expected true or false, found {other:?}"
        ))),
    }
}

/// Reads an optional non-negative integer element; an empty element counts as absent.
pub(crate) fn optional_u32<'de, D>(deserializer: D) -> Result<Option<u32>, D::Error>
where
    D: Deserializer<'de>,
{
    match optional_text(deserializer)? {
        None => Ok(None),
        Some(text) => text.parse::<u32>().map(Some).map_err(|_| {
            D::Error::custom(format_args!(
                "expected a non-negative whole number, found {text:?}"
            ))
        }),
    }
}

/// Reads an optional text element; an empty element counts as absent.
pub(crate) fn optional_text<'de, D>(deserializer: D) -> Result<Option<String>, D::Error>
where
    D: Deserializer<'de>,
{
    let text = Option::<String>::deserialize(deserializer)?;
    Ok(text.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty()))
}
