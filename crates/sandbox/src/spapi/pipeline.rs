//! One SP-API request, checked in Amazon's order: `user-agent` (required, at most 500
//! characters), a write's `content-type` (not `application/json` → 415), `x-amz-access-token` (missing / expired / revoked-malformed-invalid → 403), the
//! token's seller, faults, the token bucket of (app, seller, operation) (→ 429 `QuotaExceeded`),
//! then the operation. Every answer carries `x-amzn-RequestId`; 2xx, 400 and 404 answers that got
//! past the token bucket carry `x-amzn-RateLimit-Limit` (the rate × the sandbox's throttle scale).

use std::time::Instant;

use axum::body::Bytes;
use axum::extract::Request;
use axum::http::header::{CONTENT_TYPE, USER_AGENT};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::Response;
use jiff::Timestamp;

use super::delivery;
use super::errors::SpApiErrorAnswer;
use super::operation::{Operation, rate_header};
use super::params::QueryParams;
use crate::AppState;
use crate::dropped_connections::ConnectionControl;
use crate::faults::{FaultKind, FaultPlan};
use crate::lwa::TokenDenial;
use crate::request_log::LogEntry;
use crate::throttle::Decision;
use crate::world::{SellerAccount, World, lock};

/// The longest `user-agent` Amazon accepts.
pub const MAX_USER_AGENT: usize = 500;

/// Path parameters of the operations.
#[derive(Debug, Clone, Default)]
pub struct PathArgs {
    /// `{orderId}`.
    pub order_id: Option<String>,
    /// `{sellerId}` (Listings).
    pub seller_id: Option<String>,
    /// `{sku}` (Listings), percent-decoded.
    pub sku: Option<String>,
}

/// An authenticated, authorized call.
#[derive(Debug)]
pub struct SpCall<'a> {
    /// The seller the access token speaks for.
    pub seller: SellerAccount,
    /// The calling app.
    pub application_id: String,
    /// Sandbox time of the request.
    pub now: Timestamp,
    /// Query parameters.
    pub query: &'a QueryParams,
    /// Path parameters.
    pub path: &'a PathArgs,
    /// The raw body.
    pub body: &'a [u8],
}

/// A successful operation's answer.
#[derive(Debug)]
pub struct Reply {
    /// 200, 204, …
    pub status: StatusCode,
    /// JSON text; `None` for 204.
    pub body: Option<String>,
}

impl Reply {
    /// 200 with a JSON body.
    pub fn ok(value: &impl serde::Serialize) -> Self {
        Self {
            status: StatusCode::OK,
            body: Some(serde_json::to_string(value).unwrap_or_default()),
        }
    }

    /// 204 without a body.
    pub fn no_content() -> Self {
        Self {
            status: StatusCode::NO_CONTENT,
            body: None,
        }
    }
}

struct Prepared {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
    plan: FaultPlan,
}

#[derive(Default)]
struct Notes {
    seller_id: Option<String>,
    rate: Option<f64>,
    plan: FaultPlan,
}

/// Runs one request of `operation`.
pub(crate) async fn handle(
    state: AppState,
    operation: Operation,
    path: PathArgs,
    request: Request,
) -> Response {
    let (parts, body) = request.into_parts();
    let connection = parts.extensions.get::<ConnectionControl>().cloned();
    let bytes = axum::body::to_bytes(body, super::BODY_LIMIT).await.ok();
    let prepared = {
        let mut world = lock(&state.world);
        prepare(&mut world, operation, &parts, bytes.as_deref(), &path)
    };
    delivery::deliver(
        prepared.status,
        prepared.headers,
        prepared.body,
        prepared.plan,
        connection,
    )
    .await
}

