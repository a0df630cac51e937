//! The notification channels page: a merchant's (or the operator's own) e-mail addresses and webhook URLs, with
//! "send a test", "disable" and "enable" per channel and the forms that add them. A new webhook's signing secret
//! is shown once, on the page that answers the form (never in a URL, never again).

use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use secrecy::{ExposeSecret as _, SecretString};
use sellerlink_domain::connection::{Language, Merchant};
use sellerlink_domain::ids::MerchantId;
use sellerlink_store::{ChannelKind, ChannelOwner, DeliveryId, DeliveryState, NotificationChannel};
use serde::Deserialize;

use super::format::jst;
use super::{Chrome, Notice, error_page, render, see_other};
use crate::api::notifications_shared::{
    add_channel, channel_in_scope, language, send_test, set_disabled,
};
use crate::auth::caller::PageUser;
use crate::error::HttpError;
use crate::i18n::Texts;
use crate::state::WebState;
use crate::tenancy::merchant_not_found;

/// One channel in the table.
pub(crate) struct ChannelRow {
    pub id: String,
    pub kind: &'static str,
    pub kind_label: &'static str,
    pub address: String,
    pub language: &'static str,
    pub enabled: bool,
    pub state_label: &'static str,
    pub created: String,
}

/// An option of the language `<select>`.
pub(crate) struct LanguageOption {
    pub value: &'static str,
    pub label: &'static str,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "notification_channels.html")]
struct ChannelsPage {
    chrome: Chrome,
    title: &'static str,
    intro: &'static str,
    owner_name: Option<String>,
    action: String,
    log_href: String,
    new_secret: Option<String>,
    rows: Vec<ChannelRow>,
    languages: Vec<LanguageOption>,
    email_value: String,
    email_error: Option<String>,
    webhook_value: String,
    webhook_error: Option<String>,
}

/// Whose channels a page shows.
enum PageOwner {
    Merchant(Merchant),
    Operator,
}

impl PageOwner {
    fn channel_owner(&self) -> ChannelOwner {
        match self {
            Self::Merchant(merchant) => ChannelOwner::Merchant(merchant.id),
            Self::Operator => ChannelOwner::Operator,
        }
    }

    fn language(&self) -> Language {
        match self {
            Self::Merchant(merchant) => merchant.language,
            Self::Operator => Language::Ja,
        }
    }
}

/// The page of a channel owner.
fn page_path(owner: ChannelOwner) -> String {
    match owner {
        ChannelOwner::Merchant(merchant) => format!("/merchants/{merchant}/notification-channels"),
        ChannelOwner::Operator => "/operator/notification-channels".to_owned(),
    }
}

/// What the page shows besides the channels: a notice, the secret of a webhook just added, a form's error.
#[derive(Default)]
struct Extras {
    notice: Option<Notice>,
    new_secret: Option<SecretString>,
    form: Option<FormError>,
}

/// A refused form: which one, what was typed, and why.
struct FormError {
    kind: ChannelKind,
    typed: String,
    message: String,
}

fn row(t: &Texts, channel: &NotificationChannel) -> ChannelRow {
    let (kind, kind_label) = match channel.kind {
        ChannelKind::Email => ("email", t.channel_email),
        ChannelKind::Webhook => ("webhook", t.channel_webhook),
    };
    ChannelRow {
        id: channel.id.to_string(),
        kind,
        kind_label,
        address: channel.display_address(),
        language: match channel.language {
            Language::Ja => "日本語",
            Language::En => "English",
        },
        enabled: !channel.disabled,
        state_label: if channel.disabled {
            t.channel_disabled
        } else {
            t.channel_enabled
        },
        created: jst(channel.created_at),
    }
}

async fn page(
    state: &WebState,
    user: &PageUser,
    owner: &PageOwner,
    extras: Extras,
    status: StatusCode,
) -> Result<Response, HttpError> {
    let chrome = Chrome::new(&user.visitor, extras.notice);
    let t = chrome.t;
    let channels = state
        .store()
        .notification_channels(owner.channel_owner())
        .await?;
    let (title, intro, owner_name, log_href) = match owner {
        PageOwner::Merchant(merchant) => (
            t.channels_title,
            t.channels_intro,
            Some(merchant.name.to_string()),
            format!("/notifications?merchant_id={}", merchant.id),
        ),
        PageOwner::Operator => (
            t.operator_channels_title,
            t.operator_channels_intro,
            None,
            "/notifications".to_owned(),
        ),
    };
    let chosen = owner.language();
    let languages = [(Language::Ja, "日本語"), (Language::En, "English")]
        .into_iter()
        .map(|(language, label)| LanguageOption {
            value: language.code(),
            label,
            selected: language == chosen,
        })
        .collect();
    let (mut email_value, mut email_error, mut webhook_value, mut webhook_error) =
        (String::new(), None, String::new(), None);
    if let Some(form) = extras.form {
        match form.kind {
            ChannelKind::Email => (email_value, email_error) = (form.typed, Some(form.message)),
            ChannelKind::Webhook => {
                (webhook_value, webhook_error) = (form.typed, Some(form.message));
            }
        }
    }
    let view = ChannelsPage {
        title,
        intro,
        owner_name,
        action: page_path(owner.channel_owner()),
        log_href,
        new_secret: extras.new_secret.map(|s| s.expose_secret().to_owned()),
        rows: channels.iter().map(|c| row(t, c)).collect(),
        languages,
        email_value,
        email_error,
        webhook_value,
        webhook_error,
        chrome,
    };
    Ok(render(status, &view))
}

/// `?notice=…` after an action, or `?test=<delivery id>` after a test send.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct PageQuery {
    notice: Option<String>,
    test: Option<String>,
}

