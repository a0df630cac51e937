//! Errors in the command line itself — a malformed `--seller-id`, an unknown option, a missing one — reported like
//! every other refusal: in English and Japanese, naming the field, as JSON under `--json`, with exit status 2.

use std::error::Error as _;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use sellerlink_domain::ids::IdError;

/// A command line clap refused, explained in both languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageError {
    /// `invalid_input` for a value that does not parse, `usage` for the rest (unknown or missing options…).
    pub code: &'static str,
    /// The field at fault in snake case (`seller_id`, `marketplace_id`, `merchant`…), when one is.
    pub field: Option<String>,
    /// What is wrong and what to do, in English.
    pub message: String,
    /// The same in Japanese.
    pub message_ja: String,
}

/// What the reader should do next, in both languages.
const SEE_HELP_EN: &str = "Run the command with --help to see its options.";
const SEE_HELP_JA: &str = "--help を付けて実行すると、このコマンドのオプションを確認できます。";

impl UsageError {
    /// Explains clap's refusal. A value that a domain parser refused keeps that parser's explanation (field, what is
    /// wrong, the expected format) and is never repeated, since it may be a secret.
    pub fn from_clap(error: &clap::Error) -> Self {
        let arg = context_text(error, ContextKind::InvalidArg);
        let option = arg.as_deref().map(option_name);
        if let Some(id) = error
            .source()
            .and_then(|source| source.downcast_ref::<IdError>())
        {
            let flag = option.clone().unwrap_or_else(|| id.field.key().to_owned());
            return Self {
                code: "invalid_input",
                field: Some(id.field.key().to_owned()),
                message: format!("{flag}: {id}"),
                message_ja: format!("{flag}: {}", id.message_ja()),
            };
        }
        let field = option.as_deref().map(field_key);
        let shown = option.clone().unwrap_or_default();
        let value = context_text(error, ContextKind::InvalidValue).unwrap_or_default();
        let ja = match error.kind() {
            ErrorKind::InvalidValue => {
                let valid = context_text(error, ContextKind::ValidValue)
                    .map(|valid| format!("指定できる値: {valid}。"))
                    .unwrap_or_default();
                if value.is_empty() {
                    format!("{shown} に値を指定してください。{valid}")
                } else {
                    format!("{shown} の値「{value}」は指定できません。{valid}")
                }
            }
            ErrorKind::ValueValidation => {
                format!("{shown} の値「{value}」が正しくありません。")
            }
            ErrorKind::UnknownArgument => {
                let suggested = context_text(error, ContextKind::SuggestedArg)
                    .map(|s| format!("{s} のことですか？"))
                    .unwrap_or_default();
                format!("{shown} というオプションはありません。{suggested}")
            }
            ErrorKind::InvalidSubcommand => {
                let name = context_text(error, ContextKind::InvalidSubcommand).unwrap_or_default();
                let suggested = context_text(error, ContextKind::SuggestedSubcommand)
                    .map(|s| format!("{s} のことですか？"))
                    .unwrap_or_default();
                format!("{name} というコマンドはありません。{suggested}")
            }
            ErrorKind::MissingRequiredArgument => {
                format!("必須の {shown} が指定されていません。")
            }
            ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
                "コマンドを指定してください。".to_owned()
            }
            ErrorKind::ArgumentConflict => {
                let prior = context_text(error, ContextKind::PriorArg)
                    .map(|prior| option_name(&prior))
                    .unwrap_or_default();
                format!("{shown} と {prior} は同時に指定できません。")
            }
            ErrorKind::TooManyValues | ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
                format!("{shown} の値の数が正しくありません。")
            }
            ErrorKind::NoEquals => format!("{shown} は {shown}=値 の形で指定してください。"),
            ErrorKind::InvalidUtf8 => "コマンドラインに UTF-8 でない文字があります。".to_owned(),
            _ => "コマンドラインが正しくありません。".to_owned(),
        };
        let code = match error.kind() {
            ErrorKind::InvalidValue | ErrorKind::ValueValidation => "invalid_input",
            _ => "usage",
        };
        Self {
            code,
            field,
            message: format!("{} {SEE_HELP_EN}", first_sentence(error)),
            message_ja: format!("{ja}{SEE_HELP_JA}"),
        }
    }

    /// The JSON `--json` prints: the envelope every error uses.
    pub fn json(&self) -> serde_json::Value {
        serde_json::json!({
            "error": {
                "code": self.code,
                "message": self.message,
                "message_ja": self.message_ja,
                "field": self.field,
            }
        })
    }
}

