//! English. Seller Central's Japanese labels are named in English as Seller Central's English pages name them.

use jiff::Timestamp;
use sellerlink_app::JobKind;
use sellerlink_domain::audit::AuditAction;
use sellerlink_domain::order::{OrderStatus, PaymentMethod, ShippingSpeed};
use sellerlink_store::{JobOutcome, StockState};

use super::Texts;
use crate::pages::audit::{Field as AuditField, Who};

fn days_left(days: i32) -> String {
    if days == 1 {
        "Access expires in 1 day".to_owned()
    } else {
        format!("Access expires in {days} days")
    }
}

fn expired_days_ago(days: i32) -> String {
    if days == 1 {
        "Expired (1 day ago)".to_owned()
    } else {
        format!("Expired ({days} days ago)")
    }
}

fn guide_renew_steps(developer_id: &str) -> Vec<String> {
    vec![
        "Open Seller Central's User Permissions page with the button below, at Amazon MWS Developer Permissions (sign in if asked).".to_owned(),
        format!("On the row of developer ID {developer_id} click \"Approve access\" (other developers may be listed too). Access then lasts one year from that day."),
        "Come back here, check the day you approved it and press \"Record the approval\".".to_owned(),
    ]
}

fn guide_restore_steps(developer_id: &str) -> Vec<String> {
    vec![
        "Open Seller Central's User Permissions page with the button below, at Amazon MWS Developer Permissions (sign in if asked).".to_owned(),
        format!("On the row of developer ID {developer_id} click \"Restore access\". Access is restored for one year from that day (the MWS Auth Token stays the same)."),
        "Come back here, check the day you restored it and press \"Record the restore\": sellerlink asks Amazon and resumes importing orders.".to_owned(),
    ]
}

fn guide_denied_steps(developer_id: &str) -> Vec<String> {
    vec![
        "Amazon no longer accepts this connection's MWS Auth Token, so importing orders is paused (nothing is missed once it resumes).".to_owned(),
        format!("Open Seller Central's User Permissions page with the button below and find the row of developer ID {developer_id} under Amazon MWS Developer Permissions."),
        "If the row has expired, click \"Restore access\" and press \"Verify now\" here (the token stays the same).".to_owned(),
        "If the row is gone (revoked), click \"Grant access to a developer\", then paste the new MWS Auth Token of the last page below and press \"Replace the token\".".to_owned(),
    ]
}

fn guide_revoked_steps(developer_id: &str) -> Vec<String> {
    vec![
        "Revoked access cannot be approved or restored. Granting it again issues a new MWS Auth Token.".to_owned(),
        format!("Open Seller Central's User Permissions page with the button below and click \"Grant access to a developer\" for developer ID {developer_id}."),
        "Paste the new MWS Auth Token of the last page below and press \"Replace the token\": it is checked with Amazon and recorded as a new grant lasting one year from today.".to_owned(),
    ]
}

fn guide_unverified_steps(developer_id: &str) -> Vec<String> {
    vec![
        format!("Amazon has not confirmed this connection yet (developer ID {developer_id})."),
        "Press \"Verify now\" to check that the grant works.".to_owned(),
    ]
}

fn guide_spapi_steps(developer_name: &str) -> Vec<String> {
    vec![
        "Open Seller Central's Manage Your Apps page with the button below (sign in with the selling account).".to_owned(),
        format!("On the row of the app whose developer is \"{developer_name}\", click \"Re-authorize\"."),
        "On Amazon's \"Authorize application\" page check the details and click \"Confirm\": you come back to sellerlink with this connection renewed for 365 days from that day.".to_owned(),
    ]
}

fn guide_operator_steps() -> Vec<String> {
    vec![
        "Amazon refuses sellerlink's own credentials (its developer keys, or the SP-API app's client secret). The merchant need not do anything.".to_owned(),
        "Once the operator has fixed the configuration, press \"Verify now\": importing orders resumes.".to_owned(),
    ]
}

fn sync_counts(new: u64, changed: u64, pages: u32) -> String {
    let pages = if pages == 1 {
        "1 page".to_owned()
    } else {
        format!("{pages} pages")
    };
    format!("{new} new, {changed} changed ({pages})")
}

fn notice_synced(new: u64, changed: u64) -> String {
    format!("Orders imported: {new} new, {changed} changed.")
}

