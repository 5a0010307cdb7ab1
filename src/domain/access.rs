//! Who may see and do what: the one place that decides it. The service asks this module before it
//! touches an organisation's or a federation's data (see `http::scope`); nothing else decides access.
//!
//! - **admin** — the installation: everything.
//! - **federation analyst** — lists the members of their federation and reads its benchmark, which
//!   is aggregate; a member's own scores, answers and reports stay with the member.
//! - **process counsellor** — the organisations assigned to them: everything about those.
//! - **quality coordinator** — one organisation: everything about it.
//!
//! An organisation or federation the principal has nothing to do with is *not found* (its existence
//! is not confirmed); one they know but may not use this way is *forbidden*.

use serde::Serialize;

/// The role of an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Admin,
    Federation,
    Counsellor,
    Coordinator,
}

impl Role {
    pub const ALL: [Role; 4] = [
        Role::Admin,
        Role::Federation,
        Role::Counsellor,
        Role::Coordinator,
    ];

    /// The stored and command-line name.
    pub fn code(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Federation => "federation",
            Role::Counsellor => "counsellor",
            Role::Coordinator => "coordinator",
        }
    }

    /// The role by its code, Dutch names accepted too.
    pub fn parse(s: &str) -> Option<Role> {
        match s.trim().to_ascii_lowercase().as_str() {
            "admin" | "beheerder" => Some(Role::Admin),
            "federation" | "koepel" | "analyst" => Some(Role::Federation),
            "counsellor" | "counselor" | "procesbegeleider" => Some(Role::Counsellor),
            "coordinator" | "kwaliteitscoordinator" | "kwaliteitscoördinator" => {
                Some(Role::Coordinator)
            }
            _ => None,
        }
    }
}

impl std::str::FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::parse(s).ok_or_else(|| {
            format!("unknown role `{s}`: use admin, federation, counsellor or coordinator")
        })
    }
}

/// The account behind a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Principal {
    pub user_id: i32,
    pub email: String,
    pub role: Role,
    /// A coordinator's organisation.
    pub organisation_id: Option<i32>,
    /// A federation analyst's federation.
    pub federation_id: Option<i32>,
    /// A counsellor's assigned organisations.
    pub assigned: Vec<i32>,
}

/// An organisation as access sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OrgRef {
    pub id: i32,
    pub federation_id: Option<i32>,
}

/// What is done with an organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrgAction {
    /// Its name in a list.
    List,
    /// Its scores, dashboard and checklists.
    ReadScore,
    /// Importing questionnaires into its scans.
    Import,
    /// Rendering and downloading its reports.
    Reports,
    /// E-mailing its reports and seeing what became of them.
    Send,
    /// Writing the process counsellor's advice and action plan of its scans. The organisation's own
    /// coordinator reads the advice (in the advice report) but does not write it.
    Advise,
    /// Updating the status of the actions of its action plan: the organisation's coordinator
    /// too, who carries them out.
    TrackPlan,
}

/// The answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Allow,
    /// Known to the principal, but not theirs to use this way (403).
    Forbidden,
    /// Nothing to do with the principal (404).
    NotFound,
}

impl Principal {
    /// May this principal do `action` with `org`?
    pub fn organisation(&self, org: OrgRef, action: OrgAction) -> Decision {
        let related = match self.role {
            Role::Admin => return Decision::Allow,
            Role::Coordinator => self.organisation_id == Some(org.id),
            Role::Counsellor => self.assigned.contains(&org.id),
            Role::Federation => {
                self.federation_id.is_some() && org.federation_id == self.federation_id
            }
        };
        match (related, self.role, action) {
            (false, _, _) => Decision::NotFound,
            (true, Role::Federation, OrgAction::List) => Decision::Allow,
            (true, Role::Federation, _) => Decision::Forbidden,
            (true, Role::Coordinator, OrgAction::Advise) => Decision::Forbidden,
            (true, _, _) => Decision::Allow,
        }
    }

