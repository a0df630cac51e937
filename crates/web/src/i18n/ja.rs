//! 日本語（既定）。セラーセントラルの表記に合わせています。

use jiff::Timestamp;
use sellerlink_app::JobKind;
use sellerlink_domain::audit::AuditAction;
use sellerlink_domain::order::{OrderStatus, PaymentMethod, ShippingSpeed};
use sellerlink_store::{JobOutcome, StockState};

use super::Texts;
use crate::pages::audit::{Field as AuditField, Who};

fn days_left(days: i32) -> String {
    format!("有効期限まであと {days} 日")
}

fn expired_days_ago(days: i32) -> String {
    format!("期限切れ（{days} 日経過）")
}

fn guide_renew_steps(developer_id: &str) -> Vec<String> {
    vec![
        "下のボタンでセラーセントラルの「ユーザー権限」ページを開き、「Amazon MWS 開発者権限」の一覧を表示します（必要ならサインインします）。".to_owned(),
        format!("開発者ID {developer_id} の行で「アクセス権を承認」をクリックします（ほかの開発者の行もあります）。有効期限がその日から1年延長されます。"),
        "ここに戻り、承認した日を確かめて「承認を記録」を押してください。".to_owned(),
    ]
}

fn guide_restore_steps(developer_id: &str) -> Vec<String> {
    vec![
        "下のボタンでセラーセントラルの「ユーザー権限」ページを開き、「Amazon MWS 開発者権限」の一覧を表示します（必要ならサインインします）。".to_owned(),
        format!("開発者ID {developer_id} の行で「アクセス権の復元」をクリックします。アクセス権がその日から1年間復元されます（MWS認証トークンは変わりません）。"),
        "ここに戻り、復元した日を確かめて「復元を記録」を押してください。Amazon に確認し、注文の取り込みを再開します。".to_owned(),
    ]
}

fn guide_denied_steps(developer_id: &str) -> Vec<String> {
    vec![
        "Amazon がこの接続のMWS認証トークンを受け付けないため、注文の取り込みを止めています（停止中の注文も、再開後に取りこぼしなく取り込みます）。".to_owned(),
        format!("下のボタンでセラーセントラルの「ユーザー権限」ページを開き、「Amazon MWS 開発者権限」で開発者ID {developer_id} の行を確認します。"),
        "行が期限切れなら「アクセス権の復元」をクリックし、ここで「今すぐ確認」を押してください（トークンは変わりません）。".to_owned(),
        "行がない（取り消された）場合は「開発者にアクセス権を付与」で改めて付与し、完了画面の新しいMWS認証トークンを下に入力して「新しいトークンで差し替える」を押してください。".to_owned(),
    ]
}

fn guide_revoked_steps(developer_id: &str) -> Vec<String> {
    vec![
        "取り消されたアクセス権は承認・復元できません。改めて付与すると新しいMWS認証トークンが発行されます。".to_owned(),
        format!("下のボタンでセラーセントラルの「ユーザー権限」ページを開き、「開発者にアクセス権を付与」で開発者ID {developer_id} に改めて付与します。"),
        "完了画面の新しいMWS認証トークンを下に入力して「新しいトークンで差し替える」を押してください。Amazon で確認してから保存し、本日から1年間の新しい付与として記録します。".to_owned(),
    ]
}

fn guide_unverified_steps(developer_id: &str) -> Vec<String> {
    vec![
        format!("この接続はまだ Amazon で確認されていません（開発者ID {developer_id}）。"),
        "「今すぐ確認」を押して、アクセス権が有効か確認してください。".to_owned(),
    ]
}

fn guide_spapi_steps(developer_name: &str) -> Vec<String> {
    vec![
        "下のボタンでセラーセントラルの「アプリの管理」ページを開きます（出品者アカウントでサインインします）。".to_owned(),
        format!("開発者が「{developer_name}」のアプリの行で「再認可」をクリックします。"),
        "Amazon の「アプリケーションの認可」ページで内容を確かめて「確認」をクリックすると sellerlink に戻り、この接続が更新されます。有効期限は再認可した日から365日後です。".to_owned(),
    ]
}

