//! Sending an answer with the injected fault applied: a delay, a dropped connection, or a body
//! cut in half after a full `Content-Length`.

use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::header::CONTENT_LENGTH;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use hyper::body::Frame;

use crate::dropped_connections::ConnectionControl;
use crate::faults::{FaultKind, FaultPlan};

/// A body that yields a prefix, then fails, so the connection is cut short.
struct CutBody {
    prefix: Option<Bytes>,
}

impl hyper::body::Body for CutBody {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        match self.prefix.take() {
            Some(prefix) => Poll::Ready(Some(Ok(Frame::data(prefix)))),
            None => Poll::Ready(Some(Err(std::io::Error::new(
                std::io::ErrorKind::ConnectionAborted,
                "sandbox fault: truncated body",
            )))),
        }
    }
}

/// Builds the response, applying `plan` (delay first, then drop or truncation).
pub(crate) async fn deliver(
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
    plan: FaultPlan,
    connection: Option<ConnectionControl>,
) -> Response {
    if plan.delay_ms > 0 {
        tokio::time::sleep(Duration::from_millis(plan.delay_ms)).await;
    }
    match plan.kind {
        Some(FaultKind::DropConnection) => {
            if let Some(connection) = connection {
                connection.drop_connection();
                std::future::pending::<()>().await;
            }
            let mut response = Response::new(Body::new(CutBody {
                prefix: Some(Bytes::new()),
            }));
            *response.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
            response
        }
        Some(FaultKind::TruncateBody) if status.is_success() && !body.is_empty() => {
            let cut = (body.len() / 2).max(1).min(body.len());
            let mut response = Response::new(Body::new(CutBody {
                prefix: Some(body.slice(..cut)),
            }));
            *response.status_mut() = status;
            *response.headers_mut() = headers;
            response
                .headers_mut()
                .insert(CONTENT_LENGTH, HeaderValue::from(body.len()));
            response
        }
        _ => {
            let mut response = Response::new(Body::from(body));
            *response.status_mut() = status;
            *response.headers_mut() = headers;
            response
        }
    }
}
