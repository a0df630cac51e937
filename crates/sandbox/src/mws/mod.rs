//! The MWS API: Orders 2013-09-01, Sellers 2011-07-01 and Feeds 2009-01-01.
//!
//! One handler per section path takes GET and POST, reads parameters from the query string and
//! the form body (SubmitFeed: query only, body = feed) and checks the request in Amazon's order:
//! Action, Version, AWSAccessKeyId, Signature V2, Timestamp/Expires (±15 minutes of the sandbox
//! clock), SellerId/Merchant, MWSAuthToken → an active grant of that seller to that developer;
//! then faults, throttling and the operation. Every answer carries `x-mws-request-id` and
//! `x-mws-timestamp`; errors are `ErrorResponse` documents (see [`errors`]).

pub mod call;
pub mod errors;
pub mod feeds;
pub mod next_token;
pub mod orders;
pub mod params;
pub mod render;
pub mod section;
pub mod sellers;
pub mod signature;

use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::header::{CONTENT_LENGTH, CONTENT_TYPE, HOST, USER_AGENT};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use hyper::body::Frame;
use jiff::Timestamp;

use crate::AppState;
use crate::dropped_connections::ConnectionControl;
use crate::faults::{FaultKind, FaultPlan};
use crate::mws::call::{Call, Reply};
use crate::mws::errors::MwsErrorAnswer;
use crate::mws::params::Params;
use crate::mws::section::Section;
use crate::mws::signature::SignatureMethod;
use crate::request_log::LogEntry;
use crate::throttle::{Decision, QuotaHeaders};
use crate::timefmt::{from_ms, millis_z};
use crate::world::{AccessDenial, World, lock};

/// The largest request body accepted (feeds should stay under 10 MiB).
pub const BODY_LIMIT: usize = 32 * 1024 * 1024;
/// The allowed distance between a request's Timestamp and the sandbox clock.
pub const TIMESTAMP_WINDOW_MS: i64 = 15 * 60 * 1000;

/// The MWS routes: the three section paths and `/` (legacy Feeds clients; a bare GET is a ping).
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/Orders/2013-09-01", any(orders))
        .route("/Sellers/2011-07-01", any(sellers))
        .route("/Feeds/2009-01-01", any(feeds_section))
        .route("/", any(root))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
}

async fn orders(State(state): State<AppState>, request: Request) -> Response {
    handle(state, Section::Orders, request).await
}

async fn sellers(State(state): State<AppState>, request: Request) -> Response {
    handle(state, Section::Sellers, request).await
}

async fn feeds_section(State(state): State<AppState>, request: Request) -> Response {
    handle(state, Section::Feeds, request).await
}

async fn root(State(state): State<AppState>, request: Request) -> Response {
    let bare = request.uri().query().is_none_or(str::is_empty)
        && request.method() == Method::GET
        && request
            .headers()
            .get(CONTENT_LENGTH)
            .is_none_or(|v| v == "0");
    if bare {
        let now = lock(&state.world).now();
        let body = format!(
            "<?xml version=\"1.0\"?>\n<PingResponse><Timestamp timestamp=\"{}\"/></PingResponse>",
            millis_z(now)
        );
        return ([(CONTENT_TYPE, "text/xml")], body).into_response();
    }
    handle(state, Section::Feeds, request).await
}

/// Answers a request to an unknown `/{Section}/{YYYY-MM-DD}` path with 404 InvalidAddress; `None`
/// for paths of another shape.
pub fn invalid_address(path: &str) -> Option<Response> {
    let trimmed = path.trim_matches('/');
    let (section, version) = trimmed.split_once('/')?;
    let date_like = version.len() == 10
        && version.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if section.is_empty() || !section.bytes().all(|b| b.is_ascii_alphanumeric()) || !date_like {
        return None;
    }
    let request_id = uuid::Uuid::new_v4().to_string();
    let error = MwsErrorAnswer::invalid_address(trimmed);
    let body = error.to_xml_with(
        "http://mws.amazonservices.com/doc/2009-01-01/",
        "RequestID",
        &request_id,
    );
    let mut response = (error.status, body).into_response();
    set_common_headers(
        response.headers_mut(),
        &request_id,
        Timestamp::now(),
        "text/xml",
    );
    Some(response)
}

/// The result of the synchronous part of a request.
struct Prepared {
    status: StatusCode,
    body: String,
    headers: HeaderMap,
    plan: FaultPlan,
}

