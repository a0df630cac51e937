//! Creating users: what the operator (or the demo) does to let people sign in.

use secrecy::{ExposeSecret as _, SecretString};
use sellerlink_domain::connection::Language;
use sellerlink_store::{Email, Role, Store, User, UserId};

use crate::auth::password::{MIN_PASSWORD_CHARS, PasswordCost, hash_password};
use crate::error::WebError;

/// A user to create.
pub struct NewUser {
    /// The sign-in address, as typed.
    pub email: String,
    /// The password, as typed (at least 10 characters).
    pub password: SecretString,
    /// Operator, or a merchant's user.
    pub role: Role,
    /// The language of its pages.
    pub language: Language,
}

impl std::fmt::Debug for NewUser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewUser")
            .field("email", &self.email)
            .field("password", &"[redacted]")
            .field("role", &self.role)
            .field("language", &self.language)
            .finish()
    }
}

/// Checks a new user's password: at least 10 characters.
pub(crate) fn check_password(password: &SecretString) -> Result<(), (String, String)> {
    if password.expose_secret().chars().count() < MIN_PASSWORD_CHARS {
        return Err((
            format!(
                "password: is shorter than {MIN_PASSWORD_CHARS} characters; choose a longer one"
            ),
            format!("パスワードが短すぎます。{MIN_PASSWORD_CHARS}文字以上にしてください。"),
        ));
    }
    Ok(())
}

/// Creates a user with an argon2id hash of its password (hashed on the blocking pool).
pub async fn add_user(
    store: &Store,
    new: NewUser,
    cost: PasswordCost,
    now: jiff::Timestamp,
) -> Result<User, WebError> {
    let email = Email::parse(&new.email).map_err(|e| WebError::Account(e.to_string()))?;
    check_password(&new.password).map_err(|(en, _)| WebError::Account(en))?;
    let password = new.password;
    let password_hash = tokio::task::spawn_blocking(move || hash_password(&password, cost))
        .await
        .map_err(|e| WebError::Account(format!("hashing the password did not finish: {e}")))?
        .map_err(WebError::Account)?;
    let user = User {
        id: UserId::new(),
        email,
        password_hash,
        role: new.role,
        language: new.language,
        created_at: stored_precision(now),
        disabled: false,
    };
    store.insert_user(&user).await?;
    Ok(user)
}

/// The instant as the store keeps it (milliseconds), so the returned user equals the stored one.
fn stored_precision(at: jiff::Timestamp) -> jiff::Timestamp {
    jiff::Timestamp::from_millisecond(at.as_millisecond()).unwrap_or(at)
}
