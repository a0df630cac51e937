//! The audit page of one connection (`/connections/{id}/audit`): every lifecycle event and every other recorded
//! change — granted, verified, approved, restored, revoked, access refused and back, token replaced, API switched,
//! expiry enabled, shipments, set-aside orders — with who did it, when (Japan time, the house format) and what
//! changed, before → after, as readable fields. Filtered by action and by a range of days, paged by the house paging
//! rule. A merchant's user sees its own connections only (another's is a 404).
//!
//! The before/after snapshots are read field by field through a fixed list ([`Field`]): a connection snapshot is
//! the domain `Connection` (which holds no credential), the shipment and quarantine entries hold order ids, carriers
//! and tracking numbers. Anything else in a snapshot is not shown, so nothing the list does not name can reach the
//! page, and no raw JSON ever does.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use jiff::civil::Date;
use jiff::tz::{self, TimeZone};
use jiff::{SignedDuration, Timestamp};
use sellerlink_domain::audit::{Actor, AuditAction};
use sellerlink_domain::connection::{ApiAccount, Connection, Language, Merchant};
use sellerlink_domain::lifecycle::Expiry;
use sellerlink_store::{AuditFilter, AuditRecord, UserId};
use serde::Deserialize;
use serde_json::Value;

use super::format::{date, jst};
use super::stock::{Choice, ConnectionHeading, Pager};
use super::{Chrome, error_page, render};
use crate::api::connections::connection_id;
use crate::auth::caller::PageUser;
use crate::error::{HttpError, echo};
use crate::i18n::Texts;
use crate::paging::Paging;
use crate::state::WebState;

/// Entries on one page.
const PER_PAGE: u32 = 50;
/// The longest text of a snapshot shown (an Amazon reason can be long).
const VALUE_MAX_CHARS: usize = 300;

/// The actions a connection's log can hold, in the order the filter lists them (lifecycle first).
const ACTIONS: [AuditAction; 17] = [
    AuditAction::ConnectionCreated,
    AuditAction::ConnectionVerified,
    AuditAction::Renewed,
    AuditAction::Restored,
    AuditAction::ExpiryEnabled,
    AuditAction::Revoked,
    AuditAction::AccessDenied,
    AuditAction::AccessDeniedCleared,
    AuditAction::CredentialReplaced,
    AuditAction::ApiSwitched,
    AuditAction::CredentialResealed,
    AuditAction::ConnectionsMerged,
    AuditAction::ConnectionRemoved,
    AuditAction::ShipmentQueued,
    AuditAction::ShipmentConfirmed,
    AuditAction::ShipmentRejected,
    AuditAction::OrderQuarantined,
];

/// A field of a before/after snapshot the page may show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Field {
    Api,
    SellerId,
    DeveloperId,
    Region,
    Marketplaces,
    GrantedAt,
    LastApprovedOn,
    ExpiresOn,
    RevokedAt,
    AccessDenied,
    VerifiedAt,
    MerchantName,
    Language,
    OrderId,
    Carrier,
    TrackingNumber,
    Reason,
}

/// Who did something, as the page names them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Who {
    /// A signed-in user, by e-mail address (or id when the user is gone).
    User(String),
    /// An API key, by name (or id when the key is gone).
    ApiKey(String),
    /// Someone at the command line, by OS user name.
    Cli(String),
    /// sellerlink itself, by job (`sync`, `import`, `migration`…).
    System(String),
    /// Anything else, as stored.
    Other(String),
}

/// One changed field: its name and its value before and after.
pub(crate) struct Change {
    pub field: &'static str,
    pub before: String,
    pub after: String,
}

/// One entry as the page shows it.
pub(crate) struct AuditRow {
    pub action: &'static str,
    pub action_label: &'static str,
    pub when: String,
    pub who: String,
    pub changes: Vec<Change>,
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    chrome: Chrome,
    connection: ConnectionHeading,
    action_options: Vec<Choice>,
    from: String,
    to: String,
    filter_error: Option<String>,
    rows: Vec<AuditRow>,
    pager: Pager,
}

/// The filters as typed in the query string.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct AuditFilters {
    action: Option<String>,
    from: Option<String>,
    to: Option<String>,
    page: Option<String>,
}

