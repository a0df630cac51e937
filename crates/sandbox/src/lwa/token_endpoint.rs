//! `POST /auth/o2/token`: the LWA token endpoint.
//!
//! Bodies are `application/x-www-form-urlencoded` (what the docs prescribe and the Python
//! libraries send) or `application/json` (what Amazon's Java SDK sends). The client authenticates
//! with `client_id` + `client_secret` body fields or with HTTP Basic (not both). Checks run in
//! this order: body, `grant_type`, required parameters, client authentication, the grant itself.
//! Answers carry `Cache-Control: no-store` and `Pragma: no-cache`.

use std::time::Instant;

use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::header::{AUTHORIZATION, CACHE_CONTROL, CONTENT_TYPE, PRAGMA};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::Response;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use super::errors::LwaErrorAnswer;
use super::registry::{GrantFailure, TokenGrant};
use crate::AppState;
use crate::dropped_connections::ConnectionControl;
use crate::faults::{FaultKind, FaultPlan};
use crate::request_log::LogEntry;
use crate::spapi::delivery;
use crate::world::{World, lock};

/// The fault-rule name of the token endpoint. Only a rule with exactly this name applies (the
/// `*` rule does not), so MWS and SP-API fault tests do not break token exchange by accident.
pub const FAULT_OPERATION: &str = "LwaToken";

/// The scopes of grantless operations.
pub const GRANTLESS_SCOPES: &[&str] = &[
    "sellingpartnerapi::notifications",
    "sellingpartnerapi::migration",
];

/// The parameters the endpoint reads (each may appear once).
const KNOWN: &[&str] = &[
    "grant_type",
    "code",
    "redirect_uri",
    "refresh_token",
    "client_id",
    "client_secret",
    "scope",
];

/// A parsed token request. No `Debug`: it holds secrets.
struct TokenRequest {
    params: Vec<(String, String)>,
    basic: Option<(String, String)>,
}

impl TokenRequest {
    fn get(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    }
}

fn read_params(headers: &HeaderMap, body: &[u8]) -> Result<Vec<(String, String)>, LwaErrorAnswer> {
    let content_type = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let params: Vec<(String, String)> = if content_type.starts_with("application/json") {
        let value: serde_json::Value = serde_json::from_slice(body).map_err(|_| {
            LwaErrorAnswer::invalid_request("The request body is not a valid JSON object")
        })?;
        let object = value.as_object().ok_or_else(|| {
            LwaErrorAnswer::invalid_request("The request body is not a valid JSON object")
        })?;
        object
            .iter()
            .filter_map(|(k, v)| match v {
                serde_json::Value::String(s) => Some((k.clone(), s.clone())),
                serde_json::Value::Number(n) => Some((k.clone(), n.to_string())),
                _ => None,
            })
            .collect()
    } else if content_type.is_empty()
        || content_type.starts_with("application/x-www-form-urlencoded")
    {
        url::form_urlencoded::parse(body)
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect()
    } else {
        return Err(LwaErrorAnswer::invalid_request(
            "The request has an unsupported Content-Type; use application/x-www-form-urlencoded or application/json",
        ));
    };
    for name in KNOWN {
        if params.iter().filter(|(k, _)| k == name).count() > 1 {
            return Err(LwaErrorAnswer::duplicated(name));
        }
    }
    Ok(params)
}

/// HTTP Basic `client_id:client_secret` (each form-urlencoded first, RFC 6749 §2.3.1).
fn read_basic(headers: &HeaderMap) -> Result<Option<(String, String)>, LwaErrorAnswer> {
    let Some(value) = headers.get(AUTHORIZATION) else {
        return Ok(None);
    };
    let text = value.to_str().unwrap_or("");
    let Some(encoded) = text
        .strip_prefix("Basic ")
        .or_else(|| text.strip_prefix("basic "))
    else {
        return Err(LwaErrorAnswer::invalid_client());
    };
    let decoded = STANDARD
        .decode(encoded.trim())
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .ok_or_else(LwaErrorAnswer::invalid_client)?;
    let (id, secret) = decoded
        .split_once(':')
        .ok_or_else(LwaErrorAnswer::invalid_client)?;
    let unescape = |s: &str| {
        url::form_urlencoded::parse(format!("x={s}").as_bytes())
            .next()
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default()
    };
    Ok(Some((unescape(id), unescape(secret))))
}

