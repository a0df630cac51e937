//! Request extractors whose rejections use the API's error envelope.

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use crate::error::{DETAIL_CHARS, HttpError, shorten};

/// A JSON body; a missing or malformed body is a 422 `invalid_json` envelope.
pub(crate) struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = HttpError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(request, state).await {
            Ok(axum::Json(value)) => Ok(Self(value)),
            Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                Err(HttpError::too_large())
            }
            Err(rejection) => Err(HttpError::bad_json(&rejection.body_text())),
        }
    }
}

/// A query string; one that does not fit is a 422 `invalid_input` envelope.
pub(crate) struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = HttpError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(value)) => Ok(Self(value)),
            Err(rejection) => {
                let detail = shorten(&rejection.body_text(), DETAIL_CHARS);
                Err(HttpError::invalid(
                    "query",
                    format!("The query string does not fit: {detail}"),
                    format!("クエリ文字列が正しくありません: {detail}"),
                ))
            }
        }
    }
}