fn prepare(
    world: &mut World,
    operation: Operation,
    parts: &Parts,
    body: Option<&[u8]>,
    path: &PathArgs,
) -> Prepared {
    let started = Instant::now();
    world.settle();
    let now = world.now();
    let request_id = uuid::Uuid::new_v4().to_string();
    let query = QueryParams::parse(parts.uri.query());
    let mut notes = Notes::default();
    let result = match body {
        Some(body) => pipeline(world, operation, parts, body, &query, path, now, &mut notes),
        None => Err(SpApiErrorAnswer::invalid(
            "The request body could not be read or is larger than 1 MiB.",
        )),
    };

    let mut headers = HeaderMap::new();
    if let Ok(v) = HeaderValue::from_str(&request_id) {
        headers.insert(HeaderName::from_static("x-amzn-requestid"), v);
    }
    let (status, text, error_code) = match result {
        Ok(reply) => (reply.status, reply.body, None),
        Err(error) => {
            if let Some(kind) = error.error_type {
                headers.insert(
                    HeaderName::from_static("x-amzn-errortype"),
                    HeaderValue::from_static(kind),
                );
            }
            (error.status, Some(error.body()), Some(error.code))
        }
    };
    if text.is_some() {
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    }
    let limited_status =
        status.is_success() || status == StatusCode::BAD_REQUEST || status == StatusCode::NOT_FOUND;
    if let Some(rate) = notes.rate.filter(|_| limited_status)
        && let Ok(v) = HeaderValue::from_str(&rate_header(rate))
    {
        headers.insert(HeaderName::from_static("x-amzn-ratelimit-limit"), v);
    }
    let dropped = notes.plan.kind == Some(FaultKind::DropConnection);
    world.log.push(LogEntry {
        seq: 0,
        at: now.to_string(),
        method: parts.method.to_string(),
        path: parts.uri.path().to_owned(),
        operation: Some(operation.log_name().to_owned()),
        seller_id: notes.seller_id.clone(),
        status: if dropped { 0 } else { status.as_u16() },
        error_code: if dropped {
            None
        } else {
            error_code.map(str::to_owned)
        },
        fault: notes.plan.kind.map(|k| k.as_str().to_owned()),
        duration_ms: started.elapsed().as_secs_f64() * 1000.0,
    });
    Prepared {
        status,
        headers,
        body: Bytes::from(text.unwrap_or_default()),
        plan: notes.plan,
    }
}

/// Whether the body is declared JSON: `application/json`, parameters such as `charset` allowed.
fn declares_json(headers: &HeaderMap) -> bool {
    headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|media_type| media_type.trim().eq_ignore_ascii_case("application/json"))
}

#[expect(
    clippy::too_many_arguments,
    reason = "the pipeline threads the whole request through one function in check order"
)]
fn pipeline(
    world: &mut World,
    operation: Operation,
    parts: &Parts,
    body: &[u8],
    query: &QueryParams,
    path: &PathArgs,
    now: Timestamp,
    notes: &mut Notes,
) -> Result<Reply, SpApiErrorAnswer> {
    let agent_ok = parts
        .headers
        .get(USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| !v.trim().is_empty() && v.len() <= MAX_USER_AGENT);
    if !agent_ok {
        return Err(SpApiErrorAnswer::invalid(format!(
            "The user-agent header is required and must be at most {MAX_USER_AGENT} characters, e.g. MyApp/1.0 (Language=Rust/1.95; Platform=Linux)."
        )));
    }
    if !operation.is_read_only() && !declares_json(&parts.headers) {
        return Err(SpApiErrorAnswer::unsupported_media_type());
    }
    let token = parts
        .headers
        .get("x-amz-access-token")
        .and_then(|v| v.to_str().ok())
        .map(str::trim);
    let context = world
        .lwa
        .check_access_token(token, now)
        .map_err(|denial| match denial {
            TokenDenial::Missing => SpApiErrorAnswer::missing_token(),
            TokenDenial::Expired => SpApiErrorAnswer::token_expired(),
            TokenDenial::RevokedOrInvalid => SpApiErrorAnswer::token_revoked(),
        })?;
    // A grantless (client-credentials) token has no seller: no operation here accepts it.
    let seller_id = context
        .seller_id
        .ok_or_else(|| SpApiErrorAnswer::unauthorized(""))?;
    notes.seller_id = Some(seller_id.clone());
    let seller = world
        .seller(&seller_id)
        .cloned()
        .ok_or_else(SpApiErrorAnswer::token_revoked)?;

    let (seed, number) = (world.seed, world.next_request_number());
    notes.plan = world
        .faults
        .plan(operation.name(), operation.is_read_only(), seed, number);
    match notes.plan.kind {
        Some(FaultKind::InternalError | FaultKind::DropConnection) => {
            return Err(SpApiErrorAnswer::internal());
        }
        Some(FaultKind::ServiceUnavailable) => return Err(SpApiErrorAnswer::unavailable()),
        Some(FaultKind::TruncateBody) | None => {}
    }

    let scale = world.throttle_scale;
    match world.throttle.take(
        &seller_id,
        &context.application_id,
        operation.quota(),
        now.as_millisecond(),
        scale,
    ) {
        Decision::Allowed(_) => notes.rate = Some(operation.rate() * scale),
        Decision::Throttled(_) | Decision::QuotaExceeded(_) => {
            return Err(SpApiErrorAnswer::quota_exceeded());
        }
    }

    let call = SpCall {
        seller,
        application_id: context.application_id,
        now,
        query,
        path,
        body,
    };
    match operation {
        Operation::GetMarketplaceParticipations => Ok(super::sellers::run(&call)),
        Operation::SearchOrders => super::search_orders::run(world, &call),
        Operation::GetOrder => super::get_order::run(world, &call),
        Operation::ConfirmShipment => super::confirm_shipment::run(world, &call),
        Operation::PatchListingsItem => super::listings::run(world, &call),
    }
}