async fn handle(state: AppState, section: Section, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let connection = parts.extensions.get::<ConnectionControl>().cloned();
    let bytes = match axum::body::to_bytes(body, BODY_LIMIT).await {
        Ok(bytes) => bytes,
        Err(_) => {
            let error = MwsErrorAnswer::bad_request(
                "InputStreamDisconnected",
                "The request body could not be read completely.",
            );
            let request_id = uuid::Uuid::new_v4().to_string();
            let mut response = (error.status, error.to_xml(section, &request_id)).into_response();
            set_common_headers(
                response.headers_mut(),
                &request_id,
                Timestamp::now(),
                "text/xml",
            );
            return response;
        }
    };
    let prepared = {
        let mut world = lock(&state.world);
        prepare(&mut world, section, &parts, &bytes)
    };
    finish(prepared, connection).await
}

fn set_common_headers(
    headers: &mut HeaderMap,
    request_id: &str,
    now: Timestamp,
    content_type: &'static str,
) {
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(request_id) {
        headers.insert(HeaderName::from_static("x-mws-request-id"), v);
    }
    if let Ok(v) = HeaderValue::from_str(&millis_z(now)) {
        headers.insert(HeaderName::from_static("x-mws-timestamp"), v);
    }
}

fn set_quota_headers(headers: &mut HeaderMap, quota: QuotaHeaders) {
    let pairs = [
        ("x-mws-quota-max", format!("{}.0", quota.max)),
        ("x-mws-quota-remaining", format!("{}.0", quota.remaining)),
        (
            "x-mws-quota-resetson",
            millis_z(from_ms(quota.resets_on_ms)),
        ),
    ];
    for (name, value) in pairs {
        if let Ok(v) = HeaderValue::from_str(&value) {
            headers.insert(HeaderName::from_static(name), v);
        }
    }
}

/// What the pipeline learned besides the answer.
#[derive(Default)]
struct Notes {
    operation: Option<&'static str>,
    quota: Option<QuotaHeaders>,
    plan: FaultPlan,
}

fn prepare(world: &mut World, section: Section, parts: &Parts, body: &Bytes) -> Prepared {
    let started = Instant::now();
    world.settle();
    let now = world.now();
    let request_id = uuid::Uuid::new_v4().to_string();

    let mut params = Params::default();
    if let Some(query) = parts.uri.query() {
        params.extend_from_urlencoded(query.as_bytes());
    }
    let submit_feed = params.get("Action") == Some("SubmitFeed");
    let form_body = parts
        .headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|ct| {
            ct.to_ascii_lowercase()
                .starts_with("application/x-www-form-urlencoded")
        });
    if !submit_feed && form_body && !body.is_empty() {
        params.extend_from_urlencoded(body);
    }

    let mut notes = Notes::default();
    let result = pipeline(
        world,
        section,
        parts,
        body,
        &params,
        now,
        &request_id,
        &mut notes,
    );

    let mut headers = HeaderMap::new();
    let (status, text, error_code, content_type) = match result {
        Ok(reply) => {
            if let Some(md5) = reply
                .content_md5
                .as_deref()
                .and_then(|m| HeaderValue::from_str(m).ok())
            {
                headers.insert(HeaderName::from_static("content-md5"), md5);
            }
            (StatusCode::OK, reply.body, None, reply.content_type)
        }
        Err(error) => (
            error.status,
            error.to_xml(section, &request_id),
            Some(error.code),
            "text/xml",
        ),
    };
    set_common_headers(&mut headers, &request_id, now, content_type);
    if let Some(quota) = notes.quota {
        set_quota_headers(&mut headers, quota);
    }
    let dropped = notes.plan.kind == Some(FaultKind::DropConnection);
    let seller_id = params
        .get("SellerId")
        .or_else(|| params.get("Merchant"))
        .map(str::to_owned);
    world.log.push(LogEntry {
        seq: 0,
        at: now.to_string(),
        method: parts.method.to_string(),
        path: parts.uri.path().to_owned(),
        operation: notes.operation.map(|op| format!("{}.{op}", section.name())),
        seller_id,
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
        body: text,
        headers,
        plan: notes.plan,
    }
}

