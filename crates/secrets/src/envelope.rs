//! Envelope encryption: [`Keyring::seal`], [`Keyring::open`] and [`Keyring::reseal`].
//!
//! Each seal draws a fresh 32-byte data key (DEK) and encrypts the payload with
//! it (AES-256-GCM); the DEK itself is encrypted ("wrapped") under the current
//! master key. Both encryptions authenticate the [`SealContext`] bytes, so a
//! value only opens for the record and field it was sealed for.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use secrecy::{ExposeSecret, SecretString};
use zeroize::Zeroizing;

use crate::context::SealContext;
use crate::error::{Result, SecretsError};
use crate::keyring::Keyring;
use crate::master_key::MasterKey;
use crate::random;
use crate::sealed::{DEK_LEN, NONCE_LEN, Sealed, WRAPPED_DEK_LEN};

impl Keyring {
    /// Seals `plaintext` for `ctx` under the current master key, with a fresh
    /// random data key and fresh nonces.
    ///
    /// # Errors
    /// [`SecretsError::Randomness`] if the OS generator fails;
    /// [`SecretsError::EncryptionRefused`] for inputs beyond AES-GCM's limit.
    pub fn seal(&self, ctx: &SealContext, plaintext: &SecretString) -> Result<Sealed> {
        let aad = ctx.aad();
        let mut dek = Zeroizing::new([0_u8; DEK_LEN]);
        random::fill(dek.as_mut_slice())?;
        let wrapped_dek = wrap_dek(self.current(), &dek, &aad)?;
        let nonce: [u8; NONCE_LEN] = random::array()?;
        let ciphertext = encrypt(&dek, &nonce, plaintext.expose_secret().as_bytes(), &aad)?;
        Ok(Sealed::new(
            *self.current().id(),
            wrapped_dek,
            nonce,
            ciphertext,
        ))
    }

    /// Opens a value sealed for `ctx` by any key of this keyring.
    ///
    /// # Errors
    /// [`SecretsError::UnknownKey`] if the sealing key is not in the keyring;
    /// [`SecretsError::Tampered`] if the value was altered or belongs to another
    /// context.
    pub fn open(&self, ctx: &SealContext, sealed: &Sealed) -> Result<SecretString> {
        let aad = ctx.aad();
        let dek = self.unwrap_dek(ctx, sealed, &aad)?;
        let plaintext = decrypt(&dek, sealed.nonce(), sealed.ciphertext(), &aad)
            .ok_or_else(|| tampered(ctx))?;
        let text = std::str::from_utf8(&plaintext).map_err(|_| SecretsError::MalformedSealed {
            problem: format!("the opened {ctx} is not UTF-8 text"),
        })?;
        Ok(SecretString::from(text))
    }

    /// Moves a value to the current master key: re-wraps its data key and
    /// leaves the payload ciphertext as it is. Returns `None` when the value is
    /// already under the current key. The payload is authenticated first, so a
    /// damaged value is reported here rather than carried forward.
    ///
    /// # Errors
    /// As [`open`](Self::open), plus [`SecretsError::Randomness`].
    pub fn reseal(&self, ctx: &SealContext, sealed: &Sealed) -> Result<Option<Sealed>> {
        if sealed.kek_id() == self.current().id() {
            return Ok(None);
        }
        let aad = ctx.aad();
        let dek = self.unwrap_dek(ctx, sealed, &aad)?;
        decrypt(&dek, sealed.nonce(), sealed.ciphertext(), &aad).ok_or_else(|| tampered(ctx))?;
        let wrapped_dek = wrap_dek(self.current(), &dek, &aad)?;
        Ok(Some(
            sealed.with_wrapped_dek(*self.current().id(), wrapped_dek),
        ))
    }

    fn unwrap_dek(
        &self,
        ctx: &SealContext,
        sealed: &Sealed,
        aad: &[u8],
    ) -> Result<Zeroizing<[u8; DEK_LEN]>> {
        let kek = self.find(sealed.kek_id()).ok_or(SecretsError::UnknownKey {
            kek_id: *sealed.kek_id(),
        })?;
        let (nonce, wrapped) = sealed.wrapped_dek().split_at(NONCE_LEN);
        let nonce: &[u8; NONCE_LEN] = nonce.try_into().map_err(|_| tampered(ctx))?;
        let dek = decrypt(kek.bytes(), nonce, wrapped, aad).ok_or_else(|| tampered(ctx))?;
        let mut out = Zeroizing::new([0_u8; DEK_LEN]);
        if dek.len() != DEK_LEN {
            return Err(tampered(ctx));
        }
        out.copy_from_slice(&dek);
        Ok(out)
    }
}

fn tampered(ctx: &SealContext) -> SecretsError {
    SecretsError::Tampered {
        context: ctx.to_string(),
    }
}

/// nonce ‖ AES-256-GCM(kek, dek, aad).
fn wrap_dek(kek: &MasterKey, dek: &[u8; DEK_LEN], aad: &[u8]) -> Result<[u8; WRAPPED_DEK_LEN]> {
    let nonce: [u8; NONCE_LEN] = random::array()?;
    let ciphertext = encrypt(kek.bytes(), &nonce, dek, aad)?;
    let mut out = [0_u8; WRAPPED_DEK_LEN];
    let (head, tail) = out.split_at_mut(NONCE_LEN);
    head.copy_from_slice(&nonce);
    if tail.len() != ciphertext.len() {
        return Err(SecretsError::EncryptionRefused);
    }
    tail.copy_from_slice(&ciphertext);
    Ok(out)
}

fn encrypt(key: &[u8; 32], nonce: &[u8; NONCE_LEN], msg: &[u8], aad: &[u8]) -> Result<Vec<u8>> {
    Aes256Gcm::new(key.into())
        .encrypt(&Nonce::from(*nonce), Payload { msg, aad })
        .map_err(|_| SecretsError::EncryptionRefused)
}

/// `None` when authentication fails. The plaintext is wiped when dropped.
fn decrypt(
    key: &[u8; 32],
    nonce: &[u8; NONCE_LEN],
    msg: &[u8],
    aad: &[u8],
) -> Option<Zeroizing<Vec<u8>>> {
    Aes256Gcm::new(key.into())
        .decrypt(&Nonce::from(*nonce), Payload { msg, aad })
        .ok()
        .map(Zeroizing::new)
}