fn notice_sync_not_done(outcome: &str) -> String {
    format!("The import did not complete ({outcome}); see \"Last sync\".")
}

fn order_summary(total: u64, first: u64, last: u64) -> String {
    if total == 0 {
        "No matching orders.".to_owned()
    } else {
        format!("Orders {first}–{last} of {total}")
    }
}

fn page_label(page: u64, pages: u64) -> String {
    format!("Page {page} of {pages}")
}

fn bad_date(text: &str) -> String {
    format!(
        "The date \"{}\" cannot be read; use YYYY-MM-DD.",
        crate::error::shorten(text, crate::error::ECHO_CHARS)
    )
}

fn order_status_label(status: &OrderStatus) -> String {
    match status {
        OrderStatus::PendingAvailability => "Pre-order (awaiting stock)",
        OrderStatus::Pending => "Pending",
        OrderStatus::Unshipped => "Unshipped",
        OrderStatus::PartiallyShipped => "Partially shipped",
        OrderStatus::Shipped => "Shipped",
        OrderStatus::Canceled => "Canceled",
        OrderStatus::Unfulfillable => "Unfulfillable",
        OrderStatus::InvoiceUnconfirmed => "Invoice unconfirmed",
        OrderStatus::Other(text) => text,
    }
    .to_owned()
}

fn payment_method_label(method: &PaymentMethod) -> String {
    match method {
        PaymentMethod::CashOnDelivery => "Cash on delivery",
        PaymentMethod::ConvenienceStore => "Convenience store",
        PaymentMethod::CreditCard => "Credit card",
        PaymentMethod::GiftCard => "Amazon gift card",
        PaymentMethod::Points => "Amazon points",
        PaymentMethod::Invoice => "Invoice",
        PaymentMethod::Other(text) => text,
    }
    .to_owned()
}

fn shipping_speed_label(speed: ShippingSpeed) -> &'static str {
    match speed {
        ShippingSpeed::Standard => "Standard",
        ShippingSpeed::Expedited => "Expedited",
        ShippingSpeed::Scheduled => "Scheduled delivery",
        ShippingSpeed::SameDay => "Same-day",
        ShippingSpeed::NextDay => "Next day",
        ShippingSpeed::SecondDay => "Two-day",
        ShippingSpeed::FreeEconomy => "Free economy",
        ShippingSpeed::Priority => "Priority",
    }
}

/// `Apr 17, 2018 10:26:33 JST`: Seller Central's English order of date and time, on a 24-hour clock.
fn seller_central_time(at: Timestamp) -> String {
    crate::pages::order_format::in_japan(at)
        .strftime("%b %-d, %Y %H:%M:%S JST")
        .to_string()
}

fn health_detail(connections: usize, attention: usize) -> String {
    format!("{attention} of {connections} connections need attention")
}

fn notice_test_delivered(to: &str) -> String {
    format!("The test message was delivered to {to}.")
}

fn notice_test_failed(to: &str, error: &str) -> String {
    format!("The test message to {to} failed: {error}")
}

fn kind_reminder(days: i32) -> String {
    match days {
        0 => "Reminder: access lapses today".to_owned(),
        1 => "Reminder: 1 day before expiry".to_owned(),
        days => format!("Reminder: {days} days before expiry"),
    }
}

fn log_page_label(page: u32) -> String {
    format!("Page {page}")
}

fn demo_clock_plus_days(days: i64) -> String {
    if days == 1 {
        "+1 day".to_owned()
    } else {
        format!("+{days} days")
    }
}

