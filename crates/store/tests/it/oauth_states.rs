//! OAuth states: taken once, only by their own session, only before they expire; refusals change nothing.

use jiff::SignedDuration;
use sellerlink_domain::ids::{MarketplaceId, MerchantId, SellingPartnerId};
use sellerlink_store::{OAuthState, OAuthStateRefusal, StoreError, TokenHash};

use crate::fixtures::{at, created, merchant};
use crate::harness::Db;

fn hash(byte: u8) -> TokenHash {
    TokenHash::from_digest([byte; 32])
}

fn issued(merchant_id: MerchantId, state: u8, session: u8) -> OAuthState {
    let created_at = at("2026-04-01T00:00:00Z");
    OAuthState {
        state_hash: hash(state),
        session_hash: hash(session),
        merchant_id,
        marketplace_id: MarketplaceId::japan(),
        selling_partner_id: None,
        created_at,
        expires_at: created_at + SignedDuration::from_mins(10),
        used_at: None,
    }
}

async fn a_state_is_taken_once_by_its_own_session_before_it_expires(db: Db) {
    let store = &db.store;
    let takumi = merchant("Takumi");
    store
        .insert_merchant(&takumi, &created(&takumi))
        .await
        .unwrap();
    let mut renewal = issued(takumi.id, 1, 10);
    renewal.selling_partner_id = Some(SellingPartnerId::parse("A2SLNK0EXAMPL3").unwrap());
    store.insert_oauth_state(&renewal).await.unwrap();
    let t5 = at("2026-04-01T00:05:00Z");

    assert_eq!(
        store
            .take_oauth_state(&hash(2), &hash(10), t5)
            .await
            .unwrap(),
        Err(OAuthStateRefusal::Unknown)
    );
    // Another session cannot take it, and trying does not burn it.
    assert_eq!(
        store
            .take_oauth_state(&hash(1), &hash(11), t5)
            .await
            .unwrap(),
        Err(OAuthStateRefusal::OtherSession)
    );
    let taken = store
        .take_oauth_state(&hash(1), &hash(10), t5)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        taken,
        OAuthState {
            used_at: Some(t5),
            ..renewal.clone()
        }
    );
    assert_eq!(
        store
            .take_oauth_state(&hash(1), &hash(10), t5)
            .await
            .unwrap(),
        Err(OAuthStateRefusal::AlreadyUsed),
        "a replay is refused"
    );
    assert_eq!(
        store.oauth_state(&hash(1)).await.unwrap().unwrap().used_at,
        Some(t5)
    );

    // From the expiry instant on, even the right session is refused.
    let first = issued(takumi.id, 3, 10);
    store.insert_oauth_state(&first).await.unwrap();
    assert_eq!(
        store
            .take_oauth_state(&hash(3), &hash(10), first.expires_at)
            .await
            .unwrap(),
        Err(OAuthStateRefusal::Expired)
    );
    assert_eq!(
        store.oauth_state(&hash(3)).await.unwrap().unwrap().used_at,
        None
    );

    // Housekeeping deletes only what expired before the given instant.
    let later = at("2026-04-02T00:00:00Z");
    let fresh = OAuthState {
        state_hash: hash(4),
        created_at: later,
        expires_at: later + SignedDuration::from_mins(10),
        ..first.clone()
    };
    store.insert_oauth_state(&fresh).await.unwrap();
    assert_eq!(
        store
            .delete_oauth_states_expired_before(later)
            .await
            .unwrap(),
        2
    );
    assert_eq!(
        store
            .take_oauth_state(&hash(3), &hash(10), later)
            .await
            .unwrap(),
        Err(OAuthStateRefusal::Unknown)
    );
    assert!(store.oauth_state(&hash(4)).await.unwrap().is_some());
}

async fn bad_states_are_refused_before_they_are_stored(db: Db) {
    let store = &db.store;
    let takumi = merchant("Takumi");
    store
        .insert_merchant(&takumi, &created(&takumi))
        .await
        .unwrap();

    let stranger = issued(MerchantId::new(), 5, 10);
    assert!(matches!(
        store.insert_oauth_state(&stranger).await.unwrap_err(),
        StoreError::NotFound {
            what: "merchant",
            ..
        }
    ));
    let backwards = OAuthState {
        expires_at: at("2026-03-31T23:59:59Z"),
        ..issued(takumi.id, 6, 10)
    };
    assert!(matches!(
        store.insert_oauth_state(&backwards).await.unwrap_err(),
        StoreError::Invalid { .. }
    ));
    let once = issued(takumi.id, 7, 10);
    store.insert_oauth_state(&once).await.unwrap();
    assert!(matches!(
        store.insert_oauth_state(&once).await.unwrap_err(),
        StoreError::Duplicate { .. }
    ));
    assert!(store.oauth_state(&hash(5)).await.unwrap().is_none());
    assert!(store.oauth_state(&hash(6)).await.unwrap().is_none());
}

on_both_engines!(
    a_state_is_taken_once_by_its_own_session_before_it_expires,
    bad_states_are_refused_before_they_are_stored,
);
