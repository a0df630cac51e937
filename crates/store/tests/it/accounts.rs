//! Accounts: users, sessions, API keys and failed sign-ins, on both engines.

use jiff::{SignedDuration, Timestamp};
use sellerlink_domain::connection::Language;
use sellerlink_domain::ids::MerchantId;
use sellerlink_store::{
    ApiKeyId, ApiKeyName, ApiKeyRecord, ApiKeyScopes, Email, PasswordHash, Role, Session,
    StoreError, ThrottleKey, TokenHash, User, UserId,
};

use crate::fixtures::{add_merchant, at};
use crate::harness::Db;

const PHC: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaA";

fn user(email: &str, role: Role) -> User {
    User {
        id: UserId::new(),
        email: Email::parse(email).unwrap(),
        password_hash: PasswordHash::parse(PHC).unwrap(),
        role,
        language: Language::Ja,
        created_at: at("2026-02-01T00:00:00.123Z"),
        disabled: false,
    }
}

fn digest(n: u8) -> TokenHash {
    TokenHash::from_digest([n; 32])
}

fn session(id: u8, user: UserId, now: Timestamp) -> Session {
    Session {
        id: digest(id),
        user_id: user,
        csrf_token: format!("csrf-{id}"),
        created_at: now,
        expires_at: now + SignedDuration::from_hours(12),
        last_seen: now,
    }
}

async fn users_round_trip_and_emails_are_unique(db: Db) {
    let store = &db.store;
    let merchant = add_merchant(store, "Acme").await;
    let operator = user("ops@3pl.example", Role::Operator);
    let mut merchant_user = user("Owner@Acme.example", Role::Merchant(merchant.id));
    merchant_user.language = Language::En;
    store.insert_user(&operator).await.unwrap();
    store.insert_user(&merchant_user).await.unwrap();

    assert_eq!(store.user(operator.id).await.unwrap(), operator);
    let found = store
        .user_by_email(&Email::parse("owner@acme.example").unwrap())
        .await
        .unwrap();
    assert_eq!(found, Some(merchant_user.clone()));
    assert_eq!(store.users(None).await.unwrap().len(), 2);
    assert_eq!(
        store.users(Some(merchant.id)).await.unwrap(),
        vec![merchant_user.clone()]
    );

    let copy = user("OWNER@acme.example", Role::Operator);
    match store.insert_user(&copy).await {
        Err(StoreError::Duplicate {
            what: "user",
            detail,
        }) => assert!(detail.contains("owner@acme.example")),
        other => panic!("expected Duplicate, got {other:?}"),
    }
    let orphan = user("orphan@x.example", Role::Merchant(MerchantId::new()));
    assert!(matches!(
        store.insert_user(&orphan).await,
        Err(StoreError::NotFound {
            what: "merchant",
            ..
        })
    ));

    store
        .set_user_language(operator.id, Language::En)
        .await
        .unwrap();
    assert_eq!(
        store.user(operator.id).await.unwrap().language,
        Language::En
    );
    assert!(matches!(
        store.set_user_language(UserId::new(), Language::En).await,
        Err(StoreError::NotFound { what: "user", .. })
    ));
}

async fn sessions_live_until_they_expire_or_the_user_is_disabled(db: Db) {
    let store = &db.store;
    let operator = user("ops@3pl.example", Role::Operator);
    store.insert_user(&operator).await.unwrap();
    let now = at("2026-03-01T00:00:00Z");
    let first = session(1, operator.id, now);
    store.insert_session(&first).await.unwrap();

    let live = store
        .live_session(&first.id, now)
        .await
        .unwrap()
        .expect("live");
    assert_eq!(live.session, first);
    assert_eq!(live.user, operator);
    assert!(store.live_session(&digest(9), now).await.unwrap().is_none());
    let after_end = first.expires_at;
    assert!(
        store
            .live_session(&first.id, after_end)
            .await
            .unwrap()
            .is_none()
    );

    let later = now + SignedDuration::from_hours(1);
    assert!(
        store
            .touch_session(&first.id, later, later + SignedDuration::from_hours(12))
            .await
            .unwrap()
    );
    let touched = store
        .live_session(&first.id, after_end)
        .await
        .unwrap()
        .expect("extended");
    assert_eq!(touched.session.last_seen, later);

    store
        .insert_session(&session(2, operator.id, now))
        .await
        .unwrap();
    store.set_user_disabled(operator.id, true).await.unwrap();
    assert!(store.live_session(&first.id, now).await.unwrap().is_none());
    assert!(store.live_session(&digest(2), now).await.unwrap().is_none());
    store.set_user_disabled(operator.id, false).await.unwrap();
    assert!(
        store.live_session(&first.id, now).await.unwrap().is_none(),
        "disabling ended the sessions for good"
    );

    store
        .insert_session(&session(3, operator.id, now))
        .await
        .unwrap();
    assert!(store.delete_session(&digest(3)).await.unwrap());
    assert!(!store.delete_session(&digest(3)).await.unwrap());

    store
        .insert_session(&session(4, operator.id, now))
        .await
        .unwrap();
    store
        .insert_session(&session(
            5,
            operator.id,
            now - SignedDuration::from_hours(24),
        ))
        .await
        .unwrap();
    assert_eq!(store.delete_expired_sessions(now).await.unwrap(), 1);
    assert_eq!(store.delete_user_sessions(operator.id).await.unwrap(), 1);

    let stranger = session(6, UserId::new(), now);
    assert!(matches!(
        store.insert_session(&stranger).await,
        Err(StoreError::NotFound { what: "user", .. })
    ));
}

