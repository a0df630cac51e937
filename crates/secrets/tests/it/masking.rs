use proptest::prelude::*;
use sellerlink_secrets::mask;

#[test]
fn the_documented_example_masks_as_promised() {
    assert_eq!(
        mask("amzn.mws.01234567-89ab-cdef-0123-456789c0ffee"),
        "amzn.mws.…c0ffee"
    );
    assert_eq!(mask("Atzr|IQEBLjAsAhRmHjNgHpi0U3VoqT"), "Atzr|…U3VoqT");
}

proptest! {
    #[test]
    fn mask_never_panics_and_never_shows_more_than_prefix_and_six(secret in "\\PC{0,80}") {
        let masked = mask(&secret);
        let (head, tail) = masked.split_once('…').expect("always an ellipsis");
        prop_assert!(secret.starts_with(head));
        prop_assert!(tail.chars().count() <= 6);
        prop_assert!(secret.ends_with(tail));
        if secret.chars().count() < 12 {
            prop_assert_eq!(masked.as_str(), "…");
        }
        // At most half of what follows the shown prefix is ever revealed.
        let hidden_part = secret[head.len()..].chars().count();
        prop_assert!(tail.chars().count() * 2 <= hidden_part || tail.is_empty());
    }
}
