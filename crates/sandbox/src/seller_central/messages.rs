//! Wording with arguments (names, dates) and the ja/en text of every outcome a page reports.

use jiff::civil::Date;

use super::fields::{DeveloperIdError, NameError};
use super::lang::Lang;
use crate::world::GrantError;

/// Why Seller Central refused a grant-flow step or a permissions action.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// No registered developer has this name/ID pair (unknown ID or name mismatch).
    NoMatchingDeveloper,
    /// The developer already has access (active or expired, not revoked).
    AlreadyGranted,
    /// No current authorization for this developer.
    NoAuthorization,
    /// Approve on or after the expiry date: access has expired, restore is needed.
    ExpiredUseRestore,
    /// Restore while access is still valid: approve is the way to extend it.
    StillValidUseApprove,
    /// Approve while the expiry feature is disabled: nothing to renew.
    ExpiryDisabled,
    /// Enable the expiry feature when it is already enabled.
    ExpiryAlreadyEnabled,
    /// The authorization was revoked.
    Revoked,
    /// The developer ID is not 12 digits.
    InvalidDeveloperId,
    /// The nickname is empty or longer than the world allows.
    InvalidNickname,
    /// The signed-in seller's account no longer exists.
    UnknownSeller,
}

impl From<&GrantError> for Refusal {
    fn from(error: &GrantError) -> Self {
        match error {
            GrantError::UnknownDeveloper | GrantError::DeveloperNameMismatch => {
                Self::NoMatchingDeveloper
            }
            GrantError::AlreadyGranted => Self::AlreadyGranted,
            GrantError::NotFound => Self::NoAuthorization,
            GrantError::NotValid => Self::ExpiredUseRestore,
            GrantError::NotExpired => Self::StillValidUseApprove,
            GrantError::ExpiryNotEnabled => Self::ExpiryDisabled,
            GrantError::ExpiryAlreadyEnabled => Self::ExpiryAlreadyEnabled,
            GrantError::Revoked => Self::Revoked,
            GrantError::InvalidDeveloperId(_) => Self::InvalidDeveloperId,
            GrantError::InvalidNickname => Self::InvalidNickname,
            GrantError::UnknownSeller => Self::UnknownSeller,
        }
    }
}

impl Refusal {
    /// The message in `lang`.
    pub(crate) fn text(&self, lang: Lang) -> String {
        let (ja, en) = match self {
            Self::NoMatchingDeveloper => (
                "入力された開発者氏名と開発者IDに一致する開発者が見つかりません。開発者から受け取った開発者氏名と開発者IDを確認してください。",
                "No registered developer matches this developer name and developer ID. Check the name and ID the developer gave you.",
            ),
            Self::AlreadyGranted => (
                "この開発者にはすでにアクセス権が付与されています。Amazon MWS 開発者権限ページで確認してください。",
                "This developer already has access to your account. See the Amazon MWS Developer Permissions page.",
            ),
            Self::NoAuthorization => (
                "この開発者のアクセス権が見つかりません。",
                "There is no authorization for this developer.",
            ),
            Self::ExpiredUseRestore => (
                "アクセス権の有効期限が切れているため、承認できません。「アクセス権の復元」を使用してください。",
                "Access has expired, so it cannot be approved. Use Restore access instead.",
            ),
            Self::StillValidUseApprove => (
                "アクセス権はまだ有効なため、復元できません。有効期限を延長するには「アクセス権を承認」を使用してください。",
                "Access is still valid, so there is nothing to restore. Use Approve access to extend it.",
            ),
            Self::ExpiryDisabled => (
                "有効期限機能が無効のため、アクセス権に有効期限はありません。承認は不要です。",
                "The expiry feature is disabled, so access has no expiry date and needs no approval.",
            ),
            Self::ExpiryAlreadyEnabled => (
                "有効期限機能はすでに有効です。一度有効にすると無効に戻すことはできません。",
                "The expiry feature is already enabled. Once enabled it cannot be disabled again.",
            ),
            Self::Revoked => (
                "このアクセス権は取り消されています。再びアクセスを許可するには、開発者にアクセス権を付与してください。",
                "This authorization was revoked. To allow access again, grant access to the developer.",
            ),
            Self::InvalidDeveloperId => (
                "開発者IDは12桁の数字で、1234-1234-1234 または 123412341234 の形式で入力してください。",
                "The developer ID is 12 digits, written as 1234-1234-1234 or 123412341234.",
            ),
            Self::InvalidNickname => (
                "開発者のニックネームは1文字以上50文字以内で入力してください。",
                "The developer nickname must be 1 to 50 characters long.",
            ),
            Self::UnknownSeller => (
                "出品者アカウントが見つかりません。もう一度サインインしてください。",
                "Your seller account was not found. Please sign in again.",
            ),
        };
        pick(lang, ja, en).to_owned()
    }
}