pub(super) static EN: Texts = Texts {
    other_language_code: "ja",
    other_language_name: "日本語",
    skip_to_content: "Skip to content",
    nav_label: "Main menu",
    nav_operator: "Overview",
    nav_dashboard: "Dashboard",
    nav_orders: "Orders",
    nav_api_keys: "API keys",
    sign_in: "Sign in",
    sign_out: "Sign out",
    footer: "sellerlink — connects Amazon seller accounts to your 3PL",
    back_home: "Back to the start page",

    login_title: "Sign in",
    email: "E-mail address",
    password: "Password",
    login_failed: "The e-mail address or password is not correct.",

    error_title: "Error",
    not_found_title: "Not found",
    forbidden_title: "Not allowed",

    dashboard_title: "Amazon connections",
    connect_mws: "Connect an Amazon account (MWS)",
    spapi_not_configured: "\"Connect with Amazon (SP-API)\" becomes available once the operator configures the SP-API app.",
    connect_spapi: "Connect with Amazon (SP-API)",
    spapi_hint: "Click \"Confirm\" on Amazon's \"Authorize application\" page; you come back here connected (re-authorize it on Manage Your Apps every 365 days).",
    lwa_refresh_token: "LWA refresh token",
    view_orders: "View orders",
    no_connections: "No Amazon account is connected yet. Use \"Connect an Amazon account (MWS)\" and follow the steps.",
    seller_id: "Seller ID",
    marketplace_id: "Marketplace ID",
    mws_auth_token: "MWS Auth Token",
    developer_name: "Developer name",
    developer_id: "Developer ID",
    marketplaces: "Marketplaces",
    granted_on: "Access granted",
    last_approved_on: "Last approved",
    expires_on: "Access expires",
    verified_at: "Verified with Amazon",
    not_yet: "Not yet",
    no_expiry: "No expiry",
    verify_now: "Verify now",
    sync_now: "Import orders now",
    last_sync: "Last sync",
    never_synced: "Not synced yet.",

    status_active: "Active",
    status_expiring_soon: "Expiring soon",
    status_expired: "Expired",
    status_revoked: "Revoked",
    status_access_denied: "Access lost",
    status_unverified: "Unverified",
    days_left,
    expired_days_ago,
    expires_today: "Access expires today",
    countdown_no_expiry: "The expiry feature is off (no renewal needed)",
    countdown_revoked: "Access was revoked",

    guide_renew_title: "Approve: access expires soon. Approve access in Seller Central",
    guide_restore_title: "Restore: access has expired. Restore access in Seller Central",
    guide_denied_title: "Access lost: check the MWS Auth Token and replace it if needed",
    guide_revoked_title: "Revoked: grant access again and replace the MWS Auth Token",
    guide_unverified_title: "Unverified: check it with Amazon",
    guide_renew_steps,
    guide_restore_steps,
    guide_denied_steps,
    guide_revoked_steps,
    guide_unverified_steps,
    guide_spapi_title: "Re-authorize: the SP-API authorization expires soon",
    guide_spapi_steps,

    sync_ok: "OK",
    sync_paused: "Paused (access lost)",
    sync_failed: "Failed",
    sync_running: "Running",
    sync_counts,

    notice_connected: "The Amazon account is connected and Amazon confirmed the grant.",
    notice_reauthorized: "The app was re-authorized at Amazon: access now lasts 365 days from today.",
    notice_renewed: "Approval recorded: access now expires one year after the day it was approved.",
    notice_restored: "Restoration recorded: access now expires one year after the day it was restored.",
    notice_expiry_enabled: "Recorded that the expiry feature is on: access expires one year after the last approval.",
    notice_switched_to_spapi: "This seller account's connection now uses SP-API; its orders and history are kept.",
    enable_expiry_submit: "Record that expiry was switched on",
    notice_verified: "Amazon confirmed the connection works.",
    notice_access_denied: "Access lost: Amazon did not accept this connection's credential. Follow the steps on its card.",
    notice_synced,
    notice_sync_not_done,
    notice_key_revoked: "The API key was revoked.",
    notice_merchant_added: "The merchant was registered.",
    notice_user_added: "The user was added.",

    wizard_title: "Connect an Amazon account (MWS)",
    wizard_intro: "Grant us (the developer) access in Seller Central, then type the three values it shows into this page. It takes about five minutes.",
    step1_title: "Sign in to Seller Central",
    step1_body: "Open Seller Central's MWS registration page with the button below and sign in with your Seller Central e-mail address (or mobile number) and password.",
    choose_marketplace: "The marketplace you sell in",
    show_link: "Show the link",
    open_seller_central: "Open Seller Central",
    step2_title: "Grant access to a developer",
    step2_body: "On User Permissions, under Amazon MWS Developer Permissions, click \"Grant access to developer\".",
    step3_title: "Type the developer name and developer ID",
    step3_body: "Type these values exactly and click \"Next\". The developer ID works with or without dashes.",
    copy: "Copy",
    copied: "Copied",
    step4_title: "Tick both boxes and click \"Next\"",
    step4_body: "Clicking \"Next\" gives us access to your selling account. What the two checkboxes mean:",
    consent_catalog: "First: you pledge that no catalog data you send contains prohibited products.",
    consent_responsibility: "Second: you accept responsibility, as the seller, for what we (the developer) do with the account.",
    never_share_password: "Never give your Amazon user name or password to anyone, even someone claiming to be from Amazon. We will never ask for it.",
    step5_title: "Type the three values",
    step5_body: "Type the Seller ID, Marketplace ID and MWS Auth Token from the completion page. They are not sent by e-mail, so keep that page open until you are done.",
    token_hint: "The MWS Auth Token starts with amzn.mws. It is stored encrypted and only ever shown masked.",
    connect_submit: "Connect and verify with Amazon",

    orders_title: "Orders",
    merchant: "Merchant",
    status: "Status",
    purchased_from: "Purchased from",
    purchased_to: "Purchased to",
    marketplace: "Marketplace",
    channel: "Channel",
    apply_filters: "Filter",
    all_merchants: "All merchants",
    all_statuses: "All",
    all_marketplaces: "All",
    all_channels: "All",
    channel_mfn: "Merchant fulfilled",
    channel_afn: "FBA",
    no_orders: "No orders match.",
    order_id: "Order",
    purchased_at: "Purchased",
    order_total: "Total",
    items: "Items",
    pagination: "Pages",
    previous: "Previous",
    next: "Next",
    order_summary,
    page_label,
    bad_date,

    order: "Order",
    back_to_orders: "Back to the orders",
    last_updated: "Last updated",
    ship_service_level: "Shipping service",
    ship_by: "Ship by",
    payment_method: "Payment",
    ship_to: "Ship to",
    item_title: "Title",
    quantity: "Quantity",
    shipped: "Shipped",
    price: "Price",
    shipments: "Shipment confirmations",
    no_shipments: "No shipment confirmation for this order yet. When the warehouse system sends one (API …/shipments), its progress at Amazon shows here.",
    carrier: "Carrier",
    tracking_number: "Tracking number",
    shipment_state: "State",
    amazon_said: "Amazon said",
    queued_at: "Queued",
    shipment_queued: "Waiting to be sent",
    shipment_submitted: "Amazon is processing it",
    shipment_confirmed: "Confirmed by Amazon",
    shipment_rejected: "Refused by Amazon",
    order_status_label,
    payment_method_label,
    shipping_speed_label,
    seller_central_time,
    ship_by_filter: "Ship by",
    ship_by_any: "Any",
    due_today: "Due today (not shipped)",
    overdue: "Overdue (not shipped)",
    sort_by: "Sort",
    sort_newest: "Newest order first",
    sort_ship_by_earliest: "Earliest ship-by first",
    sort_ship_by_latest: "Latest ship-by first",

    operator_title: "Overview",
    connections_by_urgency: "Connections, most urgent first",
    no_connections_anywhere: "No connections yet.",
    sync_health: "Sync health per merchant",
    quarantine_title: "Orders that could not be read",
    quarantine_intro: "Orders Amazon sent that could not be read are set aside here; the rest of the import goes on, and each import reads them again. An order leaves this list once it reads.",
    quarantine_empty: "No order is set aside.",
    quarantine_reason: "Reason",
    quarantine_first_seen: "First seen",
    quarantine_attempts: "Attempts",
    quarantine_raw: "What Amazon sent (buyer data removed)",
    connections: "Connections",
    health: "Health",
    health_ok: "Healthy",
    health_attention: "Needs attention",
    health_idle: "No connections",
    health_detail,
    add_merchant: "Register a merchant",
    merchant_name: "Merchant name",
    language: "Language",
    add: "Add",
    add_user: "Add a merchant user",
    initial_password: "Initial password (10 characters or more)",

    api_keys_title: "API keys",
    api_keys_intro: "Keys for the API (/api/v1) that read and change your own data only. A key is shown once, when it is created.",
    new_key_title: "Your new API key",
    new_key_once: "This key is shown only now. Store it somewhere safe; it cannot be shown again.",
    key_name: "Key name",
    create_key: "Create key",
    key_scopes: "May (scopes)",
    key_scopes_hint: "Creating API keys and adding notification channels is possible only when signed in, never with a key.",
    key_prefix: "Starts with",
    created_at: "Created",
    last_used: "Last used",
    never: "Never",
    key_active: "Active",
    key_revoked: "Revoked",
    revoke: "Revoke",

    nav_notifications: "Notifications",
    nav_channels: "Notification channels",

    channels_title: "Notification channels",
    operator_channels_title: "The operator's notification channels",
    channels_intro: "Where expiry reminders (by default 30, 14, 7, 3 and 1 days before, and on the day) and access lost alerts are sent.",
    operator_channels_intro: "These channels receive every merchant's reminders and alerts.",
    no_channels: "No channels yet. Add an e-mail address or a webhook URL.",
    channel_kind: "Kind",
    channel_email: "E-mail",
    channel_webhook: "Webhook",
    channel_address: "Sent to",
    channel_enabled: "Enabled",
    channel_disabled: "Disabled",
    send_test: "Send a test",
    disable: "Disable",
    enable: "Enable",
    add_email_title: "Add an e-mail address",
    add_webhook_title: "Add a webhook",
    email_address_label: "E-mail address (e.g. taro@example.co.jp)",
    webhook_url_label: "Webhook URL (e.g. https://example.com/hooks/sellerlink)",
    webhook_hint: "Its signing secret is shown once, when it is added. Every request carries a Sellerlink-Webhook-Signature header: \"v1=\" followed by the hex HMAC-SHA256, keyed with the secret, of the Sellerlink-Webhook-Timestamp header's value, a \".\" and the request body exactly as received. Compute the same value to compare, and refuse requests whose timestamp is more than five minutes off.",
    message_language: "Language of the messages",
    add_email: "Add e-mail",
    add_webhook: "Add webhook",
    new_secret_title: "Webhook signing secret",
    new_secret_once: "This secret is shown only now. Use it to verify the Sellerlink-Webhook-Signature header. Store it somewhere safe; it cannot be shown again.",
    notice_channel_added: "The channel was added.",
    notice_channel_disabled: "The channel was disabled; it gets no new notifications.",
    notice_channel_enabled: "The channel was enabled again.",
    notice_test_delivered,
    notice_test_failed,
    view_log: "View the notification log",

    log_title: "Notification log",
    log_intro: "Notifications sent (reminders, alerts, tests) and what became of them, newest first.",
    all_kinds: "All",
    kind_reminder,
    kind_reminder_any: "Expiry reminder",
    kind_access_lost: "Access lost alert",
    kind_access_restored: "Access restored",
    kind_test: "Test message",
    state_delivered: "Delivered",
    state_failed: "Failed",
    state_pending: "Pending",
    state_sending: "Sending",
    state_skipped: "Skipped",
    log_when: "When",
    log_connection: "Connection (Seller ID)",
    log_attempts: "Attempts",
    log_detail: "Details",
    to_operator: "The operator's channel",
    no_deliveries: "No notifications match.",
    log_page_label,

    demo_clock_label: "Demo clock",
    demo_clock_hint: "Demo only: moves sellerlink's and the sandbox's clocks forward together and runs the imports, reminders and alerts that fall due at once.",
    demo_clock_plus_days,
    demo_clock_days: "Days to move forward",
    demo_clock_advance: "Move forward",
    wizard_dates_title: "Dates Seller Central shows (optional)",
    wizard_dates_hint: "Type the dates shown on this developer's row under Amazon MWS Developer Permissions. Left empty, the grant is recorded as made today and access expires a year from today.",
    date_format_hint: "YYYY-MM-DD (e.g. 2026-01-10)",
    no_expiry_hint: "Tick when the expiry feature is off in Seller Central (no expiry): no countdown and no reminders.",
    renew_submit: "Record the approval",
    restore_submit: "Record the restore",
    replace_token_title: "Replace the MWS Auth Token",
    replace_token_hint: "Granting access again in Seller Central issues a new MWS Auth Token. Paste the token of the same Seller ID: it is checked with Amazon before it is stored (a new grant, lasting one year from today).",
    replace_token_submit: "Replace the token",
    remove_title: "Remove connection",
    remove_warning: "This deletes the connection, its stored credential and every imported order, shipment and stock record. It cannot be undone.",
    remove_confirm: "I understand this is deleted",
    remove_submit: "Remove the connection",
    remove_not_confirmed: "Tick \"I understand this is deleted\" to remove the connection. Nothing was removed.",
    notice_token_replaced: "The MWS Auth Token was replaced. Amazon accepted it and importing resumes.",
    notice_removed: "The connection was removed.",
    wizard_refused_at_field: "Amazon did not accept these values: see the message at the field marked below, correct it and send the form again. Nothing was saved.",
    guide_spapi_lost_title: "Re-authorize: Amazon no longer accepts the SP-API authorization (expired or revoked)",
    guide_operator_title: "Access lost: the operator is checking sellerlink's configuration",
    guide_operator_steps,
    open_user_permissions: "Open User Permissions in Seller Central",
    open_manage_apps: "Open Manage Your Apps in Seller Central",
    connect_card_title: "Connect an Amazon account",
    approved_on_label: "Day you approved it in Seller Central",
    restored_on_label: "Day you restored it in Seller Central",
    renew_early_summary: "Approved in Seller Central before the expiry?",
    api_column: "API",
    no_api_keys: "No API keys yet. To use the API (/api/v1) from a warehouse system, create a key with the form above.",
    key_name_placeholder: "e.g. WMS import",
    stock_link: "Stock",
    audit_link: "History",
    back_to_dashboard: "Back to the dashboard",
    list_summary,
    stock_title,
    stock_intro: "The quantity of each SKU as the warehouse set it, and where it stands with Amazon. Changed quantities are sent to Amazon automatically.",
    stock_sku: "SKU",
    stock_match: "Match",
    stock_sku_contains: "contains",
    stock_sku_prefix: "starts with",
    stock_state: "State",
    stock_all_states: "All states",
    stock_state_label,
    stock_quantity: "Quantity set",
    stock_at_amazon: "Accepted by Amazon",
    stock_in_flight: "Pending submission",
    stock_updated: "Updated",
    stock_accepted_at,
    stock_not_accepted_yet: "None yet",
    stock_feed,
    stock_refused_because,
    stock_retrying,
    stock_nothing_yet: "No quantity has been set for this connection yet. When the warehouse system sends the quantity of each SKU, it shows here and is sent to Amazon.",
    stock_no_match: "No SKU matches these filters.",
    audit_title,
    audit_intro: "Everything done to this connection and everything that happened to it (access granted, approved, restored, revoked, token replaced, API switched…), newest first.",
    audit_action: "Action",
    audit_all_actions: "All actions",
    audit_from: "From",
    audit_to: "To",
    audit_when: "When",
    audit_actor: "Who",
    audit_changes: "What changed (before → after)",
    audit_before: "Before",
    audit_after: "After",
    audit_no_fields: "(nothing to show)",
    audit_no_match: "No entry matches these filters.",
    audit_action_label,
    audit_field_label,
    audit_who,
    import_queue: |due, oldest| match oldest {
        Some(minutes) if due > 0 => {
            format!("Import queue: {due} connection(s) due (the oldest waiting {minutes} min)")
        }
        _ => "Import queue: empty (every connection is imported on schedule)".to_owned(),
    },
    jobs_title: "Jobs",
    jobs_intro: "What sellerlink does in the background, and each process's last run of it (the newest first). Every worker and web server records its own runs; a process that stopped shows its last run until a week has passed.",
    job_column: "Job",
    job_interval: "Every",
    job_process: "Process",
    job_started: "Started",
    job_finished: "Finished",
    job_outcome: "Outcome",
    job_summary: "What it did",
    job_never_run: "No process has run it yet.",
    job_label: |kind| match kind {
        JobKind::Imports => "Order imports and re-checks of paused connections",
        JobKind::Reminders => "Expiry reminders and access alerts",
        JobKind::Shipments => "Shipment confirmations",
        JobKind::StockLevels => "Stock levels",
        JobKind::BuyerDataErasure => "Buyer-data erasure",
        JobKind::PlannerStatistics => "Database statistics",
        JobKind::SessionCleanup => "Expired sessions clean-up",
    },
    job_outcome_label: |outcome| match outcome {
        JobOutcome::Running => "Running",
        JobOutcome::Ok => "OK",
        JobOutcome::Failed => "Failed",
    },
    job_every: |seconds| match seconds {
        s if s > 0 && s % 86_400 == 0 => format!("{} day(s)", s / 86_400),
        s if s > 0 && s % 3_600 == 0 => format!("{} h", s / 3_600),
        s if s > 0 && s % 60 == 0 => format!("{} min", s / 60),
        s => format!("{s} s"),
    },
    seller_central_date: |day| day.strftime("%b %-d, %Y").to_string(),
};

