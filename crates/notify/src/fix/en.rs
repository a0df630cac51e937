//! The fixes in English, with Seller Central's Japanese labels in brackets where a Japanese seller sees them.

use super::{FixActor, FixGuide, Situation, step};
use crate::message::ConnectionSummary;

/// The fix for `situation`, in English.
pub(super) fn guide(situation: Situation, c: &ConnectionSummary) -> FixGuide {
    let sc = &c.seller_central_host;
    let dev = c.developer_id.dashed();
    let name = &c.developer_name;
    let sign_in = || {
        step(
            "Sign in to Seller Central as the account owner (primary user).".to_owned(),
            Some(sc.home_url()),
        )
    };
    let open_permissions = || {
        step(
            "Open Settings (top right) → User Permissions and go to “Amazon MWS Developer Permissions”."
                .to_owned(),
            Some(sc.user_permissions_url()),
        )
    };
    let find_row = || {
        step(
            format!(
                "Find the row for developer ID {dev} (developer name {name}). Other developers may be listed too, so check the ID."
            ),
            None,
        )
    };
    let mws_path = |action: &str| {
        format!(
            "Seller Central → Settings → User Permissions → Amazon MWS Developer Permissions → row of developer ID {dev} → {action}"
        )
    };
    match situation {
        Situation::MwsApprove => FixGuide {
            actor: FixActor::Merchant,
            summary: mws_path("“Approve access” (アクセス権を承認)"),
            steps: vec![
                sign_in(),
                open_permissions(),
                find_row(),
                step(
                    "Click “Approve access” (アクセス権を承認) in that row.".to_owned(),
                    None,
                ),
            ],
            note: Some(
                "The new expiry date is one year from the day you approve. The MWS Auth Token stays the same: record the day in sellerlink's dashboard with \"Record the approval\"."
                    .to_owned(),
            ),
        },
        Situation::MwsRestore => FixGuide {
            actor: FixActor::Merchant,
            summary: mws_path("“Restore access” (アクセス権の復元)"),
            steps: vec![
                sign_in(),
                open_permissions(),
                find_row(),
                step(
                    "Click “Restore access” (アクセス権の復元) in that row; Seller Central shows this button once access has expired."
                        .to_owned(),
                    None,
                ),
            ],
            note: Some(
                "Access then runs for one year from the day you restore it, and sellerlink resumes importing orders by itself. Record it in sellerlink's dashboard (\"Record the restore\", with the day you restored it); if the MWS Auth Token changed, paste the new one under \"Replace the MWS Auth Token\"."
                    .to_owned(),
            ),
        },
        Situation::MwsGrantAgain => FixGuide {
            actor: FixActor::Merchant,
            summary: format!(
                "Seller Central → Settings → User Permissions → Amazon MWS Developer Permissions → “Grant access to developer” → developer name {name}, developer ID {dev}"
            ),
            steps: vec![
                step(
                    "Open Seller Central's MWS registration page and sign in as the account owner (primary user)."
                        .to_owned(),
                    Some(sc.mws_registration_url()),
                ),
                step(
                    "Under “Amazon MWS Developer Permissions”, click “Grant access to developer” (開発者にアクセス権を付与)."
                        .to_owned(),
                    None,
                ),
                step(
                    format!("Enter the developer name “{name}” and the developer ID “{dev}”, then click Next."),
                    None,
                ),
                step(
                    "Read the terms, tick both check boxes and click Next.".to_owned(),
                    None,
                ),
                step(
                    "Note the new MWS Auth Token shown on the last page and paste it under \"Replace the MWS Auth Token\" on this connection in sellerlink's dashboard (entering the three values in the connection wizard replaces it too)."
                        .to_owned(),
                    None,
                ),
            ],
            note: Some(
                "Never give your Amazon user name or password to anyone, sellerlink included.".to_owned(),
            ),
        },
        Situation::MwsCheck => FixGuide {
            actor: FixActor::Merchant,
            summary: format!(
                "Seller Central → Settings → User Permissions → Amazon MWS Developer Permissions → check the row of developer ID {dev}"
            ),
            steps: vec![
                sign_in(),
                open_permissions(),
                find_row(),
                step(
                    "If its access has expired, click “Restore access” (アクセス権の復元) in that row.".to_owned(),
                    None,
                ),
                step(
                    format!(
                        "If there is no such row, use “Grant access to developer” with the developer name “{name}” and developer ID “{dev}”, then paste the new MWS Auth Token under “Replace the MWS Auth Token” on the connection in sellerlink’s dashboard."
                    ),
                    Some(sc.mws_registration_url()),
                ),
                step(
                    "If the row is active, click “View” in it and check that the MWS Auth Token is the one registered in sellerlink."
                        .to_owned(),
                    None,
                ),
            ],
            note: None,
        },
        Situation::SpApiReauthorize => FixGuide {
            actor: FixActor::Merchant,
            summary: format!("Seller Central → Manage Your Apps → the row of the app by “{name}” → “Re-authorize” → “Confirm”"),
            steps: vec![
                sign_in(),
                step(
                    "Open Seller Central’s Manage Your Apps page (this link opens it).".to_owned(),
                    Some(sc.manage_apps_url()),
                ),
                step(
                    format!("Find the row of the app whose developer is “{name}” and click “Re-authorize”."),
                    None,
                ),
                step(
                    "On the “Authorize application” page review the details and click “Confirm”; you return to sellerlink, which stores the new authorization by itself."
                        .to_owned(),
                    None,
                ),
            ],
            note: Some(
                "The authorization then runs for 365 days from the day you re-authorize.".to_owned(),
            ),
        },
        Situation::RotateAppSecret => FixGuide {
            actor: FixActor::Operator,
            summary: "Operator: Developer Central → your app → LWA credentials → rotate the client secret → update sellerlink's configuration"
                .to_owned(),
            steps: vec![
                step(
                    "In Developer Central (Solution Provider Portal), open the app's “LWA credentials” and rotate the client secret."
                        .to_owned(),
                    None,
                ),
                step(
                    "Put the new client secret into sellerlink's configuration and restart sellerlink.".to_owned(),
                    None,
                ),
                step(
                    "Check on the connection page that Amazon accepts the connection again.".to_owned(),
                    None,
                ),
            ],
            note: Some(
                "The merchant need not do anything: rotating the secret does not invalidate sellers' authorizations (refresh tokens)."
                    .to_owned(),
            ),
        },
        Situation::Investigate => FixGuide {
            actor: FixActor::Operator,
            summary: "Operator: check the cause and Amazon's answer shown above, then act on them".to_owned(),
            steps: vec![
                step(
                    "The operator checks the cause above and Amazon's answer, if any, and acts on them.".to_owned(),
                    None,
                ),
                step(
                    "Merchant: check Seller Central for warnings or a suspension on the account.".to_owned(),
                    Some(sc.home_url()),
                ),
            ],
            note: None,
        },
    }
}