/// The outcome of a permissions action, shown once on the next permissions page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Notice {
    /// Approve access succeeded.
    Approved {
        /// Developer nickname.
        nickname: String,
        /// The new expiry date, if the feature is enabled.
        expires_on: Option<Date>,
    },
    /// Restore access succeeded.
    Restored {
        /// Developer nickname.
        nickname: String,
        /// The new expiry date, if the feature is enabled.
        expires_on: Option<Date>,
    },
    /// Revoke succeeded.
    Revoked {
        /// Developer nickname.
        nickname: String,
    },
    /// The expiry feature was switched on.
    ExpiryEnabled {
        /// Developer nickname.
        nickname: String,
        /// The resulting expiry date.
        expires_on: Option<Date>,
    },
    /// The nickname was changed.
    NicknameSaved {
        /// The new nickname.
        nickname: String,
    },
    /// The action was refused; nothing changed.
    Refused(Refusal),
}

impl Notice {
    /// Whether this reports a refusal (styled as an error).
    pub(crate) fn is_error(&self) -> bool {
        matches!(self, Self::Refused(_))
    }

    /// The message in `lang`.
    pub(crate) fn text(&self, lang: Lang) -> String {
        match (self, lang) {
            (
                Self::Approved {
                    nickname,
                    expires_on,
                },
                Lang::Ja,
            ) => {
                format!(
                    "{nickname} のアクセス権を承認しました。{}",
                    expiry_sentence(*expires_on, lang)
                )
            }
            (
                Self::Approved {
                    nickname,
                    expires_on,
                },
                Lang::En,
            ) => {
                format!(
                    "Access for {nickname} was approved. {}",
                    expiry_sentence(*expires_on, lang)
                )
            }
            (
                Self::Restored {
                    nickname,
                    expires_on,
                },
                Lang::Ja,
            ) => {
                format!(
                    "{nickname} のアクセス権を復元しました。{}",
                    expiry_sentence(*expires_on, lang)
                )
            }
            (
                Self::Restored {
                    nickname,
                    expires_on,
                },
                Lang::En,
            ) => {
                format!(
                    "Access for {nickname} was restored. {}",
                    expiry_sentence(*expires_on, lang)
                )
            }
            (Self::Revoked { nickname }, Lang::Ja) => {
                format!("{nickname} のアクセス権を取り消しました。")
            }
            (Self::Revoked { nickname }, Lang::En) => {
                format!("Access for {nickname} was revoked.")
            }
            (
                Self::ExpiryEnabled {
                    nickname,
                    expires_on,
                },
                Lang::Ja,
            ) => format!(
                "{nickname} の有効期限機能を有効にしました。{}",
                expiry_sentence(*expires_on, lang)
            ),
            (
                Self::ExpiryEnabled {
                    nickname,
                    expires_on,
                },
                Lang::En,
            ) => format!(
                "The expiry feature is now enabled for {nickname}. {}",
                expiry_sentence(*expires_on, lang)
            ),
            (Self::NicknameSaved { nickname }, Lang::Ja) => {
                format!("開発者のニックネームを「{nickname}」に変更しました。")
            }
            (Self::NicknameSaved { nickname }, Lang::En) => {
                format!("The developer nickname is now \u{201c}{nickname}\u{201d}.")
            }
            (Self::Refused(refusal), _) => refusal.text(lang),
        }
    }
}

