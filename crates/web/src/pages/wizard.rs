//! The MWS connection wizard: the guide's steps ① to ⑤ with the right Seller Central link, the developer name and
//! ID to type (with copy buttons), what the consent boxes mean, and the form for the three values with inline
//! validation. On submit the grant is verified against Amazon before anything is stored.

use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use sellerlink_domain::connection::Language;
use sellerlink_domain::ids::{MarketplaceId, MerchantId};
use sellerlink_domain::marketplace::{self, Marketplace};
use serde::Deserialize;

use super::{Chrome, error_page, render, see_other};
use crate::auth::caller::PageUser;
use crate::error::HttpError;
use crate::onboarding::{self, FieldProblem, TypedGrant};
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
    seller_id_error: Option<String>,
    marketplace_id_error: Option<String>,
    mws_auth_token_error: Option<String>,
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

fn choices(
    chosen: &Marketplace,
    language: Language,
    keep: fn(&Marketplace) -> bool,
) -> Vec<MarketplaceOption> {
    marketplace::MARKETPLACES
        .iter()
        .filter(|m| keep(m))
        .map(|m| MarketplaceOption {
            id: m.id,
            label: match language {
                Language::Ja if m.id == marketplace::JAPAN_ID => format!("{}（日本）", m.name),
                _ => format!("{} ({})", m.name, m.country),
            },
            selected: m.id == chosen.id,
        })
        .collect()
}

struct Typed {
    seller_id: String,
    marketplace_id: String,
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
        seller_id: typed.seller_id,
        marketplace_id: typed.marketplace_id,
        chrome,
    }
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
        seller_id: String::new(),
        marketplace_id: chosen.id.to_owned(),
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
    };
    let chosen = chosen_marketplace(Some(&typed.marketplace_id));
    let refused = |problems: Vec<FieldProblem>, problem: Option<String>, status: StatusCode| {
        let again = Typed {
            seller_id: typed.seller_id.trim().to_owned(),
            marketplace_id: typed.marketplace_id.trim().to_owned(),
            problems,
            problem,
        };
        render(status, &wizard(&state, &user, merchant, chosen, again))
    };
    let grant = match onboarding::parse(&typed) {
        Ok(grant) => grant,
        Err(problems) => return refused(problems, None, StatusCode::UNPROCESSABLE_ENTITY),
    };
    match onboarding::connect(&state, merchant, grant, &user.actor()).await {
        Ok(_) => see_other(&format!("/merchants/{merchant}?notice=connected")),
        Err(error) => {
            let message = error.message_in(user.visitor.language).to_owned();
            let inline = error.field.map(|field| FieldProblem {
                field,
                message: error.message.clone(),
                message_ja: error.message_ja.clone(),
            });
            refused(inline.into_iter().collect(), Some(message), error.status)
        }
    }
}