fn check_time(params: &Params, now: Timestamp) -> Result<(), MwsErrorAnswer> {
    let now_ms = now.as_millisecond();
    match (params.get("Timestamp"), params.get("Expires")) {
        (Some(_), Some(_)) => Err(MwsErrorAnswer::invalid(
            "Timestamp and Expires cannot both be given.",
        )),
        (None, None) => Err(MwsErrorAnswer::missing("Timestamp")),
        (Some(text), None) => {
            let ts = crate::timefmt::parse(text).ok_or_else(|| {
                MwsErrorAnswer::invalid(format!(
                    "Timestamp {text} is not a valid ISO 8601 date-time."
                ))
            })?;
            let ts_ms = ts.as_millisecond();
            if ts_ms < now_ms - TIMESTAMP_WINDOW_MS {
                Err(MwsErrorAnswer::expired(format!(
                    "Request signature is too far in the past and has expired. Timestamp date: {text}"
                )))
            } else if ts_ms > now_ms + TIMESTAMP_WINDOW_MS {
                Err(MwsErrorAnswer::expired(format!(
                    "Request timestamp is more than 15 minutes in the future. Timestamp date: {text}"
                )))
            } else {
                Ok(())
            }
        }
        (None, Some(text)) => {
            let expires = crate::timefmt::parse(text).ok_or_else(|| {
                MwsErrorAnswer::invalid(format!(
                    "Expires {text} is not a valid ISO 8601 date-time."
                ))
            })?;
            if expires.as_millisecond() < now_ms {
                Err(MwsErrorAnswer::expired(format!(
                    "Request has expired. Expires date is {text}"
                )))
            } else {
                Ok(())
            }
        }
    }
}

fn denial(reason: AccessDenial, section: Section, operation: &str) -> MwsErrorAnswer {
    match reason {
        AccessDenial::MissingToken => MwsErrorAnswer::access_denied(
            "Missing required MWSAuthToken for Seller.",
            reason.detail(),
        ),
        _ => MwsErrorAnswer::access_denied(
            format!("Access to {}.{operation} is denied", section.name()),
            reason.detail(),
        ),
    }
}

