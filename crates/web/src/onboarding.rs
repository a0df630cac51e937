//! Connecting a seller account with the guide's three values (step ⑤) and, optionally, the dates Seller Central
//! shows for the grant: every value is parsed where it is typed, the grant is proven against Amazon before
//! anything is stored, and each refusal says what to do next. The page wizard and the API share this.

use jiff::Timestamp;
use sellerlink_app::{ConnectionView, MwsTokenReplacement, NewMwsConnection};
use sellerlink_domain::audit::Actor;
use sellerlink_domain::connection::{ApiAccount, ConnectionStatus};
use sellerlink_domain::ids::{IdError, IdField, MarketplaceId, MerchantId, MwsAuthToken, SellerId};
use sellerlink_domain::lifecycle::{LifecycleError, RenewalTerm, SellerCentralDates};

use crate::error::{HttpError, field_of};
use crate::state::WebState;

/// The three values as typed, and the grant's dates (`YYYY-MM-DD` or empty) with the 有効期限なし box.
#[derive(Clone, Default)]
pub(crate) struct TypedGrant {
    pub seller_id: String,
    pub marketplace_id: String,
    pub mws_auth_token: String,
    pub granted_on: String,
    pub last_approved_on: String,
    pub expires_on: String,
    pub no_expiry: bool,
}

impl std::fmt::Debug for TypedGrant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TypedGrant")
            .field("seller_id", &self.seller_id)
            .field("marketplace_id", &self.marketplace_id)
            .field("mws_auth_token", &"[redacted]")
            .field("granted_on", &self.granted_on)
            .field("last_approved_on", &self.last_approved_on)
            .field("expires_on", &self.expires_on)
            .field("no_expiry", &self.no_expiry)
            .finish()
    }
}

/// The three values and the dates, parsed and checked.
#[derive(Debug, Clone)]
pub(crate) struct Grant {
    pub seller_id: SellerId,
    pub marketplace_id: MarketplaceId,
    pub auth_token: MwsAuthToken,
    pub dates: SellerCentralDates,
}

/// One typed value that does not parse, with its message in both languages.
#[derive(Debug, Clone)]
pub(crate) struct FieldProblem {
    pub field: &'static str,
    pub message: String,
    pub message_ja: String,
}

