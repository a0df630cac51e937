//! Connecting a seller account with the guide's three values (step ⑤): every value is parsed where it is typed,
//! the grant is proven against Amazon before anything is stored, and each refusal says what to do next. The page
//! wizard and the API share this.

use sellerlink_app::{ConnectionView, NewMwsConnection};
use sellerlink_domain::audit::Actor;
use sellerlink_domain::ids::{IdError, MarketplaceId, MerchantId, MwsAuthToken, SellerId};

use crate::error::{HttpError, field_of};
use crate::state::WebState;

/// The three values as typed.
#[derive(Clone, Default)]
pub(crate) struct TypedGrant {
    pub seller_id: String,
    pub marketplace_id: String,
    pub mws_auth_token: String,
}

impl std::fmt::Debug for TypedGrant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TypedGrant")
            .field("seller_id", &self.seller_id)
            .field("marketplace_id", &self.marketplace_id)
            .field("mws_auth_token", &"[redacted]")
            .finish()
    }
}

/// The three values, parsed.
#[derive(Debug, Clone)]
pub(crate) struct Grant {
    pub seller_id: SellerId,
    pub marketplace_id: MarketplaceId,
    pub auth_token: MwsAuthToken,
}

/// One typed value that does not parse, with its message in both languages.
#[derive(Debug, Clone)]
pub(crate) struct FieldProblem {
    pub field: &'static str,
    pub message: String,
    pub message_ja: String,
}

impl From<IdError> for FieldProblem {
    fn from(error: IdError) -> Self {
        Self {
            field: field_of(error.field),
            message: error.to_string(),
            message_ja: error.message_ja(),
        }
    }
}

/// Parses all three values, reporting every one that does not parse (not only the first).
pub(crate) fn parse(typed: &TypedGrant) -> Result<Grant, Vec<FieldProblem>> {
    let seller_id = SellerId::parse(&typed.seller_id);
    let marketplace_id = MarketplaceId::parse(&typed.marketplace_id);
    let auth_token = MwsAuthToken::parse(&typed.mws_auth_token);
    match (seller_id, marketplace_id, auth_token) {
        (Ok(seller_id), Ok(marketplace_id), Ok(auth_token)) => Ok(Grant {
            seller_id,
            marketplace_id,
            auth_token,
        }),
        (seller_id, marketplace_id, auth_token) => {
            let mut problems = Vec::new();
            problems.extend(seller_id.err().map(FieldProblem::from));
            problems.extend(marketplace_id.err().map(FieldProblem::from));
            problems.extend(auth_token.err().map(FieldProblem::from));
            Err(problems)
        }
    }
}

/// Connects the account through the app's verified onboarding: Amazon is asked first (with the developer keys the
/// app is configured with), nothing is stored when it refuses (the error says what to do next), and a verified
/// connection's orders start importing in the background if configured.
pub(crate) async fn connect(
    state: &WebState,
    merchant_id: MerchantId,
    grant: Grant,
    actor: &Actor,
) -> Result<ConnectionView, HttpError> {
    let view = state
        .app()
        .add_mws_connection(
            NewMwsConnection {
                merchant_id,
                seller_id: grant.seller_id,
                marketplaces: vec![grant.marketplace_id],
                auth_token: grant.auth_token,
                granted_at: None,
                last_approved_on: None,
                expiry: None,
                skip_verification: false,
            },
            actor,
        )
        .await?;
    if state.config().sync_after_connect && view.connection.verified_at.is_some() {
        state.import_in_background(view.connection.id);
    }
    Ok(view)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bad_field_is_reported() {
        let typed = TypedGrant {
            seller_id: "B12".into(),
            marketplace_id: "A1VC38T7YXB528".into(),
            mws_auth_token: "nope".into(),
        };
        let problems = parse(&typed).unwrap_err();
        let fields: Vec<_> = problems.iter().map(|p| p.field).collect();
        assert_eq!(fields, ["seller_id", "mws_auth_token"]);
        assert!(problems[0].message_ja.starts_with("出品者ID"));
        let good = TypedGrant {
            seller_id: " a1b2c3d4e5f6g7 ".into(),
            marketplace_id: "A1VC38T7YXB528".into(),
            mws_auth_token: "amzn.mws.01234567-89ab-cdef-0123-456789abcdef".into(),
        };
        assert_eq!(parse(&good).unwrap().seller_id.as_str(), "A1B2C3D4E5F6G7");
    }
}
