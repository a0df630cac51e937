//! [`Browser`]: a minimal web browser for tests — a cookie jar, forms posted by hand, redirects returned instead of
//! followed — and [`SellerLogin`] with the sandbox's Seller Central flows on top of it: signing in when asked,
//! consenting to an SP-API app, and re-authorizing it from Manage Your Apps.

use std::collections::BTreeMap;
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::{COOKIE, HeaderMap, LOCATION, SET_COOKIE};

/// One answer: status, headers (`Location` apart) and body.
#[derive(Debug, Clone)]
pub struct Page {
    /// The HTTP status.
    pub status: StatusCode,
    /// The `Location` header, if any.
    pub location: Option<String>,
    /// Every header of the answer.
    pub headers: HeaderMap,
    /// The body as text.
    pub body: String,
}

/// Decodes the character references HTML templates write for `"`, `'`, `<`, `>` and `&`.
pub fn unescape(text: &str) -> String {
    text.replace("&#34;", "\"")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#60;", "<")
        .replace("&lt;", "<")
        .replace("&#62;", ">")
        .replace("&gt;", ">")
        .replace("&#38;", "&")
        .replace("&amp;", "&")
}

impl Page {
    /// The value of the form field `name` (`name="…" value="…"`), character references decoded. Panics if absent.
    pub fn field(&self, name: &str) -> String {
        let marker = format!("name=\"{name}\" value=\"");
        let start = self
            .body
            .find(&marker)
            .unwrap_or_else(|| panic!("no field {name} in {}", self.body))
            + marker.len();
        let end = start + self.body[start..].find('"').expect("the value is quoted");
        unescape(&self.body[start..end])
    }

    /// The text of the element with `id="…"`, up to the next tag, trimmed and decoded.
    pub fn by_id(&self, id: &str) -> Option<String> {
        let marker = format!("id=\"{id}\"");
        let start = self.body.find(&marker)?;
        let open_end = start + self.body[start..].find('>')? + 1;
        let close = open_end + self.body[open_end..].find('<')?;
        Some(unescape(self.body[open_end..close].trim()))
    }

    /// The `Location` the answer redirects to. Panics if it does not redirect.
    pub fn redirect(&self) -> &str {
        self.location
            .as_deref()
            .unwrap_or_else(|| panic!("no redirect: {} {}", self.status, self.body))
    }
}

/// A browser on one site (`base`, e.g. `http://127.0.0.1:8480`); absolute URLs reach other sites with the same
/// cookie jar (cookies are kept by name only, which is enough for loopback tests).
#[derive(Debug)]
pub struct Browser {
    client: reqwest::Client,
    base: String,
    cookies: BTreeMap<String, String>,
}

impl Browser {
    /// A browser with an empty cookie jar; requests time out after 30 s. Installs rustls' ring provider as the
    /// process default if none is yet (the workspace builds reqwest without a provider of its own).
    pub fn new(base: impl Into<String>) -> Self {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(30))
            .build()
            .expect("the HTTP client builds");
        Self {
            client,
            base: base.into().trim_end_matches('/').to_owned(),
            cookies: BTreeMap::new(),
        }
    }

    /// `path_or_url` made absolute against the base.
    pub fn absolute(&self, path_or_url: &str) -> String {
        if path_or_url.starts_with("http://") || path_or_url.starts_with("https://") {
            path_or_url.to_owned()
        } else {
            format!("{}{path_or_url}", self.base)
        }
    }

    /// `GET`.
    pub async fn get(&mut self, path_or_url: &str) -> Page {
        let request = self.client.get(self.absolute(path_or_url));
        self.send(request).await
    }

    /// `POST` of a form.
    pub async fn post(&mut self, path_or_url: &str, form: &[(&str, &str)]) -> Page {
        let request = self.client.post(self.absolute(path_or_url)).form(form);
        self.send(request).await
    }

    /// Sends a request with the jar's cookies and keeps the cookies the answer sets (or clears).
    pub async fn send(&mut self, mut request: reqwest::RequestBuilder) -> Page {
        if !self.cookies.is_empty() {
            let jar: Vec<String> = self
                .cookies
                .iter()
                .map(|(name, value)| format!("{name}={value}"))
                .collect();
            request = request.header(COOKIE, jar.join("; "));
        }
        let response = request.send().await.expect("the server answers");
        for set in response.headers().get_all(SET_COOKIE) {
            let set = set.to_str().expect("a readable Set-Cookie");
            let pair = set.split(';').next().unwrap_or_default();
            let Some((name, value)) = pair.split_once('=') else {
                continue;
            };
            if value.is_empty() || set.contains("Max-Age=0") {
                self.cookies.remove(name.trim());
            } else {
                self.cookies
                    .insert(name.trim().to_owned(), value.to_owned());
            }
        }
        let status = response.status();
        let headers = response.headers().clone();
        let location = headers
            .get(LOCATION)
            .map(|v| v.to_str().expect("a readable Location").to_owned());
        let body = response.text().await.expect("a readable body");
        Page {
            status,
            location,
            headers,
            body,
        }
    }
}