#[expect(
    clippy::too_many_arguments,
    reason = "the pipeline threads the whole request through one function in check order"
)]
fn pipeline(
    world: &mut World,
    section: Section,
    parts: &Parts,
    body: &Bytes,
    params: &Params,
    now: Timestamp,
    request_id: &str,
    notes: &mut Notes,
) -> Result<Reply, MwsErrorAnswer> {
    if parts.method != Method::GET && parts.method != Method::POST {
        return Err(MwsErrorAnswer::invalid(format!(
            "HTTP method {} is not supported; use GET or POST.",
            parts.method
        )));
    }
    if let Some(agent) = parts.headers.get(USER_AGENT)
        && (agent.len() > 500 || agent.to_str().is_err())
    {
        return Err(MwsErrorAnswer::bad_request(
            "UserAgentHeaderMalformed",
            "Problem with required MWS User-Agent header (e.g. \"MyAppName/build123 (Language=Java/1.2)\"): it must be at most 500 printable characters.",
        ));
    }
    let action = params
        .non_empty("Action")
        .ok_or_else(|| MwsErrorAnswer::missing("Action"))?;
    let operation = section
        .operation(action)
        .ok_or_else(|| MwsErrorAnswer::invalid_action(action, section))?;
    notes.operation = Some(operation);
    match params.non_empty("Version") {
        None => return Err(MwsErrorAnswer::missing("Version")),
        Some(v) if v != section.version() => {
            return Err(MwsErrorAnswer::invalid(format!(
                "Version {v} is invalid for {}; expected {}.",
                section.name(),
                section.version()
            )));
        }
        Some(_) => {}
    }
    let access_key = params
        .non_empty("AWSAccessKeyId")
        .ok_or_else(|| MwsErrorAnswer::missing("AWSAccessKeyId"))?;
    let developer = world
        .developer_by_access_key(access_key)
        .cloned()
        .ok_or_else(MwsErrorAnswer::invalid_access_key)?;

    match params.get("SignatureVersion") {
        Some("2") => {}
        Some(other) => {
            return Err(MwsErrorAnswer::invalid(format!(
                "SignatureVersion {other} is not supported; use 2."
            )));
        }
        None => return Err(MwsErrorAnswer::missing("SignatureVersion")),
    }
    let method = params
        .get("SignatureMethod")
        .ok_or_else(|| MwsErrorAnswer::missing("SignatureMethod"))?;
    let method = SignatureMethod::parse(method).ok_or_else(|| {
        MwsErrorAnswer::invalid(format!(
            "SignatureMethod {method} is not supported; use HmacSHA256 or HmacSHA1."
        ))
    })?;
    let signature = params
        .non_empty("Signature")
        .ok_or_else(|| MwsErrorAnswer::missing("Signature"))?;
    let host = parts
        .headers
        .get(HOST)
        .and_then(|h| h.to_str().ok())
        .map(str::to_owned)
        .or_else(|| parts.uri.authority().map(|a| a.as_str().to_owned()))
        .unwrap_or_default();
    let canonical =
        signature::canonical_query(params.pairs().iter().map(|(k, v)| (k.as_str(), v.as_str())));
    if !signature::verify(
        &developer.secret_key,
        method,
        parts.method.as_str(),
        &host,
        parts.uri.path(),
        &canonical,
        signature,
    ) {
        return Err(MwsErrorAnswer::signature_mismatch());
    }
    check_time(params, now)?;

    let seller_id = match section {
        Section::Feeds => params
            .non_empty("SellerId")
            .or_else(|| params.non_empty("Merchant")),
        _ => params.non_empty("SellerId"),
    }
    .ok_or_else(|| {
        MwsErrorAnswer::missing(if section == Section::Feeds {
            "SellerId or Merchant"
        } else {
            "SellerId"
        })
    })?;
    let seller = world
        .seller(seller_id)
        .cloned()
        .ok_or_else(|| MwsErrorAnswer::invalid(format!("Invalid seller id: {seller_id}")))?;
    world
        .check_access(
            seller_id,
            &developer.developer_id,
            params.get("MWSAuthToken"),
        )
        .map_err(|reason| denial(reason, section, operation))?;

    let (seed, number) = (world.seed, world.next_request_number());
    notes.plan = world
        .faults
        .plan(operation, section.is_read_only(operation), seed, number);
    match notes.plan.kind {
        Some(FaultKind::InternalError) => return Err(MwsErrorAnswer::internal()),
        Some(FaultKind::ServiceUnavailable) => return Err(MwsErrorAnswer::unavailable()),
        Some(FaultKind::DropConnection) => return Err(MwsErrorAnswer::internal()),
        Some(FaultKind::TruncateBody) | None => {}
    }

    if let Some(quota) = crate::throttle::quota(section.name(), operation) {
        let scale = world.throttle_scale;
        match world.throttle.take(
            seller_id,
            &developer.developer_id,
            quota,
            now.as_millisecond(),
            scale,
        ) {
            Decision::Allowed(headers) => notes.quota = headers,
            Decision::Throttled(headers) => {
                notes.quota = headers;
                return Err(MwsErrorAnswer::throttled(section));
            }
            Decision::QuotaExceeded(headers) => {
                notes.quota = Some(headers);
                return Err(MwsErrorAnswer::quota_exceeded(format!(
                    "You exceeded your quota of {}.0 requests per 1 hour for operation {}/{}/{operation}. Your quota will reset on {}",
                    headers.max,
                    section.name(),
                    section.version(),
                    millis_z(from_ms(headers.resets_on_ms))
                )));
            }
        }
    }

    let call = Call {
        section,
        operation,
        params,
        seller,
        developer_id: developer.developer_id.clone(),
        now,
        method: &parts.method,
        headers: &parts.headers,
        body,
        request_id,
    };
    match section {
        Section::Orders => orders::run(world, &call),
        Section::Sellers => sellers::run(&call),
        Section::Feeds => feeds::run(world, &call),
    }
}

/// A body that yields a prefix of the real body, then fails, so the connection is cut short.
struct TruncatedBody {
    prefix: Option<Bytes>,
}

impl hyper::body::Body for TruncatedBody {
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

async fn finish(prepared: Prepared, connection: Option<ConnectionControl>) -> Response {
    let Prepared {
        status,
        body,
        headers,
        plan,
    } = prepared;
    if plan.delay_ms > 0 {
        tokio::time::sleep(Duration::from_millis(plan.delay_ms)).await;
    }
    match plan.kind {
        Some(FaultKind::DropConnection) => {
            if let Some(connection) = connection {
                connection.drop_connection();
                std::future::pending::<()>().await;
            }
            // Without a connection to drop (in-process use), fail the body before any byte.
            let mut response = Response::new(Body::new(TruncatedBody {
                prefix: Some(Bytes::new()),
            }));
            *response.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
            response
        }
        Some(FaultKind::TruncateBody) if status.is_success() => {
            let full = Bytes::from(body);
            let cut = (full.len() / 2).max(1).min(full.len());
            let mut response = Response::new(Body::new(TruncatedBody {
                prefix: Some(full.slice(..cut)),
            }));
            *response.status_mut() = status;
            *response.headers_mut() = headers;
            response
                .headers_mut()
                .insert(CONTENT_LENGTH, HeaderValue::from(full.len()));
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
