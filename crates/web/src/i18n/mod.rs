//! The pages' words in Japanese (the default) and English: one [`Texts`] per language, checked at compile time
//! (a missing translation is a missing field, so it does not build).

mod en;
mod ja;

use jiff::Timestamp;
use sellerlink_app::JobKind;
use sellerlink_domain::audit::AuditAction;
use sellerlink_domain::connection::Language;
use sellerlink_domain::order::{OrderStatus, PaymentMethod, ShippingSpeed};
use sellerlink_store::{JobOutcome, StockState};

use crate::pages::audit::{Field as AuditField, Who};

/// Every text of the pages in one language. Texts with values are functions.
pub(crate) struct Texts {
    pub other_language_code: &'static str,
    pub other_language_name: &'static str,
    pub skip_to_content: &'static str,
    pub nav_label: &'static str,
    pub nav_operator: &'static str,
    pub nav_dashboard: &'static str,
    pub nav_orders: &'static str,
    pub nav_api_keys: &'static str,
    pub sign_in: &'static str,
    pub sign_out: &'static str,
    pub footer: &'static str,
    pub back_home: &'static str,

    pub login_title: &'static str,
    pub email: &'static str,
    pub password: &'static str,
    pub login_failed: &'static str,

    pub error_title: &'static str,
    pub not_found_title: &'static str,
    pub forbidden_title: &'static str,

    pub dashboard_title: &'static str,
    pub connect_mws: &'static str,
    pub spapi_not_configured: &'static str,
    pub connect_spapi: &'static str,
    pub spapi_hint: &'static str,
    pub lwa_refresh_token: &'static str,
    pub view_orders: &'static str,
    pub no_connections: &'static str,
    pub seller_id: &'static str,
    pub marketplace_id: &'static str,
    pub mws_auth_token: &'static str,
    pub developer_name: &'static str,
    pub developer_id: &'static str,
    pub marketplaces: &'static str,
    pub granted_on: &'static str,
    pub last_approved_on: &'static str,
    pub expires_on: &'static str,
    pub verified_at: &'static str,
    pub not_yet: &'static str,
    pub no_expiry: &'static str,
    pub verify_now: &'static str,
    pub sync_now: &'static str,
    pub last_sync: &'static str,
    pub never_synced: &'static str,

    pub status_active: &'static str,
    pub status_expiring_soon: &'static str,
    pub status_expired: &'static str,
    pub status_revoked: &'static str,
    pub status_access_denied: &'static str,
    pub status_unverified: &'static str,
    pub days_left: fn(i32) -> String,
    pub expired_days_ago: fn(i32) -> String,
    pub expires_today: &'static str,
    pub countdown_no_expiry: &'static str,
    pub countdown_revoked: &'static str,

    pub guide_renew_title: &'static str,
    pub guide_restore_title: &'static str,
    pub guide_denied_title: &'static str,
    pub guide_revoked_title: &'static str,
    pub guide_unverified_title: &'static str,
    /// Steps to approve (renew) access, given the developer ID to look for.
    pub guide_renew_steps: fn(&str) -> Vec<String>,
    /// Steps to restore expired access.
    pub guide_restore_steps: fn(&str) -> Vec<String>,
    /// Steps when Amazon refuses the credential.
    pub guide_denied_steps: fn(&str) -> Vec<String>,
    /// Steps after the seller revoked access.
    pub guide_revoked_steps: fn(&str) -> Vec<String>,
    pub guide_unverified_steps: fn(&str) -> Vec<String>,
    pub guide_spapi_title: &'static str,
    /// Steps to re-authorize an SP-API app on Manage Your Apps, given the developer name its row shows.
    pub guide_spapi_steps: fn(&str) -> Vec<String>,

    pub sync_ok: &'static str,
    pub sync_paused: &'static str,
    pub sync_failed: &'static str,
    pub sync_running: &'static str,
    pub sync_counts: fn(u64, u64, u32) -> String,

    pub notice_connected: &'static str,
    pub notice_reauthorized: &'static str,
    pub notice_renewed: &'static str,
    pub notice_restored: &'static str,
    pub notice_expiry_enabled: &'static str,
    pub notice_switched_to_spapi: &'static str,
    pub enable_expiry_submit: &'static str,
    pub notice_verified: &'static str,
    pub notice_access_denied: &'static str,
    pub notice_synced: fn(u64, u64) -> String,
    pub notice_sync_not_done: fn(&str) -> String,
    pub notice_key_revoked: &'static str,
    pub notice_merchant_added: &'static str,
    pub notice_user_added: &'static str,

