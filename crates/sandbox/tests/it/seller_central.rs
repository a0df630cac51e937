//! Seller Central pages over HTTP: sign-in, the grant flow ③–⑤, the permissions table and its
//! actions (R1–R5), the language switch and CSRF; then MWS calls with the values the pages
//! issued, signed by a small Signature V2 helper written here (independent of the sandbox's own
//! verifier, so a bug cannot hide on both sides).

use std::collections::BTreeMap;

use jiff::{SignedDuration, Timestamp, ToSpan};
use reqwest::StatusCode;
use reqwest::header::{CACHE_CONTROL, COOKIE, HeaderMap, LOCATION, SET_COOKIE};

use harness::Sandbox;

const DEVELOPER_NAME: &str = "shippinno";
const DEVELOPER_ID: &str = "525964794073";
const DEVELOPER_ID_DASHED: &str = "5259-6479-4073";

/// A tiny browser: keeps cookies, never follows redirects by itself (so tests see them).
struct Browser {
    client: reqwest::Client,
    base: String,
    cookies: BTreeMap<String, String>,
}

/// One response, body read.
#[derive(Debug)]
struct Page {
    status: StatusCode,
    headers: HeaderMap,
    body: String,
}

impl Page {
    fn location(&self) -> Option<&str> {
        self.headers.get(LOCATION).and_then(|v| v.to_str().ok())
    }

    /// The text of the element with this `id` (up to the next tag).
    fn by_id(&self, id: &str) -> Option<String> {
        let marker = format!("id=\"{id}\"");
        let start = self.body.find(&marker)?;
        let open_end = start + self.body[start..].find('>')? + 1;
        let close = open_end + self.body[open_end..].find('<')?;
        Some(unescape(self.body[open_end..close].trim()))
    }

    fn csrf(&self) -> String {
        let marker = "name=\"csrf\" value=\"";
        let start = self.body.find(marker).expect("page has a CSRF field") + marker.len();
        let end = start + self.body[start..].find('"').unwrap();
        self.body[start..end].to_owned()
    }

    fn html_lang(&self) -> &str {
        let marker = "<html lang=\"";
        let start = self.body.find(marker).expect("an html element") + marker.len();
        let end = start + self.body[start..].find('"').unwrap();
        &self.body[start..end]
    }

    fn contains(&self, text: &str) -> bool {
        self.body.contains(text)
    }
}

fn unescape(text: &str) -> String {
    text.replace("&#34;", "\"")
        .replace("&#39;", "'")
        .replace("&#60;", "<")
        .replace("&#62;", ">")
        .replace("&#38;", "&")
}

impl Browser {
    fn new(base: &str) -> Self {
        // Already installed by another test or the sandbox: fine.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        Self {
            client,
            base: base.trim_end_matches('/').to_owned(),
            cookies: BTreeMap::new(),
        }
    }

    async fn get(&mut self, path: &str) -> Page {
        let request = self.client.get(format!("{}{path}", self.base));
        self.send(request).await
    }

    async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Page {
        let request = self.client.post(format!("{}{path}", self.base)).form(form);
        self.send(request).await
    }

    /// GETs redirect targets until a non-redirect answer.
    async fn follow(&mut self, mut page: Page) -> Page {
        for _ in 0..5 {
            if !page.status.is_redirection() {
                return page;
            }
            let location = page.location().expect("redirect has a Location").to_owned();
            page = self.get(&location).await;
        }
        panic!("redirect loop");
    }

    async fn send(&mut self, mut request: reqwest::RequestBuilder) -> Page {
        if !self.cookies.is_empty() {
            let header = self
                .cookies
                .iter()
                .map(|(name, value)| format!("{name}={value}"))
                .collect::<Vec<_>>()
                .join("; ");
            request = request.header(COOKIE, header);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        for set in headers.get_all(SET_COOKIE) {
            let set = set.to_str().unwrap();
            let pair = set.split(';').next().unwrap();
            let (name, value) = pair.split_once('=').unwrap();
            if value.is_empty() || set.contains("Max-Age=0") {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_owned(), value.to_owned());
            }
        }
        let body = response.text().await.unwrap();
        Page {
            status,
            headers,
            body,
        }
    }

    async fn sign_in(&mut self, login: &str, password: &str) -> Page {
        let form = self.get("/ap/signin").await;
        assert_eq!(form.status, StatusCode::OK);
        let csrf = form.csrf();
        let answer = self
            .post(
                "/ap/signin",
                &[
                    ("csrf", &csrf),
                    ("login", login),
                    ("password", password),
                    ("return_to", "/gp/mws/registration/register.html"),
                ],
            )
            .await;
        self.follow(answer).await
    }

    /// Steps ③ and ④ with both boxes ticked; returns the completion page.
    async fn grant(&mut self, name: &str, developer_id: &str) -> Page {
        let step3 = self.get("/gp/mws/registration/developer.html").await;
        assert_eq!(step3.status, StatusCode::OK, "{}", step3.body);
        let csrf = step3.csrf();
        let after3 = self
            .post(
                "/gp/mws/registration/developer.html",
                &[
                    ("csrf", &csrf),
                    ("developer_name", name),
                    ("developer_id", developer_id),
                ],
            )
            .await;
        assert_eq!(
            after3.location(),
            Some("/gp/mws/registration/consent.html"),
            "{}",
            after3.body
        );
        let step4 = self.follow(after3).await;
        let after4 = self
            .post(
                "/gp/mws/registration/consent.html",
                &[
                    ("csrf", &step4.csrf()),
                    ("accept_catalog", "yes"),
                    ("accept_responsibility", "yes"),
                ],
            )
            .await;
        assert_eq!(
            after4.location(),
            Some("/gp/mws/registration/complete.html"),
            "{}",
            after4.body
        );
        self.follow(after4).await
    }

    async fn permissions(&mut self) -> Page {
        let page = self.get("/gp/account-manager/home.html").await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        page
    }

    /// POSTs an action form for the developer and returns the permissions page it leads to.
    async fn act(&mut self, path: &str, extra: &[(&str, &str)]) -> Page {
        let csrf = self.permissions().await.csrf();
        let mut form = vec![("csrf", csrf.as_str()), ("developer_id", DEVELOPER_ID)];
        form.extend_from_slice(extra);
        let answer = self.post(path, &form).await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
        self.follow(answer).await
    }
}