fn guide_operator_steps() -> Vec<String> {
    vec![
        "Amazon が sellerlink 自身の認証情報（開発者キー、または SP-API アプリのクライアントシークレット）を受け付けていません。荷主様の操作は不要です。".to_owned(),
        "運用担当者が設定を直したら「今すぐ確認」を押してください。注文の取り込みを再開します。".to_owned(),
    ]
}

fn sync_counts(new: u64, changed: u64, pages: u32) -> String {
    format!("新規 {new} 件・更新 {changed} 件（{pages} ページ）")
}

fn notice_synced(new: u64, changed: u64) -> String {
    format!("注文を取り込みました: 新規 {new} 件、更新 {changed} 件。")
}

fn notice_sync_not_done(outcome: &str) -> String {
    format!("取り込みは完了しませんでした（{outcome}）。「前回の同期」をご確認ください。")
}

fn order_summary(total: u64, first: u64, last: u64) -> String {
    if total == 0 {
        "該当する注文は 0 件です。".to_owned()
    } else {
        format!("全 {total} 件中 {first}〜{last} 件目")
    }
}

fn page_label(page: u64, pages: u64) -> String {
    format!("{page} / {pages} ページ")
}

fn bad_date(text: &str) -> String {
    format!(
        "日付「{}」を読み取れません。YYYY-MM-DD 形式で入力してください。",
        crate::error::shorten(text, crate::error::ECHO_CHARS)
    )
}

fn order_status_label(status: &OrderStatus) -> String {
    match status {
        OrderStatus::PendingAvailability => "予約注文（入荷待ち）",
        OrderStatus::Pending => "保留中",
        OrderStatus::Unshipped => "未出荷",
        OrderStatus::PartiallyShipped => "一部出荷済み",
        OrderStatus::Shipped => "出荷済み",
        OrderStatus::Canceled => "キャンセル",
        OrderStatus::Unfulfillable => "出荷不可",
        OrderStatus::InvoiceUnconfirmed => "請求書未確認",
        OrderStatus::Other(text) => text,
    }
    .to_owned()
}

fn payment_method_label(method: &PaymentMethod) -> String {
    match method {
        PaymentMethod::CashOnDelivery => "代金引換",
        PaymentMethod::ConvenienceStore => "コンビニ決済",
        PaymentMethod::CreditCard => "クレジットカード",
        PaymentMethod::GiftCard => "Amazonギフトカード",
        PaymentMethod::Points => "Amazonポイント",
        PaymentMethod::Invoice => "請求書払い",
        PaymentMethod::Other(text) if text.eq_ignore_ascii_case("other") => "その他",
        PaymentMethod::Other(text) => text,
    }
    .to_owned()
}

fn shipping_speed_label(speed: ShippingSpeed) -> &'static str {
    match speed {
        ShippingSpeed::Standard => "通常配送",
        ShippingSpeed::Expedited => "お急ぎ便",
        ShippingSpeed::Scheduled => "お届け日時指定便",
        ShippingSpeed::SameDay => "当日お急ぎ便",
        ShippingSpeed::NextDay => "翌日配送",
        ShippingSpeed::SecondDay => "2日以内配送",
        ShippingSpeed::FreeEconomy => "無料配送（エコノミー）",
        ShippingSpeed::Priority => "優先配送",
    }
}

/// `2018年4月17日 10時26分33秒`, as Seller Central Japan writes a date and time.
fn seller_central_time(at: Timestamp) -> String {
    crate::pages::order_format::in_japan(at)
        .strftime("%Y年%-m月%-d日 %-H時%M分%S秒")
        .to_string()
}

fn health_detail(connections: usize, attention: usize) -> String {
    format!("接続 {connections} 件中 {attention} 件に対応が必要")
}

fn notice_test_delivered(to: &str) -> String {
    format!("テストメッセージを {to} に送信しました（配信済み）。")
}

fn notice_test_failed(to: &str, error: &str) -> String {
    format!("テストメッセージを {to} に送信できませんでした: {error}")
}

fn kind_reminder(days: i32) -> String {
    if days == 0 {
        "有効期限当日のリマインダー".to_owned()
    } else {
        format!("有効期限 {days} 日前のリマインダー")
    }
}

