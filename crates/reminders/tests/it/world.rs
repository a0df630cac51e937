//! A test world: a store, a manual clock, a real SMTP sink and a real webhook receiver on loopback, a keyring,
//! and a reminders worker wired to all of them; plus merchants, connections, lifecycle actions and channels, and
//! what the sink and the receiver got, read back as deliveries.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use secrecy::{ExposeSecret, SecretString};
use sellerlink_domain::audit::{Actor, AuditAction, AuditEntry};
use sellerlink_domain::clock::{Clock, ManualClock};
use sellerlink_domain::connection::{
    ApiAccount, ConnectedMarketplace, Connection, Language, Merchant, MerchantName,
};
use sellerlink_domain::ids::{
    ConnectionId, DeveloperId, MarketplaceId, MerchantId, SellerId, SellingPartnerId,
};
use sellerlink_domain::lifecycle::{AccessDenial, AccessGrant, RenewalTerm};
use sellerlink_domain::marketplace::Region;
use sellerlink_domain::refusal::RefusalCause;
use sellerlink_notify::{
    EmailTransport, Mailer, RetryPolicy, SmtpSettings, SmtpTls, WebhookSecret, WebhookSender,
};
use sellerlink_reminders::{ChannelTarget, ReminderSettings, Reminders, RunOutcome, Senders};
use sellerlink_secrets::{Keyring, MasterKey, SealContext};
use sellerlink_store::{
    ChannelOwner, DeliveryId, DeliveryQuery, DeliveryRecord, LeaseOwner, NotificationChannel,
    SealedCredential, Store,
};
use sellerlink_testkit::{MailSink, WebhookReceiver};

use crate::harness::Db;

/// How long to wait for something a server should already have.
pub const WAIT: Duration = Duration::from_secs(10);

pub fn date(text: &str) -> Date {
    text.parse().unwrap()
}

fn tokyo() -> TimeZone {
    TimeZone::get("Asia/Tokyo").unwrap()
}

/// `hh:mm` Japan time on `day`.
pub fn jst(day: &str, time: &str) -> Timestamp {
    format!("{day}T{time}:00+09:00[Asia/Tokyo]")
        .parse::<jiff::ZonedDateTime>()
        .unwrap()
        .timestamp()
}

/// The Japan-time date of an instant.
pub fn jst_date(at: Timestamp) -> Date {
    at.to_zoned_datetime(tokyo()).date()
}

/// The test world.
pub struct World {
    pub db: Db,
    pub clock: Arc<ManualClock>,
    pub mail: MailSink,
    pub hooks: WebhookReceiver,
    /// The master key as `REMINDERS_PROBE_MASTER_KEY` takes it.
    pub master_key: SecretString,
    pub keyring: Arc<Keyring>,
    pub reminders: Reminders,
    pub secrets: HashMap<String, WebhookSecret>,
    sellers: u32,
}

impl World {
    /// A world whose clock starts at `start`, with default settings.
    pub async fn new(db: Db, start: Timestamp) -> Self {
        Self::with(db, start, |_| {}).await
    }

    /// A world whose worker settings are adjusted by `adjust`.
    pub async fn with(
        db: Db,
        start: Timestamp,
        adjust: impl FnOnce(&mut ReminderSettings),
    ) -> Self {
        let clock = Arc::new(ManualClock::new(start));
        let mail = MailSink::start().await.unwrap();
        let hooks = WebhookReceiver::start().await.unwrap();
        let key = MasterKey::generate().unwrap();
        let master_key = key.export_base64();
        let keyring = Arc::new(Keyring::new(key, []));
        let mut settings = settings("worker-1");
        adjust(&mut settings);
        let reminders = worker(&db.store, &keyring, &clock, &mail, settings);
        Self {
            db,
            clock,
            mail,
            hooks,
            master_key,
            keyring,
            reminders,
            secrets: HashMap::new(),
            sellers: 0,
        }
    }

    pub fn store(&self) -> &Store {
        &self.db.store
    }

