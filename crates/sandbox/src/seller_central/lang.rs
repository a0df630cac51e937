//! Page language: Japanese by default, English with `?lang=en`, remembered in the `sc-lang` cookie.

use axum::extract::Request;
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderValue, Uri};
use axum::middleware::Next;
use axum::response::Response;

use super::cookies;
use super::texts::{EN, JA, Texts};

/// Name of the cookie that remembers the chosen language.
pub(crate) const LANG_COOKIE: &str = "sc-lang";
/// Name of the query parameter that switches the language.
const LANG_PARAM: &str = "lang";
/// One year, in seconds.
const LANG_COOKIE_MAX_AGE: u32 = 365 * 24 * 60 * 60;

/// A language the Seller Central pages are available in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Lang {
    /// Japanese (the default: these are Seller Central JP pages).
    Ja,
    /// English.
    En,
}

impl Lang {
    /// Parses `ja` or `en` (case-insensitive); anything else is not a supported language.
    pub(crate) fn from_code(code: &str) -> Option<Self> {
        if code.eq_ignore_ascii_case("ja") {
            Some(Self::Ja)
        } else if code.eq_ignore_ascii_case("en") {
            Some(Self::En)
        } else {
            None
        }
    }

    /// The ISO 639-1 code.
    pub(crate) fn code(self) -> &'static str {
        match self {
            Self::Ja => "ja",
            Self::En => "en",
        }
    }

    /// The other supported language (target of the switch link).
    pub(crate) fn other(self) -> Self {
        match self {
            Self::Ja => Self::En,
            Self::En => Self::Ja,
        }
    }

    /// The fixed wording of the pages in this language.
    pub(crate) fn texts(self) -> &'static Texts {
        match self {
            Self::Ja => &JA,
            Self::En => &EN,
        }
    }
}

/// What every page's frame needs: the language, its wording and the language-switch link.
#[derive(Clone, Debug)]
pub(crate) struct Chrome {
    /// The language of this response.
    pub lang: Lang,
    /// The fixed wording in that language.
    pub t: &'static Texts,
    /// Link to the current page in the other language.
    pub switch_href: String,
}

/// Middleware: picks the language (query, then cookie, then Japanese), hands a [`Chrome`] to the
/// handler and remembers an explicit `?lang=` choice in the `sc-lang` cookie.
pub(crate) async fn negotiate(mut request: Request, next: Next) -> Response {
    let from_query = query_value(request.uri(), LANG_PARAM)
        .as_deref()
        .and_then(Lang::from_code);
    let from_cookie = cookies::get(request.headers(), LANG_COOKIE).and_then(Lang::from_code);
    let lang = from_query.or(from_cookie).unwrap_or(Lang::Ja);
    let chrome = Chrome {
        lang,
        t: lang.texts(),
        switch_href: switch_href(request.uri(), lang.other()),
    };
    request.extensions_mut().insert(chrome);
    let mut response = next.run(request).await;
    if let Some(chosen) = from_query
        && from_cookie != Some(chosen)
    {
        let cookie = format!(
            "{LANG_COOKIE}={}; Path=/; Max-Age={LANG_COOKIE_MAX_AGE}; SameSite=Lax",
            chosen.code()
        );
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            response.headers_mut().append(SET_COOKIE, value);
        }
    }
    response
}

/// The first value of query parameter `name`, decoded.
pub(crate) fn query_value(uri: &Uri, name: &str) -> Option<String> {
    let query = uri.query()?;
    url::form_urlencoded::parse(query.as_bytes())
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.into_owned())
}

/// The current path and query with `lang` set to `target` (all other parameters kept).
fn switch_href(uri: &Uri, target: Lang) -> String {
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    if let Some(existing) = uri.query() {
        for (key, value) in url::form_urlencoded::parse(existing.as_bytes()) {
            if key != LANG_PARAM {
                query.append_pair(&key, &value);
            }
        }
    }
    query.append_pair(LANG_PARAM, target.code());
    format!("{}?{}", uri.path(), query.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn switch_link_keeps_other_parameters_and_replaces_lang() {
        let uri: Uri = "/gp/mws/registration/view.html?developer_id=525964794073&lang=ja"
            .parse()
            .unwrap();
        assert_eq!(
            switch_href(&uri, Lang::En),
            "/gp/mws/registration/view.html?developer_id=525964794073&lang=en"
        );
        let bare: Uri = "/ap/signin".parse().unwrap();
        assert_eq!(switch_href(&bare, Lang::Ja), "/ap/signin?lang=ja");
    }

    #[test]
    fn only_ja_and_en_are_languages() {
        assert_eq!(Lang::from_code("EN"), Some(Lang::En));
        assert_eq!(Lang::from_code("ja"), Some(Lang::Ja));
        assert_eq!(Lang::from_code("fr"), None);
        assert_eq!(Lang::Ja.other(), Lang::En);
    }
}