fn log_page_label(page: u32) -> String {
    format!("{page} ページ目")
}

fn demo_clock_plus_days(days: i64) -> String {
    format!("+{days} 日")
}

pub(super) static JA: Texts = Texts {
    other_language_code: "en",
    other_language_name: "English",
    skip_to_content: "本文へ移動",
    nav_label: "メインメニュー",
    nav_operator: "全体状況",
    nav_dashboard: "ダッシュボード",
    nav_orders: "注文",
    nav_api_keys: "APIキー",
    sign_in: "サインイン",
    sign_out: "サインアウト",
    footer: "sellerlink — Amazon 出品者アカウントと 3PL をつなぎます",
    back_home: "トップへ戻る",

    login_title: "サインイン",
    email: "メールアドレス",
    password: "パスワード",
    login_failed: "メールアドレスまたはパスワードが正しくありません。",

    error_title: "エラー",
    not_found_title: "見つかりません",
    forbidden_title: "操作できません",

    dashboard_title: "Amazon 接続",
    connect_mws: "Amazon アカウントを接続（MWS）",
    spapi_not_configured: "「Amazon で接続（SP-API）」は、運用担当者が SP-API アプリを設定すると使えるようになります。",
    connect_spapi: "Amazon で接続（SP-API）",
    spapi_hint: "Amazon の「アプリケーションの認可」ページで「確認」をクリックすると、このページに戻って接続が完了します（365日ごとに「アプリの管理」で再認可が必要です）。",
    lwa_refresh_token: "LWAリフレッシュトークン",
    view_orders: "注文を見る",
    no_connections: "まだ Amazon アカウントが接続されていません。「Amazon アカウントを接続（MWS）」から手順に沿って接続してください。",
    seller_id: "出品者ID",
    marketplace_id: "マーケットプレイスID",
    mws_auth_token: "MWS認証トークン",
    developer_name: "開発者氏名",
    developer_id: "開発者ID",
    marketplaces: "マーケットプレイス",
    granted_on: "権限の付与日",
    last_approved_on: "前回承認日",
    expires_on: "アクセス権の有効期限日",
    verified_at: "Amazon で確認した日時",
    not_yet: "未確認",
    no_expiry: "有効期限なし",
    verify_now: "今すぐ確認",
    sync_now: "今すぐ注文を取り込む",
    last_sync: "前回の同期",
    never_synced: "まだ同期していません。",

    status_active: "有効",
    status_expiring_soon: "まもなく期限切れ",
    status_expired: "期限切れ",
    status_revoked: "取り消し済み",
    status_access_denied: "アクセス停止",
    status_unverified: "未確認",
    days_left,
    expired_days_ago,
    expires_today: "本日で期限切れです",
    countdown_no_expiry: "有効期限機能は無効です（更新は不要です）",
    countdown_revoked: "アクセス権は取り消されています",

    guide_renew_title: "承認: 有効期限が近づいています。セラーセントラルでアクセス権を承認してください",
    guide_restore_title: "復元: 有効期限が切れました。セラーセントラルでアクセス権を復元してください",
    guide_denied_title: "アクセス停止: MWS認証トークンを確認し、必要なら差し替えてください",
    guide_revoked_title: "取り消し済み: 改めてアクセス権を付与し、MWS認証トークンを差し替えてください",
    guide_unverified_title: "未確認: Amazon で確認してください",
    guide_renew_steps,
    guide_restore_steps,
    guide_denied_steps,
    guide_revoked_steps,
    guide_unverified_steps,
    guide_spapi_title: "再認可: SP-API の認可の有効期限が近づいています",
    guide_spapi_steps,

    sync_ok: "成功",
    sync_paused: "一時停止（アクセス停止）",
    sync_failed: "失敗",
    sync_running: "実行中",
    sync_counts,

    notice_connected: "Amazon アカウントを接続しました。Amazon で権限を確認済みです。",
    notice_reauthorized: "Amazon でアプリを再認可しました。有効期限は本日から365日後です。",
    notice_renewed: "承認を記録しました。有効期限は承認した日から1年後です。",
    notice_restored: "復元を記録しました。有効期限は復元した日から1年後です。",
    notice_expiry_enabled: "有効期限機能の有効化を記録しました。有効期限は前回承認日から1年後です。",
    notice_switched_to_spapi: "この出品者アカウントの接続を SP-API に切り替えました。注文・履歴はそのまま引き継がれます。",
    enable_expiry_submit: "有効期限機能の有効化を記録",
    notice_verified: "Amazon で確認しました。接続は有効です。",
    notice_access_denied: "アクセス停止: Amazon がこの接続の認証情報を受け付けませんでした。カードの手順をご確認ください。",
    notice_synced,
    notice_sync_not_done,
    notice_key_revoked: "APIキーを取り消しました。",
    notice_merchant_added: "荷主を登録しました。",
    notice_user_added: "ユーザーを追加しました。",

    wizard_title: "Amazon アカウントを接続（MWS）",
    wizard_intro: "セラーセントラルで弊社（開発者）にアクセス権を付与し、表示された3つの値をこのページに入力します。所要時間は5分ほどです。",
    step1_title: "セラーセントラルにサインイン",
    step1_body: "下のボタンからセラーセントラルの MWS 登録ページを開き、セラーセントラルのメールアドレス（または携帯電話番号）とパスワードでサインインしてください。",
    choose_marketplace: "販売しているマーケットプレイス",
    show_link: "リンクを表示",
    open_seller_central: "セラーセントラルを開く",
    step2_title: "開発者にアクセス権を付与",
    step2_body: "「ユーザー権限」画面の「Amazon MWS 開発者権限」で「開発者にアクセス権を付与」をクリックします。",
    step3_title: "開発者氏名と開発者IDを入力",
    step3_body: "次の値をそのまま入力し「次へ」をクリックします。開発者IDはハイフンあり・なしのどちらでも入力できます。",
    copy: "コピー",
    copied: "コピーしました",
    step4_title: "2か所にチェックを入れて「次へ」",
    step4_body: "「次へ」をクリックすると、弊社があなたの出品用アカウントにアクセスできるようになります。次の2つのチェックボックスの意味:",
    consent_catalog: "1つ目: 送信するカタログ情報に禁止商品が含まれていないことを誓約します。",
    consent_responsibility: "2つ目: 弊社（開発者）がアカウントで行うことについて、出品者として責任を負うことを了承します。",
    never_share_password: "Amazon のユーザー名とパスワードは、誰にも（Amazon の担当者を名乗る相手にも）教えないでください。弊社がお尋ねすることもありません。",
    step5_title: "3つの値を入力",
    step5_body: "完了画面に表示された「出品者ID」「マーケットプレイスID」「MWS認証トークン」を入力してください。この画面はメールでは送られないため、入力が終わるまで閉じないでください。",
    token_hint: "MWS認証トークンは amzn.mws. で始まります。暗号化して保存し、画面には一部のみ表示します。",
    connect_submit: "接続して Amazon で確認",

    orders_title: "注文",
    merchant: "荷主",
    status: "ステータス",
    purchased_from: "注文日（から）",
    purchased_to: "注文日（まで）",
    marketplace: "マーケットプレイス",
    channel: "出荷チャネル",
    apply_filters: "絞り込む",
    all_merchants: "すべての荷主",
    all_statuses: "すべて",
    all_marketplaces: "すべて",
    all_channels: "すべて",
    channel_mfn: "自社出荷",
    channel_afn: "FBA",
    no_orders: "条件に合う注文はありません。",
    order_id: "注文番号",
    purchased_at: "注文日時",
    order_total: "合計",
    items: "商品",
    pagination: "ページ",
    previous: "前へ",
    next: "次へ",
    order_summary,
    page_label,
    bad_date,

    order: "注文",
    back_to_orders: "注文一覧へ戻る",
    last_updated: "最終更新",
    ship_service_level: "配送サービス",
    ship_by: "出荷期限",
    payment_method: "支払方法",
    ship_to: "お届け先",
    item_title: "商品名",
    quantity: "数量",
    shipped: "出荷済み",
    price: "価格",
    shipments: "出荷通知",
    no_shipments: "この注文の出荷通知はまだありません。倉庫システムが API（…/shipments）で送ると、ここに Amazon への送信状況が表示されます。",
    carrier: "配送業者",
    tracking_number: "追跡番号",
    shipment_state: "状態",
    amazon_said: "Amazon の回答",
    queued_at: "受付日時",
    shipment_queued: "送信待ち",
    shipment_submitted: "Amazon で処理中",
    shipment_confirmed: "Amazon が受領",
    shipment_rejected: "Amazon が拒否",
    order_status_label,
    payment_method_label,
    shipping_speed_label,
    seller_central_time,
    ship_by_filter: "出荷期限",
    ship_by_any: "すべて",
    due_today: "本日が出荷期限（未出荷）",
    overdue: "出荷期限切れ（未出荷）",
    sort_by: "並び順",
    sort_newest: "注文日時が新しい順",
    sort_ship_by_earliest: "出荷期限が早い順",
    sort_ship_by_latest: "出荷期限が遅い順",

    operator_title: "全体状況",
    connections_by_urgency: "対応が必要な順の接続",
    no_connections_anywhere: "接続はまだありません。",
    sync_health: "荷主ごとの同期状況",
    quarantine_title: "取り込めない注文",
    quarantine_intro: "Amazon から届いた注文のうち、読み取れず隔離したものです。他の注文の取り込みは続き、次回の取り込みで読み直します。読み取れた時点で一覧から消えます。",
    quarantine_empty: "読めない注文はありません。",
    quarantine_reason: "理由",
    quarantine_first_seen: "最初に検出",
    quarantine_attempts: "試行回数",
    quarantine_raw: "Amazon から届いた内容（購入者情報を除く）",
    connections: "接続数",
    health: "状態",
    health_ok: "正常",
    health_attention: "要対応",
    health_idle: "接続なし",
    health_detail,
    add_merchant: "荷主を登録",
    merchant_name: "荷主名",
    language: "言語",
    add: "追加",
    add_user: "荷主ユーザーを追加",
    initial_password: "初期パスワード（10文字以上）",

    api_keys_title: "APIキー",
    api_keys_intro: "API（/api/v1）から自社のデータだけを読み書きするためのキーです。キーは作成時に一度だけ表示されます。",
    new_key_title: "新しいAPIキー",
    new_key_once: "このキーは今だけ表示されます。安全な場所に保存してください。再表示はできません。",
    key_name: "キーの名前",
    create_key: "キーを作成",
    key_scopes: "できること（スコープ）",
    key_scopes_hint: "APIキーの作成と通知先の追加は、サインインした画面からのみ行えます。",
    key_prefix: "先頭",
    created_at: "作成日時",
    last_used: "最終使用",
    never: "なし",
    key_active: "有効",
    key_revoked: "取り消し済み",
    revoke: "取り消す",

    nav_notifications: "通知ログ",
    nav_channels: "通知チャネル",

    channels_title: "通知チャネル",
    operator_channels_title: "運用担当者の通知チャネル",
    channels_intro: "有効期限のリマインダー（既定では30・14・7・3・1日前と当日）と、アクセス停止のお知らせの送信先です。",
    operator_channels_intro: "ここに登録した送信先には、すべての荷主のリマインダーとアラートが届きます。",
    no_channels: "まだ送信先がありません。メールアドレスか Webhook URL を追加してください。",
    channel_kind: "種類",
    channel_email: "メール",
    channel_webhook: "Webhook",
    channel_address: "送信先",
    channel_enabled: "有効",
    channel_disabled: "停止中",
    send_test: "テスト送信",
    disable: "停止する",
    enable: "再開する",
    add_email_title: "メールアドレスを追加",
    add_webhook_title: "Webhook を追加",
    email_address_label: "メールアドレス（例: taro@example.co.jp）",
    webhook_url_label: "Webhook URL（例: https://example.com/hooks/sellerlink）",
    webhook_hint: "署名用シークレットは追加したときに一度だけ表示されます。各リクエストの Sellerlink-Webhook-Signature ヘッダーは「v1=」に続く16進数で、Sellerlink-Webhook-Timestamp ヘッダーの値、「.」、リクエスト本文（受け取ったままのバイト列）をつなげたものを、シークレットを鍵とした HMAC-SHA256 で計算した値です。受信側で同じ値を計算して比較し、タイムスタンプが5分以上ずれたリクエストは受け付けないでください。",
    message_language: "通知の言語",
    add_email: "メールを追加",
    add_webhook: "Webhook を追加",
    new_secret_title: "Webhook 署名シークレット",
    new_secret_once: "このシークレットは今だけ表示されます。Sellerlink-Webhook-Signature ヘッダーの検証に使います。安全な場所に保存してください。再表示はできません。",
    notice_channel_added: "送信先を追加しました。",
    notice_channel_disabled: "送信先を停止しました。新しい通知は送られません。",
    notice_channel_enabled: "送信先を再開しました。",
    notice_test_delivered,
    notice_test_failed,
    view_log: "通知ログを見る",

    log_title: "通知ログ",
    log_intro: "送信した通知（リマインダー、アラート、テスト）と、その配信結果です。新しい順に表示します。",
    all_kinds: "すべて",
    kind_reminder,
    kind_reminder_any: "有効期限のリマインダー",
    kind_access_lost: "アクセス停止のお知らせ",
    kind_access_restored: "アクセス回復のお知らせ",
    kind_test: "テスト送信",
    state_delivered: "配信済み",
    state_failed: "失敗",
    state_pending: "送信待ち",
    state_sending: "送信中",
    state_skipped: "見送り",
    log_when: "日時",
    log_connection: "接続（出品者ID）",
    log_attempts: "試行回数",
    log_detail: "詳細",
    to_operator: "運用担当者の送信先",
    no_deliveries: "該当する通知はありません。",
    log_page_label,

    demo_clock_label: "デモの日時",
    demo_clock_hint: "デモ専用: sellerlink とサンドボックスの時計を一緒に進め、期限が来た取り込み・リマインダー・アラートをすぐ実行します。",
    demo_clock_plus_days,
    demo_clock_days: "進める日数",
    demo_clock_advance: "進める",
    wizard_dates_title: "セラーセントラルに表示されている日付（任意）",
    wizard_dates_hint: "「Amazon MWS 開発者権限」のこの開発者の行に表示されている日付を入力してください。空欄なら本日付与したものとして記録し、有効期限は1年後になります。",
    date_format_hint: "YYYY-MM-DD（例: 2026-01-10）",
    no_expiry_hint: "セラーセントラルで有効期限機能が無効（有効期限なし）の場合にチェックします。期限のカウントダウンとリマインダーはなくなります。",
    renew_submit: "承認を記録",
    restore_submit: "復元を記録",
    replace_token_title: "MWS認証トークンの差し替え",
    replace_token_hint: "セラーセントラルで改めてアクセス権を付与すると、新しいMWS認証トークンが発行されます。同じ出品者IDのトークンを入力してください。Amazon で確認してから保存します（新しい付与として、本日から1年間）。",
    replace_token_submit: "新しいトークンで差し替える",
    remove_title: "接続を削除",
    remove_warning: "この接続、保存されている認証情報、取り込んだ注文・出荷・在庫の記録がすべて削除されます。元に戻せません。",
    remove_confirm: "削除されることを理解しました",
    remove_submit: "接続を削除する",
    remove_not_confirmed: "「削除されることを理解しました」にチェックを入れてから削除してください。何も削除されていません。",
    notice_token_replaced: "MWS認証トークンを差し替えました。Amazon で確認済みで、注文の取り込みを再開します。",
    notice_removed: "接続を削除しました。",
    wizard_refused_at_field: "Amazonで確認できませんでした。下の入力欄に表示したメッセージを確認し、修正してもう一度送信してください。何も保存されていません。",
    guide_spapi_lost_title: "再認可: Amazon が SP-API の認可を受け付けていません（期限切れ・取り消し）",
    guide_operator_title: "アクセス停止: sellerlink の設定を運用担当者が確認しています",
    guide_operator_steps,
    open_user_permissions: "セラーセントラルの「ユーザー権限」を開く",
    open_manage_apps: "セラーセントラルの「アプリの管理」を開く",
    connect_card_title: "Amazon アカウントを接続",
    approved_on_label: "セラーセントラルで承認した日",
    restored_on_label: "セラーセントラルで復元した日",
    renew_early_summary: "有効期限前にセラーセントラルで承認した場合",
    api_column: "API",
    no_api_keys: "APIキーはまだありません。倉庫システムなどから API（/api/v1）を使うときは、上のフォームでキーを作成してください。",
    key_name_placeholder: "例: 倉庫システム連携",
    stock_link: "在庫",
    audit_link: "履歴",
    back_to_dashboard: "ダッシュボードに戻る",
    list_summary,
    stock_title,
    stock_intro: "倉庫で設定した SKU ごとの在庫数と、Amazon への反映状況です。変更した在庫数は自動で Amazon に送信されます。",
    stock_sku: "SKU",
    stock_match: "一致のしかた",
    stock_sku_contains: "を含む",
    stock_sku_prefix: "で始まる",
    stock_state: "状態",
    stock_all_states: "すべての状態",
    stock_state_label,
    stock_quantity: "設定した在庫数",
    stock_at_amazon: "Amazon が受け付けた在庫数",
    stock_in_flight: "処理中の送信",
    stock_updated: "更新日時",
    stock_accepted_at,
    stock_not_accepted_yet: "まだありません",
    stock_feed,
    stock_refused_because,
    stock_retrying,
    stock_nothing_yet: "この接続にはまだ在庫数が設定されていません。倉庫システムが SKU ごとの在庫数を送ると、ここに表示され、Amazon に送信されます。",
    stock_no_match: "条件に一致する SKU はありません。",
    audit_title,
    audit_intro: "この接続に対する操作と出来事（アクセス権の付与・承認・復元・取り消し・トークンの差し替え・API の切り替えなど）を、新しい順に表示します。",
    audit_action: "操作",
    audit_all_actions: "すべての操作",
    audit_from: "開始日",
    audit_to: "終了日",
    audit_when: "日時",
    audit_actor: "実行者",
    audit_changes: "変更内容（変更前 → 変更後）",
    audit_before: "変更前",
    audit_after: "変更後",
    audit_no_fields: "（表示する項目はありません）",
    audit_no_match: "条件に一致する履歴はありません。",
    audit_action_label,
    audit_field_label,
    audit_who,
    import_queue: |due, oldest| match oldest {
        Some(minutes) if due > 0 => {
            format!("取り込み待ち: {due} 件（最も古いもので {minutes} 分待ち）")
        }
        _ => "取り込み待ち: なし（すべての接続が予定どおり取り込まれています）".to_owned(),
    },
    jobs_title: "ジョブ",
    jobs_intro: "sellerlink がバックグラウンドで行っている処理と、プロセスごとの最新の実行結果です（新しい順）。ワーカーと Web サーバーはそれぞれ自分の実行を記録します。停止したプロセスの記録は 1 週間表示されます。",
    job_column: "ジョブ",
    job_interval: "間隔",
    job_process: "プロセス",
    job_started: "開始",
    job_finished: "終了",
    job_outcome: "結果",
    job_summary: "内容",
    job_never_run: "まだどのプロセスも実行していません。",
    job_label: |kind| match kind {
        JobKind::Imports => "注文の取り込みと停止中の接続の再確認",
        JobKind::Reminders => "期限リマインダーとアクセス停止の通知",
        JobKind::Shipments => "出荷通知の送信",
        JobKind::StockLevels => "在庫数の送信",
        JobKind::BuyerDataErasure => "購入者情報の削除",
        JobKind::PlannerStatistics => "データベース統計の更新",
        JobKind::SessionCleanup => "期限切れセッションの削除",
    },
    job_outcome_label: |outcome| match outcome {
        JobOutcome::Running => "実行中",
        JobOutcome::Ok => "成功",
        JobOutcome::Failed => "失敗",
    },
    job_every: |seconds| match seconds {
        s if s > 0 && s % 86_400 == 0 => format!("{} 日ごと", s / 86_400),
        s if s > 0 && s % 3_600 == 0 => format!("{} 時間ごと", s / 3_600),
        s if s > 0 && s % 60 == 0 => format!("{} 分ごと", s / 60),
        s => format!("{s} 秒ごと"),
    },
    seller_central_date: |day| day.strftime("%Y年%-m月%-d日").to_string(),
};

