//! The MWS connection wizard: the guide's steps ① to ⑤ with the right Seller Central link, the developer name and
//! ID to type (with copy buttons), what the consent boxes mean, and the form for the three values and the grant's
//! dates as Seller Central shows them, with inline validation. On submit the grant is verified against Amazon
//! before anything is stored; a new grant for a seller whose connection lost access replaces its token.
//!
//! When a value does not parse or Amazon refuses the grant, the form comes back with every value as the merchant
//! typed it (normalised where it parsed: `ａ１ｂ２…` shows as `A1B2…`) and the message at the field at fault, in the
//! merchant's language. **The MWS Auth Token is kept in its field too.** It is a secret, but it came from this
//! browser in this very request, the page is sent `Cache-Control: no-store` and `Referrer-Policy: no-referrer`
//! (`crate::security`), and making the merchant fetch it from Seller Central again for a typo in the Seller ID is
//! the failure the wizard exists to avoid. It is never put into a message, a log line or an API response.

use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use sellerlink_domain::connection::Language;
use sellerlink_domain::ids::{MarketplaceId, MerchantId, MwsAuthToken, SellerId};
use sellerlink_domain::marketplace::{self, Marketplace};
use serde::Deserialize;

use super::{Chrome, error_page, render, see_other};
use crate::auth::caller::PageUser;
use crate::error::HttpError;
use crate::i18n::texts;
use crate::onboarding::{self, Connected, FieldProblem, TypedGrant};
use crate::state::WebState;
use crate::tenancy::merchant_not_found;

/// A marketplace in the step ① chooser.
pub(crate) struct MarketplaceOption {
    pub id: &'static str,
    pub label: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "wizard.html")]
struct WizardPage {
    chrome: Chrome,
    merchant_id: String,
    marketplaces: Vec<MarketplaceOption>,
    registration_url: String,
    developer_name: String,
    developer_id: String,
    problem: Option<String>,
    seller_id: String,
    marketplace_id: String,
    mws_auth_token: String,
    granted_on: String,
    last_approved_on: String,
    expires_on: String,
    no_expiry: bool,
    seller_id_error: Option<String>,
    marketplace_id_error: Option<String>,
    mws_auth_token_error: Option<String>,
    granted_on_error: Option<String>,
    last_approved_on_error: Option<String>,
    expires_on_error: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct ChooserQuery {
    marketplace: Option<String>,
}

#[derive(Deserialize)]
pub(crate) struct GrantForm {
    #[serde(default)]
    seller_id: String,
    #[serde(default)]
    marketplace_id: String,
    #[serde(default)]
    mws_auth_token: String,
    #[serde(default)]
    granted_on: String,
    #[serde(default)]
    last_approved_on: String,
    #[serde(default)]
    expires_on: String,
    /// The 有効期限なし checkbox: present (any value) when ticked.
    no_expiry: Option<String>,
}

/// Where the merchant signs in to grant access for this marketplace: Seller Central's MWS registration page on
/// the marketplace's own host, or on the configured Seller Central (the sandbox in the demo).
fn registration_url(state: &WebState, market: &Marketplace) -> String {
    match &state.config().seller_central_url {
        Some(base) => format!(
            "{}/gp/mws/registration/register.html",
            base.as_str().trim_end_matches('/')
        ),
        None => market.mws_registration_url(),
    }
}

/// Every marketplace SP-API serves, Amazon.co.jp first selected.
pub(crate) fn spapi_marketplaces(language: Language) -> Vec<MarketplaceOption> {
    choices(MarketplaceId::japan().marketplace(), language, |_| true)
}

fn options(chosen: &Marketplace, language: Language) -> Vec<MarketplaceOption> {
    choices(chosen, language, |m| m.mws_host.is_some())
}

/// The marketplaces `keep` allows, Amazon.co.jp first, each as "country (Amazon.xx)" with the country in the
/// reader's language (日本, アメリカ合衆国, … in Japanese).
fn choices(
    chosen: &Marketplace,
    language: Language,
    keep: fn(&Marketplace) -> bool,
) -> Vec<MarketplaceOption> {
    marketplace::japan_first()
        .filter(|m| keep(m))
        .map(|m| MarketplaceOption {
            id: m.id,
            label: match language {
                Language::Ja => format!("{}（{}）", m.country_ja(), m.name),
                Language::En => format!("{} ({})", m.country, m.name),
            },
            selected: m.id == chosen.id,
        })
        .collect()
}

/// What the form shows again: the values as typed (normalised where they parse), and what is wrong with them.
struct Typed {
    grant: TypedGrant,
    problems: Vec<FieldProblem>,
    problem: Option<String>,
}

fn wizard(
    state: &WebState,
    user: &PageUser,
    merchant: MerchantId,
    chosen: &Marketplace,
    typed: Typed,
) -> WizardPage {
    let chrome = Chrome::new(&user.visitor, None);
    let language = user.visitor.language;
    let message_for = |field: &str| {
        typed
            .problems
            .iter()
            .find(|p| p.field == field)
            .map(|p| match language {
                Language::Ja => p.message_ja.clone(),
                Language::En => p.message.clone(),
            })
    };
    let developer = &state.app().settings().developer;
    WizardPage {
        merchant_id: merchant.to_string(),
        marketplaces: options(chosen, language),
        registration_url: registration_url(state, chosen),
        developer_name: developer.name.clone(),
        developer_id: developer.developer_id.dashed(),
        problem: typed.problem.clone(),
        seller_id_error: message_for("seller_id"),
        marketplace_id_error: message_for("marketplace_id"),
        mws_auth_token_error: message_for("mws_auth_token"),
        granted_on_error: message_for("granted_on"),
        last_approved_on_error: message_for("last_approved_on"),
        expires_on_error: message_for("expires_on"),
        seller_id: shown(&typed.grant.seller_id, |t| {
            SellerId::parse(t).map(|id| id.to_string())
        }),
        marketplace_id: shown(&typed.grant.marketplace_id, |t| {
            MarketplaceId::parse(t).map(|id| id.to_string())
        }),
        mws_auth_token: shown(&typed.grant.mws_auth_token, |t| {
            MwsAuthToken::parse(t).map(|token| token.expose_secret().to_owned())
        }),
        granted_on: typed.grant.granted_on.trim().to_owned(),
        last_approved_on: typed.grant.last_approved_on.trim().to_owned(),
        expires_on: typed.grant.expires_on.trim().to_owned(),
        no_expiry: typed.grant.no_expiry,
        chrome,
    }
}

/// A typed value as the form shows it again: its canonical form when it parses, else as typed without the spaces
/// around it (so the merchant sees what to correct).
fn shown<E>(typed: &str, canonical: impl Fn(&str) -> Result<String, E>) -> String {
    canonical(typed).unwrap_or_else(|_| typed.trim().to_owned())
}

fn chosen_marketplace(text: Option<&str>) -> &'static Marketplace {
    text.and_then(|t| MarketplaceId::parse(t).ok())
        .map(|id| id.marketplace())
        .filter(|m| m.mws_host.is_some())
        .unwrap_or_else(|| MarketplaceId::japan().marketplace())
}

