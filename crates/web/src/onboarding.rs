//! Connecting a seller account with the guide's three values (step ⑤): every value is parsed where it is typed,
//! the grant is proven against Amazon before anything is stored, and each refusal says what to do next. The page
//! wizard and the API share this.

use axum::http::StatusCode;
use secrecy::SecretString;
use sellerlink_app::{ConnectionView, NewMwsConnection};
use sellerlink_domain::audit::Actor;
use sellerlink_domain::connection::{ApiAccount, ConnectedMarketplace, Connection};
use sellerlink_domain::ids::{ConnectionId, IdError, MarketplaceId, MerchantId, MwsAuthToken, SellerId};
use sellerlink_domain::lifecycle::{AccessGrant, RenewalTerm};
use sellerlink_sync::{DenialCause, OrderSource as _, SourceErrorKind, VerifyOutcome};

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

/// Proves the grant against Amazon, stores the connection (sealed, audited), records the verification and, if
/// configured, starts importing its orders. Without Amazon access the connection is stored unverified.
pub(crate) async fn connect(
    state: &WebState,
    merchant_id: MerchantId,
    grant: Grant,
    actor: &Actor,
) -> Result<ConnectionView, HttpError> {
    let app = state.app();
    if let Some(amazon) = state.amazon() {
        prove(state, merchant_id, &grant, amazon).await?;
    }
    let view = app
        .add_mws_connection(
            NewMwsConnection {
                merchant_id,
                seller_id: grant.seller_id,
                marketplaces: vec![grant.marketplace_id],
                auth_token: grant.auth_token,
                granted_at: None,
                last_approved_on: None,
                expiry: None,
            },
            actor,
        )
        .await?;
    let id = view.connection.id;
    let Some(amazon) = state.amazon() else {
        return Ok(view);
    };
    match amazon.importer.verify_connection(id).await {
        Ok(VerifyOutcome::Verified(_)) => {}
        Ok(VerifyOutcome::AccessDenied { message, .. }) => {
            tracing::warn!(connection.id = %id, %message, "Amazon refused a grant it accepted a moment ago");
        }
        Err(error) => tracing::warn!(connection.id = %id, %error, "recording the verification failed"),
    }
    if amazon.access.sync_after_connect {
        amazon.import_in_background(id);
    }
    Ok(app.connection(id).await?)
}

/// Asks Amazon whether the grant works before anything is stored.
async fn prove(
    state: &WebState,
    merchant_id: MerchantId,
    grant: &Grant,
    amazon: &crate::sync::Amazon,
) -> Result<(), HttpError> {
    let now = state.now();
    let developer = &state.app().settings().developer;
    let candidate = Connection {
        id: ConnectionId::new(),
        merchant_id,
        account: ApiAccount::Mws {
            seller_id: grant.seller_id.clone(),
            developer_id: developer.developer_id.clone(),
        },
        marketplaces: vec![ConnectedMarketplace {
            id: grant.marketplace_id.clone(),
            name: None,
        }],
        grant: AccessGrant::new(now, grant.marketplace_id.marketplace(), RenewalTerm::OneYear, true),
        verified_at: None,
        created_at: now,
    };
    let token = SecretString::from(grant.auth_token.expose_secret().to_owned());
    let source = amazon
        .factory
        .mws_source(&candidate, &token)
        .map_err(|e| HttpError::internal(&e))?;
    let participations = match source.verify().await {
        Ok(participations) => participations,
        Err(error) => return Err(refusal(state, &error.kind, &error.message)),
    };
    if participations.iter().any(|p| p.marketplace_id == grant.marketplace_id) {
        return Ok(());
    }
    let listed: Vec<String> = participations
        .iter()
        .map(|p| match &p.name {
            Some(name) => format!("{} ({name})", p.marketplace_id),
            None => p.marketplace_id.to_string(),
        })
        .collect();
    let listed = listed.join(", ");
    Err(HttpError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "marketplace_not_participating",
        format!(
            "Amazon accepted the grant, but this seller account does not sell in marketplace {}. It sells in: \
             {listed}. Type the Marketplace ID shown on Seller Central's completion page.",
            grant.marketplace_id
        ),
        format!(
            "権限は確認できましたが、この出品者アカウントはマーケットプレイス {} で出品していません。出品中: {listed}。\
             セラーセントラルの完了画面に表示されたマーケットプレイスIDを入力してください。",
            grant.marketplace_id
        ),
    )
    .with_field("marketplace_id"))
}

/// What a refusal by Amazon means for the merchant, and what to do next.
fn refusal(state: &WebState, kind: &SourceErrorKind, amazon_says: &str) -> HttpError {
    let developer = &state.app().settings().developer;
    let (name, id) = (&developer.name, developer.developer_id.dashed());
    match kind {
        SourceErrorKind::AccessDenied {
            cause: DenialCause::SellerAccess,
            ..
        } => HttpError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "amazon_access_denied",
            format!(
                "Amazon refused these values. Check in Seller Central (User Permissions → Amazon MWS Developer \
                 Permissions) that developer {name} ({id}) is listed with valid access, and copy the Seller ID and \
                 MWS Auth Token again exactly as the completion page showed them (the token belongs to that Seller \
                 ID). If the grant expired, restore it first. Amazon said: {amazon_says}"
            ),
            format!(
                "Amazon がこの値を受け付けませんでした。セラーセントラル（ユーザー権限 → Amazon MWS 開発者権限）で、開発者 \
                 {name}（{id}）の行があり有効であることを確認し、完了画面に表示された出品者IDとMWS認証トークンを正確に\
                 コピーし直してください（トークンはその出品者IDに対して発行されます）。期限切れの場合は先に「アクセス権の\
                 復元」を行ってください。Amazon の応答: {amazon_says}"
            ),
        )
        .with_field("mws_auth_token"),
        SourceErrorKind::AccessDenied {
            cause: DenialCause::OperatorCredentials,
            ..
        } => HttpError::new(
            StatusCode::BAD_GATEWAY,
            "amazon_operator_credentials",
            "Amazon refused sellerlink's own developer keys, so no grant can be checked right now. Nothing was \
             saved; please tell the 3PL's operator.",
            "Amazon が sellerlink 側の開発者キーを拒否したため、現在権限を確認できません。何も保存されていません。\
             3PL の運用担当者にご連絡ください。",
        ),
        SourceErrorKind::Throttled { .. } | SourceErrorKind::Transient => HttpError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "amazon_unavailable",
            format!("Amazon did not answer in time, so the grant could not be checked. Nothing was saved; try again in a few minutes. ({amazon_says})"),
            format!("Amazon から応答がなかったため、権限を確認できませんでした。何も保存されていません。数分後にもう一度お試しください。（{amazon_says}）"),
        ),
        SourceErrorKind::Invalid | SourceErrorKind::Other => HttpError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "amazon_rejected",
            format!(
                "Amazon rejected the request made with these values. Check the Seller ID and Marketplace ID against \
                 Seller Central's completion page. Amazon said: {amazon_says}"
            ),
            format!(
                "この値でのリクエストを Amazon が拒否しました。出品者IDとマーケットプレイスIDをセラーセントラルの完了画面と\
                 照らし合わせてください。Amazon の応答: {amazon_says}"
            ),
        )
        .with_field("seller_id"),
    }
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