/// `POST /auth/o2/token`.
pub(crate) async fn token(State(state): State<AppState>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let connection = parts.extensions.get::<ConnectionControl>().cloned();
    let bytes = axum::body::to_bytes(body, 64 * 1024)
        .await
        .unwrap_or_else(|_| Bytes::new());
    let started = Instant::now();
    let request_id = uuid::Uuid::new_v4().to_string();
    let (result, plan) = {
        let mut world = lock(&state.world);
        let now = world.now();
        let plan = fault_plan(&mut world);
        let result = match plan.kind {
            Some(FaultKind::InternalError | FaultKind::DropConnection) => {
                Err(LwaErrorAnswer::server_error())
            }
            Some(FaultKind::ServiceUnavailable) => Err(LwaErrorAnswer::temporarily_unavailable()),
            _ => handle(&mut world, &parts.headers, &bytes),
        };
        let (status, code) = match &result {
            Ok(_) => (StatusCode::OK, None),
            Err(e) => (e.status, Some(e.error.to_owned())),
        };
        world.log.push(LogEntry {
            seq: 0,
            at: now.to_string(),
            method: parts.method.to_string(),
            path: parts.uri.path().to_owned(),
            operation: Some("LWA.token".to_owned()),
            seller_id: None,
            status: if plan.kind == Some(FaultKind::DropConnection) {
                0
            } else {
                status.as_u16()
            },
            error_code: code,
            fault: plan.kind.map(|k| k.as_str().to_owned()),
            duration_ms: started.elapsed().as_secs_f64() * 1000.0,
        });
        (result, plan)
    };
    let (status, body) = match result {
        Ok(grant) => (StatusCode::OK, success_body(&grant)),
        Err(error) => (error.status, error.body()),
    };
    let mut headers = HeaderMap::new();
    headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_static("application/json;charset=UTF-8"),
    );
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(PRAGMA, HeaderValue::from_static("no-cache"));
    if let Ok(v) = HeaderValue::from_str(&request_id) {
        headers.insert(HeaderName::from_static("x-amzn-requestid"), v);
    }
    delivery::deliver(status, headers, Bytes::from(body), plan, connection).await
}

fn fault_plan(world: &mut World) -> FaultPlan {
    if !world.faults.rules().contains_key(FAULT_OPERATION) {
        return FaultPlan::default();
    }
    let (seed, number) = (world.seed, world.next_request_number());
    world.faults.plan(FAULT_OPERATION, false, seed, number)
}

