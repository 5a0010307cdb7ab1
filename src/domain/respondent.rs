//! A respondent as an import hands it to storage, and the installation's key that turns personal data
//! into a pseudonym. E-mail, name and token never get this far: [`PseudonymKey::digest`] is applied
//! to them while the file is read (see `import::pseudonym`), and only the digest is kept.

use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// One respondent's row, ready to store.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedRespondent {
    /// Zero-based row in the sheet.
    pub row: usize,
    pub pseudonym: String,
    pub submitted_at: Option<DateTime<Utc>>,
    pub role: Option<String>,
    pub team: Option<String>,
    pub group: Option<String>,
    /// The row names nobody (no e-mail, token, name or response id): its pseudonym is the file's and
    /// row's own, so a corrected copy of the file would count the same person again.
    pub anonymous: bool,
    /// (item code, value or `None` when missing, missing code).
    pub answers: Vec<(String, Option<i16>, Option<String>)>,
}

impl ParsedRespondent {
    /// Items of the file this respondent left unanswered (empty, don't know, not applicable).
    pub fn columns_missing(&self, item_columns: usize) -> usize {
        item_columns.saturating_sub(self.answers.iter().filter(|a| a.1.is_some()).count())
    }
}

/// The installation's secret pseudonymisation key (32 random bytes, created on first use).
#[derive(Clone, PartialEq, Eq)]
pub struct PseudonymKey([u8; 32]);

impl std::fmt::Debug for PseudonymKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PseudonymKey(***)")
    }
}

impl PseudonymKey {
    pub fn new(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    /// A fresh key of 32 random bytes.
    pub fn random() -> Self {
        let mut bytes = [0u8; 32];
        rand::RngCore::fill_bytes(&mut rand::rng(), &mut bytes);
        Self(bytes)
    }

    /// The key as stored.
    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }

    /// A key written by [`Self::to_hex`].
    pub fn from_hex(text: &str) -> Option<Self> {
        hex::decode(text)
            .ok()
            .and_then(|b| <[u8; 32]>::try_from(b).ok())
            .map(Self)
    }

    /// The pseudonym of `input`: `p` and the first 12 bytes of its HMAC-SHA256, in hex.
    pub fn digest(&self, input: &str) -> String {
        // HMAC accepts keys of any length; 32 bytes never fails.
        let mut mac = match <Hmac<Sha256> as Mac>::new_from_slice(&self.0) {
            Ok(m) => m,
            Err(_) => return String::new(),
        };
        mac.update(input.as_bytes());
        let digest = mac.finalize().into_bytes();
        format!("p{}", hex::encode(&digest[..12]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_digest_depends_on_key_and_input_and_hides_both() {
        let k = PseudonymKey::new([7; 32]);
        let a = k.digest("email:an@caw.be");
        assert_eq!(a, k.digest("email:an@caw.be"));
        assert_ne!(a, k.digest("email:bo@caw.be"));
        assert_ne!(a, PseudonymKey::new([8; 32]).digest("email:an@caw.be"));
        assert_eq!(a.len(), 25);
        assert!(!a.contains("caw"));
        assert_eq!(format!("{k:?}"), "PseudonymKey(***)");
    }
}