fn list_summary(total: u64, first: u64, last: u64) -> String {
    if total == 0 {
        "0 件".to_owned()
    } else {
        format!("{total} 件中 {first}〜{last} 件を表示")
    }
}

fn stock_title(seller_id: &str, api: &str) -> String {
    format!("在庫 — 出品者ID {seller_id}（{api}）")
}

fn stock_state_label(state: StockState) -> &'static str {
    match state {
        StockState::Pending => "送信待ち",
        StockState::Submitted => "送信済み（Amazon で処理中）",
        StockState::Pushed => "Amazon に反映済み",
        StockState::Rejected => "Amazon が拒否",
    }
}

fn stock_accepted_at(quantity: u32, when: &str) -> String {
    format!("{quantity}（{when}）")
}

fn stock_feed(feed: &str, quantity: u32) -> String {
    format!("フィード {feed}（在庫数 {quantity}、処理結果待ち）")
}

fn stock_refused_because(reason: &str) -> String {
    format!("拒否の理由: {reason}")
}

fn stock_retrying(attempts: u32, error: &str, next: &str) -> String {
    format!("送信に失敗しました（{attempts} 回目）: {error}。{next} に再送します。")
}

fn audit_title(seller_id: &str, api: &str) -> String {
    format!("履歴 — 出品者ID {seller_id}（{api}）")
}

