//! The sandbox's whole state: clock, developers, seller accounts, grants, orders, stock, feeds,
//! faults, throttling buckets and the request log.
//!
//! One [`World`] sits behind a [`SharedWorld`] mutex. Handlers lock it, do their work without
//! awaiting, and unlock; the lock is never held across an `.await`.
//!
//! Grants are one kind of authorization (an MWS developer-access grant in Seller Central); the
//! lifecycle rules R1–R5 of the customer guide live in [`World::grant_access`] and the
//! `*_access` methods. All dates are Japan civil dates (Seller Central JP). SP-API apps and
//! sellers' authorizations of them live in [`World::lwa`] (see `crate::lwa`).

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};

use jiff::Timestamp;
use jiff::civil::Date;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::clock::SandboxClock;
use crate::faults::FaultTable;
use crate::feeds::FeedStore;
use crate::ids::{DeveloperId, IdError, parse_seller_id};
use crate::jst;
use crate::orders::OrderBook;
use crate::request_log::RequestLog;
use crate::stock::StockBook;
use crate::throttle::Throttle;

/// The world behind a mutex, shared by every router. Never hold the lock across `.await`.
pub type SharedWorld = Arc<Mutex<World>>;

/// Locks a shared world, recovering the state if a previous holder panicked.
pub fn lock(world: &SharedWorld) -> MutexGuard<'_, World> {
    world
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A Seller Central account (the merchant).
#[derive(Clone, PartialEq, Eq)]
pub struct SellerAccount {
    /// Merchant token, e.g. `A1B2C3D4E5F6G7`.
    pub seller_id: String,
    /// The shop name shown in Seller Central.
    pub display_name: String,
    /// Sign-in e-mail address.
    pub email: String,
    /// Sign-in mobile phone number, e.g. `090-1234-5678`.
    pub phone: String,
    /// Sign-in password (the sandbox keeps it in clear; it is test data).
    pub password: String,
    /// Marketplaces the seller participates in; the first is its home marketplace.
    pub marketplace_ids: Vec<String>,
}

impl fmt::Debug for SellerAccount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SellerAccount")
            .field("seller_id", &self.seller_id)
            .field("display_name", &self.display_name)
            .field("email", &self.email)
            .field("phone", &self.phone)
            .field("password", &"<redacted>")
            .field("marketplace_ids", &self.marketplace_ids)
            .finish()
    }
}

/// A registered MWS developer and its access key pair.
#[derive(Clone, PartialEq, Eq)]
pub struct Developer {
    /// Developer name, e.g. `shippinno`.
    pub name: String,
    /// 12 digits, no dashes, e.g. `525964794073`.
    pub developer_id: String,
    /// AWS access key id, 20 characters starting with `AKIA`.
    pub access_key_id: String,
    /// 40-character secret key used to sign requests.
    pub secret_key: String,
}

impl fmt::Debug for Developer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Developer")
            .field("name", &self.name)
            .field("developer_id", &self.developer_id)
            .field("access_key_id", &self.access_key_id)
            .field("secret_key", &"<redacted>")
            .finish()
    }
}

/// A seller's grant of MWS developer access to one developer.
#[derive(Clone, PartialEq, Eq)]
pub struct Grant {
    /// The granting seller.
    pub seller_id: String,
    /// The developer's 12-digit ID, no dashes.
    pub developer_id: String,
    /// The nickname shown in the permissions table (editable).
    pub nickname: String,
    /// `amzn.mws.` + lowercase UUID.
    pub mws_auth_token: String,
    /// When access was granted.
    pub granted_at: Timestamp,
    /// Last grant/approval/restore date (JST).
    pub last_approved_on: Date,
    /// Whether the yearly expiry feature is enabled (irreversible once true).
    pub expiry_enabled: bool,
    /// Access is deactivated at 00:00 JST of this date; `None` while expiry is disabled.
    pub expires_on: Option<Date>,
    /// When access was revoked; a revoked grant never comes back.
    pub revoked_at: Option<Timestamp>,
}

impl fmt::Debug for Grant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Grant")
            .field("seller_id", &self.seller_id)
            .field("developer_id", &self.developer_id)
            .field("nickname", &self.nickname)
            .field("mws_auth_token", &"<redacted>")
            .field("granted_at", &self.granted_at)
            .field("last_approved_on", &self.last_approved_on)
            .field("expiry_enabled", &self.expiry_enabled)
            .field("expires_on", &self.expires_on)
            .field("revoked_at", &self.revoked_at)
            .finish()
    }
}

