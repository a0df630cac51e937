//! Wording of the OAuth consent and Manage Your Apps pages in Japanese (default) and English.

use crate::seller_central::lang::Lang;

/// Fixed labels of the app pages in one language.
#[derive(Debug)]
pub(crate) struct AppTexts {
    pub consent_title: &'static str,
    pub developer_label: &'static str,
    pub roles_label: &'static str,
    pub account_label: &'static str,
    pub draft_note: &'static str,
    pub consent_terms: &'static str,
    pub confirm: &'static str,
    pub cancel: &'static str,
    pub cancelled_title: &'static str,
    pub cancelled_text: &'static str,
    pub error_title: &'static str,
    pub manage_title: &'static str,
    pub manage_intro: &'static str,
    pub manage_link: &'static str,
    pub no_apps: &'static str,
    pub col_app: &'static str,
    pub col_developer: &'static str,
    pub col_status: &'static str,
    pub col_authorized: &'static str,
    pub col_expires: &'static str,
    pub col_actions: &'static str,
    pub status_active: &'static str,
    pub status_expired: &'static str,
    pub status_revoked: &'static str,
    pub reauthorize: &'static str,
    pub revoke: &'static str,
    pub revoke_title: &'static str,
    pub revoked_notice: &'static str,
}

/// Japanese.
pub(crate) static JA: AppTexts = AppTexts {
    consent_title: "アプリケーションの認可",
    developer_label: "開発者",
    roles_label: "このアプリケーションが要求する権限（ロール）",
    account_label: "出品者アカウント",
    draft_note: "これはテスト用（ドラフト）バージョンのアプリケーションです。",
    consent_terms: "「確認」を選択すると、このアプリケーションは上記の権限の範囲で出品者アカウントのデータにアクセスできるようになります。認可の有効期間は365日です。「アプリの管理」からいつでも取り消すことができます。",
    confirm: "確認",
    cancel: "キャンセル",
    cancelled_title: "認可をキャンセルしました",
    cancelled_text: "アプリケーションには何も共有されていません。",
    error_title: "アプリケーションを認可できません",
    manage_title: "アプリの管理",
    manage_intro: "出品者アカウントへのアクセスを認可したアプリケーションの一覧です。認可は365日ごとに更新（再認可）する必要があります。",
    manage_link: "アプリの管理",
    no_apps: "認可されたアプリケーションはありません。",
    col_app: "アプリケーション",
    col_developer: "開発者",
    col_status: "状態",
    col_authorized: "認可日",
    col_expires: "認可の有効期限",
    col_actions: "アクション",
    status_active: "有効",
    status_expired: "期限切れ",
    status_revoked: "取り消し済み",
    reauthorize: "再認可",
    revoke: "認可を取り消す",
    revoke_title: "認可の取り消し",
    revoked_notice: "アプリケーションの認可を取り消しました。",
};

/// English.
pub(crate) static EN: AppTexts = AppTexts {
    consent_title: "Authorize application",
    developer_label: "Developer",
    roles_label: "Roles this application requests",
    account_label: "Selling account",
    draft_note: "This is the draft (test) version of the application.",
    consent_terms: "If you choose Confirm, this application can access your selling account's data within the roles above. The authorization is valid for 365 days. You can revoke it at any time in Manage Your Apps.",
    confirm: "Confirm",
    cancel: "Cancel",
    cancelled_title: "Authorization cancelled",
    cancelled_text: "Nothing was shared with the application.",
    error_title: "The application cannot be authorized",
    manage_title: "Manage Your Apps",
    manage_intro: "The applications you authorized to access your selling account. Each authorization must be renewed (re-authorized) every 365 days.",
    manage_link: "Manage Your Apps",
    no_apps: "You have not authorized any application.",
    col_app: "Application",
    col_developer: "Developer",
    col_status: "Status",
    col_authorized: "Authorized on",
    col_expires: "Authorization expires on",
    col_actions: "Actions",
    status_active: "Active",
    status_expired: "Expired",
    status_revoked: "Revoked",
    reauthorize: "Re-authorize",
    revoke: "Revoke authorization",
    revoke_title: "Revoke authorization",
    revoked_notice: "The application's authorization was revoked.",
};

/// The texts of `lang`.
pub(crate) fn texts(lang: Lang) -> &'static AppTexts {
    match lang {
        Lang::Ja => &JA,
        Lang::En => &EN,
    }
}