/// `開発者のアクセス期限は 2019-04-17 です` / `Developer access expires on 2019-04-17`, or the
/// no-expiry wording.
pub(crate) fn expiry_sentence(expires_on: Option<Date>, lang: Lang) -> String {
    match (expires_on, lang) {
        (Some(day), Lang::Ja) => format!("開発者のアクセス期限は {} です", day),
        (Some(day), Lang::En) => format!("Developer access expires on {}", day),
        (None, Lang::Ja) => "有効期限なし".to_owned(),
        (None, Lang::En) => "No expiry".to_owned(),
    }
}

/// `開発者のアクセス権は 2019-04-17 に期限切れになりました` / `Developer access expired on …`.
pub(crate) fn expired_sentence(expired_on: Date, lang: Lang) -> String {
    match lang {
        Lang::Ja => format!("開発者のアクセス権は {} に期限切れになりました", expired_on),
        Lang::En => format!("Developer access expired on {}", expired_on),
    }
}

/// The greeting at the top of the grant-flow pages.
pub(crate) fn greeting(display_name: &str, email: &str, lang: Lang) -> String {
    match lang {
        Lang::Ja => {
            format!("こんにちは {display_name} （次の出品用アカウントの利用者ですか？ {email}）")
        }
        Lang::En => format!("Hello {display_name} (signed in to the selling account {email})"),
    }
}

/// Step ④'s lead sentence.
pub(crate) fn consent_lead(developer: &str, lang: Lang) -> String {
    match lang {
        Lang::Ja => format!(
            "下の「次へ」をクリックすると、これを了承したことになり、{developer}にAmazon出品用アカウントへのアクセス権が付与されます。"
        ),
        Lang::En => format!(
            "By clicking Next below you agree to this, and {developer} is given access to your Amazon selling account."
        ),
    }
}

/// Step ④'s second checkbox.
pub(crate) fn consent_responsibility(developer: &str, lang: Lang) -> String {
    match lang {
        Lang::Ja => format!(
            "私は私の出品用アカウントに対する{developer}の作為・不作為について完全に責任を負うことを理解し、{developer}が私の出品用アカウントにアクセスすることを許可します。"
        ),
        Lang::En => format!(
            "I understand that I am fully responsible for everything {developer} does or fails to do with my selling account, and I allow {developer} to access my selling account."
        ),
    }
}

/// Step ④ refused because a checkbox was left unticked.
pub(crate) fn consent_unticked(lang: Lang) -> &'static str {
    pick(
        lang,
        "続行するには、2つのチェックボックスの両方にチェックを入れてください。",
        "Tick both checkboxes to continue.",
    )
}

/// Step ⑤'s lead sentence.
pub(crate) fn complete_access(developer: &str, lang: Lang) -> String {
    match lang {
        Lang::Ja => format!(
            "{developer} は今後、あなたの出品用アカウントでマーケットプレイスWebサービスにアクセスすることができます。"
        ),
        Lang::En => {
            format!("{developer} can now access Marketplace Web Service with your selling account.")
        }
    }
}

/// The revoke confirmation question.
pub(crate) fn revoke_question(nickname: &str, developer_id: &str, lang: Lang) -> String {
    match lang {
        Lang::Ja => format!(
            "{nickname}（開発者ID {developer_id}）のアクセス権を取り消しますか？取り消したMWS認証トークンは二度と使用できません。再びアクセスを許可するには新しくアクセス権を付与する必要があり、新しいMWS認証トークンが発行されます。"
        ),
        Lang::En => format!(
            "Revoke access for {nickname} (developer ID {developer_id})? A revoked MWS Auth Token never works again. To allow access again you must grant access anew, which issues a new MWS Auth Token."
        ),
    }
}