/// Where a grant stands at a given instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum GrantState {
    /// Calls succeed.
    Active,
    /// Deactivated on its expiry date; restore brings the same token back.
    Expired,
    /// Revoked by the seller; terminal.
    Revoked,
}

impl GrantState {
    /// `active`, `expired` or `revoked`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Expired => "expired",
            Self::Revoked => "revoked",
        }
    }
}

impl Grant {
    /// The state at `now`: revoked wins; expired once `now` ≥ 00:00 JST of `expires_on`.
    pub fn state(&self, now: Timestamp) -> GrantState {
        if self.revoked_at.is_some() {
            return GrantState::Revoked;
        }
        match (self.expiry_enabled, self.expires_on) {
            (true, Some(expires_on)) if now >= jst::start_of(expires_on) => GrantState::Expired,
            _ => GrantState::Active,
        }
    }

    /// The developer ID as Seller Central shows it (`5259-6479-4073`).
    pub fn developer_id_dashed(&self) -> String {
        crate::ids::dashed_developer_id(&self.developer_id)
    }

    fn renew(&mut self, today: Date) {
        self.last_approved_on = today;
        if self.expiry_enabled {
            self.expires_on = Some(jst::one_year_after(today));
        }
    }
}

/// Why a grant operation was refused. `Display` is English; the pages translate.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GrantError {
    /// No seller account with that ID.
    #[error("no seller account has this seller ID")]
    UnknownSeller,
    /// The developer ID is not 12 digits.
    #[error("{0}")]
    InvalidDeveloperId(IdError),
    /// No registered developer has that ID.
    #[error("no registered developer has this developer ID")]
    UnknownDeveloper,
    /// The developer name does not match the name registered for the ID.
    #[error("the developer name does not match the developer ID")]
    DeveloperNameMismatch,
    /// The developer already has access (active or expired) to this seller account.
    #[error(
        "this developer already has access to the account; renew, restore or revoke the existing grant"
    )]
    AlreadyGranted,
    /// No grant exists for this seller and developer.
    #[error("this developer has no access to the account")]
    NotFound,
    /// Renewal needs a valid (unexpired) grant; an expired one must be restored.
    #[error("access has already expired; restore it instead of approving it")]
    NotValid,
    /// Restore needs an expired grant.
    #[error("access has not expired, so there is nothing to restore")]
    NotExpired,
    /// The expiry feature is disabled for this grant, so there is nothing to renew.
    #[error("the expiry feature is disabled for this developer, so access needs no approval")]
    ExpiryNotEnabled,
    /// The expiry feature is already enabled and can never be disabled.
    #[error("the expiry feature is already enabled and cannot be changed")]
    ExpiryAlreadyEnabled,
    /// The grant was revoked; grant access again to get a new token.
    #[error("access was revoked; grant access again to issue a new token")]
    Revoked,
    /// The nickname is empty or too long.
    #[error("the nickname must be 1 to 50 characters")]
    InvalidNickname,
}

/// Why an MWS call's (seller, developer, token) triple was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccessDenial {
    /// No `MWSAuthToken` parameter.
    MissingToken,
    /// The token matches no grant.
    UnknownToken,
    /// The token belongs to a grant of another seller.
    WrongSeller,
    /// The token belongs to a grant to another developer.
    WrongDeveloper,
    /// The grant was revoked.
    Revoked,
    /// The grant has expired.
    Expired,
}

impl AccessDenial {
    /// The sandbox-extension detail text for the error response.
    pub fn detail(self) -> &'static str {
        match self {
            Self::MissingToken => "missing-token",
            Self::UnknownToken => "unknown-token",
            Self::WrongSeller => "token-for-another-seller",
            Self::WrongDeveloper => "token-for-another-developer",
            Self::Revoked => "grant-revoked",
            Self::Expired => "grant-expired",
        }
    }
}