impl FieldProblem {
    /// Amazon's refusal of a grant as a message at the field it points at (the Seller ID Amazon does not know, the
    /// token it refused, the marketplace the seller does not sell in), naming the field in both languages; `None`
    /// for any other error (no typed value at fault, or not Amazon's answer).
    pub(crate) fn from_refusal(error: &HttpError) -> Option<Self> {
        if error.code == "invalid_input" {
            return None;
        }
        let field = error.field?;
        let id = [
            IdField::SellerId,
            IdField::MarketplaceId,
            IdField::MwsAuthToken,
        ]
        .into_iter()
        .find(|id| id.key() == field)?;
        let naming = |name: &str, message: &str| {
            if message.contains(name) {
                message.to_owned()
            } else {
                format!("{name}: {message}")
            }
        };
        Some(Self {
            field,
            message: naming(id.name_en(), &error.message),
            message_ja: naming(id.name_ja(), &error.message_ja),
        })
    }
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

impl From<LifecycleError> for FieldProblem {
    fn from(error: LifecycleError) -> Self {
        Self {
            field: error.field().map_or("expires_on", |f| f.name()),
            message: error.to_string(),
            message_ja: error.message_ja(),
        }
    }
}

/// Parses all three values, reporting every one that does not parse (not only the first), then the dates: checked
/// at `now` by the same rules as every other way in (nothing in the future, the expiry at most a year after the
/// last approval, consistent with each other).
pub(crate) fn parse(typed: &TypedGrant, now: Timestamp) -> Result<Grant, Vec<FieldProblem>> {
    let seller_id = SellerId::parse(&typed.seller_id);
    let marketplace_id = MarketplaceId::parse(&typed.marketplace_id);
    let auth_token = MwsAuthToken::parse(&typed.mws_auth_token);
    let home = marketplace_id
        .as_ref()
        .map_or_else(|_| MarketplaceId::japan(), Clone::clone);
    let dates = parse_dates(typed, now, &home);
    match (seller_id, marketplace_id, auth_token, dates) {
        (Ok(seller_id), Ok(marketplace_id), Ok(auth_token), Ok(dates)) => Ok(Grant {
            seller_id,
            marketplace_id,
            auth_token,
            dates,
        }),
        (seller_id, marketplace_id, auth_token, dates) => {
            let mut problems = Vec::new();
            problems.extend(seller_id.err().map(FieldProblem::from));
            problems.extend(marketplace_id.err().map(FieldProblem::from));
            problems.extend(auth_token.err().map(FieldProblem::from));
            problems.extend(dates.err().map(FieldProblem::from));
            Err(problems)
        }
    }
}

fn parse_dates(
    typed: &TypedGrant,
    now: Timestamp,
    home: &MarketplaceId,
) -> Result<SellerCentralDates, LifecycleError> {
    let home = home.marketplace();
    let dates = SellerCentralDates::from_form(
        &typed.granted_on,
        &typed.last_approved_on,
        &typed.expires_on,
        typed.no_expiry,
        home,
    )?;
    dates.grant(now, home, RenewalTerm::OneYear)?;
    Ok(dates)
}

/// What connecting did.
pub(crate) enum Connected {
    /// A new connection.
    Added(ConnectionView),
    /// The merchant's MWS connection to this seller had lost access; its token was replaced.
    TokenReplaced(ConnectionView),
}

impl Connected {
    pub(crate) fn view(&self) -> &ConnectionView {
        match self {
            Self::Added(view) | Self::TokenReplaced(view) => view,
        }
    }
}

/// Connects the account through the app's verified onboarding: Amazon is asked first (with the developer keys the
/// app is configured with), nothing is stored when it refuses (the error says what to do next), and a verified
/// connection's orders start importing in the background if configured. When the merchant already has an MWS
/// connection to this seller that was revoked, expired or refused, the new grant replaces its token instead.
pub(crate) async fn connect(
    state: &WebState,
    merchant_id: MerchantId,
    grant: Grant,
    actor: &Actor,
) -> Result<Connected, HttpError> {
    let app = state.app();
    let lost = app
        .connections(Some(merchant_id))
        .await?
        .into_iter()
        .find(|view| {
            matches!(&view.connection.account, ApiAccount::Mws { seller_id, .. } if *seller_id == grant.seller_id)
                && matches!(
                    view.status,
                    ConnectionStatus::Revoked
                        | ConnectionStatus::Expired
                        | ConnectionStatus::AccessDenied
                )
        });
    let connected = match lost {
        Some(existing) => Connected::TokenReplaced(
            app.replace_mws_token(
                MwsTokenReplacement {
                    connection_id: existing.connection.id,
                    auth_token: grant.auth_token,
                    dates: grant.dates,
                },
                actor,
            )
            .await?,
        ),
        None => Connected::Added(
            app.add_mws_connection(
                NewMwsConnection {
                    merchant_id,
                    seller_id: grant.seller_id,
                    marketplaces: vec![grant.marketplace_id],
                    auth_token: grant.auth_token,
                    granted_at: grant.dates.granted_at,
                    last_approved_on: grant.dates.last_approved_on,
                    expiry: grant.dates.expiry,
                    skip_verification: false,
                },
                actor,
            )
            .await?,
        ),
    };
    let view = connected.view();
    if state.config().sync_after_connect && view.connection.verified_at.is_some() {
        state.import_in_background(view.connection.id);
    }
    Ok(connected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amazons_refusals_go_to_the_field_they_point_at_naming_it() {
        use sellerlink_app::{AppError, VerificationFailure};
        use sellerlink_domain::ids::DeveloperId;
        let seller_id = SellerId::parse("A1B2C3D4E5F6G7").unwrap();
        let developer_id = DeveloperId::parse("5259-6479-4073").unwrap();
        let host = "sellercentral.amazon.co.jp".to_owned();
        let unknown = HttpError::from(AppError::Verification(
            VerificationFailure::SellerIdNotFound {
                seller_id: seller_id.clone(),
                developer_id: developer_id.clone(),
                seller_central_host: host.clone(),
            },
        ));
        let inline = FieldProblem::from_refusal(&unknown).unwrap();
        assert_eq!(inline.field, "seller_id");
        assert!(
            inline
                .message_ja
                .starts_with("出品者ID A1B2C3D4E5F6G7 のアカウント")
        );
        let expired = HttpError::from(AppError::Verification(VerificationFailure::AccessExpired {
            seller_id,
            developer_id,
            seller_central_host: host,
        }));
        let inline = FieldProblem::from_refusal(&expired).unwrap();
        assert_eq!(inline.field, "mws_auth_token");
        assert!(
            inline.message_ja.starts_with("MWS認証トークン: "),
            "{}",
            inline.message_ja
        );
        assert!(
            inline.message.starts_with("MWS Auth Token: "),
            "{}",
            inline.message
        );
        let unreachable =
            HttpError::from(AppError::Verification(VerificationFailure::Unreachable {
                detail: "timeout".into(),
            }));
        assert!(FieldProblem::from_refusal(&unreachable).is_none());
        let malformed = HttpError::invalid_id(&SellerId::parse("B1").unwrap_err());
        assert!(FieldProblem::from_refusal(&malformed).is_none());
    }

    #[test]
    fn every_bad_field_is_reported() {
        let typed = TypedGrant {
            seller_id: "B12".into(),
            marketplace_id: "A1VC38T7YXB528".into(),
            mws_auth_token: "nope".into(),
            ..TypedGrant::default()
        };
        let problems = parse(&typed, Timestamp::now()).unwrap_err();
        let fields: Vec<_> = problems.iter().map(|p| p.field).collect();
        assert_eq!(fields, ["seller_id", "mws_auth_token"]);
        assert!(problems[0].message_ja.starts_with("出品者ID"));
        let good = TypedGrant {
            seller_id: " a1b2c3d4e5f6g7 ".into(),
            marketplace_id: "A1VC38T7YXB528".into(),
            mws_auth_token: "amzn.mws.01234567-89ab-cdef-0123-456789abcdef".into(),
            ..TypedGrant::default()
        };
        assert_eq!(
            parse(&good, Timestamp::now()).unwrap().seller_id.as_str(),
            "A1B2C3D4E5F6G7"
        );
    }
}