/// A context entry of clap's error as plain text (lists joined with `, `).
fn context_text(error: &clap::Error, kind: ContextKind) -> Option<String> {
    match error.get(kind)? {
        ContextValue::String(text) => Some(text.clone()),
        ContextValue::Strings(texts) => Some(texts.join(", ")),
        ContextValue::StyledStr(text) => Some(text.to_string()),
        ContextValue::StyledStrs(texts) => Some(
            texts
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", "),
        ),
        ContextValue::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The option as typed, without its value placeholder: `--seller-id <SELLER_ID>` → `--seller-id`; a positional
/// `<ID>` stays `<ID>`. Several (a list of missing options) keep their separator.
fn option_name(arg: &str) -> String {
    arg.split(", ")
        .map(|one| match one.strip_prefix("--") {
            Some(rest) => format!("--{}", rest.split([' ', '=']).next().unwrap_or(rest)),
            None => one.to_owned(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The request-style field name of an option: `--seller-id` → `seller_id`, `<ID>` → `id` (the first of several).
fn field_key(option: &str) -> String {
    let first = option.split(", ").next().unwrap_or(option);
    first
        .trim_start_matches('-')
        .trim_matches(['<', '>'])
        .replace('-', "_")
        .to_ascii_lowercase()
}

/// clap's own explanation without its `error: ` label, usage and tips: the first paragraph of its plain rendering on
/// one line (`the following required arguments were not provided: --merchant <MERCHANT>.`).
fn first_sentence(error: &clap::Error) -> String {
    let rendered = error.render().to_string();
    let paragraph: Vec<&str> = rendered
        .lines()
        .map(str::trim)
        .take_while(|line| !line.is_empty())
        .collect();
    let joined = paragraph.join(" ");
    let mut sentence = joined.strip_prefix("error: ").unwrap_or(&joined).to_owned();
    if !sentence.ends_with('.') {
        sentence.push('.');
    }
    sentence
}

#[cfg(test)]
mod tests {
    use clap::Parser as _;

    use super::*;
    use crate::args::Cli;

    fn refused(args: &[&str]) -> UsageError {
        let error = Cli::try_parse_from(std::iter::once("sellerlink").chain(args.iter().copied()))
            .expect_err("clap refuses it");
        UsageError::from_clap(&error)
    }

    const ADD: [&str; 4] = ["connection", "add", "--merchant", "Takumi"];

    #[test]
    fn a_malformed_seller_id_names_the_field_in_both_languages() {
        let mut args = ADD.to_vec();
        args.extend(["--seller-id", "bad!", "--marketplace-id", "A1VC38T7YXB528"]);
        let error = refused(&args);
        assert_eq!(error.code, "invalid_input");
        assert_eq!(error.field.as_deref(), Some("seller_id"));
        assert!(
            error
                .message
                .starts_with("--seller-id: Seller ID: contains '!' at position 4"),
            "{}",
            error.message
        );
        assert!(
            error
                .message_ja
                .starts_with("--seller-id: 出品者IDの4文字目に使用できない文字「!」"),
            "{}",
            error.message_ja
        );
        let json = error.json();
        assert_eq!(json["error"]["field"], "seller_id");
        assert_eq!(json["error"]["code"], "invalid_input");
    }

    #[test]
    fn a_malformed_marketplace_and_connection_id_name_theirs() {
        let mut args = ADD.to_vec();
        args.extend([
            "--seller-id",
            "A1B2C3D4E5F6G7",
            "--marketplace-id",
            "A1VC38T7YXB529",
        ]);
        let error = refused(&args);
        assert_eq!(error.field.as_deref(), Some("marketplace_id"));
        assert!(
            error.message_ja.contains("マーケットプレイスID"),
            "{}",
            error.message_ja
        );
        let error = refused(&["connection", "show", "nope"]);
        assert_eq!(error.field.as_deref(), Some("connection_id"));
        assert!(error.message_ja.contains("接続ID"), "{}", error.message_ja);
    }

    #[test]
    fn clap_s_own_refusals_are_explained_in_japanese_too() {
        let error = refused(&["connection", "add", "--seller-id", "A1B2C3D4E5F6G7"]);
        assert_eq!(
            (error.code, error.field.as_deref()),
            ("usage", Some("merchant"))
        );
        assert!(
            error.message_ja.starts_with("必須の --merchant"),
            "{}",
            error.message_ja
        );
        assert!(
            error.message.starts_with(
                "the following required arguments were not provided: --merchant <MERCHANT>"
            ),
            "{}",
            error.message
        );

        let mut args = ADD.to_vec();
        args.extend(["--seller", "A1B2C3D4E5F6G7"]);
        let error = refused(&args);
        assert_eq!(error.field.as_deref(), Some("seller"));
        assert!(
            error
                .message_ja
                .starts_with("--seller というオプションはありません。--seller-id のことですか？"),
            "{}",
            error.message_ja
        );

        let error = refused(&["conection", "list"]);
        assert_eq!(error.field, None);
        assert!(
            error
                .message_ja
                .starts_with("conection というコマンドはありません。connection のことですか？"),
            "{}",
            error.message_ja
        );

        let error = refused(&["merchant", "add", "--name", "x", "--language", "fr"]);
        assert_eq!(
            (error.code, error.field.as_deref()),
            ("invalid_input", Some("language"))
        );
        assert!(
            error.message_ja.contains("指定できる値: ja, en"),
            "{}",
            error.message_ja
        );
        assert!(error.message.ends_with(SEE_HELP_EN));
        assert!(error.message_ja.ends_with(SEE_HELP_JA));
    }

    #[test]
    fn a_secret_is_never_repeated() {
        let error = refused(&["--mws-access-key-id", "AKIA-SECRET-LOOKING!"]);
        assert_eq!(error.field.as_deref(), Some("access_key_id"));
        assert!(
            !error.message.contains("SECRET-LOOKING"),
            "{}",
            error.message
        );
        assert!(
            !error.message_ja.contains("SECRET-LOOKING"),
            "{}",
            error.message_ja
        );
    }

    #[test]
    fn option_names_and_field_keys() {
        assert_eq!(option_name("--seller-id <SELLER_ID>"), "--seller-id");
        assert_eq!(
            option_name("--marketplace-id <MARKETPLACE_IDS>, --merchant <MERCHANT>"),
            "--marketplace-id, --merchant"
        );
        assert_eq!(option_name("<ID>"), "<ID>");
        assert_eq!(field_key("--marketplace-id, --merchant"), "marketplace_id");
        assert_eq!(field_key("<ID>"), "id");
    }
}