async fn a_new_password_ends_every_session(db: Db) {
    let store = &db.store;
    let operator = user("ops@3pl.example", Role::Operator);
    store.insert_user(&operator).await.unwrap();
    let now = at("2026-03-01T00:00:00Z");
    store
        .insert_session(&session(1, operator.id, now))
        .await
        .unwrap();
    let other =
        PasswordHash::parse("$argon2id$v=19$m=8,t=1,p=1$b3RoZXJzYWx0$b3RoZXJoYXNo").unwrap();
    store.set_user_password(operator.id, &other).await.unwrap();
    assert_eq!(store.user(operator.id).await.unwrap().password_hash, other);
    assert!(store.live_session(&digest(1), now).await.unwrap().is_none());
}

async fn api_keys_are_found_by_hash_listed_per_merchant_and_revoked_once(db: Db) {
    let store = &db.store;
    let acme = add_merchant(store, "Acme").await;
    let other = add_merchant(store, "Other").await;
    let key = ApiKeyRecord {
        id: ApiKeyId::new(),
        merchant_id: acme.id,
        name: ApiKeyName::parse("WMS import").unwrap(),
        prefix: "sl_AbCdE".to_owned(),
        hash: digest(7),
        scopes: ApiKeyScopes::parse(["orders:read", "stock:write"]).unwrap(),
        created_at: at("2026-03-01T00:00:00Z"),
        revoked_at: None,
        last_used: None,
    };
    store.insert_api_key(&key).await.unwrap();
    assert_eq!(
        store.api_key_by_hash(&digest(7)).await.unwrap(),
        Some(key.clone())
    );
    assert_eq!(store.api_key_by_hash(&digest(8)).await.unwrap(), None);
    assert_eq!(store.api_keys(acme.id).await.unwrap(), vec![key.clone()]);
    assert!(store.api_keys(other.id).await.unwrap().is_empty());

    let used = at("2026-03-02T00:00:00Z");
    store.touch_api_key(key.id, used).await.unwrap();
    assert_eq!(
        store
            .api_key_by_hash(&digest(7))
            .await
            .unwrap()
            .unwrap()
            .last_used,
        Some(used)
    );

    assert!(matches!(
        store.revoke_api_key(other.id, key.id, used).await,
        Err(StoreError::NotFound {
            what: "API key",
            ..
        })
    ));
    let revoked = store.revoke_api_key(acme.id, key.id, used).await.unwrap();
    assert_eq!(revoked.revoked_at, Some(used));
    let again = store
        .revoke_api_key(acme.id, key.id, used + SignedDuration::from_hours(1))
        .await
        .unwrap();
    assert_eq!(
        again.revoked_at,
        Some(used),
        "the first revocation time stays"
    );

    let twin = ApiKeyRecord {
        id: ApiKeyId::new(),
        ..key.clone()
    };
    assert!(matches!(
        store.insert_api_key(&twin).await,
        Err(StoreError::Duplicate {
            what: "API key",
            ..
        })
    ));
    let orphan = ApiKeyRecord {
        id: ApiKeyId::new(),
        merchant_id: MerchantId::new(),
        hash: digest(9),
        ..key
    };
    assert!(matches!(
        store.insert_api_key(&orphan).await,
        Err(StoreError::NotFound {
            what: "merchant",
            ..
        })
    ));
}

async fn login_failures_are_counted_per_key_within_a_window(db: Db) {
    let store = &db.store;
    let login = ThrottleKey::login("Ops@3pl.example");
    let ip = ThrottleKey::ip("192.0.2.1".parse().unwrap());
    let start = at("2026-03-01T00:00:00Z");
    for minute in 0..5 {
        store
            .record_login_failure(
                &[login.clone(), ip.clone()],
                start + SignedDuration::from_mins(minute),
            )
            .await
            .unwrap();
    }
    assert_eq!(store.login_failures_since(&login, start).await.unwrap(), 5);
    assert_eq!(store.login_failures_since(&ip, start).await.unwrap(), 5);
    let later = start + SignedDuration::from_mins(3);
    assert_eq!(store.login_failures_since(&login, later).await.unwrap(), 2);
    assert_eq!(
        store
            .login_failures_since(&ThrottleKey::login("ops@3pl.example"), start)
            .await
            .unwrap(),
        5,
        "spellings of one login share a counter"
    );

    store.clear_login_failures(&login).await.unwrap();
    assert_eq!(store.login_failures_since(&login, start).await.unwrap(), 0);
    assert_eq!(store.login_failures_since(&ip, start).await.unwrap(), 5);
    assert_eq!(store.prune_login_failures(later).await.unwrap(), 3);
    assert_eq!(store.login_failures_since(&ip, start).await.unwrap(), 2);
}

async fn keys_stored_before_scopes_existed_get_every_scope(db: Db) {
    let store = &db.store;
    let acme = add_merchant(store, "Acme").await;
    // A row as written before migration 0900 (no `scopes` column in the INSERT).
    db.execute(&format!(
        "INSERT INTO api_keys (id, merchant_id, name, prefix, hash, created_at_ms) \
         VALUES ('{}', '{}', 'Old key', 'sl_OlDkE', '{}', 1772323200000)",
        ApiKeyId::new(),
        acme.id,
        digest(5).to_hex()
    ))
    .await;
    let old = store.api_key_by_hash(&digest(5)).await.unwrap().unwrap();
    assert_eq!(old.scopes, ApiKeyScopes::all());
}

on_both_engines!(
    keys_stored_before_scopes_existed_get_every_scope,
    users_round_trip_and_emails_are_unique,
    sessions_live_until_they_expire_or_the_user_is_disabled,
    a_new_password_ends_every_session,
    api_keys_are_found_by_hash_listed_per_merchant_and_revoked_once,
    login_failures_are_counted_per_key_within_a_window,
);
