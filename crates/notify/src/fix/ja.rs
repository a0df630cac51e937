//! The fixes in Japanese, with Seller Central's Japanese labels.

use super::{FixActor, FixGuide, Situation, step};
use crate::message::ConnectionSummary;

/// The fix for `situation`, in Japanese.
pub(super) fn guide(situation: Situation, c: &ConnectionSummary) -> FixGuide {
    let sc = &c.seller_central_host;
    let dev = c.developer_id.dashed();
    let name = &c.developer_name;
    let sign_in = || {
        step(
            "セラーセントラルに、アカウント所有者（プライマリユーザー）でログインします。"
                .to_owned(),
            Some(sc.home_url()),
        )
    };
    let open_permissions = || {
        step(
            "右上の「設定」→「ユーザー権限」を開き、「Amazon MWS 開発者権限」の一覧を表示します。"
                .to_owned(),
            Some(sc.user_permissions_url()),
        )
    };
    let find_row = || {
        step(
            format!(
                "開発者ID {dev}（開発者名 {name}）の行を探します。ほかの開発者の行もあるため、開発者IDで確認してください。"
            ),
            None,
        )
    };
    let mws_path = |action: &str| {
        format!(
            "セラーセントラル → 設定 → ユーザー権限 → Amazon MWS 開発者権限 → 開発者ID {dev} の行で「{action}」"
        )
    };
    match situation {
        Situation::MwsApprove => FixGuide {
            actor: FixActor::Merchant,
            summary: mws_path("アクセス権を承認"),
            steps: vec![
                sign_in(),
                open_permissions(),
                find_row(),
                step("その行の「アクセス権を承認」をクリックします。".to_owned(), None),
            ],
            note: Some(
                "承認した日から1年後が新しい有効期限になります。MWS認証トークンは変わりません。sellerlink のダッシュボードで承認した日を入れて「承認を記録」を押してください。"
                    .to_owned(),
            ),
        },
        Situation::MwsRestore => FixGuide {
            actor: FixActor::Merchant,
            summary: mws_path("アクセス権の復元"),
            steps: vec![
                sign_in(),
                open_permissions(),
                find_row(),
                step(
                    "その行の「アクセス権の復元」をクリックします（有効期限が切れた後はこのボタンが表示されます）。"
                        .to_owned(),
                    None,
                ),
            ],
            note: Some(
                "復元した日から1年後が新しい有効期限になり、sellerlink は自動的に注文の取り込みを再開します。sellerlink のダッシュボードで復元した日を入れて「復元を記録」を押してください。MWS認証トークンが変わった場合は「MWS認証トークンの差し替え」に新しいトークンを入力してください。"
                    .to_owned(),
            ),
        },
        Situation::MwsGrantAgain => FixGuide {
            actor: FixActor::Merchant,
            summary: format!(
                "セラーセントラル → 設定 → ユーザー権限 → Amazon MWS 開発者権限 →「開発者にアクセス権を付与」→ 開発者名 {name}・開発者ID {dev}"
            ),
            steps: vec![
                step(
                    "セラーセントラルの MWS 登録ページを開き、アカウント所有者（プライマリユーザー）でログインします。"
                        .to_owned(),
                    Some(sc.mws_registration_url()),
                ),
                step(
                    "「Amazon MWS 開発者権限」で「開発者にアクセス権を付与」をクリックします。".to_owned(),
                    None,
                ),
                step(
                    format!("開発者名に「{name}」、開発者IDに「{dev}」を入力し、「次へ」をクリックします。"),
                    None,
                ),
                step(
                    "内容を確認して2つのチェックボックスにチェックを入れ、「次へ」をクリックします。".to_owned(),
                    None,
                ),
                step(
                    "完了画面に表示される新しいMWS認証トークンを控え、sellerlink のダッシュボードでこの接続の「MWS認証トークンの差し替え」に入力します（接続ウィザードに3つの値を入力しても差し替えられます）。"
                        .to_owned(),
                    None,
                ),
            ],
            note: Some(
                "Amazon のユーザー名とパスワードは、誰にも（sellerlink にも）伝えないでください。".to_owned(),
            ),
        },
        Situation::MwsCheck => FixGuide {
            actor: FixActor::Merchant,
            summary: format!(
                "セラーセントラル → 設定 → ユーザー権限 → Amazon MWS 開発者権限 → 開発者ID {dev} の行を確認"
            ),
            steps: vec![
                sign_in(),
                open_permissions(),
                find_row(),
                step(
                    "有効期限が切れている場合は、その行の「アクセス権の復元」をクリックします。".to_owned(),
                    None,
                ),
                step(
                    format!(
                        "行がない場合は「開発者にアクセス権を付与」から開発者名「{name}」・開発者ID「{dev}」を登録し、表示された新しいMWS認証トークンを sellerlink のダッシュボードの「MWS認証トークンの差し替え」に入力します。"
                    ),
                    Some(sc.mws_registration_url()),
                ),
                step(
                    "行が有効なのにこのお知らせが届いた場合は、その行の「表示」で MWS認証トークンを確認し、sellerlink に登録したものと同じか確かめてください。"
                        .to_owned(),
                    None,
                ),
            ],
            note: None,
        },
        Situation::SpApiReauthorize => FixGuide {
            actor: FixActor::Merchant,
            summary: format!("セラーセントラル →「アプリの管理」→ 開発者「{name}」のアプリの行 →「再認可」→「確認」"),
            steps: vec![
                sign_in(),
                step(
                    "セラーセントラルの「アプリの管理」ページを開きます（このリンクから開けます）。".to_owned(),
                    Some(sc.manage_apps_url()),
                ),
                step(
                    format!("一覧で開発者が「{name}」のアプリの行を探し、「再認可」をクリックします。"),
                    None,
                ),
                step(
                    "「アプリケーションの認可」ページで内容を確認して「確認」をクリックすると sellerlink の画面に戻り、新しい認可が自動的に保存されます。"
                        .to_owned(),
                    None,
                ),
            ],
            note: Some("再認可した日から365日後が新しい有効期限になります。".to_owned()),
        },
        Situation::RotateAppSecret => FixGuide {
            actor: FixActor::Operator,
            summary: "運用担当者: デベロッパーセントラル → アプリ → LWA 認証情報 → クライアントシークレットをローテーション → sellerlink の設定を更新"
                .to_owned(),
            steps: vec![
                step(
                    "デベロッパーセントラル（Solution Provider Portal）でアプリの「LWA 認証情報」を開き、クライアントシークレットをローテーションします。"
                        .to_owned(),
                    None,
                ),
                step(
                    "新しいクライアントシークレットを sellerlink の設定に登録し、sellerlink を再起動します。".to_owned(),
                    None,
                ),
                step(
                    "接続の画面で、Amazon への確認が再び成功することを確かめます。".to_owned(),
                    None,
                ),
            ],
            note: Some(
                "荷主様の操作は不要です。ローテーションしても出品者の認可（リフレッシュトークン）は無効になりません。"
                    .to_owned(),
            ),
        },
        Situation::Investigate => FixGuide {
            actor: FixActor::Operator,
            summary: "運用担当者: 上記の原因と Amazon の応答を確認し、対処します".to_owned(),
            steps: vec![
                step(
                    "運用担当者が、上記の原因と Amazon の応答（ある場合）を確認して対処します。".to_owned(),
                    None,
                ),
                step(
                    "荷主様は、セラーセントラルでアカウントに警告や停止の表示がないかご確認ください。".to_owned(),
                    Some(sc.home_url()),
                ),
            ],
            note: None,
        },
    }
}