/// A seller's Seller Central sign-in, and the sandbox's Seller Central flows run with it in a [`Browser`] whose
/// base is the sandbox.
#[derive(Debug, Clone)]
pub struct SellerLogin {
    /// The seller's e-mail address.
    pub email: String,
    /// The seller's password.
    pub password: String,
}

impl SellerLogin {
    /// A seller's sign-in.
    pub fn new(email: impl Into<String>, password: impl Into<String>) -> Self {
        Self {
            email: email.into(),
            password: password.into(),
        }
    }

    /// Opens `url`; when Seller Central asks for sign-in first (a redirect to `/ap/signin`), signs in and opens
    /// the page it returns to.
    pub async fn open(&self, browser: &mut Browser, url: &str) -> Page {
        let page = browser.get(url).await;
        let asks_sign_in = page.status == StatusCode::SEE_OTHER
            && page
                .location
                .as_deref()
                .is_some_and(|to| to.contains("/ap/signin"));
        if !asks_sign_in {
            return page;
        }
        let signin = browser.get(page.redirect()).await;
        assert_eq!(signin.status, StatusCode::OK, "{}", signin.body);
        let (csrf, return_to) = (signin.field("csrf"), signin.field("return_to"));
        let done = browser
            .post(
                "/ap/signin",
                &[
                    ("csrf", &csrf),
                    ("login", &self.email),
                    ("password", &self.password),
                    ("return_to", &return_to),
                ],
            )
            .await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
        let back = done.redirect().to_owned();
        browser.get(&back).await
    }

    /// Consents on the SP-API consent page `consent_url` leads to (signing in if asked); returns where Amazon
    /// sends the browser back: the app's redirect URI with `state`, `selling_partner_id` and `spapi_oauth_code`.
    pub async fn consent(&self, browser: &mut Browser, consent_url: &str) -> String {
        let page = self.open(browser, consent_url).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        let fields = ["csrf", "application_id", "state", "redirect_uri", "version"]
            .map(|name| (name, page.field(name)));
        let mut form: Vec<(&str, &str)> = fields.iter().map(|(n, v)| (*n, v.as_str())).collect();
        form.push(("decision", "confirm"));
        let done = browser.post("/apps/authorize/consent", &form).await;
        done.redirect().to_owned()
    }

    /// Manage Your Apps → Re-authorize the app (signing in if asked); returns where Amazon sends the browser: the
    /// app's log-in URI with `amazon_callback_uri` and `amazon_state`.
    pub async fn reauthorize(&self, browser: &mut Browser, application_id: &str) -> String {
        let manage = self.open(browser, "/apps/manage").await;
        assert_eq!(manage.status, StatusCode::OK, "{}", manage.body);
        let csrf = manage.field("csrf");
        let to_login = browser
            .post(
                "/apps/manage/reauthorize",
                &[("csrf", &csrf), ("application_id", application_id)],
            )
            .await;
        to_login.redirect().to_owned()
    }

    /// Follows the app's redirect back to Amazon (the re-authorization's confirm step, signing in if asked);
    /// returns where Amazon sends the browser: the redirect URI with a new code.
    pub async fn confirm(&self, browser: &mut Browser, url: &str) -> String {
        let page = self.open(browser, url).await;
        page.redirect().to_owned()
    }
}
