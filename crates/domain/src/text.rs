//! Text people type and others read — merchant names, key names, SKUs: characters that cannot be seen or that turn
//! the text around them (control, format and bidirectional characters) are refused, names are kept in Unicode
//! normal form NFKC, and two names that differ only in width, case or spaces are confusable.

use unicode_normalization::UnicodeNormalization;
use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};

/// Whether `c` is invisible or changes how the text around it is shown: a control character, a format character
/// (Unicode category Cf: the bidirectional embeddings, overrides, isolates and marks, zero-width spaces and joiners,
/// the byte-order mark, soft hyphens), or a line or paragraph separator.
pub fn is_hidden(c: char) -> bool {
    c.is_control()
        || matches!(
            c.general_category(),
            GeneralCategory::Format
                | GeneralCategory::LineSeparator
                | GeneralCategory::ParagraphSeparator
        )
}

/// The first hidden character of `text` (see [`is_hidden`]) with its 1-based position.
pub fn first_hidden(text: &str) -> Option<(usize, char)> {
    text.chars()
        .enumerate()
        .find(|(_, c)| is_hidden(*c))
        .map(|(index, c)| (index + 1, c))
}

/// How a hidden character is named in messages, e.g. `U+202E`.
pub fn code_point(c: char) -> String {
    format!("U+{:04X}", u32::from(c))
}

/// `text` in Unicode normal form NFKC: full-width letters become ASCII, compatibility forms their usual one.
pub fn normalized(text: &str) -> String {
    text.nfkc().collect()
}

/// What two names are compared by to tell whether one could be taken for the other: NFKC, lower case, without
/// white space. `Acme Foods`, `ACMEFOODS` and `Ａｃｍｅ　Ｆｏｏｄｓ` share one key.
pub fn confusable_key(name: &str) -> String {
    let folded: String = normalized(name)
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    normalized(&folded)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_format_and_bidirectional_characters_are_hidden() {
        for c in [
            '\u{7}', '\u{202E}', '\u{202A}', '\u{2066}', '\u{2069}', '\u{200E}', '\u{200F}',
            '\u{061C}', '\u{200B}', '\u{200D}', '\u{FEFF}', '\u{00AD}', '\u{2028}', '\u{2029}',
        ] {
            assert!(is_hidden(c), "{}", code_point(c));
        }
        for c in ['a', 'Ａ', '抹', 'ー', ' ', '\u{3000}', '-', '/', 'é'] {
            assert!(!is_hidden(c), "{}", code_point(c));
        }
        assert_eq!(first_hidden("ab\u{202E}c"), Some((3, '\u{202E}')));
        assert_eq!(first_hidden("株式会社たくみ"), None);
        assert_eq!(code_point('\u{202E}'), "U+202E");
    }

    #[test]
    fn names_are_nfkc_and_look_alikes_share_a_key() {
        assert_eq!(normalized("Ａｃｍｅ ｶﾌﾞｼｷｶﾞｲｼｬ"), "Acme カブシキガイシャ");
        assert_eq!(normalized("㈱たくみ"), "(株)たくみ");
        let key = confusable_key("Acme Foods");
        for twin in ["ACMEFOODS", "Ａｃｍｅ　Ｆｏｏｄｓ", " acme  foods "] {
            assert_eq!(confusable_key(twin), key, "{twin}");
        }
        assert_ne!(confusable_key("Acme Food"), key);
    }
}