/// The filters once read: the action, the instants the day range covers (from inclusive, to exclusive), the page.
#[derive(Debug)]
struct ReadFilters {
    action: Option<AuditAction>,
    from: Option<Timestamp>,
    to: Option<Timestamp>,
    paging: Paging,
}

/// The start of a day in Japan time.
fn day_start(day: Date) -> Option<Timestamp> {
    day.to_zoned_datetime(TimeZone::fixed(tz::offset(9)))
        .ok()
        .map(|zoned| zoned.timestamp())
}

/// A day typed as `YYYY-MM-DD`, or a refusal naming `field`.
fn day(field: &'static str, text: Option<&str>) -> Result<Option<Date>, HttpError> {
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    text.parse::<Date>().map(Some).map_err(|_| {
        HttpError::invalid(
            field,
            format!(
                "{field}: {} is not a date; expected YYYY-MM-DD, e.g. 2026-04-17",
                echo(text)
            ),
            format!(
                "{field}: {} は日付として読めません。YYYY-MM-DD の形式で入力してください（例: 2026-04-17）。",
                echo(text)
            ),
        )
    })
}

impl AuditFilters {
    fn read(&self) -> Result<ReadFilters, HttpError> {
        let action = match self.action.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(text) => Some(
                AuditAction::parse(text)
                    .filter(|action| ACTIONS.contains(action))
                    .ok_or_else(|| {
                        HttpError::invalid(
                            "action",
                            format!(
                                "action: {} is not an action of a connection's history; expected e.g. renewed, \
                                 restored, revoked or api_switched",
                                echo(text)
                            ),
                            format!(
                                "action: {} は接続の履歴の操作として読めません。renewed、restored、revoked、api_switched などを指定してください。",
                                echo(text)
                            ),
                        )
                    })?,
            ),
        };
        let from = day("from", self.from.as_deref())?;
        let to = day("to", self.to.as_deref())?;
        if let (Some(from), Some(to)) = (from, to)
            && from > to
        {
            return Err(HttpError::invalid(
                "to",
                format!("to: {to} is before from ({from}); expected a day on or after it"),
                format!(
                    "to: 終了日 {to} が開始日 {from} より前です。開始日以降の日付を入力してください。"
                ),
            ));
        }
        let paging = Paging::parse(self.page.as_deref(), None, PER_PAGE, PER_PAGE)?;
        Ok(ReadFilters {
            action,
            from: from.and_then(day_start),
            // The whole last day: up to the start of the next one.
            to: to
                .and_then(day_start)
                .map(|start| start + SignedDuration::from_hours(24)),
            paging,
        })
    }

    /// This list with the same filters on another page.
    fn href(&self, connection: &str, page: u32) -> String {
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        for (name, value) in [
            ("action", &self.action),
            ("from", &self.from),
            ("to", &self.to),
        ] {
            if let Some(value) = value.as_deref().filter(|v| !v.trim().is_empty()) {
                query.append_pair(name, value);
            }
        }
        query.append_pair("page", &page.to_string());
        format!("/connections/{connection}/audit?{}", query.finish())
    }
}