/// "{app} requests access to your selling account."
pub(crate) fn consent_intro(app: &str, lang: Lang) -> String {
    match lang {
        Lang::Ja => format!("{app} が出品者アカウントへのアクセスを求めています。"),
        Lang::En => format!("{app} requests access to your selling account."),
    }
}

/// The expiry warning of a Manage Your Apps row.
pub(crate) fn expiry_warning(days: i64, lang: Lang) -> String {
    match lang {
        Lang::Ja => format!("この認可はあと{days}日で期限切れになります。再認可してください。"),
        Lang::En => format!(
            "This authorization expires in {days} days. Re-authorize it to keep the application working."
        ),
    }
}

/// The revoke confirmation question.
pub(crate) fn revoke_question(app: &str, lang: Lang) -> String {
    match lang {
        Lang::Ja => format!(
            "{app} の認可を取り消しますか？取り消すと、このアプリケーションは出品者アカウントにアクセスできなくなります。"
        ),
        Lang::En => format!(
            "Revoke the authorization of {app}? The application will no longer be able to access your selling account."
        ),
    }
}

/// Why an authorization request was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RequestProblem {
    /// No `application_id`.
    MissingApplicationId,
    /// No app has it.
    UnknownApp,
    /// `version` is something other than `beta`.
    BadVersion,
    /// A draft app without `version=beta`.
    DraftWithoutBeta,
    /// `redirect_uri` is not one of the app's.
    UnregisteredRedirect,
    /// The app has no redirect URI.
    NoRedirect,
    /// No `state`.
    MissingState,
    /// `amazon_state` unknown, used, or for another seller or app.
    InvalidAmazonState,
    /// `amazon_state` too old.
    ExpiredAmazonState,
    /// The app has no log-in URI, so it cannot be re-authorized from here.
    NoLoginUri,
    /// The seller has no authorization of this app.
    NotAuthorized,
    /// A form without the session's CSRF token.
    FormExpired,
}

impl RequestProblem {
    /// The message in `lang`.
    pub(crate) fn text(&self, lang: Lang) -> &'static str {
        let (ja, en) = match self {
            Self::MissingApplicationId => (
                "認可リクエストに application_id がありません。アプリケーションの認可リンクを確認してください。",
                "The authorization request has no application_id. Check the application's authorization link.",
            ),
            Self::UnknownApp => (
                "指定されたアプリケーションが見つかりません。",
                "No application has this application ID.",
            ),
            Self::BadVersion => (
                "version パラメータに指定できるのは beta のみです。",
                "The version parameter can only be beta.",
            ),
            Self::DraftWithoutBeta => (
                "このアプリケーションはドラフト状態のため、公開版として認可できません。テストでは認可リンクに version=beta を追加してください。",
                "This application is a draft and has no published version to authorize. For testing, add version=beta to the authorization link.",
            ),
            Self::UnregisteredRedirect => (
                "redirect_uri がこのアプリケーションに登録されていません。",
                "The redirect_uri is not registered for this application.",
            ),
            Self::NoRedirect => (
                "このアプリケーションには OAuth リダイレクト URI が登録されていません。",
                "This application has no OAuth redirect URI registered.",
            ),
            Self::MissingState => (
                "認可リクエストに state がありません。アプリケーションから認可をやり直してください。",
                "The authorization request has no state. Start the authorization again from the application.",
            ),
            Self::InvalidAmazonState => (
                "この認可リクエストは無効です。「アプリの管理」から再認可をやり直してください。",
                "This authorization request is not valid. Start the re-authorization again from Manage Your Apps.",
            ),
            Self::ExpiredAmazonState => (
                "この認可リクエストは有効期限が切れています。「アプリの管理」から再認可をやり直してください。",
                "This authorization request has expired. Start the re-authorization again from Manage Your Apps.",
            ),
            Self::NoLoginUri => (
                "このアプリケーションにはログイン URI が登録されていないため、ここから再認可できません。アプリケーションの認可リンクを使用してください。",
                "This application has no log-in URI, so it cannot be re-authorized from here. Use the application's own authorization link.",
            ),
            Self::NotAuthorized => (
                "このアプリケーションは認可されていません。",
                "You have not authorized this application.",
            ),
            Self::FormExpired => (
                "フォームの有効期限が切れました。もう一度やり直してください。",
                "The form has expired. Please try again.",
            ),
        };
        match lang {
            Lang::Ja => ja,
            Lang::En => en,
        }
    }
}