/// Why a developer or seller could not be created.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RegistryError {
    /// An identifier was malformed.
    #[error(transparent)]
    InvalidId(#[from] IdError),
    /// A developer with that ID exists already.
    #[error("a developer with ID {0} exists already")]
    DuplicateDeveloper(String),
    /// A seller with that ID, e-mail or phone exists already.
    #[error("a seller with this {0} exists already")]
    DuplicateSeller(&'static str),
    /// A required field was empty.
    #[error("{0} must not be empty")]
    Empty(&'static str),
    /// A marketplace ID is not in the sandbox's marketplace table.
    #[error(
        "marketplace ID {0} is unknown; expected one of the MWS marketplace IDs such as A1VC38T7YXB528"
    )]
    UnknownMarketplace(String),
}

/// The name, ID and keys of the developer every sandbox seeds (the 3PL of the customer guide).
pub const DEMO_DEVELOPER_NAME: &str = "shippinno";
/// The demo developer's 12-digit ID (`5259-6479-4073`).
pub const DEMO_DEVELOPER_ID: &str = "525964794073";

/// The whole sandbox state. See the module docs.
pub struct World {
    pub(crate) clock: SandboxClock,
    pub(crate) seed: u64,
    pub(crate) rng: StdRng,
    pub(crate) throttle_scale: f64,
    developers: Vec<Developer>,
    developer_index: HashMap<String, usize>,
    sellers: Vec<SellerAccount>,
    seller_index: HashMap<String, usize>,
    grants: Vec<Grant>,
    pub(crate) orders: OrderBook,
    pub(crate) stock: StockBook,
    pub(crate) feeds: FeedStore,
    pub(crate) faults: FaultTable,
    pub(crate) malformed: crate::malformed::MalformedOrders,
    pub(crate) throttle: Throttle,
    pub(crate) log: RequestLog,
    pub(crate) lwa: crate::lwa::LwaRegistry,
    pub(crate) next_token_key: [u8; 32],
    pub(crate) request_counter: u64,
}

impl fmt::Debug for World {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("World")
            .field("now", &self.now())
            .field("seed", &self.seed)
            .field("developers", &self.developers.len())
            .field("sellers", &self.sellers.len())
            .field("grants", &self.grants.len())
            .finish_non_exhaustive()
    }
}

impl World {
    /// An empty world (no developers, sellers or orders) whose clock starts at `clock_start`.
    pub fn empty(seed: u64, clock_start: Timestamp, throttle_scale: f64) -> Self {
        let mut key = [0u8; 32];
        rand::rng().fill(&mut key);
        Self {
            clock: SandboxClock::starting_at(clock_start),
            seed,
            rng: StdRng::seed_from_u64(seed ^ 0x005E_ED0F_5A4D_B0C5),
            throttle_scale: if throttle_scale.is_finite() && throttle_scale > 0.0 {
                throttle_scale
            } else {
                1.0
            },
            developers: Vec::new(),
            developer_index: HashMap::new(),
            sellers: Vec::new(),
            seller_index: HashMap::new(),
            grants: Vec::new(),
            orders: OrderBook::default(),
            stock: StockBook::default(),
            feeds: FeedStore::default(),
            faults: FaultTable::default(),
            malformed: crate::malformed::MalformedOrders::default(),
            throttle: Throttle::default(),
            log: RequestLog::default(),
            lwa: crate::lwa::LwaRegistry::new(seed),
            next_token_key: key,
            request_counter: 0,
        }
    }

