use super::*;

fn forbidden(details: &str) -> SpApiError {
    let body = serde_json::json!({"errors": [{
        "code": "Unauthorized",
        "message": "Access to requested resource is denied.",
        "details": details,
    }]});
    SpApiError::from_response(
        Operation::SearchOrders,
        403,
        ResponseMeta {
            request_id: Some("b1a3c9e2-7f1d-4c55-9d0e-5a8f2c6e1b40".to_owned()),
            retry_after: None,
        },
        body.to_string().as_bytes(),
    )
}

#[test]
fn forbidden_details_tell_the_cases_apart() {
    assert_eq!(
        forbidden("The LWA secret token you provided has expired.").kind(),
        &ErrorKind::AppCredentialsRejected
    );
    assert_eq!(
        forbidden("The access token you provided is revoked, malformed or invalid.").kind(),
        &ErrorKind::AuthorizationLost
    );
    assert_eq!(
        forbidden("The access token you provided has expired.").kind(),
        &ErrorKind::TokenExpired
    );
    assert_eq!(
        forbidden("").kind(),
        &ErrorKind::AccessDenied {
            details: "Access to requested resource is denied.".to_owned()
        }
    );
    assert_eq!(
        forbidden("Access token is missing in the request header.").kind(),
        &ErrorKind::AccessDenied {
            details: "Access token is missing in the request header.".to_owned()
        }
    );
}

#[test]
fn statuses_classify() {
    let classify = |status| {
        SpApiError::from_response(Operation::GetOrder, status, ResponseMeta::default(), b"")
            .kind()
            .clone()
    };
    assert_eq!(classify(400), ErrorKind::InvalidInput);
    assert_eq!(classify(404), ErrorKind::NotFound);
    assert_eq!(classify(415), ErrorKind::InvalidInput);
    assert_eq!(classify(429), ErrorKind::Throttled { retry_after: None });
    assert_eq!(classify(500), ErrorKind::Server);
    assert_eq!(classify(503), ErrorKind::Server);
    assert!(
        SpApiError::from_response(Operation::GetOrder, 503, ResponseMeta::default(), b"")
            .is_retryable()
    );
    assert!(
        !SpApiError::from_response(Operation::GetOrder, 400, ResponseMeta::default(), b"")
            .is_retryable()
    );
}

#[test]
fn the_message_carries_amazons_words_and_the_next_step() {
    let error = forbidden("The access token you provided is revoked, malformed or invalid.")
        .for_seller(&SellingPartnerId::parse("A2SLNK0EXAMPL3").unwrap());
    let text = error.to_string();
    assert!(
        text.starts_with("SP-API searchOrders for seller A2SLNK0EXAMPL3 failed:"),
        "{text}"
    );
    assert!(text.contains("HTTP 403, request id b1a3c9e2"), "{text}");
    assert!(
        text.contains("Unauthorized — Access to requested resource is denied."),
        "{text}"
    );
    assert!(text.contains("re-authorize"), "{text}");
    assert_eq!(error.code(), Some("Unauthorized"));
    assert_eq!(
        error.request_id(),
        Some("b1a3c9e2-7f1d-4c55-9d0e-5a8f2c6e1b40")
    );
}

#[test]
fn lwa_failures_map_to_who_must_act() {
    use crate::lwa::GrantType;
    let lwa = |status, body: &str| {
        SpApiError::from_lwa(
            Operation::GetOrder,
            LwaError::from_response(GrantType::RefreshToken, status, body.as_bytes()),
        )
    };
    assert_eq!(
        lwa(
            400,
            r#"{"error":"invalid_grant","error_description":"revoked"}"#
        )
        .kind(),
        &ErrorKind::AuthorizationLost
    );
    assert_eq!(
        lwa(
            401,
            r#"{"error":"invalid_client","error_description":"Client authentication failed"}"#
        )
        .kind(),
        &ErrorKind::AppCredentialsRejected
    );
    assert_eq!(
        lwa(503, r#"{"error":"temporarily_unavailable"}"#).kind(),
        &ErrorKind::Server
    );
    assert_eq!(
        lwa(400, r#"{"error":"invalid_request"}"#).kind(),
        &ErrorKind::InvalidInput
    );
    let error = lwa(400, r#"{"error":"invalid_grant"}"#);
    assert!(error.lwa_error().is_some());
    assert!(error.to_string().contains("must re-authorize"), "{error}");
}