fn audit_action_label(action: AuditAction) -> &'static str {
    match action {
        AuditAction::MerchantCreated => "荷主を登録",
        AuditAction::ConnectionCreated => "接続（アクセス権の付与）",
        AuditAction::ConnectionVerified => "Amazon で確認",
        AuditAction::Renewed => "承認（更新）",
        AuditAction::Restored => "復元",
        AuditAction::ExpiryEnabled => "有効期限を有効化",
        AuditAction::Revoked => "取り消し",
        AuditAction::AccessDenied => "アクセス拒否",
        AuditAction::AccessDeniedCleared => "アクセス再開",
        AuditAction::CredentialReplaced => "トークンの差し替え・再認可",
        AuditAction::CredentialResealed => "暗号化キーの更新",
        AuditAction::ConnectionRemoved => "接続を削除",
        AuditAction::ShipmentQueued => "出荷通知を登録",
        AuditAction::ShipmentConfirmed => "出荷通知を Amazon が受理",
        AuditAction::ShipmentRejected => "出荷通知を Amazon が拒否",
        AuditAction::ApiSwitched => "API の切り替え",
        AuditAction::ConnectionsMerged => "接続の統合",
        AuditAction::OrderQuarantined => "読み取れない注文を保留",
    }
}

fn audit_field_label(field: AuditField) -> &'static str {
    match field {
        AuditField::Api => "API",
        AuditField::SellerId => "出品者ID",
        AuditField::DeveloperId => "開発者ID",
        AuditField::Region => "リージョン",
        AuditField::Marketplaces => "マーケットプレイス",
        AuditField::GrantedAt => "権限の付与日時",
        AuditField::LastApprovedOn => "最終承認日",
        AuditField::ExpiresOn => "有効期限",
        AuditField::RevokedAt => "取り消し日時",
        AuditField::AccessDenied => "アクセス拒否",
        AuditField::VerifiedAt => "Amazon での確認日時",
        AuditField::MerchantName => "荷主名",
        AuditField::Language => "言語",
        AuditField::OrderId => "注文番号",
        AuditField::Carrier => "配送業者",
        AuditField::TrackingNumber => "追跡番号",
        AuditField::Reason => "理由",
    }
}

fn audit_who(who: &Who) -> String {
    match who {
        Who::User(email) => email.clone(),
        Who::ApiKey(name) => format!("APIキー「{name}」"),
        Who::Cli(user) => format!("コマンドライン（{user}）"),
        Who::System(job) => format!("sellerlink（自動処理: {job}）"),
        Who::Other(text) => text.clone(),
    }
}