    /// Another worker with its own store pool, as a second process would run.
    pub async fn second_worker(&self, name: &str) -> Reminders {
        let store = self.db.open_again().await;
        worker(
            &store,
            &self.keyring,
            &self.clock,
            &self.mail,
            settings(name),
        )
    }

    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }

    pub fn set(&self, at: Timestamp) {
        self.clock.set(at);
    }

    pub fn advance(&self, by: SignedDuration) {
        self.clock.advance(by);
    }

    /// One pass at the clock's instant.
    pub async fn run(&self) -> RunOutcome {
        self.reminders.run_once(self.now()).await.unwrap()
    }

    pub async fn merchant(&self, name: &str, language: Language) -> Merchant {
        let merchant = Merchant {
            id: MerchantId::new(),
            name: MerchantName::parse(name).unwrap(),
            language,
            created_at: self.now(),
        };
        let audit = audit(merchant.id, None, AuditAction::MerchantCreated, self.now());
        self.store()
            .insert_merchant(&merchant, &audit)
            .await
            .unwrap();
        merchant
    }

    fn next_seller(&mut self) -> String {
        self.sellers += 1;
        format!("A{:013}", self.sellers)
    }

    /// An MWS connection on Amazon.co.jp granted at 10:00 JST on `granted_on`, verified then.
    pub async fn mws(&mut self, merchant: &Merchant, granted_on: &str, expiry: bool) -> Connection {
        let japan = MarketplaceId::japan();
        let granted_at = jst(granted_on, "10:00");
        let account = ApiAccount::Mws {
            seller_id: SellerId::parse(&self.next_seller()).unwrap(),
            developer_id: DeveloperId::parse("5259-6479-4073").unwrap(),
        };
        let grant = AccessGrant::new(
            granted_at,
            japan.marketplace(),
            RenewalTerm::OneYear,
            expiry,
        );
        self.connect(merchant, account, grant, granted_at).await
    }

    /// An SP-API connection (Far East) authorized at 10:00 JST on `granted_on`, 365-day term.
    pub async fn sp_api(&mut self, merchant: &Merchant, granted_on: &str) -> Connection {
        let japan = MarketplaceId::japan();
        let granted_at = jst(granted_on, "10:00");
        let account = ApiAccount::SpApi {
            selling_partner_id: SellingPartnerId::parse(&self.next_seller()).unwrap(),
            region: Region::Fe,
        };
        let grant = AccessGrant::new(granted_at, japan.marketplace(), RenewalTerm::Days365, true);
        self.connect(merchant, account, grant, granted_at).await
    }

    async fn connect(
        &self,
        merchant: &Merchant,
        account: ApiAccount,
        grant: AccessGrant,
        granted_at: Timestamp,
    ) -> Connection {
        let connection = Connection {
            id: ConnectionId::new(),
            merchant_id: merchant.id,
            account,
            marketplaces: vec![ConnectedMarketplace {
                id: MarketplaceId::japan(),
                name: Some("Amazon.co.jp".to_owned()),
            }],
            grant,
            verified_at: Some(granted_at),
            created_at: self.now(),
        };
        let token = SecretString::from("amzn.mws.01234567-89ab-cdef-0123-456789abcdef".to_owned());
        let context = SealContext::new("connection", &connection.id.to_string(), "credential");
        let sealed = self.keyring.seal(&context, &token).unwrap();
        let credential = SealedCredential {
            kek_id: sealed.kek_id().to_string(),
            blob: sealed.to_bytes(),
        };
        let audit = audit(
            merchant.id,
            Some(connection.id),
            AuditAction::ConnectionCreated,
            self.now(),
        );
        self.store()
            .insert_connection(&connection, &credential, &audit)
            .await
            .unwrap();
        connection
    }

    /// Applies `change` to the stored connection at the clock's instant, with its audit entry.
    pub async fn change(
        &self,
        id: ConnectionId,
        action: AuditAction,
        change: impl FnOnce(&Connection, Timestamp) -> Connection,
    ) -> Connection {
        let stored = self.store().connection(id).await.unwrap();
        let after = change(&stored.connection, self.now());
        let audit = audit(after.merchant_id, Some(id), action, self.now());
        self.store()
            .update_connection(&after, stored.version, &audit)
            .await
            .unwrap();
        after
    }

    pub async fn renew(&self, id: ConnectionId) -> Connection {
        self.change(id, AuditAction::Renewed, |c, now| Connection {
            grant: c.grant.renew(now).unwrap(),
            ..c.clone()
        })
        .await
    }

    pub async fn restore(&self, id: ConnectionId) -> Connection {
        self.change(id, AuditAction::Restored, |c, now| Connection {
            grant: c.grant.restore(now).unwrap(),
            ..c.clone()
        })
        .await
    }

    pub async fn revoke(&self, id: ConnectionId) -> Connection {
        self.change(id, AuditAction::Revoked, |c, now| Connection {
            grant: c.grant.revoke(now).unwrap(),
            ..c.clone()
        })
        .await
    }

    /// Amazon refused the credential now (`cause` as the sync engine classifies it).
    pub async fn refuse(&self, id: ConnectionId, cause: RefusalCause, detail: &str) -> Connection {
        self.change(id, AuditAction::AccessDenied, |c, now| Connection {
            grant: c.grant.deny_access(AccessDenial {
                at: now,
                cause,
                detail: detail.to_owned(),
            }),
            ..c.clone()
        })
        .await
    }

    /// Amazon accepted the credential again now.
    pub async fn accept(&self, id: ConnectionId) -> Connection {
        self.change(id, AuditAction::AccessDeniedCleared, |c, now| Connection {
            grant: c.grant.clear_access_denied(),
            verified_at: Some(now),
            ..c.clone()
        })
        .await
    }

    pub async fn email_channel(
        &self,
        owner: ChannelOwner,
        address: &str,
        language: Language,
    ) -> NotificationChannel {
        self.reminders
            .add_channel(
                owner,
                ChannelTarget::email(address).unwrap(),
                Some(language),
            )
            .await
            .unwrap()
    }

    /// A webhook channel posting to `path` on the receiver; its secret is kept for verifying signatures.
    pub async fn webhook_channel(
        &mut self,
        owner: ChannelOwner,
        path: &str,
        language: Language,
    ) -> NotificationChannel {
        let secret = WebhookSecret::generate();
        let target = ChannelTarget::webhook(&self.hooks.url(path), secret.clone()).unwrap();
        let channel = self
            .reminders
            .add_channel(owner, target, Some(language))
            .await
            .unwrap();
        self.secrets.insert(path.to_owned(), secret);
        channel
    }

    /// Every delivery in the store, oldest planned first.
    pub async fn deliveries(&self) -> Vec<DeliveryRecord> {
        let mut all = Vec::new();
        loop {
            let query = DeliveryQuery {
                limit: 500,
                offset: u32::try_from(all.len()).unwrap(),
                ..DeliveryQuery::default()
            };
            let page = self.store().deliveries(&query).await.unwrap();
            if page.is_empty() {
                break;
            }
            all.extend(page);
        }
        all.reverse();
        all
    }

    /// What arrived, as (where, delivery id), in arrival order: `mail:<address>` or `hook:<path>`.
    pub fn arrivals(&self) -> Vec<(String, DeliveryId)> {
        let mut seen: Vec<(String, DeliveryId)> = Vec::new();
        for mail in self.mail.messages() {
            let parsed = mail.parsed();
            let id = parsed
                .header("X-Sellerlink-Notification-Id")
                .expect("a notification id header");
            for rcpt in &mail.rcpt_to {
                seen.push((format!("mail:{rcpt}"), DeliveryId::parse(id).unwrap()));
            }
        }
        for request in self.hooks.requests() {
            let id = request
                .header("sellerlink-webhook-id")
                .expect("a webhook id header");
            seen.push((
                format!("hook:{}", request.path),
                DeliveryId::parse(id).unwrap(),
            ));
        }
        seen
    }
}

