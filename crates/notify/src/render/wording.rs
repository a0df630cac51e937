//! Short phrases the templates need that depend on data rather than on the kind.

use sellerlink_domain::connection::Language;

use crate::message::AccessLossCause;

/// The classified cause of an access loss, in plain words.
pub(crate) fn cause(cause: &AccessLossCause, language: Language) -> String {
    match (language, cause) {
        (Language::Ja, AccessLossCause::MwsAccessDenied) => {
            "Amazon MWS がアクセスを拒否しました（AccessDenied）。開発者アクセス権の期限切れ・削除、または MWS認証トークンの不一致が考えられます。".to_owned()
        }
        (Language::Ja, AccessLossCause::MwsExpired) => {
            "Amazon MWS 開発者アクセス権の有効期限が切れました。".to_owned()
        }
        (Language::Ja, AccessLossCause::MwsRevoked) => {
            "セラーセントラルで開発者アクセス権が取り消されました。".to_owned()
        }
        (Language::Ja, AccessLossCause::SpApiAuthorizationLost) => {
            "SP-API アプリの認可が失効したか、取り消されました（invalid_grant）。".to_owned()
        }
        (Language::Ja, AccessLossCause::SpApiAppSecretExpired) => {
            "sellerlink の LWA クライアントシークレットの有効期限が切れました（invalid_client）。荷主様の操作は不要です。".to_owned()
        }
        (Language::Ja, AccessLossCause::Other(detail)) => format!("その他: {detail}"),
        (Language::En, AccessLossCause::MwsAccessDenied) => {
            "Amazon MWS denied access (AccessDenied): the developer access has expired or been removed, or the MWS Auth Token no longer matches.".to_owned()
        }
        (Language::En, AccessLossCause::MwsExpired) => {
            "The Amazon MWS developer access has expired.".to_owned()
        }
        (Language::En, AccessLossCause::MwsRevoked) => {
            "The developer access was removed in Seller Central.".to_owned()
        }
        (Language::En, AccessLossCause::SpApiAuthorizationLost) => {
            "The SP-API app authorization has lapsed or was revoked (invalid_grant).".to_owned()
        }
        (Language::En, AccessLossCause::SpApiAppSecretExpired) => {
            "sellerlink's LWA client secret has expired (invalid_client). The merchant need not do anything.".to_owned()
        }
        (Language::En, AccessLossCause::Other(detail)) => format!("Other: {detail}"),
    }
}

/// `code: message`, either alone, or `None` when Amazon said nothing.
pub(crate) fn amazon_answer(code: Option<&str>, message: Option<&str>) -> Option<String> {
    match (code, message) {
        (Some(code), Some(message)) => Some(format!("{code}: {message}")),
        (Some(only), None) | (None, Some(only)) => Some(only.to_owned()),
        (None, None) => None,
    }
}
