//! Listings product types, parsed before they reach a body. (SKUs are `sellerlink_domain::ids::Sku`, the one SKU
//! rule.)

use std::fmt;

use crate::input::{InputError, InputField, InputProblem, trimmed};

/// A Listings product type such as `PRODUCT` or `LUGGAGE`: upper-case letters, digits and `_`.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ProductType(String);

impl ProductType {
    const MAX_LEN: usize = 100;

    /// Parses a product type; lower case is accepted and upper-cased.
    pub fn parse(input: &str) -> Result<Self, InputError> {
        let field = InputField::ProductType;
        let value = trimmed(input).to_ascii_uppercase();
        if value.is_empty() {
            return Err(InputError::new(field, InputProblem::Empty));
        }
        let allowed = |c: char| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_';
        if let Some((index, c)) = value.chars().enumerate().find(|(_, c)| !allowed(*c)) {
            return Err(InputError::new(
                field,
                InputProblem::Character {
                    position: index + 1,
                    character: Some(c),
                },
            ));
        }
        if value.len() > Self::MAX_LEN {
            return Err(InputError::new(
                field,
                InputProblem::Length {
                    actual: value.len(),
                    max: Self::MAX_LEN,
                },
            ));
        }
        Ok(Self(value))
    }

    /// The generic product type commonly used for quantity-only patches.
    pub fn product() -> Self {
        Self("PRODUCT".to_owned())
    }

    /// The product type text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ProductType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for ProductType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ProductType({:?})", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn product_types_are_upper_case_words() {
        assert_eq!(ProductType::parse("luggage").unwrap().as_str(), "LUGGAGE");
        assert!(ProductType::parse("HOME GOODS").is_err());
        assert_eq!(ProductType::product().as_str(), "PRODUCT");
    }
}
