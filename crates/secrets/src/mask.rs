//! [`mask`]: a safe-to-show rendering of a token for pages, CLI output and logs.

/// Prefixes that only say what kind of token follows, not which one.
const PUBLIC_PREFIXES: &[&str] = &[
    "amzn.mws.",
    "Atzr|",
    "Atza|",
    "Atz.sprdt|",
    "amzn1.oa2-cs.v1.",
];

/// Characters shown from the end of a long enough token.
const VISIBLE_TAIL: usize = 6;

/// Tokens (or parts after a known prefix) shorter than this show no tail.
const MIN_LEN_FOR_TAIL: usize = 12;

/// Renders a token so a person can tell tokens apart without learning them:
/// a known, non-secret prefix (`amzn.mws.`, `Atzr|`, `Atza|`, `Atz.sprdt|`,
/// `amzn1.oa2-cs.v1.`), an ellipsis and the last 6 characters.
///
/// `amzn.mws.01234567-89ab-cdef-0123-456789c0ffee` → `amzn.mws.…c0ffee`.
/// Anything shorter than 12 characters becomes `…`; if the part after a known
/// prefix is shorter than 12 characters only the prefix is kept (`Atzr|…`), so
/// at most half of any secret part is ever shown.
#[must_use]
pub fn mask(secret: &str) -> String {
    if secret.chars().count() < MIN_LEN_FOR_TAIL {
        return "…".to_owned();
    }
    let (prefix, rest) = PUBLIC_PREFIXES
        .iter()
        .find_map(|p| secret.strip_prefix(p).map(|rest| (*p, rest)))
        .unwrap_or(("", secret));
    let rest_len = rest.chars().count();
    if rest_len < MIN_LEN_FOR_TAIL {
        return format!("{prefix}…");
    }
    let tail: String = rest.chars().skip(rest_len - VISIBLE_TAIL).collect();
    format!("{prefix}…{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mws_token_keeps_prefix_and_tail() {
        assert_eq!(
            mask("amzn.mws.01234567-89ab-cdef-0123-456789c0ffee"),
            "amzn.mws.…c0ffee"
        );
    }

    #[test]
    fn lwa_tokens_keep_their_prefix() {
        assert_eq!(mask("Atzr|IQEBLjAsAhRmHjNgHpi0U"), "Atzr|…gHpi0U");
        assert_eq!(mask("Atza|IQEBLjAsAhRmHjNgHpi0U"), "Atza|…gHpi0U");
        assert_eq!(
            mask("amzn1.oa2-cs.v1.0123456789abcdef"),
            "amzn1.oa2-cs.v1.…abcdef"
        );
    }

    #[test]
    fn unknown_tokens_show_only_the_tail() {
        assert_eq!(mask("0123456789abcdef"), "…abcdef");
    }

    #[test]
    fn short_values_show_nothing() {
        assert_eq!(mask(""), "…");
        assert_eq!(mask("hunter2"), "…");
        assert_eq!(mask("12345678901"), "…");
        assert_eq!(mask("Atzr|abcdefgh"), "Atzr|…");
    }

    #[test]
    fn multibyte_text_is_cut_at_character_boundaries() {
        assert_eq!(mask("秘密秘密秘密秘密秘密秘密秘密"), "…秘密秘密秘密");
    }
}