/// The notice a redirect names: a fixed word, or the outcome of a test send to one of this page's channels.
async fn notice_of(
    state: &WebState,
    t: &Texts,
    owner: ChannelOwner,
    query: &PageQuery,
) -> Result<Option<Notice>, HttpError> {
    if let Some(test) = query.test.as_deref() {
        let Ok(id) = DeliveryId::parse(test) else {
            return Ok(None);
        };
        let Ok(record) = state.store().delivery(id).await else {
            return Ok(None);
        };
        let channel = state
            .store()
            .notification_channel(record.channel_id)
            .await?;
        if channel.owner != owner {
            return Ok(None);
        }
        let error = record.last_error.as_deref().unwrap_or("");
        return Ok(Some(match record.state {
            DeliveryState::Delivered => Notice::ok((t.notice_test_delivered)(&record.recipient)),
            _ => Notice::error((t.notice_test_failed)(&record.recipient, error)),
        }));
    }
    Ok(match query.notice.as_deref() {
        Some("channel_added") => Some(Notice::ok(t.notice_channel_added)),
        Some("channel_disabled") => Some(Notice::ok(t.notice_channel_disabled)),
        Some("channel_enabled") => Some(Notice::ok(t.notice_channel_enabled)),
        _ => None,
    })
}

async fn merchant_owner(
    state: &WebState,
    user: &PageUser,
    merchant_id: &str,
) -> Result<PageOwner, HttpError> {
    let id = MerchantId::parse(merchant_id).map_err(|_| merchant_not_found())?;
    let merchant = user.scope().merchant_record(state.app(), id).await?;
    Ok(PageOwner::Merchant(merchant))
}

fn operator_owner(user: &PageUser) -> Result<PageOwner, HttpError> {
    if user.is_operator() {
        Ok(PageOwner::Operator)
    } else {
        Err(HttpError::forbidden(
            "manage the operator's notification channels",
            "運用担当者の通知チャネルを管理",
        ))
    }
}

async fn show(
    state: &WebState,
    user: &PageUser,
    owner: Result<PageOwner, HttpError>,
    query: &PageQuery,
) -> Response {
    let result = async {
        let owner = owner?;
        let t = crate::i18n::texts(user.visitor.language);
        let notice = notice_of(state, t, owner.channel_owner(), query).await?;
        let extras = Extras {
            notice,
            ..Extras::default()
        };
        page(state, user, &owner, extras, StatusCode::OK).await
    }
    .await;
    result.unwrap_or_else(|error| error_page(&user.visitor, &error))
}

/// `/merchants/{id}/notification-channels` (404 for another merchant).
pub(crate) async fn merchant_list(
    State(state): State<WebState>,
    user: PageUser,
    Path(merchant_id): Path<String>,
    Query(query): Query<PageQuery>,
) -> Response {
    let owner = merchant_owner(&state, &user, &merchant_id).await;
    show(&state, &user, owner, &query).await
}

/// `/operator/notification-channels`: the operator's own channels (operators only).
pub(crate) async fn operator_list(
    State(state): State<WebState>,
    user: PageUser,
    Query(query): Query<PageQuery>,
) -> Response {
    let owner = operator_owner(&user);
    show(&state, &user, owner, &query).await
}

/// The add forms: `kind` (`email` or `webhook`), `address`, `language`.
#[derive(Debug, Deserialize)]
pub(crate) struct AddForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    address: String,
    language: Option<String>,
}

