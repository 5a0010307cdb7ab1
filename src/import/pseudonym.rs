//! Keyed pseudonyms for respondents. E-mail, name and token are personal data: they are turned into an
//! HMAC-SHA256 with the installation's secret key and never stored or logged. The same person gets the
//! same pseudonym in every import of the installation, so a second answer replaces the first.

use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::columns::Meta;

/// Values survey tools write in an identity column when they do not know who answered.
const ANONYMOUS: [&str; 4] = ["anonymous", "anoniem", "anonyme", "-"];

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

    /// The key as stored in the installation table.
    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }

    fn mac(&self, input: &str) -> String {
        // HMAC accepts keys of any length; 32 bytes never fails.
        let mut mac = match <Hmac<Sha256> as Mac>::new_from_slice(&self.0) {
            Ok(m) => m,
            Err(_) => return String::new(),
        };
        mac.update(input.as_bytes());
        let digest = mac.finalize().into_bytes();
        format!("p{}", hex::encode(&digest[..12]))
    }

    /// The respondent's pseudonym from the strongest identity the row has: e-mail, then token, then
    /// name, then the survey tool's response id with its times; a row without any of them is a person
    /// of its own (`anonymous` names the file and row).
    pub fn pseudonym(
        &self,
        identity: &[(Meta, String)],
        started: Option<DateTime<Utc>>,
        submitted: Option<DateTime<Utc>>,
        anonymous: &str,
    ) -> String {
        // Microsoft Forms writes "anonymous" when the form did not ask who answered: nobody's identity.
        let known = |v: &str| {
            !v.trim().is_empty() && !ANONYMOUS.contains(&v.trim().to_lowercase().as_str())
        };
        let get = |m: Meta| {
            identity
                .iter()
                .find(|(k, v)| *k == m && known(v))
                .map(|(_, v)| v.trim())
        };
        let fold = |s: &str| {
            s.split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase()
        };
        if let Some(e) = get(Meta::Email) {
            return self.mac(&format!("email:{}", fold(e)));
        }
        if let Some(t) = get(Meta::Token) {
            return self.mac(&format!("token:{}", t));
        }
        if let Some(n) = get(Meta::Name) {
            return self.mac(&format!("name:{}", fold(n)));
        }
        if let Some(id) = get(Meta::ResponseId) {
            let t =
                |d: Option<DateTime<Utc>>| d.map(|d| d.timestamp().to_string()).unwrap_or_default();
            return self.mac(&format!("response:{id}:{}:{}", t(started), t(submitted)));
        }
        self.mac(&format!("row:{anonymous}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_person_same_pseudonym_raw_value_nowhere() {
        let k = PseudonymKey::new([7; 32]);
        let a = k.pseudonym(
            &[(Meta::Email, "An.Peeters@caw.be ".into())],
            None,
            None,
            "x",
        );
        let b = k.pseudonym(
            &[
                (Meta::Email, "an.peeters@CAW.be".into()),
                (Meta::Name, "An".into()),
            ],
            None,
            None,
            "y",
        );
        assert_eq!(a, b);
        assert!(!a.contains("peeters"));
        assert_eq!(a.len(), 25);
        let other_key = PseudonymKey::new([8; 32]).pseudonym(
            &[(Meta::Email, "an.peeters@caw.be".into())],
            None,
            None,
            "x",
        );
        assert_ne!(a, other_key);
        let nobody1 = k.pseudonym(&[(Meta::Email, "anonymous".into())], None, None, "f:1");
        let nobody2 = k.pseudonym(&[(Meta::Email, "anonymous".into())], None, None, "f:2");
        assert_ne!(nobody1, nobody2, "\"anonymous\" is not one person");
        let anon1 = k.pseudonym(&[], None, None, "digest:Blad1:3");
        let anon2 = k.pseudonym(&[], None, None, "digest:Blad1:4");
        assert_ne!(anon1, anon2);
    }
}
