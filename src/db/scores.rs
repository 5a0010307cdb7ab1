//! What scoring reads from the database: a scan's respondents (role, team, group) with their answers,
//! the organisation's staff headcount and role-profile overrides, and its previous scan; or, for a
//! federation benchmark, every member's scan of a year. A handful of queries whatever the number of
//! respondents, returning domain types ([`ScanInput`]).

use std::collections::HashMap;
use std::sync::Arc;

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Statement};

use super::entities::{organisation, role_profile_override, scan};
use super::federations::find_federation;
use super::organisations::organisation_by_slug;
use super::scans::scans_of;
use super::{DbError, Federation, Organisation, statement};
use crate::domain::scoring::{AnswerInput, CodeMap, RespondentInput, RoleOverrides, ScanInput};

/// Scans read in one query at most (keeps each result set, and memory, bounded).
const SCANS_PER_QUERY: usize = 50;
/// Ids per `IN (…)` list, well under the bind-parameter limits of SQLite and PostgreSQL.
const IDS_PER_QUERY: usize = 5_000;

/// Everything `score` needs for one organisation and year.
#[derive(Debug, Clone)]
pub struct ScoreInputs {
    pub organisation: Organisation,
    /// The id of the scan of `current`.
    pub scan_id: i32,
    pub current: ScanInput,
    /// The organisation's latest scan before `current`, if any.
    pub previous: Option<ScanInput>,
    /// The years the organisation has a scan for, oldest first.
    pub years: Vec<i32>,
}

/// One scan to load, with what the scoring needs to know of its organisation.
struct ScanRef {
    scan_id: i32,
    organisation_id: i32,
    slug: String,
    sector: Option<String>,
    staff_headcount: Option<i32>,
    year: i32,
    catalogue_version: String,
}

/// Load an organisation's scan of `year` and its previous scan. Errors name the organisation and year.
pub async fn score_inputs<C: ConnectionTrait>(
    db: &C,
    organisation_slug: &str,
    year: i32,
) -> Result<ScoreInputs, DbError> {
    let org = organisation_by_slug(db, organisation_slug).await?;
    let scans = scans_of(db, org.id).await?;
    let years: Vec<i32> = scans.iter().map(|s| s.year).collect();
    let Some(current) = scans.iter().find(|s| s.year == year) else {
        return Err(DbError::NoScan {
            organisation: org.slug,
            year,
            years,
        });
    };
    let current_id = current.id;
    let previous = scans
        .iter()
        .filter(|s| s.year < year)
        .max_by_key(|s| s.year);
    let refs: Vec<ScanRef> = std::iter::once(current)
        .chain(previous)
        .map(|s| ScanRef {
            scan_id: s.id,
            organisation_id: org.id,
            slug: org.slug.clone(),
            sector: org.sector.clone(),
            staff_headcount: org.staff_headcount,
            year: s.year,
            catalogue_version: s.catalogue_version.clone(),
        })
        .collect();
    let mut loaded = load(db, &refs).await?.into_iter();
    let current = loaded.next().ok_or_else(|| DbError::NotFound {
        what: "scan",
        key: format!("{} {year}", org.slug),
    })?;
    Ok(ScoreInputs {
        organisation: org,
        scan_id: current_id,
        current,
        previous: loaded.next(),
        years,
    })
}

/// Every member's scan of `year` in the federation named by slug or name.
pub async fn benchmark_inputs<C: ConnectionTrait>(
    db: &C,
    federation_key: &str,
    year: i32,
) -> Result<(Federation, Vec<ScanInput>), DbError> {
    let federation =
        find_federation(db, federation_key)
            .await?
            .ok_or_else(|| DbError::NotFound {
                what: "federation",
                key: federation_key.trim().to_owned(),
            })?;
    let members: HashMap<i32, organisation::Model> = organisation::Entity::find()
        .filter(organisation::Column::FederationId.eq(federation.id))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o))
        .collect();
    let mut refs = Vec::new();
    let ids: Vec<i32> = members.keys().copied().collect();
    for chunk in ids.chunks(IDS_PER_QUERY) {
        let scans = scan::Entity::find()
            .filter(scan::Column::Year.eq(year))
            .filter(scan::Column::OrganisationId.is_in(chunk.to_vec()))
            .all(db)
            .await?;
        refs.extend(scans.into_iter().filter_map(|s| {
            let o = members.get(&s.organisation_id)?;
            Some(ScanRef {
                scan_id: s.id,
                organisation_id: o.id,
                slug: o.slug.clone(),
                sector: o.sector.clone(),
                staff_headcount: o.staff_headcount,
                year: s.year,
                catalogue_version: s.catalogue_version,
            })
        }));
    }
    refs.sort_by(|a, b| a.slug.cmp(&b.slug));
    Ok((federation, load(db, &refs).await?))
}