/// The row of the demo developer in the permissions table, as text.
fn row(page: &Page) -> String {
    let start = page
        .body
        .find(&format!("id=\"grant-{DEVELOPER_ID}\""))
        .expect("a row for the developer");
    let end = start + page.body[start..].find("</tr>").unwrap();
    page.body[start..end].to_owned()
}

fn jst_date(at: Timestamp) -> jiff::civil::Date {
    at.to_zoned_datetime(jiff::tz::TimeZone::fixed(jiff::tz::offset(9)))
        .date()
}

#[tokio::test]
async fn entry_url_sends_to_sign_in_and_back_by_email_or_phone() {
    let sandbox = Sandbox::start().await;
    let seller = sandbox.seller();
    let mut browser = Browser::new(&sandbox.base);

    let entry = browser.get("/gp/mws/registration/register.html").await;
    assert_eq!(entry.status, StatusCode::SEE_OTHER);
    assert_eq!(
        entry.location(),
        Some("/ap/signin?return_to=%2Fgp%2Fmws%2Fregistration%2Fregister.html")
    );
    let form = browser.follow(entry).await;
    assert_eq!(form.html_lang(), "ja");
    assert!(form.contains("amazon</span> seller central"));
    assert!(form.contains("japan"));
    assert!(form.contains("アカウントにサインインする"));
    assert!(form.contains("<label for=\"login\">Eメールまたは携帯電話番号</label>"));
    assert!(form.contains("<label for=\"password\">パスワード</label>"));

    let signed_in = browser.sign_in(&seller.email, &seller.password).await;
    assert_eq!(signed_in.status, StatusCode::OK);
    assert!(signed_in.contains("ユーザー権限"));
    assert!(signed_in.contains("Amazon MWS 開発者権限"));
    assert!(signed_in.contains("開発者にアクセス権を付与"));
    assert_eq!(
        signed_in.by_id("account-seller-id").as_deref(),
        Some(seller.seller_id.as_str())
    );
    let session_cookie = signed_in
        .headers
        .get_all(SET_COOKIE)
        .iter()
        .any(|v| v.to_str().unwrap().starts_with("sc-session="));
    assert!(!session_cookie, "the final page sets no new session");
    let raw = browser.cookies.get("sc-session").cloned().unwrap();
    assert_eq!(raw.len(), 32);

    // Phone number, with and without dashes.
    let mut by_phone = Browser::new(&sandbox.base);
    let page = by_phone.sign_in(&seller.phone, &seller.password).await;
    assert!(page.contains("Amazon MWS 開発者権限"), "{}", page.body);
    let digits: String = seller.phone.chars().filter(char::is_ascii_digit).collect();
    let mut by_digits = Browser::new(&sandbox.base);
    let page = by_digits.sign_in(&digits, &seller.password).await;
    assert!(page.contains("Amazon MWS 開発者権限"));

    // Sign-out ends the session.
    let csrf = page.csrf();
    let out = by_digits.post("/ap/signout", &[("csrf", &csrf)]).await;
    assert_eq!(out.location(), Some("/ap/signin"));
    let again = by_digits.get("/gp/account-manager/home.html").await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn session_cookie_is_http_only_and_same_site_lax() {
    let sandbox = Sandbox::start().await;
    let seller = sandbox.seller();
    let mut browser = Browser::new(&sandbox.base);
    let form = browser.get("/ap/signin").await;
    let answer = browser
        .post(
            "/ap/signin",
            &[
                ("csrf", &form.csrf()),
                ("login", &seller.email),
                ("password", &seller.password),
            ],
        )
        .await;
    assert_eq!(answer.location(), Some("/gp/account-manager/home.html"));
    let cookie = answer
        .headers
        .get_all(SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|v| v.starts_with("sc-session="))
        .expect("a session cookie");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    // The pre-sign-in session id is not reused.
    let before = form
        .headers
        .get(SET_COOKIE)
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert_ne!(
        before.split(';').next(),
        cookie.split(';').next(),
        "a new session id on sign-in"
    );
}

#[tokio::test]
async fn wrong_password_and_unknown_login_get_the_same_answer_and_lock_out() {
    let sandbox = Sandbox::start().await;
    let seller = sandbox.seller();
    let mut browser = Browser::new(&sandbox.base);

    let wrong_password = browser.sign_in(&seller.email, "not-the-password").await;
    let unknown_login = browser.sign_in("nobody@example.invalid", "whatever").await;
    assert_eq!(wrong_password.status, unknown_login.status);
    let message = wrong_password.by_id("signin-error").expect("an error");
    assert!(message.contains("正しくありません"), "{message}");
    assert_eq!(unknown_login.by_id("signin-error"), Some(message.clone()));
    assert!(wrong_password.contains("アカウントにサインインする"));

    // Four more failures lock the login: even the right password gets the same message.
    for _ in 0..4 {
        browser.sign_in(&seller.email, "still-wrong").await;
    }
    let locked = browser.sign_in(&seller.email, &seller.password).await;
    assert_eq!(locked.by_id("signin-error"), Some(message.clone()));
    // Another login is not affected.
    let other = browser.sign_in("someone@example.invalid", "x").await;
    assert_eq!(other.by_id("signin-error"), Some(message));

    // A minute later on the sandbox clock the lock is gone.
    sandbox.advance(SignedDuration::from_secs(61));
    let page = browser.sign_in(&seller.email, &seller.password).await;
    assert!(page.contains("Amazon MWS 開発者権限"), "{}", page.body);
}

#[tokio::test]
async fn grant_flow_issues_the_three_values_once() {
    let sandbox = Sandbox::start().await;
    let seller = sandbox.seller();
    let mut browser = Browser::new(&sandbox.base);
    let home = browser.sign_in(&seller.email, &seller.password).await;
    assert!(
        home.contains("id=\"no-permissions\""),
        "the demo seller starts without grants"
    );

    let step3 = browser.get("/gp/mws/registration/developer.html").await;
    assert!(step3.contains("<label for=\"developer_name\">開発者氏名</label>"));
    assert!(step3.contains("<label for=\"developer_id\">開発者ID</label>"));
    assert!(step3.contains("例 : 1234-1234-1234 または 123412341234"));
    assert!(step3.by_id("greeting").unwrap().contains(&seller.email));

    let complete = browser.grant(DEVELOPER_NAME, DEVELOPER_ID_DASHED).await;
    assert_eq!(complete.status, StatusCode::OK);
    assert_eq!(
        complete
            .headers
            .get(CACHE_CONTROL)
            .and_then(|v| v.to_str().ok()),
        Some("no-store")
    );
    assert!(complete.contains("手続きが完了しました。"));
    assert!(complete.contains("出品者ID"));
    assert!(complete.contains("マーケットプレイスID"));
    assert!(complete.contains("MWS認証トークン"));
    let seller_id = complete.by_id("seller-id").unwrap();
    let marketplace_id = complete.by_id("marketplace-id").unwrap();
    let token = complete.by_id("mws-auth-token").unwrap();
    assert_eq!(seller_id, seller.seller_id);
    assert_eq!(marketplace_id, seller.marketplace_id);
    assert!(token.starts_with("amzn.mws."), "{token}");
    assert_eq!(token.len(), 45);
    let stored = sandbox.grant_token(&seller.seller_id, DEVELOPER_ID).await;
    assert_eq!(stored.as_deref(), Some(token.as_str()));

    // Shown once: a reload says so and shows no token.
    let reload = browser.get("/gp/mws/registration/complete.html").await;
    assert_eq!(reload.status, StatusCode::OK);
    assert!(reload.contains("この認証情報はすでに表示されました"));
    assert!(!reload.contains(&token));
    assert!(reload.by_id("mws-auth-token").is_none());

    // The permissions table shows the row the guide describes.
    let now = sandbox.now();
    let table = browser.permissions().await;
    let row = row(&table);
    assert!(row.contains(DEVELOPER_ID_DASHED), "{row}");
    assert!(row.contains("shippinno"), "{row}");
    assert!(row.contains("編集"), "{row}");
    let granted_text = now
        .to_zoned_datetime(jiff::tz::TimeZone::fixed(jiff::tz::offset(9)))
        .strftime("%Y-%m-%d %H:%M:%S JST")
        .to_string();
    assert!(row.contains(&granted_text), "{row} lacks {granted_text}");
    let today = jst_date(now);
    assert!(row.contains(&today.to_string()), "{row}");
    let expiry = today.checked_add(1.year()).unwrap();
    assert!(
        row.contains(&format!("開発者のアクセス期限は {expiry} です")),
        "{row}"
    );
    assert!(row.contains("表示"));
    assert!(row.contains("アクセス権を承認"));
    assert!(!row.contains("アクセス権の復元"));

    // View shows the three values again.
    let view = browser
        .get(&format!(
            "/gp/mws/registration/view.html?developer_id={DEVELOPER_ID_DASHED}"
        ))
        .await;
    assert_eq!(view.status, StatusCode::OK);
    assert_eq!(view.by_id("mws-auth-token"), Some(token));
    assert_eq!(view.by_id("seller-id"), Some(seller_id));
    assert_eq!(
        view.headers.get(CACHE_CONTROL).unwrap().to_str().unwrap(),
        "no-store"
    );

    // Granting the same developer again is refused at step ③.
    let again = browser.get("/gp/mws/registration/developer.html").await;
    let refused = browser
        .post(
            "/gp/mws/registration/developer.html",
            &[
                ("csrf", &again.csrf()),
                ("developer_name", DEVELOPER_NAME),
                ("developer_id", DEVELOPER_ID),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.contains("すでにアクセス権が付与されています"));
}

#[tokio::test]
async fn developer_id_is_accepted_with_or_without_dashes() {
    let sandbox = Sandbox::start().await;
    let seller = sandbox.seller();
    let mut browser = Browser::new(&sandbox.base);
    browser.sign_in(&seller.email, &seller.password).await;

    let first = browser.grant(DEVELOPER_NAME, DEVELOPER_ID).await;
    let first_token = first.by_id("mws-auth-token").unwrap();
    browser
        .act("/gp/mws/permissions/revoke.html", &[("confirm", "yes")])
        .await;
    let second = browser.grant(" Shippinno ", DEVELOPER_ID_DASHED).await;
    let second_token = second.by_id("mws-auth-token").unwrap();
    assert_ne!(first_token, second_token, "a new grant has a new token");
}

#[tokio::test]
async fn wrong_name_unknown_id_and_malformed_id_are_refused() {
    let sandbox = Sandbox::start().await;
    let seller = sandbox.seller();
    let mut browser = Browser::new(&sandbox.base);
    browser.sign_in(&seller.email, &seller.password).await;

    let cases = [
        (
            "someone-else",
            DEVELOPER_ID,
            "一致する開発者が見つかりません",
        ),
        (
            DEVELOPER_NAME,
            "1111-2222-3333",
            "一致する開発者が見つかりません",
        ),
        (DEVELOPER_NAME, "5259-6479-407", "12桁の数字"),
        (DEVELOPER_NAME, "52596-479-4073", "12桁の数字"),
        (DEVELOPER_NAME, "", "開発者IDを入力してください"),
        ("", DEVELOPER_ID, "開発者氏名を入力してください"),
    ];
    for (name, id, expected) in cases {
        let form = browser.get("/gp/mws/registration/developer.html").await;
        let answer = browser
            .post(
                "/gp/mws/registration/developer.html",
                &[
                    ("csrf", &form.csrf()),
                    ("developer_name", name),
                    ("developer_id", id),
                ],
            )
            .await;
        assert_eq!(
            answer.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{name}/{id}"
        );
        assert!(answer.contains(expected), "{name}/{id}: {}", answer.body);
        // What was typed is kept in the form.
        assert!(answer.contains(&format!("value=\"{id}\"")));
    }
    // Step ④ cannot be reached without a successful step ③.
    let consent = browser.get("/gp/mws/registration/consent.html").await;
    assert_eq!(
        consent.location(),
        Some("/gp/mws/registration/developer.html")
    );
    assert_eq!(
        sandbox.grant_token(&seller.seller_id, DEVELOPER_ID).await,
        None
    );

    // English wording of the refusal.
    let form = browser
        .get("/gp/mws/registration/developer.html?lang=en")
        .await;
    let answer = browser
        .post(
            "/gp/mws/registration/developer.html",
            &[
                ("csrf", &form.csrf()),
                ("developer_name", "someone-else"),
                ("developer_id", DEVELOPER_ID),
            ],
        )
        .await;
    assert!(answer.contains("No registered developer matches"));
}

#[tokio::test]
async fn consent_needs_both_checkboxes() {
    let sandbox = Sandbox::start().await;
    let seller = sandbox.seller();
    let mut browser = Browser::new(&sandbox.base);
    browser.sign_in(&seller.email, &seller.password).await;

    let step3 = browser.get("/gp/mws/registration/developer.html").await;
    let after3 = browser
        .post(
            "/gp/mws/registration/developer.html",
            &[
                ("csrf", &step3.csrf()),
                ("developer_name", DEVELOPER_NAME),
                ("developer_id", DEVELOPER_ID),
            ],
        )
        .await;
    let step4 = browser.follow(after3).await;
    assert!(step4.contains("shippinnoにAmazon出品用アカウントへのアクセス権が付与されます"));
    assert!(step4.contains(
        "カタログ情報を送信するにあたり、すべての商品は禁止商品ではないことを誓約します。"
    ));
    assert!(step4.contains("決して教えないでください"));
    assert!(step4.contains("<label class=\"check\" for=\"accept_catalog\">"));
    assert!(step4.contains("<label class=\"check\" for=\"accept_responsibility\">"));
    let csrf = step4.csrf();

    for ticked in [
        vec![],
        vec![("accept_catalog", "yes")],
        vec![("accept_responsibility", "yes")],
    ] {
        let mut form = vec![("csrf", csrf.as_str())];
        form.extend(ticked);
        let refused = browser
            .post("/gp/mws/registration/consent.html", &form)
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            refused
                .by_id("consent-error")
                .unwrap()
                .contains("2つのチェックボックスの両方にチェック")
        );
        assert_eq!(
            sandbox.grant_token(&seller.seller_id, DEVELOPER_ID).await,
            None
        );
    }
    let done = browser
        .post(
            "/gp/mws/registration/consent.html",
            &[
                ("csrf", &csrf),
                ("accept_catalog", "yes"),
                ("accept_responsibility", "yes"),
            ],
        )
        .await;
    assert_eq!(done.location(), Some("/gp/mws/registration/complete.html"));
    assert!(
        sandbox
            .grant_token(&seller.seller_id, DEVELOPER_ID)
            .await
            .is_some()
    );
}

#[tokio::test]
async fn approve_while_valid_moves_the_expiry() {
    let sandbox = Sandbox::start().await;
    let seller = sandbox.seller();
    let mut browser = Browser::new(&sandbox.base);
    browser.sign_in(&seller.email, &seller.password).await;
    browser.grant(DEVELOPER_NAME, DEVELOPER_ID).await;

    sandbox.advance(SignedDuration::from_hours(24 * 200));
    let today = jst_date(sandbox.now());
    let page = browser.act("/gp/mws/permissions/approve.html", &[]).await;
    let expiry = today.checked_add(1.year()).unwrap();
    let notice = page.by_id("notice").unwrap();
    assert!(notice.contains("アクセス権を承認しました"), "{notice}");
    assert!(notice.contains(&expiry.to_string()), "{notice}");
    let row = row(&page);
    assert!(
        row.contains(&format!("開発者のアクセス期限は {expiry} です")),
        "{row}"
    );
    assert!(
        row.contains(&format!("<td class=\"last-approved\">{today}</td>")),
        "{row}"
    );
    // The notice is shown once.
    assert!(browser.permissions().await.by_id("notice").is_none());
}

#[tokio::test]
async fn on_the_expiry_date_approve_is_refused_and_restore_brings_the_same_token_back() {
    let sandbox = Sandbox::start().await;
    let seller = sandbox.seller();
    let mut browser = Browser::new(&sandbox.base);
    browser.sign_in(&seller.email, &seller.password).await;
    let token = browser
        .grant(DEVELOPER_NAME, DEVELOPER_ID)
        .await
        .by_id("mws-auth-token")
        .unwrap();
    let expiry = jst_date(sandbox.now()).checked_add(1.year()).unwrap();

    // 00:00 JST on the expiry date: expired.
    let midnight = expiry
        .to_zoned_datetime(jiff::tz::TimeZone::fixed(jiff::tz::offset(9)))
        .unwrap()
        .timestamp();
    sandbox.set_clock(midnight);
    let page = browser.permissions().await;
    let expired_row = row(&page);
    assert!(
        expired_row.contains("data-state=\"expired\""),
        "{expired_row}"
    );
    assert!(expired_row.contains("期限切れ"));
    assert!(expired_row.contains("アクセス権の復元"));
    assert!(!expired_row.contains("アクセス権を承認"));

    let refused = browser.act("/gp/mws/permissions/approve.html", &[]).await;
    let notice = refused.by_id("notice").unwrap();
    assert!(notice.contains("承認できません"), "{notice}");
    assert!(refused.contains("class=\"error\" role=\"status\" id=\"notice\""));
    assert_eq!(
        row(&refused),
        expired_row,
        "a refused action changes nothing"
    );

    let restored = browser.act("/gp/mws/permissions/restore.html", &[]).await;
    let notice = restored.by_id("notice").unwrap();
    assert!(notice.contains("アクセス権を復元しました"), "{notice}");
    let new_expiry = expiry.checked_add(1.year()).unwrap();
    let row_after = row(&restored);
    assert!(row_after.contains("data-state=\"active\""));
    assert!(row_after.contains(&format!("開発者のアクセス期限は {new_expiry} です")));
    assert_eq!(
        sandbox.grant_token(&seller.seller_id, DEVELOPER_ID).await,
        Some(token),
        "restore keeps the token"
    );

    // Restore while valid is refused.
    let again = browser.act("/gp/mws/permissions/restore.html", &[]).await;
    assert!(again.by_id("notice").unwrap().contains("まだ有効なため"));
}

#[tokio::test]
async fn revoke_asks_first_then_moves_the_grant_to_history() {
    let sandbox = Sandbox::start().await;
    let seller = sandbox.seller();
    let mut browser = Browser::new(&sandbox.base);
    browser.sign_in(&seller.email, &seller.password).await;
    browser.grant(DEVELOPER_NAME, DEVELOPER_ID).await;

    let confirm = browser
        .get(&format!(
            "/gp/mws/permissions/revoke.html?developer_id={DEVELOPER_ID}"
        ))
        .await;
    assert_eq!(confirm.status, StatusCode::OK);
    assert!(
        confirm
            .by_id("confirm-question")
            .unwrap()
            .contains("取り消しますか")
    );

    // Without the confirmation the POST only leads to the question.
    let unconfirmed = browser
        .post(
            "/gp/mws/permissions/revoke.html",
            &[("csrf", &confirm.csrf()), ("developer_id", DEVELOPER_ID)],
        )
        .await;
    assert_eq!(
        unconfirmed.location(),
        Some("/gp/mws/permissions/revoke.html?developer_id=525964794073")
    );
    assert!(
        sandbox
            .grant_token(&seller.seller_id, DEVELOPER_ID)
            .await
            .is_some()
    );

    let page = browser
        .act("/gp/mws/permissions/revoke.html", &[("confirm", "yes")])
        .await;
    assert!(page.by_id("notice").unwrap().contains("取り消しました"));
    assert!(!page.contains(&format!("id=\"grant-{DEVELOPER_ID}\"")));
    assert!(page.contains("id=\"history\""));
    assert_eq!(
        sandbox.grant_token(&seller.seller_id, DEVELOPER_ID).await,
        None
    );
    let view = browser
        .get(&format!(
            "/gp/mws/registration/view.html?developer_id={DEVELOPER_ID}"
        ))
        .await;
    assert_eq!(view.status, StatusCode::NOT_FOUND);
    // Approve on a revoked grant is refused.
    let refused = browser.act("/gp/mws/permissions/approve.html", &[]).await;
    assert!(
        refused
            .by_id("notice")
            .unwrap()
            .contains("取り消されています")
    );
}

#[tokio::test]
async fn enabling_expiry_is_confirmed_and_cannot_be_undone() {
    let sandbox = Sandbox::start().await;
    let seller = sandbox.seller();
    let granted_at = sandbox.now() - SignedDuration::from_hours(24 * 500);
    sandbox
        .grant_without_expiry(&seller.seller_id, DEVELOPER_ID, granted_at)
        .await;
    let mut browser = Browser::new(&sandbox.base);
    let page = browser.sign_in(&seller.email, &seller.password).await;
    let before = row(&page);
    assert!(before.contains("有効期限なし"), "{before}");
    assert!(before.contains("無効"), "{before}");
    assert!(before.contains("enable-expiry.html"), "{before}");
    assert!(
        !before.contains("アクセス権を承認"),
        "nothing to renew: {before}"
    );

    let confirm = browser
        .get(&format!(
            "/gp/mws/permissions/enable-expiry.html?developer_id={DEVELOPER_ID}"
        ))
        .await;
    assert!(
        confirm
            .by_id("confirm-question")
            .unwrap()
            .contains("無効に戻すことはできません")
    );

    let page = browser
        .act(
            "/gp/mws/permissions/enable-expiry.html",
            &[("confirm", "yes")],
        )
        .await;
    assert!(
        page.by_id("notice")
            .unwrap()
            .contains("有効期限機能を有効にしました")
    );
    let after = row(&page);
    // Last approved 500 days ago + 1 year lies in the past: expired at once.
    let expired_on = jst_date(granted_at).checked_add(1.year()).unwrap();
    assert!(
        after.contains(&format!(
            "開発者のアクセス権は {expired_on} に期限切れになりました"
        )),
        "{after}"
    );
    assert!(!after.contains("enable-expiry.html"), "{after}");
    assert!(
        after.contains("<td class=\"expiry-feature\">有効</td>"),
        "{after}"
    );

    // There is no way back: the confirmation is refused and a direct POST too.
    let again = browser
        .get(&format!(
            "/gp/mws/permissions/enable-expiry.html?developer_id={DEVELOPER_ID}"
        ))
        .await;
    assert_eq!(again.location(), Some("/gp/account-manager/home.html"));
    let page = browser.follow(again).await;
    assert!(page.by_id("notice").unwrap().contains("すでに有効です"));
    let posted = browser
        .act(
            "/gp/mws/permissions/enable-expiry.html",
            &[("confirm", "yes")],
        )
        .await;
    assert!(posted.by_id("notice").unwrap().contains("すでに有効です"));
}

#[tokio::test]
async fn nickname_can_be_edited() {
    let sandbox = Sandbox::start().await;
    let seller = sandbox.seller();
    let mut browser = Browser::new(&sandbox.base);
    browser.sign_in(&seller.email, &seller.password).await;
    browser.grant(DEVELOPER_NAME, DEVELOPER_ID).await;

    let form = browser
        .get(&format!(
            "/gp/mws/permissions/nickname.html?developer_id={DEVELOPER_ID}"
        ))
        .await;
    assert!(form.contains("<label for=\"nickname\">開発者のニックネーム</label>"));
    assert!(form.contains("value=\"shippinno\""));
    let too_long = "あ".repeat(51);
    let refused = browser
        .post(
            "/gp/mws/permissions/nickname.html",
            &[
                ("csrf", &form.csrf()),
                ("developer_id", DEVELOPER_ID),
                ("nickname", &too_long),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .by_id("nickname-error")
            .unwrap()
            .contains("50文字以内")
    );

    let page = browser
        .act(
            "/gp/mws/permissions/nickname.html",
            &[("nickname", "  倉庫<3PL>  ")],
        )
        .await;
    let row = row(&page);
    assert!(row.contains("倉庫&#60;3PL&#62;"), "escaped: {row}");
}

#[tokio::test]
async fn english_switch_is_remembered_in_a_cookie() {
    let sandbox = Sandbox::start().await;
    let seller = sandbox.seller();
    let mut browser = Browser::new(&sandbox.base);

    let ja = browser.get("/ap/signin").await;
    assert_eq!(ja.html_lang(), "ja");
    assert_eq!(ja.by_id("lang-switch").as_deref(), Some("English"));

    let en = browser.get("/ap/signin?lang=en").await;
    assert_eq!(en.html_lang(), "en");
    assert!(en.contains("Sign in to your account"));
    assert!(en.contains("<label for=\"login\">E-mail or mobile phone number</label>"));
    let cookie = en
        .headers
        .get_all(SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap())
        .find(|v| v.starts_with("sc-lang="))
        .expect("the choice is remembered");
    assert!(cookie.starts_with("sc-lang=en;"));

    // Remembered: English without the parameter, through sign-in and the grant flow.
    let page = browser.sign_in(&seller.email, &seller.password).await;
    assert_eq!(page.html_lang(), "en");
    assert!(page.contains("Amazon MWS Developer Permissions"));
    assert!(page.contains("Grant access to a developer"));
    let complete = browser.grant(DEVELOPER_NAME, DEVELOPER_ID).await;
    assert!(complete.contains("The process is complete."));
    assert!(complete.contains("MWS Auth Token"));
    let table = browser.permissions().await;
    let expiry = jst_date(sandbox.now()).checked_add(1.year()).unwrap();
    assert!(row(&table).contains(&format!("Developer access expires on {expiry}")));

    // And back to Japanese.
    let back = browser.get("/gp/account-manager/home.html?lang=ja").await;
    assert_eq!(back.html_lang(), "ja");
    assert!(back.contains("ユーザー権限"));
    assert_eq!(
        browser.cookies.get("sc-lang").map(String::as_str),
        Some("ja")
    );
}

#[tokio::test]
async fn forms_without_the_csrf_token_are_refused() {
    let sandbox = Sandbox::start().await;
    let seller = sandbox.seller();
    let mut browser = Browser::new(&sandbox.base);

    // Sign-in without a token.
    let refused = browser
        .post(
            "/ap/signin",
            &[("login", &seller.email), ("password", &seller.password)],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(refused.contains("フォームの有効期限が切れた"));

    browser.sign_in(&seller.email, &seller.password).await;
    let step3 = browser
        .post(
            "/gp/mws/registration/developer.html",
            &[
                ("developer_name", DEVELOPER_NAME),
                ("developer_id", DEVELOPER_ID),
            ],
        )
        .await;
    assert_eq!(step3.status, StatusCode::FORBIDDEN);

    browser.grant(DEVELOPER_NAME, DEVELOPER_ID).await;
    sandbox.advance(SignedDuration::from_hours(24 * 30));
    let before = row(&browser.permissions().await);
    for (path, token) in [
        ("/gp/mws/permissions/approve.html", None),
        (
            "/gp/mws/permissions/approve.html",
            Some("0123456789abcdef0123456789abcdef"),
        ),
        ("/gp/mws/permissions/revoke.html", None),
        ("/gp/mws/permissions/enable-expiry.html", None),
    ] {
        let mut form = vec![("developer_id", DEVELOPER_ID), ("confirm", "yes")];
        if let Some(token) = token {
            form.push(("csrf", token));
        }
        let answer = browser.post(path, &form).await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN, "{path}");
    }
    assert_eq!(row(&browser.permissions().await), before, "nothing changed");

    // Unauthenticated POSTs go to sign-in, not through.
    let mut stranger = Browser::new(&sandbox.base);
    let answer = stranger
        .post(
            "/gp/mws/permissions/revoke.html",
            &[("developer_id", DEVELOPER_ID), ("confirm", "yes")],
        )
        .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    assert!(answer.location().unwrap().starts_with("/ap/signin"));
    assert!(
        sandbox
            .grant_token(&seller.seller_id, DEVELOPER_ID)
            .await
            .is_some()
    );
}

#[tokio::test]
async fn sign_in_return_url_cannot_leave_seller_central() {
    let sandbox = Sandbox::start().await;
    let seller = sandbox.seller();
    let mut browser = Browser::new(&sandbox.base);
    let form = browser
        .get("/ap/signin?return_to=https://evil.example/")
        .await;
    assert!(form.contains("name=\"return_to\" value=\"/gp/account-manager/home.html\""));
    let answer = browser
        .post(
            "/ap/signin",
            &[
                ("csrf", &form.csrf()),
                ("login", &seller.email),
                ("password", &seller.password),
                ("return_to", "//evil.example/"),
            ],
        )
        .await;
    assert_eq!(answer.location(), Some("/gp/account-manager/home.html"));
}

#[tokio::test]
async fn other_developers_rows_and_several_marketplaces_are_shown() {
    let sandbox = Sandbox::start().await;
    // Seller 3 sells in JP and AU and already works with another developer (R7).
    let seller = sandbox.seller_number(3);
    assert!(seller.marketplace_ids.len() > 1);
    let mut browser = Browser::new(&sandbox.base);
    let page = browser.sign_in(&seller.email, &seller.password).await;
    assert!(page.contains("id=\"grant-123432144321\""), "{}", page.body);
    assert!(page.contains("1234-3214-4321"));
    assert!(!page.contains(&format!("id=\"grant-{DEVELOPER_ID}\"")));

    let complete = browser.grant(DEVELOPER_NAME, DEVELOPER_ID).await;
    assert_eq!(
        complete.by_id("marketplace-id").as_deref(),
        Some(seller.marketplace_ids[0].as_str())
    );
    let others =
        complete.body[complete.body.find("id=\"other-marketplace-ids\"").unwrap()..].to_owned();
    for id in &seller.marketplace_ids[1..] {
        assert!(others.contains(&format!("<li>{id}</li>")), "{others}");
    }
    let table = browser.permissions().await;
    assert!(table.contains("id=\"grant-123432144321\""));
    assert!(table.contains(&format!("id=\"grant-{DEVELOPER_ID}\"")));
}

#[tokio::test]
async fn pages_are_served_over_https_too() {
    let sandbox = Sandbox::start().await;
    let client = reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(sandbox.ca_pem().as_bytes()).unwrap())
        .build()
        .unwrap();
    let response = client
        .get(format!("{}/ap/signin?lang=en", sandbox.https_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("Sign in to your account")
    );
}

/// The grant flow through the pages, then ListOrders with the three values the completion page
/// showed; then the same call after revoke, with another seller's ID, on the expiry date and
/// after restore.
#[tokio::test]
async fn values_issued_by_the_pages_work_for_mws_until_revoked_or_expired() {
    let sandbox = Sandbox::start().await;
    let seller = sandbox.seller();
    let developer = sandbox.developer();
    let mut browser = Browser::new(&sandbox.base);
    browser.sign_in(&seller.email, &seller.password).await;
    let complete = browser.grant(DEVELOPER_NAME, DEVELOPER_ID_DASHED).await;
    let seller_id = complete.by_id("seller-id").unwrap();
    let marketplace_id = complete.by_id("marketplace-id").unwrap();
    let token = complete.by_id("mws-auth-token").unwrap();
    let mws = Mws {
        base: sandbox.base.clone(),
        access_key: developer.access_key_id.clone(),
        secret: developer.secret_key.clone(),
    };
    let list = |seller_id: String, token: String| ListOrders {
        seller_id,
        marketplace_id: marketplace_id.clone(),
        token,
        created_after: sandbox.now() - SignedDuration::from_hours(24 * 60),
        now: sandbox.now(),
    };

    let ok = mws
        .list_orders(&list(seller_id.clone(), token.clone()))
        .await;
    assert_eq!(ok.0, StatusCode::OK, "{}", ok.1);
    assert!(
        ok.1.contains(
            "<ListOrdersResponse xmlns=\"https://mws.amazonservices.com/Orders/2013-09-01\">"
        ),
        "{}",
        ok.1
    );
    let orders = ok.1.matches("<Order>").count();
    assert!(orders > 0, "the demo seller has generated orders: {}", ok.1);
    assert!(ok.1.contains("<AmazonOrderId>"));
    assert!(ok.1.contains(&format!("<MarketplaceId>{marketplace_id}</MarketplaceId>")));

    // Another seller's ID with this seller's token: denied.
    let other = sandbox.seller_number(2);
    let wrong_seller = mws
        .list_orders(&list(other.seller_id.clone(), token.clone()))
        .await;
    assert_eq!(
        wrong_seller.0,
        StatusCode::UNAUTHORIZED,
        "{}",
        wrong_seller.1
    );
    assert!(wrong_seller.1.contains("<Code>AccessDenied</Code>"));

    // The expiry date, 00:00 JST: denied; approve is refused; restore brings the same token back.
    let expiry = jst_date(sandbox.now()).checked_add(1.year()).unwrap();
    sandbox.set_clock(
        expiry
            .to_zoned_datetime(jiff::tz::TimeZone::fixed(jiff::tz::offset(9)))
            .unwrap()
            .timestamp(),
    );
    let expired = mws
        .list_orders(&list(seller_id.clone(), token.clone()))
        .await;
    assert_eq!(expired.0, StatusCode::UNAUTHORIZED, "{}", expired.1);
    assert!(expired.1.contains("<Code>AccessDenied</Code>"));
    browser.act("/gp/mws/permissions/approve.html", &[]).await;
    assert_eq!(
        mws.list_orders(&list(seller_id.clone(), token.clone()))
            .await
            .0,
        StatusCode::UNAUTHORIZED
    );
    browser.act("/gp/mws/permissions/restore.html", &[]).await;
    let restored = mws
        .list_orders(&list(seller_id.clone(), token.clone()))
        .await;
    assert_eq!(restored.0, StatusCode::OK, "{}", restored.1);

    // Revoked: denied for good; a new grant through the pages issues a new token that works.
    browser
        .act("/gp/mws/permissions/revoke.html", &[("confirm", "yes")])
        .await;
    let revoked = mws
        .list_orders(&list(seller_id.clone(), token.clone()))
        .await;
    assert_eq!(revoked.0, StatusCode::UNAUTHORIZED, "{}", revoked.1);
    assert!(revoked.1.contains("<Code>AccessDenied</Code>"));
    let regranted = browser.grant(DEVELOPER_NAME, DEVELOPER_ID).await;
    let new_token = regranted.by_id("mws-auth-token").unwrap();
    assert_ne!(new_token, token);
    assert_eq!(
        mws.list_orders(&list(seller_id.clone(), token)).await.0,
        StatusCode::UNAUTHORIZED
    );
    let fresh = mws.list_orders(&list(seller_id, new_token)).await;
    assert_eq!(fresh.0, StatusCode::OK, "{}", fresh.1);
}

#[test]
fn signature_helper_matches_vector_c_of_protocol_mws() {
    let params = [
        ("AWSAccessKeyId", "AKIAIOSFODNN7EXAMPLE"),
        ("Action", "ListOrders"),
        ("CreatedAfter", "2020-01-01T00:00:00Z"),
        (
            "MWSAuthToken",
            "amzn.mws.01234567-89ab-cdef-0123-456789abcdef",
        ),
        ("MarketplaceId.Id.1", "A1VC38T7YXB528"),
        ("SellerId", "A1EXAMPLE12345"),
        ("SignatureMethod", "HmacSHA256"),
        ("SignatureVersion", "2"),
        ("Timestamp", "2020-01-01T12:00:00Z"),
        ("Version", "2013-09-01"),
    ];
    let signed = sigv2::signed_query(
        "POST",
        "mws.amazonservices.jp",
        "/Orders/2013-09-01",
        &params,
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    );
    assert!(signed.starts_with("AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Action=ListOrders&CreatedAfter=2020-01-01T00%3A00%3A00Z&MWSAuthToken="));
    assert!(
        signed.ends_with("&Signature=CSaEwgISt6V0f3L90NWpCXSQJLh00bCuiEZwKFJu%2FLs%3D"),
        "{signed}"
    );
}

/// The developer's side of an MWS call.
struct Mws {
    base: String,
    access_key: String,
    secret: String,
}

/// One ListOrders request.
struct ListOrders {
    seller_id: String,
    marketplace_id: String,
    token: String,
    created_after: Timestamp,
    now: Timestamp,
}

impl Mws {
    /// POSTs a signed ListOrders and returns status and body.
    async fn list_orders(&self, call: &ListOrders) -> (StatusCode, String) {
        let format = |at: Timestamp| at.strftime("%Y-%m-%dT%H:%M:%SZ").to_string();
        let created_after = format(call.created_after);
        let timestamp = format(call.now);
        let params = [
            ("AWSAccessKeyId", self.access_key.as_str()),
            ("Action", "ListOrders"),
            ("CreatedAfter", created_after.as_str()),
            ("MWSAuthToken", call.token.as_str()),
            ("MarketplaceId.Id.1", call.marketplace_id.as_str()),
            ("SellerId", call.seller_id.as_str()),
            ("SignatureMethod", "HmacSHA256"),
            ("SignatureVersion", "2"),
            ("Timestamp", timestamp.as_str()),
            ("Version", "2013-09-01"),
        ];
        let host = self.base.trim_start_matches("http://");
        let body = sigv2::signed_query("POST", host, "/Orders/2013-09-01", &params, &self.secret);
        let response = reqwest::Client::new()
            .post(format!("{}/Orders/2013-09-01", self.base))
            .header(
                "Content-Type",
                "application/x-www-form-urlencoded; charset=utf-8",
            )
            .header("User-Agent", "sellerlink-sandbox-tests/1.0 (Language=Rust)")
            .body(body)
            .send()
            .await
            .unwrap();
        let status = response.status();
        (status, response.text().await.unwrap())
    }
}

/// Signature Version 2, as `docs/amazon/MWS.md#signature-version-2` describes it.
mod sigv2 {
    use base64::Engine;
    use hmac::{Hmac, KeyInit, Mac};
    use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
    use sha2::Sha256;

    /// RFC 3986: everything but `A-Z a-z 0-9 - _ . ~` is escaped.
    const ESCAPE: &AsciiSet = &NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~');

    fn encode(value: &str) -> String {
        utf8_percent_encode(value, ESCAPE).to_string()
    }

    /// The canonical query with `&Signature=…` appended.
    pub fn signed_query(
        method: &str,
        host: &str,
        path: &str,
        params: &[(&str, &str)],
        secret: &str,
    ) -> String {
        let mut sorted = params.to_vec();
        sorted.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
        let canonical = sorted
            .iter()
            .map(|(name, value)| format!("{}={}", encode(name), encode(value)))
            .collect::<Vec<_>>()
            .join("&");
        let to_sign = format!("{method}\n{}\n{path}\n{canonical}", host.to_lowercase());
        let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
        mac.update(to_sign.as_bytes());
        let signature =
            base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
        format!("{canonical}&Signature={}", encode(&signature))
    }
}

/// A sandbox per test on port 0, its clock frozen (tests move it explicitly).
mod harness {
    use jiff::{SignedDuration, Timestamp};
    use sellerlink_sandbox::{Developer, RunningSandbox, SandboxConfig};
    use sellerlink_testkit::SandboxControl;
    use serde_json::json;

    pub struct Sandbox {
        pub base: String,
        running: RunningSandbox,
        control: SandboxControl,
        _dir: tempfile::TempDir,
    }

    pub struct Seller {
        pub seller_id: String,
        pub email: String,
        pub phone: String,
        pub password: String,
        pub marketplace_id: String,
        pub marketplace_ids: Vec<String>,
    }

    impl Sandbox {
        pub async fn start() -> Self {
            let dir = tempfile::tempdir().unwrap();
            let config = SandboxConfig {
                seed: 11,
                sellers: 3,
                orders_per_seller: 40,
                clock_start: Some("2024-03-10T01:26:33Z".parse().unwrap()),
                cert_dir: dir.path().to_path_buf(),
                ..SandboxConfig::default()
            };
            let running = sellerlink_sandbox::start(config).await.unwrap();
            running.clock().freeze();
            Self {
                base: running.http_url(),
                control: SandboxControl::new(running.http_url()),
                running,
                _dir: dir,
            }
        }

        /// The demo seller (seller 1, no grants yet).
        pub fn seller(&self) -> Seller {
            self.seller_number(1)
        }

        /// Generated seller number `n` (1-based).
        pub fn seller_number(&self, n: usize) -> Seller {
            let seller = &self.running.sellers()[n - 1];
            Seller {
                seller_id: seller.seller_id.clone(),
                email: seller.email.clone(),
                phone: seller.phone.clone(),
                password: seller.password.clone(),
                marketplace_id: seller.marketplace_ids[0].clone(),
                marketplace_ids: seller.marketplace_ids.clone(),
            }
        }

        pub fn developer(&self) -> Developer {
            self.running.demo_developer()
        }

        pub fn https_url(&self) -> String {
            self.running.https_url()
        }

        pub fn ca_pem(&self) -> String {
            self.running.ca_pem().to_owned()
        }

        pub fn now(&self) -> Timestamp {
            self.running.now()
        }

        pub fn advance(&self, by: SignedDuration) {
            self.running.clock().advance(by);
        }

        pub fn set_clock(&self, at: Timestamp) {
            self.running.clock().set(at);
        }

        /// The token of the seller's current (not revoked) grant to the developer.
        pub async fn grant_token(&self, seller_id: &str, developer_id: &str) -> Option<String> {
            let mut grants = self.control.grants(Some(seller_id)).await;
            grants.sort_by_key(|grant| grant.granted_at.parse::<Timestamp>().unwrap());
            grants
                .into_iter()
                .rfind(|grant| grant.developer_id == developer_id && grant.revoked_at.is_none())
                .map(|grant| grant.mws_auth_token)
        }

        /// A grant made `at` with the expiry feature disabled (R4), as older grants were.
        pub async fn grant_without_expiry(
            &self,
            seller_id: &str,
            developer_id: &str,
            at: Timestamp,
        ) {
            self.control
                .grant_with(
                    seller_id,
                    developer_id,
                    json!({ "granted_at": at.to_string(), "expiry_enabled": false }),
                )
                .await;
        }
    }
}