    /// The sandbox clock's current instant.
    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }

    /// The clock itself (to advance, set or freeze it).
    pub fn clock_mut(&mut self) -> &mut SandboxClock {
        &mut self.clock
    }

    /// The seed this world was generated from.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// The throttle restore-rate factor (1.0 = Amazon's real rates).
    pub fn throttle_scale(&self) -> f64 {
        self.throttle_scale
    }

    /// Every seller's orders.
    pub fn orders(&self) -> &OrderBook {
        &self.orders
    }

    /// Every seller's orders, mutable (for other API surfaces and tests).
    pub fn orders_mut(&mut self) -> &mut OrderBook {
        &mut self.orders
    }

    /// Every seller's stock.
    pub fn stock(&self) -> &StockBook {
        &self.stock
    }

    /// Every feed submission.
    pub fn feeds(&self) -> &FeedStore {
        &self.feeds
    }

    /// SP-API apps, sellers' authorizations of them, codes and tokens (LWA).
    pub fn lwa(&self) -> &crate::lwa::LwaRegistry {
        &self.lwa
    }

    /// SP-API apps and authorizations, mutable (control API, tests).
    pub fn lwa_mut(&mut self) -> &mut crate::lwa::LwaRegistry {
        &mut self.lwa
    }

    // ----- sellers -------------------------------------------------------------------------

    /// The seller whose e-mail (case-insensitive) or phone (digits compared, dashes ignored) is `email_or_phone`.
    pub fn seller_by_login(&self, email_or_phone: &str) -> Option<&SellerAccount> {
        let login = email_or_phone.trim();
        if login.is_empty() {
            return None;
        }
        if login.contains('@') {
            return self
                .sellers
                .iter()
                .find(|s| s.email.eq_ignore_ascii_case(login));
        }
        let digits: String = login.chars().filter(char::is_ascii_digit).collect();
        if digits.is_empty() {
            return None;
        }
        self.sellers.iter().find(|s| {
            s.phone
                .chars()
                .filter(char::is_ascii_digit)
                .collect::<String>()
                == digits
        })
    }

    /// The seller with this seller ID.
    pub fn seller(&self, seller_id: &str) -> Option<&SellerAccount> {
        self.seller_index.get(seller_id).map(|&i| &self.sellers[i])
    }

    /// Every seller, in creation order.
    pub fn sellers(&self) -> &[SellerAccount] {
        &self.sellers
    }

    /// Adds a seller account after checking its ID, uniqueness and marketplaces.
    pub fn add_seller(&mut self, seller: SellerAccount) -> Result<&SellerAccount, RegistryError> {
        parse_seller_id("seller_id", &seller.seller_id)?;
        if seller.email.trim().is_empty() {
            return Err(RegistryError::Empty("email"));
        }
        if seller.password.is_empty() {
            return Err(RegistryError::Empty("password"));
        }
        if seller.marketplace_ids.is_empty() {
            return Err(RegistryError::Empty("marketplace_ids"));
        }
        if let Some(unknown) = seller
            .marketplace_ids
            .iter()
            .find(|m| crate::marketplaces::find(m).is_none())
        {
            return Err(RegistryError::UnknownMarketplace(unknown.clone()));
        }
        if self.seller_index.contains_key(&seller.seller_id) {
            return Err(RegistryError::DuplicateSeller("seller ID"));
        }
        if self.seller_by_login(&seller.email).is_some() {
            return Err(RegistryError::DuplicateSeller("e-mail"));
        }
        if !seller.phone.trim().is_empty() && self.seller_by_login(&seller.phone).is_some() {
            return Err(RegistryError::DuplicateSeller("phone"));
        }
        self.seller_index
            .insert(seller.seller_id.clone(), self.sellers.len());
        self.sellers.push(seller);
        Ok(self.sellers.last().expect("just pushed"))
    }

    // ----- developers ----------------------------------------------------------------------

    /// The developer with this 12-digit ID (dashes are accepted too).
    pub fn developer(&self, developer_id_digits: &str) -> Option<&Developer> {
        let id = DeveloperId::parse(developer_id_digits).ok()?;
        self.developer_index
            .get(id.as_str())
            .map(|&i| &self.developers[i])
    }

    /// The developer owning this AWS access key id.
    pub fn developer_by_access_key(&self, access_key_id: &str) -> Option<&Developer> {
        self.developers
            .iter()
            .find(|d| d.access_key_id == access_key_id)
    }

    /// Every developer, in creation order.
    pub fn developers(&self) -> &[Developer] {
        &self.developers
    }

    /// Registers a developer; generates its access key pair from the seeded RNG unless given.
    pub fn add_developer(
        &mut self,
        name: &str,
        developer_id: &str,
        keys: Option<(String, String)>,
    ) -> Result<&Developer, RegistryError> {
        let id = DeveloperId::parse(developer_id)?;
        let name = name.trim();
        if name.is_empty() {
            return Err(RegistryError::Empty("name"));
        }
        if self.developer_index.contains_key(id.as_str()) {
            return Err(RegistryError::DuplicateDeveloper(id.dashed()));
        }
        let (access_key_id, secret_key) = match keys {
            Some(pair) => pair,
            None => crate::generate::ids::access_key_pair(&mut self.rng),
        };
        if access_key_id.is_empty() || secret_key.is_empty() {
            return Err(RegistryError::Empty("access key"));
        }
        self.developer_index
            .insert(id.as_str().to_owned(), self.developers.len());
        self.developers.push(Developer {
            name: name.to_owned(),
            developer_id: id.as_str().to_owned(),
            access_key_id,
            secret_key,
        });
        Ok(self.developers.last().expect("just pushed"))
    }

    // ----- grants --------------------------------------------------------------------------

    /// Every grant of a seller (including revoked ones), oldest first.
    pub fn grants_for_seller(&self, seller_id: &str) -> Vec<&Grant> {
        let mut grants: Vec<&Grant> = self
            .grants
            .iter()
            .filter(|g| g.seller_id == seller_id)
            .collect();
        grants.sort_by_key(|g| g.granted_at);
        grants
    }

    /// Every grant in the world, in creation order.
    pub fn all_grants(&self) -> &[Grant] {
        &self.grants
    }

    /// The grant carrying this MWS Auth Token.
    pub fn grant_by_token(&self, token: &str) -> Option<&Grant> {
        self.grants.iter().find(|g| g.mws_auth_token == token)
    }

    /// Step ③–⑤ of the guide: grants `developer_name`/`developer_id_digits` access to the seller.
    /// Expiry is enabled with `expires_on` = today (JST) + 1 year.
    pub fn grant_access(
        &mut self,
        seller_id: &str,
        developer_name: &str,
        developer_id_digits: &str,
    ) -> Result<Grant, GrantError> {
        let developer = self.check_developer(developer_name, developer_id_digits)?;
        let now = self.now();
        self.insert_grant(seller_id, &developer, now, true)
    }

    /// Creates a grant directly (control API), optionally in the past and with expiry disabled.
    pub fn create_grant(
        &mut self,
        seller_id: &str,
        developer_id_digits: &str,
        granted_at: Option<Timestamp>,
        expiry_enabled: bool,
    ) -> Result<Grant, GrantError> {
        let id = DeveloperId::parse(developer_id_digits).map_err(GrantError::InvalidDeveloperId)?;
        let developer = self
            .developer(id.as_str())
            .cloned()
            .ok_or(GrantError::UnknownDeveloper)?;
        let at = granted_at.unwrap_or_else(|| self.now());
        self.insert_grant(seller_id, &developer, at, expiry_enabled)
    }

    fn check_developer(
        &self,
        developer_name: &str,
        developer_id_digits: &str,
    ) -> Result<Developer, GrantError> {
        let id = DeveloperId::parse(developer_id_digits).map_err(GrantError::InvalidDeveloperId)?;
        let developer = self
            .developer(id.as_str())
            .ok_or(GrantError::UnknownDeveloper)?;
        if !developer
            .name
            .trim()
            .eq_ignore_ascii_case(developer_name.trim())
        {
            return Err(GrantError::DeveloperNameMismatch);
        }
        Ok(developer.clone())
    }

    fn insert_grant(
        &mut self,
        seller_id: &str,
        developer: &Developer,
        at: Timestamp,
        expiry_enabled: bool,
    ) -> Result<Grant, GrantError> {
        if self.seller(seller_id).is_none() {
            return Err(GrantError::UnknownSeller);
        }
        if self
            .current_grant_index(seller_id, &developer.developer_id)
            .is_some()
        {
            return Err(GrantError::AlreadyGranted);
        }
        let today = jst::date_of(at);
        let grant = Grant {
            seller_id: seller_id.to_owned(),
            developer_id: developer.developer_id.clone(),
            nickname: developer.name.clone(),
            mws_auth_token: crate::generate::ids::mws_auth_token(&mut self.rng),
            granted_at: at,
            last_approved_on: today,
            expiry_enabled,
            expires_on: expiry_enabled.then(|| jst::one_year_after(today)),
            revoked_at: None,
        };
        self.grants.push(grant.clone());
        Ok(grant)
    }

    /// The index of the non-revoked grant of (seller, developer), if any.
    fn current_grant_index(&self, seller_id: &str, developer_id: &str) -> Option<usize> {
        self.grants.iter().rposition(|g| {
            g.seller_id == seller_id && g.developer_id == developer_id && g.revoked_at.is_none()
        })
    }

    /// The non-revoked grant of (seller, developer), or the reason there is none.
    fn grant_mut(&mut self, seller_id: &str, developer_id: &str) -> Result<&mut Grant, GrantError> {
        let id = DeveloperId::parse(developer_id).map_err(GrantError::InvalidDeveloperId)?;
        if self.seller(seller_id).is_none() {
            return Err(GrantError::UnknownSeller);
        }
        match self.current_grant_index(seller_id, id.as_str()) {
            Some(i) => Ok(&mut self.grants[i]),
            None if self
                .grants
                .iter()
                .any(|g| g.seller_id == seller_id && g.developer_id == id.as_str()) =>
            {
                Err(GrantError::Revoked)
            }
            None => Err(GrantError::NotFound),
        }
    }

    /// R2: approve (renew) access while it is still valid: last approval = today, expiry = today + 1 year.
    pub fn approve_access(
        &mut self,
        seller_id: &str,
        developer_id: &str,
    ) -> Result<Grant, GrantError> {
        let now = self.now();
        let grant = self.grant_mut(seller_id, developer_id)?;
        if !grant.expiry_enabled {
            return Err(GrantError::ExpiryNotEnabled);
        }
        match grant.state(now) {
            GrantState::Active => {}
            GrantState::Expired => return Err(GrantError::NotValid),
            GrantState::Revoked => return Err(GrantError::Revoked),
        }
        grant.renew(jst::date_of(now));
        Ok(grant.clone())
    }

    /// R3: restore access after it expired; the same token works again for a year from today.
    pub fn restore_access(
        &mut self,
        seller_id: &str,
        developer_id: &str,
    ) -> Result<Grant, GrantError> {
        let now = self.now();
        let grant = self.grant_mut(seller_id, developer_id)?;
        match grant.state(now) {
            GrantState::Expired => {}
            GrantState::Active => return Err(GrantError::NotExpired),
            GrantState::Revoked => return Err(GrantError::Revoked),
        }
        grant.renew(jst::date_of(now));
        Ok(grant.clone())
    }

    /// Revokes access for good; granting again issues a new grant with a new token.
    pub fn revoke_access(
        &mut self,
        seller_id: &str,
        developer_id: &str,
    ) -> Result<Grant, GrantError> {
        let now = self.now();
        let grant = self.grant_mut(seller_id, developer_id)?;
        grant.revoked_at = Some(now);
        Ok(grant.clone())
    }

    /// R4/R5: switches the expiry feature on (irreversibly): expiry = last approval + 1 year,
    /// which may already lie in the past.
    pub fn enable_expiry(
        &mut self,
        seller_id: &str,
        developer_id: &str,
    ) -> Result<Grant, GrantError> {
        let grant = self.grant_mut(seller_id, developer_id)?;
        if grant.expiry_enabled {
            return Err(GrantError::ExpiryAlreadyEnabled);
        }
        grant.expiry_enabled = true;
        grant.expires_on = Some(jst::one_year_after(grant.last_approved_on));
        Ok(grant.clone())
    }

    /// Test helper: makes an enabled grant expire now (its expiry date becomes today, JST).
    pub fn expire_now(&mut self, seller_id: &str, developer_id: &str) -> Result<Grant, GrantError> {
        let today = jst::date_of(self.now());
        let grant = self.grant_mut(seller_id, developer_id)?;
        if !grant.expiry_enabled {
            return Err(GrantError::ExpiryNotEnabled);
        }
        grant.expires_on = Some(today);
        Ok(grant.clone())
    }

    /// Renames the grant's nickname (1–50 characters after trimming).
    pub fn set_nickname(
        &mut self,
        seller_id: &str,
        developer_id: &str,
        nickname: &str,
    ) -> Result<Grant, GrantError> {
        let nickname = nickname.trim();
        if nickname.is_empty() || nickname.chars().count() > 50 {
            return Err(GrantError::InvalidNickname);
        }
        let grant = self.grant_mut(seller_id, developer_id)?;
        grant.nickname = nickname.to_owned();
        Ok(grant.clone())
    }

    /// Checks that `token` is an active grant of `seller_id` to `developer_id` at the current instant.
    pub fn check_access(
        &self,
        seller_id: &str,
        developer_id: &str,
        token: Option<&str>,
    ) -> Result<&Grant, AccessDenial> {
        let token = token
            .filter(|t| !t.is_empty())
            .ok_or(AccessDenial::MissingToken)?;
        let grant = self
            .grant_by_token(token)
            .ok_or(AccessDenial::UnknownToken)?;
        if grant.seller_id != seller_id {
            return Err(AccessDenial::WrongSeller);
        }
        if grant.developer_id != developer_id {
            return Err(AccessDenial::WrongDeveloper);
        }
        match grant.state(self.now()) {
            GrantState::Active => Ok(grant),
            GrantState::Expired => Err(AccessDenial::Expired),
            GrantState::Revoked => Err(AccessDenial::Revoked),
        }
    }

    /// Applies every feed whose processing finished at or before now. Called before each request.
    pub fn settle(&mut self) {
        let now = self.now();
        crate::feeds::process_due(self, now);
    }

    /// The next value of the world's request counter (drives deterministic faults).
    pub(crate) fn next_request_number(&mut self) -> u64 {
        self.request_counter += 1;
        self.request_counter
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::{SignedDuration, ToSpan};

    fn world_at(now: &str) -> World {
        let mut world = World::empty(7, now.parse().unwrap(), 1.0);
        world.clock.freeze();
        world
            .add_developer(DEMO_DEVELOPER_NAME, "5259-6479-4073", None)
            .unwrap();
        world
            .add_seller(SellerAccount {
                seller_id: "A1B2C3D4E5F6G7".into(),
                display_name: "テスト商店".into(),
                email: "seller1@example.jp".into(),
                phone: "090-1111-2222".into(),
                password: "sandbox-pass-1".into(),
                marketplace_ids: vec!["A1VC38T7YXB528".into()],
            })
            .unwrap();
        world
    }

    const SELLER: &str = "A1B2C3D4E5F6G7";

    #[test]
    fn grant_follows_the_guide_example() {
        let mut world = world_at("2018-04-17T01:26:33Z");
        let grant = world
            .grant_access(SELLER, "shippinno", "5259-6479-4073")
            .unwrap();
        assert_eq!(
            jst::format_date_time(grant.granted_at),
            "2018-04-17 10:26:33 JST"
        );
        assert_eq!(grant.last_approved_on.to_string(), "2018-04-17");
        assert_eq!(grant.expires_on.unwrap().to_string(), "2019-04-17");
        assert!(grant.mws_auth_token.starts_with("amzn.mws.") && grant.mws_auth_token.len() == 45);
        assert_eq!(
            world.grant_access(SELLER, "shippinno", "525964794073"),
            Err(GrantError::AlreadyGranted)
        );
        assert_eq!(
            world.grant_access(SELLER, "someone", "525964794073"),
            Err(GrantError::DeveloperNameMismatch)
        );
        assert_eq!(
            world.grant_access(SELLER, "shippinno", "111122223333"),
            Err(GrantError::UnknownDeveloper)
        );
        assert!(matches!(
            world.grant_access(SELLER, "shippinno", "1234"),
            Err(GrantError::InvalidDeveloperId(_))
        ));
    }

    #[test]
    fn expiry_day_is_already_expired_and_restore_keeps_the_token() {
        let mut world = world_at("2018-04-17T01:26:33Z");
        let grant = world
            .grant_access(SELLER, "shippinno", "525964794073")
            .unwrap();
        // 2019-04-16 23:59:59 JST: still active; approve moves the expiry.
        world.clock.set("2019-04-16T14:59:59Z".parse().unwrap());
        assert_eq!(grant.state(world.now()), GrantState::Active);
        // 2019-04-17 00:00 JST: expired, approve refused, restore works with the same token.
        world.clock.set("2019-04-16T15:00:00Z".parse().unwrap());
        assert_eq!(grant.state(world.now()), GrantState::Expired);
        assert_eq!(
            world.approve_access(SELLER, "525964794073"),
            Err(GrantError::NotValid)
        );
        assert_eq!(
            world
                .check_access(SELLER, "525964794073", Some(&grant.mws_auth_token))
                .unwrap_err(),
            AccessDenial::Expired
        );
        let restored = world.restore_access(SELLER, "525964794073").unwrap();
        assert_eq!(restored.mws_auth_token, grant.mws_auth_token);
        assert_eq!(restored.expires_on.unwrap().to_string(), "2020-04-17");
        assert_eq!(
            world.restore_access(SELLER, "525964794073"),
            Err(GrantError::NotExpired)
        );
        assert!(
            world
                .check_access(SELLER, "525964794073", Some(&grant.mws_auth_token))
                .is_ok()
        );
    }

    #[test]
    fn approve_moves_the_expiry_to_a_year_from_today() {
        let mut world = world_at("2018-04-17T01:26:33Z");
        world
            .grant_access(SELLER, "shippinno", "525964794073")
            .unwrap();
        world.clock.advance(SignedDuration::from_hours(24 * 100));
        let renewed = world.approve_access(SELLER, "525964794073").unwrap();
        assert_eq!(renewed.last_approved_on.to_string(), "2018-07-26");
        assert_eq!(
            renewed.expires_on.unwrap(),
            renewed.last_approved_on.checked_add(1.year()).unwrap()
        );
    }

    #[test]
    fn revoke_is_terminal_and_regrant_issues_a_new_token() {
        let mut world = world_at("2020-01-01T00:00:00Z");
        let first = world
            .grant_access(SELLER, "shippinno", "525964794073")
            .unwrap();
        world.revoke_access(SELLER, "525964794073").unwrap();
        assert_eq!(
            world
                .check_access(SELLER, "525964794073", Some(&first.mws_auth_token))
                .unwrap_err(),
            AccessDenial::Revoked
        );
        assert_eq!(
            world.approve_access(SELLER, "525964794073"),
            Err(GrantError::Revoked)
        );
        assert_eq!(
            world.revoke_access(SELLER, "525964794073"),
            Err(GrantError::Revoked)
        );
        let second = world
            .grant_access(SELLER, "shippinno", "525964794073")
            .unwrap();
        assert_ne!(second.mws_auth_token, first.mws_auth_token);
        assert_eq!(world.grants_for_seller(SELLER).len(), 2);
    }

    #[test]
    fn expiry_switch_is_irreversible_and_may_expire_at_once() {
        let mut world = world_at("2020-01-01T00:00:00Z");
        let granted_at: Timestamp = "2018-06-01T03:00:00Z".parse().unwrap();
        let grant = world
            .create_grant(SELLER, "525964794073", Some(granted_at), false)
            .unwrap();
        assert_eq!(grant.expires_on, None);
        assert_eq!(grant.state(world.now()), GrantState::Active);
        assert_eq!(
            world.approve_access(SELLER, "525964794073"),
            Err(GrantError::ExpiryNotEnabled)
        );
        let enabled = world.enable_expiry(SELLER, "525964794073").unwrap();
        assert_eq!(enabled.expires_on.unwrap().to_string(), "2019-06-01");
        assert_eq!(enabled.state(world.now()), GrantState::Expired);
        assert_eq!(
            world.enable_expiry(SELLER, "525964794073"),
            Err(GrantError::ExpiryAlreadyEnabled)
        );
    }

    #[test]
    fn login_by_email_or_phone_and_wrong_seller_token() {
        let mut world = world_at("2020-01-01T00:00:00Z");
        assert!(world.seller_by_login("SELLER1@example.jp").is_some());
        assert!(world.seller_by_login("09011112222").is_some());
        assert!(world.seller_by_login("nobody@example.jp").is_none());
        let grant = world
            .grant_access(SELLER, "shippinno", "525964794073")
            .unwrap();
        assert_eq!(
            world
                .check_access(
                    "A9Z9Z9Z9Z9Z9Z9",
                    "525964794073",
                    Some(&grant.mws_auth_token)
                )
                .unwrap_err(),
            AccessDenial::WrongSeller
        );
        assert_eq!(
            world
                .check_access(SELLER, "525964794073", None)
                .unwrap_err(),
            AccessDenial::MissingToken
        );
        assert_eq!(
            world
                .check_access(SELLER, "525964794073", Some("amzn.mws.nope"))
                .unwrap_err(),
            AccessDenial::UnknownToken
        );
        assert_eq!(
            world
                .set_nickname(SELLER, "525964794073", "  3PL  ")
                .unwrap()
                .nickname,
            "3PL"
        );
        assert_eq!(
            world.set_nickname(SELLER, "525964794073", " "),
            Err(GrantError::InvalidNickname)
        );
    }
}