async fn add(
    state: &WebState,
    user: &PageUser,
    owner: Result<PageOwner, HttpError>,
    form: AddForm,
) -> Response {
    let result = async {
        let owner = owner?;
        let kind = ChannelKind::parse(form.kind.trim()).ok_or_else(|| {
            HttpError::invalid(
                "kind",
                "kind: expected email or webhook",
                "kind: email または webhook を指定してください。",
            )
        })?;
        let refused = |error: HttpError| FormError {
            kind,
            typed: form.address.clone(),
            message: error.message_in(user.visitor.language).to_owned(),
        };
        let language = match language("language", form.language.as_deref()) {
            Ok(language) => language,
            Err(error) => {
                let extras = Extras {
                    form: Some(refused(error.clone())),
                    ..Extras::default()
                };
                return page(state, user, &owner, extras, error.status).await;
            }
        };
        let added = add_channel(
            state,
            owner.channel_owner(),
            kind,
            &form.address,
            language,
            "address",
        )
        .await;
        match added {
            Ok((_, None)) => Ok(see_other(&format!(
                "{}?notice=channel_added",
                page_path(owner.channel_owner())
            ))),
            Ok((_, Some(secret))) => {
                let t = crate::i18n::texts(user.visitor.language);
                let extras = Extras {
                    notice: Some(Notice::ok(t.notice_channel_added)),
                    new_secret: Some(secret),
                    form: None,
                };
                page(state, user, &owner, extras, StatusCode::CREATED).await
            }
            Err(error) if error.status == StatusCode::UNPROCESSABLE_ENTITY => {
                let extras = Extras {
                    form: Some(refused(error.clone())),
                    ..Extras::default()
                };
                page(state, user, &owner, extras, error.status).await
            }
            Err(error) => Err(error),
        }
    }
    .await;
    result.unwrap_or_else(|error| error_page(&user.visitor, &error))
}

/// Adds a channel to a merchant (404 for another merchant).
pub(crate) async fn merchant_add(
    State(state): State<WebState>,
    user: PageUser,
    Path(merchant_id): Path<String>,
    Form(form): Form<AddForm>,
) -> Response {
    let owner = merchant_owner(&state, &user, &merchant_id).await;
    add(&state, &user, owner, form).await
}

/// Adds one of the operator's own channels (operators only).
pub(crate) async fn operator_add(
    State(state): State<WebState>,
    user: PageUser,
    Form(form): Form<AddForm>,
) -> Response {
    let owner = operator_owner(&user);
    add(&state, &user, owner, form).await
}

async fn switch(state: &WebState, user: &PageUser, id: &str, disabled: bool) -> Response {
    let result = async {
        let channel = channel_in_scope(state, user.scope(), id).await?;
        set_disabled(state, &channel, disabled).await?;
        let notice = if disabled {
            "channel_disabled"
        } else {
            "channel_enabled"
        };
        Ok::<_, HttpError>(see_other(&format!(
            "{}?notice={notice}",
            page_path(channel.owner)
        )))
    }
    .await;
    result.unwrap_or_else(|error| error_page(&user.visitor, &error))
}

/// "Disable": no new notifications to this channel (404 for another merchant's).
pub(crate) async fn disable(
    State(state): State<WebState>,
    user: PageUser,
    Path(id): Path<String>,
) -> Response {
    switch(&state, &user, &id, true).await
}

/// "Enable": notifications to this channel again (404 for another merchant's).
pub(crate) async fn enable(
    State(state): State<WebState>,
    user: PageUser,
    Path(id): Path<String>,
) -> Response {
    switch(&state, &user, &id, false).await
}

/// "Send a test": sends a test message now, records it in the log, and shows the outcome on the channel's page.
pub(crate) async fn test(
    State(state): State<WebState>,
    user: PageUser,
    Path(id): Path<String>,
) -> Response {
    let result = async {
        let channel = channel_in_scope(&state, user.scope(), &id).await?;
        match send_test(&state, &channel).await {
            Ok(record) => Ok(see_other(&format!(
                "{}?test={}",
                page_path(channel.owner),
                record.id
            ))),
            // Nothing was sent (no connection to show yet, no senders): say so on the channel's page.
            Err(error) => {
                let owner = match channel.owner {
                    ChannelOwner::Merchant(merchant) => {
                        merchant_owner(&state, &user, &merchant.to_string()).await?
                    }
                    ChannelOwner::Operator => PageOwner::Operator,
                };
                let extras = Extras {
                    notice: Some(Notice::error(error.message_in(user.visitor.language))),
                    ..Extras::default()
                };
                page(&state, &user, &owner, extras, error.status).await
            }
        }
    }
    .await;
    result.unwrap_or_else(|error| error_page(&user.visitor, &error))
}