/// A text cut to [`VALUE_MAX_CHARS`].
pub(crate) fn capped(text: &str) -> String {
    match text.char_indices().nth(VALUE_MAX_CHARS) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

/// The readable fields of a connection snapshot.
fn connection_fields(t: &Texts, connection: &Connection) -> Vec<(Field, String)> {
    let mut fields = Vec::new();
    match &connection.account {
        ApiAccount::Mws {
            seller_id,
            developer_id,
        } => {
            fields.push((Field::Api, "MWS".to_owned()));
            fields.push((Field::SellerId, seller_id.to_string()));
            fields.push((Field::DeveloperId, developer_id.to_string()));
        }
        ApiAccount::SpApi {
            selling_partner_id,
            region,
        } => {
            fields.push((Field::Api, "SP-API".to_owned()));
            fields.push((Field::SellerId, selling_partner_id.to_string()));
            fields.push((Field::Region, region.code().to_uppercase()));
        }
    }
    let marketplaces: Vec<String> = connection
        .marketplaces
        .iter()
        .map(|m| format!("{} ({})", m.id.marketplace().name, m.id))
        .collect();
    fields.push((Field::Marketplaces, marketplaces.join(", ")));
    let grant = &connection.grant;
    fields.push((Field::GrantedAt, jst(grant.granted_at)));
    fields.push((Field::LastApprovedOn, date(grant.last_approved_on)));
    fields.push((
        Field::ExpiresOn,
        match grant.expiry {
            Expiry::Disabled => t.no_expiry.to_owned(),
            Expiry::Enabled { expires_on } => date(expires_on),
        },
    ));
    fields.push((
        Field::RevokedAt,
        grant.revoked_at.map_or_else(|| "—".to_owned(), jst),
    ));
    fields.push((
        Field::AccessDenied,
        grant.access_denied.as_ref().map_or_else(
            || "—".to_owned(),
            |denial| format!("{} ({})", jst(denial.at), denial.cause),
        ),
    ));
    fields.push((
        Field::VerifiedAt,
        connection
            .verified_at
            .map_or_else(|| t.not_yet.to_owned(), jst),
    ));
    fields
}

/// The readable fields of a snapshot: a connection, a merchant, or the named keys of a shipment or a set-aside
/// order. Anything else shows nothing.
fn fields_of(t: &Texts, snapshot: &Value) -> Vec<(Field, String)> {
    if let Ok(connection) = serde_json::from_value::<Connection>(snapshot.clone()) {
        return connection_fields(t, &connection);
    }
    if let Ok(merchant) = serde_json::from_value::<Merchant>(snapshot.clone()) {
        let language = match merchant.language {
            Language::Ja => "日本語",
            Language::En => "English",
        };
        return vec![
            (Field::MerchantName, merchant.name.to_string()),
            (Field::Language, language.to_owned()),
        ];
    }
    let named = [
        ("amazon_order_id", Field::OrderId),
        ("order", Field::OrderId),
        ("carrier", Field::Carrier),
        ("tracking_number", Field::TrackingNumber),
        ("rejected_because", Field::Reason),
        ("reason", Field::Reason),
    ];
    named
        .iter()
        .filter_map(|(key, field)| {
            snapshot
                .get(key)
                .and_then(Value::as_str)
                .filter(|text| !text.is_empty())
                .map(|text| (*field, capped(text)))
        })
        .collect()
}

/// The fields that differ between the snapshots, in the order of `after` (then those only `before` has); a
/// value that is missing (no snapshot, or a field without a value) shows as `—`.
fn changes(t: &Texts, before: Option<&Value>, after: Option<&Value>) -> Vec<Change> {
    let before = before.map(|v| fields_of(t, v)).unwrap_or_default();
    let after = after.map(|v| fields_of(t, v)).unwrap_or_default();
    // A field shown as `—` is a field without a value: `— → —` says nothing.
    let value_in = |fields: &[(Field, String)], field: Field| {
        fields
            .iter()
            .find(|(f, value)| *f == field && value != "—")
            .map(|(_, value)| value.clone())
    };
    let mut order: Vec<Field> = after.iter().map(|(f, _)| *f).collect();
    order.extend(
        before
            .iter()
            .map(|(f, _)| *f)
            .filter(|f| !after.iter().any(|(a, _)| a == f)),
    );
    order
        .into_iter()
        .filter_map(|field| {
            let old = value_in(&before, field);
            let new = value_in(&after, field);
            (old != new).then(|| Change {
                field: (t.audit_field_label)(field),
                before: old.unwrap_or_else(|| "—".to_owned()),
                after: new.unwrap_or_else(|| "—".to_owned()),
            })
        })
        .collect()
}

/// Who an actor is, with users and API keys named when they are known.
fn who(actor: &Actor, users: &HashMap<String, String>, keys: &HashMap<String, String>) -> Who {
    let text = actor.as_str();
    let Some((kind, rest)) = text.split_once(':') else {
        return Who::Other(text.to_owned());
    };
    let known = |names: &HashMap<String, String>| {
        names.get(rest).cloned().unwrap_or_else(|| rest.to_owned())
    };
    match kind {
        "user" => Who::User(known(users)),
        "api-key" => Who::ApiKey(known(keys)),
        "cli" => Who::Cli(rest.to_owned()),
        "system" => Who::System(rest.to_owned()),
        _ => Who::Other(text.to_owned()),
    }
}

/// The e-mail addresses of the users named by the entries, by user id (a user that is gone stays unnamed).
async fn user_names(state: &WebState, records: &[AuditRecord]) -> HashMap<String, String> {
    let mut names = HashMap::new();
    for record in records {
        let Some(id) = record.entry.actor.as_str().strip_prefix("user:") else {
            continue;
        };
        if names.contains_key(id) {
            continue;
        }
        let Ok(uuid) = uuid::Uuid::try_parse(id) else {
            continue;
        };
        let user_id = UserId::from_uuid(uuid);
        if let Ok(user) = state.store().user(user_id).await {
            names.insert(id.to_owned(), user.email.to_string());
        }
    }
    names
}

/// The names of the merchant's API keys, by key id.
async fn key_names(
    state: &WebState,
    view: &sellerlink_app::ConnectionView,
) -> HashMap<String, String> {
    state
        .store()
        .api_keys(view.connection.merchant_id)
        .await
        .map(|keys| {
            keys.into_iter()
                .map(|key| (key.id.to_string(), key.name.to_string()))
                .collect()
        })
        .unwrap_or_default()
}

/// `/connections/{id}/audit`.
pub(crate) async fn list(
    State(state): State<WebState>,
    user: PageUser,
    Path(connection): Path<String>,
    Query(filters): Query<AuditFilters>,
) -> Response {
    let view = match connection_id(&connection) {
        Ok(id) => user.scope().connection(state.app(), id).await,
        Err(error) => Err(error),
    };
    let view = match view {
        Ok(view) => view,
        Err(error) => return error_page(&user.visitor, &error),
    };
    let chrome = Chrome::new(&user.visitor, None);
    let t = chrome.t;
    let heading = ConnectionHeading::of(&view);
    let (read, filter_error) = match filters.read() {
        Ok(read) => (Some(read), None),
        Err(error) => (
            None,
            Some(error.message_in(user.visitor.language).to_owned()),
        ),
    };
    let paging = read.as_ref().map_or(
        Paging {
            page: 1,
            per_page: PER_PAGE,
        },
        |r| r.paging,
    );
    // A filter that does not read lists nothing rather than everything.
    let (records, total) = match &read {
        Some(read) => {
            let filter = AuditFilter {
                connection: Some(view.connection.id),
                actions: read.action.into_iter().collect(),
                from: read.from,
                to: read.to,
                limit: read.paging.per_page,
                offset: read.paging.offset(),
                ..AuditFilter::default()
            };
            let store = state.store();
            match (
                store.audit_entries(&filter).await,
                store.count_audit_entries(&filter).await,
            ) {
                (Ok(records), Ok(total)) => (records, total),
                (Err(error), _) | (_, Err(error)) => {
                    return error_page(&user.visitor, &error.into());
                }
            }
        }
        None => (Vec::new(), 0),
    };
    let users = user_names(&state, &records).await;
    let keys = key_names(&state, &view).await;
    let rows = records
        .iter()
        .map(|record| {
            let entry = &record.entry;
            AuditRow {
                action: entry.action.as_str(),
                action_label: (t.audit_action_label)(entry.action),
                when: jst(entry.at),
                who: (t.audit_who)(&who(&entry.actor, &users, &keys)),
                changes: changes(t, entry.before.as_ref(), entry.after.as_ref()),
            }
        })
        .collect();
    let current = read
        .as_ref()
        .and_then(|r| r.action)
        .map_or("", AuditAction::as_str);
    let mut action_options = vec![Choice {
        value: String::new(),
        label: t.audit_all_actions.to_owned(),
        selected: current.is_empty(),
    }];
    action_options.extend(ACTIONS.iter().map(|action| Choice {
        value: action.as_str().to_owned(),
        label: (t.audit_action_label)(*action).to_owned(),
        selected: action.as_str() == current,
    }));
    let page = AuditPage {
        action_options,
        from: filters.from.clone().unwrap_or_default(),
        to: filters.to.clone().unwrap_or_default(),
        pager: Pager::new(t, paging, total, records.len(), |page| {
            filters.href(&heading.id, page)
        }),
        rows,
        filter_error,
        connection: heading,
        chrome,
    };
    let status = if page.filter_error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    render(status, &page)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_filter_lists_every_action_a_connection_can_have() {
        for action in AuditAction::ALL {
            assert_eq!(
                ACTIONS.contains(&action),
                action != AuditAction::MerchantCreated,
                "{action:?}"
            );
        }
        for language in [Language::Ja, Language::En] {
            let t = crate::i18n::texts(language);
            let mut labels: Vec<_> = AuditAction::ALL
                .iter()
                .map(|a| (t.audit_action_label)(*a))
                .collect();
            labels.sort_unstable();
            labels.dedup();
            assert_eq!(labels.len(), AuditAction::ALL.len(), "one word per action");
        }
    }

    #[test]
    fn filters_read_days_in_japan_time_or_name_the_field() {
        let read = AuditFilters {
            action: Some("renewed".into()),
            from: Some("2026-04-01".into()),
            to: Some("2026-04-30".into()),
            page: None,
        }
        .read()
        .unwrap();
        assert_eq!(read.action, Some(AuditAction::Renewed));
        assert_eq!(read.from, Some("2026-03-31T15:00:00Z".parse().unwrap()));
        assert_eq!(read.to, Some("2026-04-30T15:00:00Z".parse().unwrap()));
        for (filters, field) in [
            (
                AuditFilters {
                    action: Some("merchant_created".into()),
                    ..AuditFilters::default()
                },
                "action",
            ),
            (
                AuditFilters {
                    from: Some("2026/04/01".into()),
                    ..AuditFilters::default()
                },
                "from",
            ),
            (
                AuditFilters {
                    from: Some("2026-04-02".into()),
                    to: Some("2026-04-01".into()),
                    ..AuditFilters::default()
                },
                "to",
            ),
            (
                AuditFilters {
                    page: Some("x".into()),
                    ..AuditFilters::default()
                },
                "page",
            ),
        ] {
            let error = filters.read().expect_err("refused");
            assert_eq!(error.field, Some(field));
            assert!(
                error.message.starts_with(&format!("{field}: ")),
                "{}",
                error.message
            );
        }
    }

    #[test]
    fn only_named_fields_of_a_snapshot_are_shown() {
        let t = crate::i18n::texts(Language::En);
        let shipment = json!({
            "shipment_id": "0190-…",
            "amazon_order_id": "503-1234567-1234567",
            "carrier": "Yamato Transport",
            "tracking_number": "1234-5678-9012",
            "rejected_because": null,
            "mws_auth_token": "amzn.mws.secret",
            "buyer_name": "山田 太郎",
        });
        let shown = changes(t, None, Some(&shipment));
        let text: Vec<String> = shown
            .iter()
            .map(|c| format!("{}={}→{}", c.field, c.before, c.after))
            .collect();
        assert_eq!(text.len(), 3, "{text:?}");
        let joined = text.join(" ");
        assert!(joined.contains("503-1234567-1234567"), "{joined}");
        assert!(!joined.contains("amzn.mws"), "{joined}");
        assert!(!joined.contains("山田"), "{joined}");
        assert!(changes(t, Some(&json!({"secret": "x"})), None).is_empty());
    }

    #[test]
    fn actors_are_named_by_kind() {
        let users = HashMap::from([("u1".to_owned(), "owner@acme.example".to_owned())]);
        let keys = HashMap::from([("k1".to_owned(), "WMS".to_owned())]);
        let of = |text: &str| who(&Actor::from_stored(text.to_owned()), &users, &keys);
        assert_eq!(of("user:u1"), Who::User("owner@acme.example".into()));
        assert_eq!(of("user:gone"), Who::User("gone".into()));
        assert_eq!(of("api-key:k1"), Who::ApiKey("WMS".into()));
        assert_eq!(of("cli:ops"), Who::Cli("ops".into()));
        assert_eq!(of("system:sync"), Who::System("sync".into()));
        assert_eq!(of("odd"), Who::Other("odd".into()));
    }
}