pub fn audit(
    merchant: MerchantId,
    connection: Option<ConnectionId>,
    action: AuditAction,
    at: Timestamp,
) -> AuditEntry {
    AuditEntry {
        merchant_id: merchant,
        connection_id: connection,
        actor: Actor::cli("tester"),
        action,
        at,
        before: None,
        after: None,
    }
}

/// Test settings: the 3PL of the guide, a 10-minute lease.
pub fn settings(worker: &str) -> ReminderSettings {
    let mut settings =
        ReminderSettings::new("shippinno", DeveloperId::parse("5259-6479-4073").unwrap());
    settings.worker = LeaseOwner::parse(worker).unwrap();
    settings
}

/// A worker sending to the sink (plain SMTP) and to any webhook URL, each send tried once (the worker retries
/// durably), webhook timestamps from the manual clock.
pub fn worker(
    store: &Store,
    keyring: &Arc<Keyring>,
    clock: &Arc<ManualClock>,
    mail: &MailSink,
    settings: ReminderSettings,
) -> Reminders {
    let smtp = SmtpSettings::new(mail.host(), SmtpTls::None).with_port(mail.port());
    let mailer = Mailer::new(
        EmailTransport::smtp(&smtp).unwrap(),
        "sellerlink <noreply@sellerlink.test>".parse().unwrap(),
    )
    .with_retry(RetryPolicy::attempts(1));
    let webhooks = WebhookSender::builder()
        .retry(RetryPolicy::attempts(1))
        .timeout(Duration::from_secs(5))
        .clock(clock.clone())
        .allow_private_addresses(true)
        .build()
        .unwrap();
    Reminders::new(
        store.clone(),
        keyring.clone(),
        settings,
        Senders::new(Some(mailer), webhooks),
    )
    .with_clock(clock.clone())
}

/// The master key text, for a child process.
pub fn exposed(secret: &SecretString) -> String {
    secret.expose_secret().to_owned()
}
