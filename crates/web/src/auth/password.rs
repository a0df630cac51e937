//! argon2id password hashing. Hashing and verifying are CPU-bound, so callers run them on the blocking pool.

use std::sync::OnceLock;

use argon2::password_hash::{PasswordHasher as _, PasswordVerifier as _};
use argon2::{Algorithm, Argon2, Params, Version};
use secrecy::{ExposeSecret as _, SecretString};
use sellerlink_store::PasswordHash;

/// The cost of new password hashes (argon2id). Verification always uses the cost recorded in the stored hash, so
/// the cost can be raised without invalidating existing passwords.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PasswordCost {
    /// Memory in KiB.
    pub memory_kib: u32,
    /// Passes over the memory.
    pub iterations: u32,
    /// Lanes.
    pub parallelism: u32,
}

impl Default for PasswordCost {
    /// OWASP's recommendation for argon2id: 19 MiB, 2 passes, 1 lane.
    fn default() -> Self {
        Self {
            memory_kib: 19 * 1024,
            iterations: 2,
            parallelism: 1,
        }
    }
}

impl PasswordCost {
    /// A cheap cost for tests and demos only (still argon2id, still salted).
    pub fn low() -> Self {
        Self {
            memory_kib: 1024,
            iterations: 1,
            parallelism: 1,
        }
    }

    fn hasher(&self) -> Result<Argon2<'static>, String> {
        let params = Params::new(self.memory_kib, self.iterations, self.parallelism, None)
            .map_err(|e| format!("argon2 parameters: {e}"))?;
        Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
    }
}

/// The shortest password accepted for a new account.
pub(crate) const MIN_PASSWORD_CHARS: usize = 10;

/// Hashes a password with a fresh random salt.
pub(crate) fn hash_password(
    password: &SecretString,
    cost: PasswordCost,
) -> Result<PasswordHash, String> {
    let hasher = cost.hasher()?;
    let phc = hasher
        .hash_password(password.expose_secret().as_bytes())
        .map_err(|e| format!("hashing the password failed: {e}"))?
        .to_string();
    PasswordHash::parse(&phc).map_err(|e| e.to_string())
}

/// True if `password` matches `hash`.
pub(crate) fn verify_password(password: &SecretString, hash: &PasswordHash) -> bool {
    Argon2::default()
        .verify_password(password.expose_secret().as_bytes(), hash.as_phc())
        .is_ok()
}

/// A hash nobody's password matches, verified when the login is unknown so that the answer takes as long as for a
/// known login (the response time does not reveal which e-mail addresses have accounts).
pub(crate) fn decoy_hash(cost: PasswordCost) -> &'static PasswordHash {
    static DECOY: OnceLock<PasswordHash> = OnceLock::new();
    DECOY.get_or_init(|| {
        let random = SecretString::from(crate::auth::tokens::random_token());
        hash_password(&random, cost).expect("hashing a random password works")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_salted_argon2id_and_verify() {
        let password = SecretString::from("correct horse battery".to_owned());
        let first = hash_password(&password, PasswordCost::low()).unwrap();
        let second = hash_password(&password, PasswordCost::low()).unwrap();
        assert!(first.as_phc().starts_with("$argon2id$v=19$m=1024,t=1,p=1$"));
        assert_ne!(first, second, "each hash has its own salt");
        assert!(verify_password(&password, &first));
        assert!(!verify_password(
            &SecretString::from("wrong".to_owned()),
            &first
        ));
    }
}
