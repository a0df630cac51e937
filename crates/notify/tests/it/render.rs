//! Every kind renders in both languages and both formats; the snapshots are the reviewed wording.

use sellerlink_domain::connection::{Language, MerchantName};
use sellerlink_notify::{AccessLossCause, Api, render};

use crate::support::{access_lost, all_cases, expiry_reminder, notification};

fn language_code(language: Language) -> &'static str {
    match language {
        Language::Ja => "ja",
        Language::En => "en",
    }
}

#[test]
fn every_kind_in_both_languages_and_formats() {
    for (name, kind, api) in all_cases() {
        for language in [Language::Ja, Language::En] {
            let rendered = render(&notification(kind.clone(), api, language)).unwrap();
            assert!(
                !rendered.subject.contains('\n'),
                "{name}: {}",
                rendered.subject
            );
            let shown = format!(
                "Subject: {}\n===== text/plain =====\n{}\n===== text/html =====\n{}\n",
                rendered.subject, rendered.text, rendered.html
            );
            insta::assert_snapshot!(format!("{name}_{}", language_code(language)), shown);
        }
    }
}

#[test]
fn the_mws_fix_names_the_developer_row_and_the_right_button() {
    let before = render(&notification(expiry_reminder(7), Api::Mws, Language::Ja)).unwrap();
    assert!(before.text.contains(
        "セラーセントラル → 設定 → ユーザー権限 → Amazon MWS 開発者権限 → 開発者ID 5259-6479-4073 の行で「アクセス権を承認」"
    ), "{}", before.text);
    assert!(
        before
            .text
            .contains("https://sellercentral.amazon.co.jp/gp/account-manager/home.html")
    );
    assert!(
        before
            .html
            .contains("href=\"https://sellercentral.amazon.co.jp/")
    );

    let after = render(&notification(
        access_lost(AccessLossCause::MwsExpired, "AccessDenied", "denied"),
        Api::Mws,
        Language::Ja,
    ))
    .unwrap();
    assert!(
        after
            .text
            .contains("開発者ID 5259-6479-4073 の行で「アクセス権の復元」"),
        "{}",
        after.text
    );
    assert!(!after.text.contains("「アクセス権を承認」"));

    let english = render(&notification(expiry_reminder(7), Api::Mws, Language::En)).unwrap();
    assert!(
        english.text.contains("“Approve access” (アクセス権を承認)"),
        "{}",
        english.text
    );
}

#[test]
fn the_sp_api_and_app_secret_fixes_point_at_manage_your_apps_and_the_operator() {
    let reauthorize = render(&notification(
        access_lost(
            AccessLossCause::SpApiAuthorizationLost,
            "invalid_grant",
            "revoked",
        ),
        Api::SpApi,
        Language::Ja,
    ))
    .unwrap();
    assert!(
        reauthorize
            .text
            .contains("「アプリの管理」→ 開発者「shippinno」のアプリの行 →「再認可」"),
        "{}",
        reauthorize.text
    );
    assert!(
        reauthorize
            .text
            .contains("https://sellercentral.amazon.co.jp/apps/manage")
    );

    let secret = render(&notification(
        access_lost(
            AccessLossCause::SpApiAppSecretExpired,
            "invalid_client",
            "failed",
        ),
        Api::SpApi,
        Language::En,
    ))
    .unwrap();
    assert!(
        secret.text.contains("What to do (operator)"),
        "{}",
        secret.text
    );
    assert!(
        secret.text.contains("rotate the client secret"),
        "{}",
        secret.text
    );
    assert!(
        secret.text.contains("The merchant need not do anything"),
        "{}",
        secret.text
    );
}

#[test]
fn html_is_escaped_and_plain_text_is_not() {
    let mut hostile = notification(expiry_reminder(3), Api::Mws, Language::En);
    hostile.connection.merchant_name =
        MerchantName::parse("Tom & Jerry <script>alert(1)</script>").unwrap();
    let rendered = render(&hostile).unwrap();
    assert!(!rendered.html.contains("<script>"), "{}", rendered.html);
    assert!(
        rendered.html.contains("Tom &#38; Jerry &#60;script&#62;"),
        "{}",
        rendered.html
    );
    assert!(
        rendered
            .text
            .contains("Dear Tom & Jerry <script>alert(1)</script> team,")
    );
    assert!(rendered.subject.contains("Tom & Jerry <script>"));
}

#[test]
fn times_are_shown_in_japan_time() {
    // 2019-04-17T15:05:09Z is 2019-04-18 00:05:09 in Tokyo.
    let rendered = render(&notification(
        access_lost(AccessLossCause::MwsRevoked, "AccessDenied", "denied"),
        Api::Mws,
        Language::En,
    ))
    .unwrap();
    assert!(
        rendered
            .text
            .contains("At 2019-04-18 00:05:09 JST, Amazon stopped accepting"),
        "{}",
        rendered.text
    );
}