async fn merchant_in_scope(
    state: &WebState,
    user: &PageUser,
    merchant_id: &str,
) -> Result<MerchantId, HttpError> {
    let id = MerchantId::parse(merchant_id).map_err(|_| merchant_not_found())?;
    Ok(user.scope().merchant_record(state.app(), id).await?.id)
}

/// The wizard.
pub(crate) async fn form(
    State(state): State<WebState>,
    user: PageUser,
    Path(merchant_id): Path<String>,
    Query(query): Query<ChooserQuery>,
) -> Response {
    let merchant = match merchant_in_scope(&state, &user, &merchant_id).await {
        Ok(id) => id,
        Err(error) => return error_page(&user.visitor, &error),
    };
    let chosen = chosen_marketplace(query.marketplace.as_deref());
    let typed = Typed {
        grant: TypedGrant {
            marketplace_id: chosen.id.to_owned(),
            ..TypedGrant::default()
        },
        problems: Vec::new(),
        problem: None,
    };
    render(
        StatusCode::OK,
        &wizard(&state, &user, merchant, chosen, typed),
    )
}

/// Step ⑤ submitted: parse, verify against Amazon, store; or show what to fix, inline.
pub(crate) async fn submit(
    State(state): State<WebState>,
    user: PageUser,
    Path(merchant_id): Path<String>,
    Form(form): Form<GrantForm>,
) -> Response {
    let merchant = match merchant_in_scope(&state, &user, &merchant_id).await {
        Ok(id) => id,
        Err(error) => return error_page(&user.visitor, &error),
    };
    let typed = TypedGrant {
        seller_id: form.seller_id,
        marketplace_id: form.marketplace_id,
        mws_auth_token: form.mws_auth_token,
        granted_on: form.granted_on,
        last_approved_on: form.last_approved_on,
        expires_on: form.expires_on,
        no_expiry: form.no_expiry.is_some(),
    };
    let chosen = chosen_marketplace(Some(&typed.marketplace_id));
    let refused = |problems: Vec<FieldProblem>, problem: Option<String>, status: StatusCode| {
        let again = Typed {
            grant: typed.clone(),
            problems,
            problem,
        };
        render(status, &wizard(&state, &user, merchant, chosen, again))
    };
    let grant = match onboarding::parse(&typed, state.app().now()) {
        Ok(grant) => grant,
        Err(problems) => return refused(problems, None, StatusCode::UNPROCESSABLE_ENTITY),
    };
    match onboarding::connect(&state, merchant, grant, &user.actor()).await {
        Ok(Connected::Added(_)) => see_other(&format!("/merchants/{merchant}?notice=connected")),
        Ok(Connected::TokenReplaced(_)) => {
            see_other(&format!("/merchants/{merchant}?notice=token_replaced"))
        }
        Err(error) => match FieldProblem::from_refusal(&error) {
            // Amazon's refusal points at a value: the message goes to that field, the banner says where to look.
            Some(inline) => refused(
                vec![inline],
                Some(
                    texts(user.visitor.language)
                        .wizard_refused_at_field
                        .to_owned(),
                ),
                error.status,
            ),
            None => {
                let inline = error.field.map(|field| FieldProblem {
                    field,
                    message: error.message.clone(),
                    message_ja: error.message_ja.clone(),
                });
                refused(
                    inline.into_iter().collect(),
                    Some(error.message_in(user.visitor.language).to_owned()),
                    error.status,
                )
            }
        },
    }
}
