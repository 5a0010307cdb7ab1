//! Keyed pseudonyms for respondents. E-mail, name and token are personal data: they are turned into an
//! HMAC-SHA256 with the installation's secret key and never stored or logged. The same person gets the
//! same pseudonym in every import of the installation, so a second answer replaces the first.

use chrono::{DateTime, Utc};

use super::columns::Meta;
pub use crate::domain::respondent::PseudonymKey;

/// Values survey tools write in an identity column when they do not know who answered.
const ANONYMOUS: [&str; 4] = ["anonymous", "anoniem", "anonyme", "-"];

/// The pseudonym of a respondent, from the identity columns of their row.
pub trait Pseudonymise {
    /// The respondent's pseudonym from the strongest identity the row has: e-mail, then token, then
    /// name, then the survey tool's response id with its times; a row without any of them is a person
    /// of its own (`anonymous` names the file and row).
    fn pseudonym(
        &self,
        identity: &[(Meta, String)],
        started: Option<DateTime<Utc>>,
        submitted: Option<DateTime<Utc>>,
        anonymous: &str,
    ) -> String;
}

/// Whether a value in an identity column names somebody: not empty and not what survey tools write
/// for "unknown" (Microsoft Forms writes "anonymous" when the form did not ask who answered).
fn known(v: &str) -> bool {
    !v.trim().is_empty() && !ANONYMOUS.contains(&v.trim().to_lowercase().as_str())
}

/// Whether a row's identity columns name nobody, so that its pseudonym is the file's and row's own.
pub fn nobody(identity: &[(Meta, String)]) -> bool {
    !identity.iter().any(|(m, v)| {
        matches!(m, Meta::Email | Meta::Token | Meta::Name | Meta::ResponseId) && known(v)
    })
}

impl Pseudonymise for PseudonymKey {
    fn pseudonym(
        &self,
        identity: &[(Meta, String)],
        started: Option<DateTime<Utc>>,
        submitted: Option<DateTime<Utc>>,
        anonymous: &str,
    ) -> String {
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
            return self.digest(&format!("email:{}", fold(e)));
        }
        if let Some(t) = get(Meta::Token) {
            return self.digest(&format!("token:{}", t));
        }
        if let Some(n) = get(Meta::Name) {
            return self.digest(&format!("name:{}", fold(n)));
        }
        if let Some(id) = get(Meta::ResponseId) {
            let t =
                |d: Option<DateTime<Utc>>| d.map(|d| d.timestamp().to_string()).unwrap_or_default();
            return self.digest(&format!("response:{id}:{}:{}", t(started), t(submitted)));
        }
        self.digest(&format!("row:{anonymous}"))
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