/// The enable-expiry confirmation text.
pub(crate) fn enable_expiry_question(nickname: &str, last_approved_on: Date, lang: Lang) -> String {
    match lang {
        Lang::Ja => format!(
            "{nickname} の有効期限機能を有効にしますか？有効にすると、アクセス権の有効期限日は前回承認日（{}）の1年後になります。その日を過ぎている場合、アクセス権はただちに期限切れになり、「アクセス権の復元」が必要になります。一度有効の状態にすると、無効に戻すことはできません。",
            last_approved_on
        ),
        Lang::En => format!(
            "Enable the expiry feature for {nickname}? Access will then expire one year after the last approval date ({}). If that day has passed, access expires at once and must be restored. Once enabled, the feature cannot be disabled again.",
            last_approved_on
        ),
    }
}

/// A refused developer ID in step ③.
pub(crate) fn developer_id_error(error: &DeveloperIdError, lang: Lang) -> &'static str {
    match error {
        DeveloperIdError::Empty => pick(
            lang,
            "開発者IDを入力してください。例 : 1234-1234-1234 または 123412341234",
            "Enter the developer ID, for example 1234-1234-1234 or 123412341234.",
        ),
        DeveloperIdError::Format { .. } => pick(
            lang,
            "開発者IDは12桁の数字で、1234-1234-1234 または 123412341234 の形式で入力してください。",
            "The developer ID is 12 digits, written as 1234-1234-1234 or 123412341234.",
        ),
    }
}

/// A refused developer name (`label` is the field's label in `lang`).
pub(crate) fn name_error(error: &NameError, label: &str, lang: Lang) -> String {
    match (error, lang) {
        (NameError::Empty { .. }, Lang::Ja) => format!("{label}を入力してください。"),
        (NameError::Empty { .. }, Lang::En) => format!("Enter the {}.", label.to_lowercase()),
        (NameError::TooLong { max, .. }, Lang::Ja) => {
            format!("{label}は{max}文字以内で入力してください。")
        }
        (NameError::TooLong { max, .. }, Lang::En) => format!(
            "The {} can be at most {max} characters long.",
            label.to_lowercase()
        ),
        (NameError::ControlCharacters { .. }, Lang::Ja) => {
            format!("{label}は改行やタブを含まない1行で入力してください。")
        }
        (NameError::ControlCharacters { .. }, Lang::En) => format!(
            "The {} must be a single line without tabs or line breaks.",
            label.to_lowercase()
        ),
    }
}

/// The one sign-in error, whatever went wrong (unknown login, wrong password, lockout), so the
/// page never tells whether an account exists.
pub(crate) fn signin_failed(lang: Lang) -> &'static str {
    pick(
        lang,
        "Eメールアドレス（携帯電話番号）またはパスワードが正しくありません。入力内容を確認して、もう一度お試しください。",
        "The e-mail address, mobile phone number or password is incorrect. Check what you entered and try again.",
    )
}

fn pick(lang: Lang, ja: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Ja => ja,
        Lang::En => en,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expiry_wording_follows_the_guide() {
        let day = jiff::civil::date(2019, 4, 17);
        assert_eq!(
            expiry_sentence(Some(day), Lang::Ja),
            "開発者のアクセス期限は 2019-04-17 です"
        );
        assert_eq!(
            expiry_sentence(Some(day), Lang::En),
            "Developer access expires on 2019-04-17"
        );
        assert_eq!(expiry_sentence(None, Lang::Ja), "有効期限なし");
    }

    #[test]
    fn every_refusal_has_distinct_wording_in_both_languages() {
        let all = [
            Refusal::NoMatchingDeveloper,
            Refusal::AlreadyGranted,
            Refusal::NoAuthorization,
            Refusal::ExpiredUseRestore,
            Refusal::StillValidUseApprove,
            Refusal::ExpiryDisabled,
            Refusal::ExpiryAlreadyEnabled,
            Refusal::Revoked,
            Refusal::InvalidDeveloperId,
            Refusal::InvalidNickname,
            Refusal::UnknownSeller,
        ];
        for lang in [Lang::Ja, Lang::En] {
            let texts: std::collections::HashSet<String> =
                all.iter().map(|r| r.text(lang)).collect();
            assert_eq!(texts.len(), all.len());
        }
    }
}