fn handle(
    world: &mut World,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<TokenGrant, LwaErrorAnswer> {
    let request = TokenRequest {
        params: read_params(headers, body)?,
        basic: read_basic(headers)?,
    };
    let grant_type = request
        .get("grant_type")
        .ok_or_else(|| LwaErrorAnswer::missing("grant_type"))?;
    let required: &[&str] = match grant_type {
        "authorization_code" => &["code"],
        "refresh_token" => &["refresh_token"],
        "client_credentials" => &["scope"],
        _ => return Err(LwaErrorAnswer::unsupported_grant_type()),
    };
    for name in required {
        if request.get(name).is_none() {
            return Err(LwaErrorAnswer::missing(name));
        }
    }
    let in_body = (request.get("client_id"), request.get("client_secret"));
    let (client_id, client_secret) = match (&request.basic, in_body) {
        (Some(_), (Some(_), _) | (_, Some(_))) => {
            return Err(LwaErrorAnswer::invalid_request(
                "The request uses more than one method to authenticate the client",
            ));
        }
        (Some((id, secret)), _) => (id.clone(), secret.clone()),
        (None, (None, _)) => return Err(LwaErrorAnswer::missing("client_id")),
        (None, (_, None)) => return Err(LwaErrorAnswer::missing("client_secret")),
        (None, (Some(id), Some(secret))) => (id.to_owned(), secret.to_owned()),
    };
    if grant_type == "client_credentials" && request.get("refresh_token").is_some() {
        return Err(LwaErrorAnswer::invalid_request(
            "The request must not combine refresh_token with scope",
        ));
    }
    let now = world.now();
    let application_id = world
        .lwa
        .authenticate_client(&client_id, &client_secret, now)
        .map_err(|_| LwaErrorAnswer::invalid_client())?
        .application_id
        .clone();
    match grant_type {
        "authorization_code" => world
            .lwa
            .exchange_code(
                &application_id,
                request.get("code").unwrap_or_default(),
                request.get("redirect_uri"),
                now,
            )
            .map_err(grant_error),
        "refresh_token" => world
            .lwa
            .refresh(
                &application_id,
                request.get("refresh_token").unwrap_or_default(),
                now,
            )
            .map_err(grant_error),
        _ => {
            let scope = request.get("scope").unwrap_or_default();
            if !GRANTLESS_SCOPES.contains(&scope) {
                return Err(LwaErrorAnswer::invalid_scope());
            }
            Ok(world.lwa.grantless(&application_id, now))
        }
    }
}

fn grant_error(failure: GrantFailure) -> LwaErrorAnswer {
    match failure {
        GrantFailure::Code => LwaErrorAnswer::invalid_code(),
        GrantFailure::RefreshToken => LwaErrorAnswer::invalid_refresh_token(),
    }
}

/// The success body in the documented field order.
#[derive(serde::Serialize)]
struct Success<'a> {
    access_token: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    refresh_token: Option<&'a str>,
    token_type: &'static str,
    expires_in: i64,
}

fn success_body(grant: &TokenGrant) -> String {
    serde_json::to_string(&Success {
        access_token: &grant.access_token,
        refresh_token: grant.refresh_token.as_deref(),
        token_type: "bearer",
        expires_in: grant.expires_in,
    })
    .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(
            CONTENT_TYPE,
            HeaderValue::from_static("application/x-www-form-urlencoded;charset=UTF-8"),
        );
        headers
    }

    #[test]
    fn form_json_and_duplicates() {
        let params =
            read_params(&form(), b"grant_type=refresh_token&refresh_token=Atzr%7Cx").unwrap();
        assert_eq!(params[1], ("refresh_token".into(), "Atzr|x".into()));
        let mut json = HeaderMap::new();
        json.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        let params =
            read_params(&json, br#"{"grant_type":"refresh_token","n":1,"x":null}"#).unwrap();
        assert_eq!(params.len(), 2);
        assert!(read_params(&json, b"[1]").is_err());
        let err = read_params(&form(), b"code=a&code=b").unwrap_err();
        assert_eq!(
            err.description,
            "The request has a duplicated parameter : code"
        );
        let mut xml = HeaderMap::new();
        xml.insert(CONTENT_TYPE, HeaderValue::from_static("text/xml"));
        assert_eq!(read_params(&xml, b"").unwrap_err().error, "invalid_request");
    }

    #[test]
    fn basic_credentials_are_decoded() {
        let mut headers = HeaderMap::new();
        let encoded = STANDARD.encode("amzn1.application-oa2-client.ab:se%2Bcret");
        headers.insert(
            AUTHORIZATION,
            HeaderValue::from_str(&format!("Basic {encoded}")).unwrap(),
        );
        assert_eq!(
            read_basic(&headers).unwrap(),
            Some(("amzn1.application-oa2-client.ab".into(), "se+cret".into()))
        );
        headers.insert(AUTHORIZATION, HeaderValue::from_static("Bearer x"));
        assert_eq!(read_basic(&headers).unwrap_err().error, "invalid_client");
    }
}
