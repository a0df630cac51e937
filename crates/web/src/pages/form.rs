//! The pages' form extractor: like axum's `Form`, but a body whose text is not UTF-8 — raw or percent-encoded — is
//! refused with a 422 instead of being read with replacement characters, as the API refuses such JSON.

use axum::body::{Body, Bytes};
use axum::extract::{Form, FromRequest, Request};
use axum::http::StatusCode;
use serde::de::DeserializeOwned;

use crate::error::{DETAIL_CHARS, HttpError, shorten};

/// A form body whose every name and value is UTF-8 text.
pub(crate) struct PageForm<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for PageForm<T> {
    type Rejection = HttpError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let (parts, body) = request.into_parts();
        let bytes = Bytes::from_request(Request::from_parts(parts.clone(), body), state)
            .await
            .map_err(|rejection| {
                if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    HttpError::too_large()
                } else {
                    unreadable(&rejection.body_text())
                }
            })?;
        if !is_utf8_form(&bytes) {
            return Err(HttpError::invalid(
                "form",
                "The form holds text that is not valid UTF-8; expected UTF-8 text, as browsers send it.",
                "フォームにUTF-8として読めない文字が含まれています。UTF-8の文字で送信してください。",
            ));
        }
        let request = Request::from_parts(parts, Body::from(bytes));
        match Form::<T>::from_request(request, state).await {
            Ok(Form(value)) => Ok(Self(value)),
            Err(rejection) => Err(unreadable(&rejection.body_text())),
        }
    }
}

fn unreadable(detail: &str) -> HttpError {
    let detail = shorten(detail, DETAIL_CHARS);
    HttpError::invalid(
        "form",
        format!("The form does not fit: {detail}"),
        format!("フォームの内容が正しくありません: {detail}"),
    )
}

/// Whether every name and value of an `application/x-www-form-urlencoded` body decodes to UTF-8.
fn is_utf8_form(body: &[u8]) -> bool {
    body.split(|b| matches!(b, b'&' | b'='))
        .all(|part| percent_encoding::percent_decode(part).decode_utf8().is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_utf8_forms_are_read() {
        assert!(is_utf8_form(b"name=%E6%8A%B9%E8%8C%B6&language=ja"));
        assert!(is_utf8_form("name=抹茶+缶&x=".as_bytes()));
        assert!(is_utf8_form(b""));
        assert!(!is_utf8_form(b"name=Car%FFgo"));
        assert!(!is_utf8_form(b"name=Car\xC3go"));
        assert!(!is_utf8_form(b"%C3=x"));
    }
}