/// Load the scans in `refs`, in that order: the role-profile overrides in one query, then the
/// respondents (with their team's name) and their answers folded into one text per respondent
/// (`A1Q1:3,A1Q2:,…`, an empty value = missing), so the database returns one row per respondent
/// instead of one per answer. Chunks of scans are read concurrently on the pool's connections.
async fn load<C: ConnectionTrait>(db: &C, refs: &[ScanRef]) -> Result<Vec<ScanInput>, DbError> {
    let mut org_ids: Vec<i32> = refs.iter().map(|r| r.organisation_id).collect();
    org_ids.sort_unstable();
    org_ids.dedup();
    let mut overrides: HashMap<i32, RoleOverrides> = HashMap::new();
    for chunk in org_ids.chunks(IDS_PER_QUERY) {
        for o in role_profile_override::Entity::find()
            .filter(role_profile_override::Column::OrganisationId.is_in(chunk.to_vec()))
            .all(db)
            .await?
        {
            let expected = u8::try_from(o.expected).unwrap_or(0);
            overrides
                .entry(o.organisation_id)
                .or_default()
                .insert(o.role, o.cluster, expected);
        }
    }
    let mut out: Vec<ScanInput> = refs
        .iter()
        .map(|r| ScanInput {
            organisation: r.slug.clone(),
            sector: r.sector.clone(),
            year: r.year,
            catalogue_version: r.catalogue_version.clone(),
            staff_headcount: r.staff_headcount.and_then(|n| u32::try_from(n).ok()),
            respondents: Vec::new(),
            role_overrides: overrides
                .get(&r.organisation_id)
                .cloned()
                .unwrap_or_default(),
        })
        .collect();
    let position: HashMap<i32, usize> = refs
        .iter()
        .enumerate()
        .map(|(i, r)| (r.scan_id, i))
        .collect();
    // Whole waves of PARALLEL_QUERIES chunks (so a scan and its previous scan load side by side), each
    // chunk at most SCANS_PER_QUERY scans.
    let waves = refs
        .len()
        .div_ceil(PARALLEL_QUERIES * SCANS_PER_QUERY)
        .max(1);
    let per_chunk = refs.len().div_ceil(waves * PARALLEL_QUERIES).max(1);
    let chunks: Vec<Vec<i32>> = refs
        .chunks(per_chunk)
        .map(|c| c.iter().map(|r| r.scan_id).collect())
        .collect();
    let mut codes = Codes::default();
    for wave in chunks.chunks(PARALLEL_QUERIES) {
        let results = read_concurrently(db, wave).await;
        for rows in results {
            for row in rows? {
                let Some(&s) = position.get(&row.scan_id) else {
                    continue;
                };
                out[s].respondents.push(RespondentInput {
                    pseudonym: row.pseudonym,
                    role: row.role,
                    team: row.team,
                    group: row.group,
                    answers: codes.parse(row.answers.as_deref().unwrap_or("")),
                });
            }
        }
    }
    Ok(out)
}

/// Scans read concurrently (one query each).
const PARALLEL_QUERIES: usize = 4;

/// One respondent row with its answers folded into text.
struct RespondentRow {
    scan_id: i32,
    pseudonym: String,
    role: Option<String>,
    team: Option<String>,
    group: Option<String>,
    answers: Option<String>,
}

/// Run the respondent query for each chunk of scan ids at the same time.
async fn read_concurrently<C: ConnectionTrait>(
    db: &C,
    wave: &[Vec<i32>],
) -> Vec<Result<Vec<RespondentRow>, DbError>> {
    let mut pending: Vec<_> = wave
        .iter()
        .map(|ids| Box::pin(respondent_rows(db, ids)))
        .collect();
    let mut results: Vec<Option<Result<Vec<RespondentRow>, DbError>>> =
        (0..pending.len()).map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut done = true;
        for (i, fut) in pending.iter_mut().enumerate() {
            if results[i].is_none() {
                match fut.as_mut().poll(cx) {
                    std::task::Poll::Ready(r) => results[i] = Some(r),
                    std::task::Poll::Pending => done = false,
                }
            }
        }
        if done {
            std::task::Poll::Ready(())
        } else {
            std::task::Poll::Pending
        }
    })
    .await;
    results.into_iter().flatten().collect()
}