    /// May this principal read the (aggregate) benchmark of federation `federation_id`? A federation
    /// this account may not see answers as one that does not exist, so nobody learns which
    /// federations there are.
    pub fn federation(&self, federation_id: i32) -> Decision {
        match self.role {
            Role::Admin => Decision::Allow,
            Role::Federation if self.federation_id == Some(federation_id) => Decision::Allow,
            Role::Federation | Role::Counsellor | Role::Coordinator => Decision::NotFound,
        }
    }

    /// The installation's own records — accounts, API tokens, the outbox as a whole (every
    /// organisation's messages) and every send — are the admin's.
    pub fn installation(&self) -> Decision {
        if self.role == Role::Admin {
            Decision::Allow
        } else {
            Decision::Forbidden
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn principal(role: Role) -> Principal {
        Principal {
            user_id: 1,
            email: "x@example.org".into(),
            role,
            organisation_id: (role == Role::Coordinator).then_some(1),
            federation_id: (role == Role::Federation).then_some(10),
            assigned: if role == Role::Counsellor {
                vec![1]
            } else {
                vec![]
            },
        }
    }

    const OWN: OrgRef = OrgRef {
        id: 1,
        federation_id: Some(10),
    };
    const FOREIGN: OrgRef = OrgRef {
        id: 2,
        federation_id: Some(20),
    };

    #[test]
    fn everyone_but_the_admin_is_kept_out_of_foreign_organisations() {
        for role in Role::ALL {
            let p = principal(role);
            let want = if role == Role::Admin {
                Decision::Allow
            } else {
                Decision::NotFound
            };
            for action in [
                OrgAction::List,
                OrgAction::ReadScore,
                OrgAction::Send,
                OrgAction::Advise,
            ] {
                assert_eq!(p.organisation(FOREIGN, action), want, "{role:?} {action:?}");
            }
        }
    }

    #[test]
    fn a_federation_analyst_lists_members_but_reads_no_member_data() {
        let p = principal(Role::Federation);
        assert_eq!(p.organisation(OWN, OrgAction::List), Decision::Allow);
        for action in [
            OrgAction::ReadScore,
            OrgAction::Import,
            OrgAction::Reports,
            OrgAction::Send,
            OrgAction::Advise,
        ] {
            assert_eq!(p.organisation(OWN, action), Decision::Forbidden);
        }
        assert_eq!(p.federation(10), Decision::Allow);
        assert_eq!(p.federation(20), Decision::NotFound);
    }

    #[test]
    fn coordinators_and_counsellors_use_their_own_organisation_but_no_benchmark() {
        for role in [Role::Coordinator, Role::Counsellor] {
            let p = principal(role);
            assert_eq!(p.organisation(OWN, OrgAction::Import), Decision::Allow);
            assert_eq!(
                p.federation(10),
                Decision::NotFound,
                "as if it did not exist"
            );
            assert_eq!(p.installation(), Decision::Forbidden);
        }
    }

    #[test]
    fn the_counsellor_writes_the_advice_the_coordinator_reads_it() {
        let counsellor = principal(Role::Counsellor);
        let coordinator = principal(Role::Coordinator);
        assert_eq!(
            counsellor.organisation(OWN, OrgAction::Advise),
            Decision::Allow
        );
        assert_eq!(
            coordinator.organisation(OWN, OrgAction::Advise),
            Decision::Forbidden
        );
        assert_eq!(
            coordinator.organisation(OWN, OrgAction::ReadScore),
            Decision::Allow
        );
        for p in [&counsellor, &coordinator] {
            assert_eq!(p.organisation(OWN, OrgAction::TrackPlan), Decision::Allow);
        }
        assert_eq!(
            principal(Role::Federation).organisation(OWN, OrgAction::TrackPlan),
            Decision::Forbidden
        );
        assert_eq!(
            principal(Role::Admin).organisation(FOREIGN, OrgAction::Advise),
            Decision::Allow
        );
    }

    #[test]
    fn roles_parse_in_english_and_dutch() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.code()), Some(role));
        }
        assert_eq!(Role::parse("Procesbegeleider"), Some(Role::Counsellor));
        assert_eq!(Role::parse("boss"), None);
    }
}