    pub wizard_title: &'static str,
    pub wizard_intro: &'static str,
    pub step1_title: &'static str,
    pub step1_body: &'static str,
    pub choose_marketplace: &'static str,
    pub show_link: &'static str,
    pub open_seller_central: &'static str,
    pub step2_title: &'static str,
    pub step2_body: &'static str,
    pub step3_title: &'static str,
    pub step3_body: &'static str,
    pub copy: &'static str,
    pub copied: &'static str,
    pub step4_title: &'static str,
    pub step4_body: &'static str,
    pub consent_catalog: &'static str,
    pub consent_responsibility: &'static str,
    pub never_share_password: &'static str,
    pub step5_title: &'static str,
    pub step5_body: &'static str,
    pub token_hint: &'static str,
    pub connect_submit: &'static str,

    pub orders_title: &'static str,
    pub merchant: &'static str,
    pub status: &'static str,
    pub purchased_from: &'static str,
    pub purchased_to: &'static str,
    pub marketplace: &'static str,
    pub channel: &'static str,
    pub apply_filters: &'static str,
    pub all_merchants: &'static str,
    pub all_statuses: &'static str,
    pub all_marketplaces: &'static str,
    pub all_channels: &'static str,
    pub channel_mfn: &'static str,
    pub channel_afn: &'static str,
    pub no_orders: &'static str,
    pub order_id: &'static str,
    pub purchased_at: &'static str,
    pub order_total: &'static str,
    pub items: &'static str,
    pub pagination: &'static str,
    pub previous: &'static str,
    pub next: &'static str,
    pub order_summary: fn(u64, u64, u64) -> String,
    pub page_label: fn(u64, u64) -> String,
    pub bad_date: fn(&str) -> String,

    pub order: &'static str,
    pub back_to_orders: &'static str,
    pub last_updated: &'static str,
    pub ship_service_level: &'static str,
    pub ship_by: &'static str,
    pub payment_method: &'static str,
    pub ship_to: &'static str,
    pub item_title: &'static str,
    pub quantity: &'static str,
    pub shipped: &'static str,
    pub price: &'static str,
    pub shipments: &'static str,
    pub no_shipments: &'static str,
    pub carrier: &'static str,
    pub tracking_number: &'static str,
    pub shipment_state: &'static str,
    pub amazon_said: &'static str,
    pub queued_at: &'static str,
    pub shipment_queued: &'static str,
    pub shipment_submitted: &'static str,
    pub shipment_confirmed: &'static str,
    pub shipment_rejected: &'static str,
    // The order vocabulary (Seller Central's words), the ship-by (出荷期限) column, its sort and filter.
    /// An order status in Seller Central's words (an unknown one as Amazon wrote it).
    pub order_status_label: fn(&OrderStatus) -> String,
    /// A payment method (an unknown one as Amazon wrote it).
    pub payment_method_label: fn(&PaymentMethod) -> String,
    /// The delivery speed a shipping level names.
    pub shipping_speed_label: fn(ShippingSpeed) -> &'static str,
    /// An instant of Amazon's (purchase, last update, ship-by) as Seller Central writes it, in Japan time.
    pub seller_central_time: fn(Timestamp) -> String,
    pub ship_by_filter: &'static str,
    pub ship_by_any: &'static str,
    pub due_today: &'static str,
    pub overdue: &'static str,
    pub sort_by: &'static str,
    pub sort_newest: &'static str,
    pub sort_ship_by_earliest: &'static str,
    pub sort_ship_by_latest: &'static str,

    pub operator_title: &'static str,
    pub connections_by_urgency: &'static str,
    pub no_connections_anywhere: &'static str,
    pub sync_health: &'static str,
    pub quarantine_title: &'static str,
    pub quarantine_intro: &'static str,
    pub quarantine_empty: &'static str,
    pub quarantine_reason: &'static str,
    pub quarantine_first_seen: &'static str,
    pub quarantine_attempts: &'static str,
    pub quarantine_raw: &'static str,
    pub connections: &'static str,
    pub health: &'static str,
    pub health_ok: &'static str,
    pub health_attention: &'static str,
    pub health_idle: &'static str,
    pub health_detail: fn(usize, usize) -> String,
    pub add_merchant: &'static str,
    pub merchant_name: &'static str,
    pub language: &'static str,
    pub add: &'static str,
    pub add_user: &'static str,
    pub initial_password: &'static str,