/// The respondents of these scans, each with their answers as one text (`answers_packed`, see
/// [`super::packed`]). The ids are integers from the database, formatted into the statement (no user
/// text reaches it).
async fn respondent_rows<C: ConnectionTrait>(
    db: &C,
    scan_ids: &[i32],
) -> Result<Vec<RespondentRow>, DbError> {
    let backend = db.get_database_backend();
    let ids: Vec<String> = scan_ids.iter().map(i32::to_string).collect();
    let sql = format!(
        "SELECT r.scan_id, r.pseudonym, r.role, t.name, r.respondent_group, \
         coalesce(r.answers_packed, '') \
         FROM respondents r LEFT JOIN teams t ON t.id = r.team_id WHERE r.scan_id IN ({})",
        ids.join(",")
    );
    let rows = db
        .query_all_raw(Statement::from_string(backend, sql))
        .await?;
    rows.into_iter()
        .map(|row| {
            Ok(RespondentRow {
                scan_id: row.try_get_by_index(0)?,
                pseudonym: row.try_get_by_index(1)?,
                role: row.try_get_by_index(2)?,
                team: row.try_get_by_index(3)?,
                group: row.try_get_by_index(4)?,
                answers: row.try_get_by_index(5)?,
            })
        })
        .collect()
}

/// Answer codes shared across respondents. Consecutive respondents mostly answered the same codes in
/// the same (index) order, so the code at the same position of the previous respondent is tried first.
#[derive(Default)]
struct Codes {
    known: CodeMap<String, Arc<str>>,
    previous: Vec<Arc<str>>,
}

impl Codes {
    /// `A1Q1:3,A1Q2:dont_know,C2K1:4` → answers (a missing answer has no value, whatever its reason).
    fn parse(&mut self, text: &str) -> Vec<AnswerInput> {
        let mut answers = Vec::with_capacity(self.previous.len());
        for (i, (code, value, _)) in super::packed::entries(text).enumerate() {
            let code = match self.previous.get(i) {
                Some(c) if &**c == code => Arc::clone(c),
                _ => self.intern(code),
            };
            answers.push(AnswerInput { code, value });
        }
        self.previous.clear();
        self.previous
            .extend(answers.iter().map(|a| Arc::clone(&a.code)));
        answers
    }

    fn intern(&mut self, code: &str) -> Arc<str> {
        if let Some(c) = self.known.get(code) {
            return Arc::clone(c);
        }
        let c: Arc<str> = Arc::from(code);
        self.known.insert(code.to_owned(), Arc::clone(&c));
        c
    }
}

/// What a score of the organisation depends on besides the catalogue: its data revision (raised in
/// the transaction of every import and advice, so it follows the order of commits on every instance),
/// its staff headcount and its role-profile overrides. Equal revisions, equal scores.
pub async fn score_revision<C: ConnectionTrait>(
    db: &C,
    organisation_id: i32,
) -> Result<(i64, i64, i64), DbError> {
    let sql = "SELECT \
        (SELECT data_revision FROM organisations WHERE id = $1), \
        (SELECT COALESCE(staff_headcount, -1) FROM organisations WHERE id = $1), \
        (SELECT COUNT(*) FROM role_profile_overrides WHERE organisation_id = $1)";
    let row = db
        .query_one_raw(statement(db, sql, vec![organisation_id.into()]))
        .await?
        .ok_or_else(|| DbError::NotFound {
            what: "organisation",
            key: organisation_id.to_string(),
        })?;
    let get = |i: usize| -> Result<i64, DbError> {
        row.try_get_by_index::<i64>(i)
            .or_else(|_| row.try_get_by_index::<i32>(i).map(i64::from))
            .map_err(DbError::from)
    };
    Ok((get(0)?, get(1)?, get(2)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folded_answers_parse_back() {
        let mut codes = Codes::default();
        let a = codes.parse("A1Q1:3,A1Q2:,C2K1:4");
        let got: Vec<(&str, Option<i16>)> = a.iter().map(|x| (&*x.code, x.value)).collect();
        assert_eq!(
            got,
            vec![("A1Q1", Some(3)), ("A1Q2", None), ("C2K1", Some(4))]
        );
        assert!(codes.parse("").is_empty());
        assert!(Arc::ptr_eq(&codes.parse("A1Q1:1")[0].code, &a[0].code));
    }

    #[test]
    fn missing_answers_have_no_value_whatever_their_reason() {
        let answers = vec![
            ("A1Q1".to_owned(), Some(0), None),
            ("C3S2".to_owned(), None, Some("dont_know".to_owned())),
            ("C9A1".to_owned(), Some(5), None),
            ("A8Q4".to_owned(), None, Some("not_applicable".to_owned())),
        ];
        let text = super::super::packed::fold(&answers);
        let back: Vec<(String, Option<i16>)> = Codes::default()
            .parse(&text)
            .iter()
            .map(|a| (a.code.to_string(), a.value))
            .collect();
        let want: Vec<(String, Option<i16>)> =
            answers.into_iter().map(|(c, v, _)| (c, v)).collect();
        assert_eq!(back, want);
    }
}
