//! Tests of the scoring: the worked example of `docs/scoring.md`, and property tests of its
//! invariants.

mod disclosure;
mod method;
mod properties;
mod trend_benchmark;
mod worked_example;

use super::{AnswerInput, RespondentInput};
use crate::domain::catalogue::{Catalogue, parse};

pub(super) fn catalogue() -> Catalogue {
    parse(&crate::catalogue::builtin_files()).expect("built-in catalogue")
}

/// A respondent with answers given as (code, value or `None` for missing).
pub(super) fn respondent(
    pseudonym: &str,
    group: &str,
    role: &str,
    team: Option<&str>,
    answers: &[(&str, Option<i16>)],
) -> RespondentInput {
    RespondentInput {
        pseudonym: pseudonym.to_owned(),
        role: Some(role.to_owned()),
        team: team.map(str::to_owned),
        group: Some(group.to_owned()),
        answers: answers
            .iter()
            .map(|(c, v)| AnswerInput::new(*c, *v))
            .collect(),
    }
}