    pub api_keys_title: &'static str,
    pub api_keys_intro: &'static str,
    pub new_key_title: &'static str,
    pub new_key_once: &'static str,
    pub key_name: &'static str,
    pub create_key: &'static str,
    pub key_scopes: &'static str,
    pub key_scopes_hint: &'static str,
    pub key_prefix: &'static str,
    pub created_at: &'static str,
    pub last_used: &'static str,
    pub never: &'static str,
    pub key_active: &'static str,
    pub key_revoked: &'static str,
    pub revoke: &'static str,

    pub nav_notifications: &'static str,
    pub nav_channels: &'static str,

    pub channels_title: &'static str,
    pub operator_channels_title: &'static str,
    pub channels_intro: &'static str,
    pub operator_channels_intro: &'static str,
    pub no_channels: &'static str,
    pub channel_kind: &'static str,
    pub channel_email: &'static str,
    pub channel_webhook: &'static str,
    pub channel_address: &'static str,
    pub channel_enabled: &'static str,
    pub channel_disabled: &'static str,
    pub send_test: &'static str,
    pub disable: &'static str,
    pub enable: &'static str,
    pub add_email_title: &'static str,
    pub add_webhook_title: &'static str,
    pub email_address_label: &'static str,
    pub webhook_url_label: &'static str,
    pub webhook_hint: &'static str,
    pub message_language: &'static str,
    pub add_email: &'static str,
    pub add_webhook: &'static str,
    pub new_secret_title: &'static str,
    pub new_secret_once: &'static str,
    pub notice_channel_added: &'static str,
    pub notice_channel_disabled: &'static str,
    pub notice_channel_enabled: &'static str,
    /// The test message reached the recipient.
    pub notice_test_delivered: fn(&str) -> String,
    /// The test message to the recipient failed, with the error.
    pub notice_test_failed: fn(&str, &str) -> String,
    pub view_log: &'static str,

    pub log_title: &'static str,
    pub log_intro: &'static str,
    pub all_kinds: &'static str,
    /// A reminder `n` days before the expiry date (0 = the day access lapses).
    pub kind_reminder: fn(i32) -> String,
    pub kind_reminder_any: &'static str,
    pub kind_access_lost: &'static str,
    pub kind_access_restored: &'static str,
    pub kind_test: &'static str,
    pub state_delivered: &'static str,
    pub state_failed: &'static str,
    pub state_pending: &'static str,
    pub state_sending: &'static str,
    pub state_skipped: &'static str,
    pub log_when: &'static str,
    pub log_connection: &'static str,
    pub log_attempts: &'static str,
    pub log_detail: &'static str,
    pub to_operator: &'static str,
    pub no_deliveries: &'static str,
    /// "Page 3" (the log does not count its rows).
    pub log_page_label: fn(u32) -> String,

    // The demo clock bar (only in `sellerlink demo`).
    pub demo_clock_label: &'static str,
    pub demo_clock_hint: &'static str,
    /// "+7 日" / "+7 days": a button moving the clock forward.
    pub demo_clock_plus_days: fn(i64) -> String,
    pub demo_clock_days: &'static str,
    pub demo_clock_advance: &'static str,
    // The grant's dates in the wizard, renew/restore on a date, replacing the MWS Auth Token, removing a connection.
    pub wizard_dates_title: &'static str,
    pub wizard_dates_hint: &'static str,
    pub date_format_hint: &'static str,
    pub no_expiry_hint: &'static str,
    pub renew_submit: &'static str,
    pub restore_submit: &'static str,
    pub replace_token_title: &'static str,
    pub replace_token_hint: &'static str,
    pub replace_token_submit: &'static str,
    pub remove_title: &'static str,
    pub remove_warning: &'static str,
    pub remove_confirm: &'static str,
    pub remove_submit: &'static str,
    pub remove_not_confirmed: &'static str,
    pub notice_token_replaced: &'static str,
    pub notice_removed: &'static str,
    /// The wizard's banner when Amazon refused the grant because of one of the typed values (shown at that field).
    pub wizard_refused_at_field: &'static str,
    // Issue 14: connection cards (one primary action with its Seller Central page), the connect card, empty states.
    pub guide_spapi_lost_title: &'static str,
    /// Amazon refuses sellerlink's own credentials: the operator acts.
    pub guide_operator_title: &'static str,
    pub guide_operator_steps: fn() -> Vec<String>,
    pub open_user_permissions: &'static str,
    pub open_manage_apps: &'static str,
    pub connect_card_title: &'static str,
    pub approved_on_label: &'static str,
    pub restored_on_label: &'static str,
    pub renew_early_summary: &'static str,
    pub api_column: &'static str,
    pub no_api_keys: &'static str,
    pub key_name_placeholder: &'static str,