fn list_summary(total: u64, first: u64, last: u64) -> String {
    if total == 0 {
        "None".to_owned()
    } else {
        format!("{first}–{last} of {total}")
    }
}

fn stock_title(seller_id: &str, api: &str) -> String {
    format!("Stock — Seller ID {seller_id} ({api})")
}

fn stock_state_label(state: StockState) -> &'static str {
    match state {
        StockState::Pending => "Waiting to be sent",
        StockState::Submitted => "Sent (Amazon is processing it)",
        StockState::Pushed => "Accepted by Amazon",
        StockState::Rejected => "Refused by Amazon",
    }
}

fn stock_accepted_at(quantity: u32, when: &str) -> String {
    format!("{quantity} ({when})")
}

fn stock_feed(feed: &str, quantity: u32) -> String {
    format!("Feed {feed} (quantity {quantity}, awaiting its result)")
}

fn stock_refused_because(reason: &str) -> String {
    format!("Amazon's reason: {reason}")
}

fn stock_retrying(attempts: u32, error: &str, next: &str) -> String {
    format!("Sending failed (attempt {attempts}): {error}. It is sent again at {next}.")
}

fn audit_title(seller_id: &str, api: &str) -> String {
    format!("History — Seller ID {seller_id} ({api})")
}

fn audit_action_label(action: AuditAction) -> &'static str {
    match action {
        AuditAction::MerchantCreated => "Merchant added",
        AuditAction::ConnectionCreated => "Connected (access granted)",
        AuditAction::ConnectionVerified => "Verified with Amazon",
        AuditAction::Renewed => "Approved (renewed)",
        AuditAction::Restored => "Restored",
        AuditAction::ExpiryEnabled => "Expiry enabled",
        AuditAction::Revoked => "Revoked",
        AuditAction::AccessDenied => "Access refused by Amazon",
        AuditAction::AccessDeniedCleared => "Access back",
        AuditAction::CredentialReplaced => "Token replaced / re-authorized",
        AuditAction::CredentialResealed => "Encryption key rotated",
        AuditAction::ConnectionRemoved => "Connection removed",
        AuditAction::ShipmentQueued => "Shipment confirmation queued",
        AuditAction::ShipmentConfirmed => "Shipment confirmation accepted by Amazon",
        AuditAction::ShipmentRejected => "Shipment confirmation refused by Amazon",
        AuditAction::ApiSwitched => "API switched",
        AuditAction::ConnectionsMerged => "Connections merged",
        AuditAction::OrderQuarantined => "Unreadable order set aside",
    }
}

fn audit_field_label(field: AuditField) -> &'static str {
    match field {
        AuditField::Api => "API",
        AuditField::SellerId => "Seller ID",
        AuditField::DeveloperId => "Developer ID",
        AuditField::Region => "Region",
        AuditField::Marketplaces => "Marketplaces",
        AuditField::GrantedAt => "Access granted at",
        AuditField::LastApprovedOn => "Last approved on",
        AuditField::ExpiresOn => "Expires on",
        AuditField::RevokedAt => "Revoked at",
        AuditField::AccessDenied => "Access refused",
        AuditField::VerifiedAt => "Verified with Amazon at",
        AuditField::MerchantName => "Merchant name",
        AuditField::Language => "Language",
        AuditField::OrderId => "Order ID",
        AuditField::Carrier => "Carrier",
        AuditField::TrackingNumber => "Tracking number",
        AuditField::Reason => "Reason",
    }
}

fn audit_who(who: &Who) -> String {
    match who {
        Who::User(email) => email.clone(),
        Who::ApiKey(name) => format!("API key \"{name}\""),
        Who::Cli(user) => format!("Command line ({user})"),
        Who::System(job) => format!("sellerlink (automatic: {job})"),
        Who::Other(text) => text.clone(),
    }
}
