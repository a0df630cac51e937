//! Random bytes from the operating system, with errors mapped into [`SecretsError`].

use crate::error::{Result, SecretsError};

/// Fills `buf` with random bytes from the operating system's generator.
pub(crate) fn fill(buf: &mut [u8]) -> Result<()> {
    getrandom::fill(buf).map_err(SecretsError::Randomness)
}

/// A random array of `N` bytes (for nonces; keys go through [`fill`] into zeroizing storage).
pub(crate) fn array<const N: usize>() -> Result<[u8; N]> {
    let mut out = [0_u8; N];
    fill(&mut out)?;
    Ok(out)
}