    // The stock and history (audit) pages of a connection.
    pub stock_link: &'static str,
    pub audit_link: &'static str,
    pub back_to_dashboard: &'static str,
    /// "Rows 1–50 of 120" of a list.
    pub list_summary: fn(u64, u64, u64) -> String,
    /// The stock page's heading, given the Seller ID and the API.
    pub stock_title: fn(&str, &str) -> String,
    pub stock_intro: &'static str,
    pub stock_sku: &'static str,
    pub stock_match: &'static str,
    pub stock_sku_contains: &'static str,
    pub stock_sku_prefix: &'static str,
    pub stock_state: &'static str,
    pub stock_all_states: &'static str,
    pub stock_state_label: fn(StockState) -> &'static str,
    pub stock_quantity: &'static str,
    pub stock_at_amazon: &'static str,
    pub stock_in_flight: &'static str,
    pub stock_updated: &'static str,
    /// The quantity Amazon accepted and when.
    pub stock_accepted_at: fn(u32, &str) -> String,
    pub stock_not_accepted_yet: &'static str,
    /// The feed in flight: its id and the quantity it carries.
    pub stock_feed: fn(&str, u32) -> String,
    pub stock_refused_because: fn(&str) -> String,
    /// A failed attempt: how many so far, the error, when the next one is.
    pub stock_retrying: fn(u32, &str, &str) -> String,
    pub stock_nothing_yet: &'static str,
    pub stock_no_match: &'static str,
    /// The history page's heading, given the Seller ID and the API.
    pub audit_title: fn(&str, &str) -> String,
    pub audit_intro: &'static str,
    pub audit_action: &'static str,
    pub audit_all_actions: &'static str,
    pub audit_from: &'static str,
    pub audit_to: &'static str,
    pub audit_when: &'static str,
    pub audit_actor: &'static str,
    pub audit_changes: &'static str,
    pub audit_before: &'static str,
    pub audit_after: &'static str,
    pub audit_no_fields: &'static str,
    pub audit_no_match: &'static str,
    pub audit_action_label: fn(AuditAction) -> &'static str,
    pub audit_field_label: fn(AuditField) -> &'static str,
    pub audit_who: fn(&Who) -> String,
    /// The operator overview's import queue: how many connections are due and how many minutes the oldest has waited.
    pub import_queue: fn(u64, Option<i64>) -> String,
    /// The jobs page.
    pub jobs_title: &'static str,
    pub jobs_intro: &'static str,
    pub job_column: &'static str,
    pub job_interval: &'static str,
    pub job_process: &'static str,
    pub job_started: &'static str,
    pub job_finished: &'static str,
    pub job_outcome: &'static str,
    pub job_summary: &'static str,
    pub job_never_run: &'static str,
    pub job_label: fn(JobKind) -> &'static str,
    pub job_outcome_label: fn(JobOutcome) -> &'static str,
    /// How often a job runs, from its interval in seconds.
    pub job_every: fn(i64) -> String,
    /// A day as Seller Central writes it (`2018年4月17日`, `Apr 17, 2018`).
    pub seller_central_date: fn(jiff::civil::Date) -> String,
}

/// The texts of a language.
pub(crate) fn texts(language: Language) -> &'static Texts {
    match language {
        Language::Ja => &ja::JA,
        Language::En => &en::EN,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_fill_in_their_values() {
        for language in [Language::Ja, Language::En] {
            let t = texts(language);
            assert!((t.days_left)(12).contains("12"));
            assert!((t.order_summary)(120, 1, 50).contains("120"));
            assert!(
                (t.guide_renew_steps)("5259-6479-4073")
                    .iter()
                    .any(|step| step.contains("5259-6479-4073"))
            );
        }
        for language in [Language::Ja, Language::En] {
            let t = texts(language);
            assert!((t.kind_reminder)(14).contains("14"));
            assert_ne!((t.kind_reminder)(0), (t.kind_reminder)(1));
            assert!((t.notice_test_failed)("ops@example.com", "HTTP 500").contains("HTTP 500"));
            assert!((t.log_page_label)(3).contains('3'));
            assert!((t.demo_clock_plus_days)(365).starts_with("+365"));
            for kind in JobKind::ALL {
                assert!(!(t.job_label)(kind).is_empty());
            }
            assert!((t.job_every)(30).contains("30"));
            assert!((t.job_every)(600).contains("10"));
            assert!((t.job_every)(86_400).contains('1'));
        }
        assert_eq!(texts(Language::Ja).other_language_code, "en");
        assert_eq!(texts(Language::En).other_language_code, "ja");
    }
}
