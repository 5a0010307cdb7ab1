//! Disclosure control for the figures of one scan. Every figure the scoring publishes is a mean with
//! its `n`, so it publishes the *sum* of one variable (a respondent's aspect maturity, cluster score,
//! "at the expected level" 0/1 …) over a set of respondents: the organisation's total and the cells of
//! the breakdowns (respondent groups, teams, roles). Anyone can add and subtract those sums. A cell
//! under the threshold k is hidden; that is not enough (the total minus the shown roles is the hidden
//! role). This module hides more cells — complementary suppression — until no linear combination of
//! the published sums is a figure about fewer than k respondents.
//!
//! The check is exact. Respondents who belong to the same shown cells form an *atom*; every published
//! sum is constant on atoms, so the published figures span a space W over the atoms. A combination
//! supported on a set U of atoms is derivable iff some nonzero vector of W lives on U, iff the columns
//! of a basis Z of W's orthogonal complement (the null space of the cell × atom matrix) restricted to U
//! are linearly dependent. So: no set of atoms holding fewer than k respondents may have dependent
//! Z-columns. Arithmetic is over the integers (fraction-free elimination), never floating point.

/// One publishable sum: the respondents (indices) it covers, and whether it is shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Cell {
    pub members: Vec<usize>,
    pub shown: bool,
}

impl Cell {
    pub fn new(members: Vec<usize>) -> Self {
        Self {
            members,
            shown: true,
        }
    }
}

/// Hide cells under `k`, then hide more until no figure about fewer than `k` of the `total`
/// respondents can be derived from the total and the shown cells. Returns how many cells at or above
/// `k` were hidden for that (complementary suppression). The total itself is always published; its
/// caller only publishes it when it rests on at least `k`.
pub(super) fn protect(total: &[usize], cells: &mut [Cell], k: usize) -> usize {
    for c in cells.iter_mut() {
        c.shown = c.members.len() >= k;
    }
    let mut complementary = 0;
    loop {
        let Some(exposed) = exposed(total, cells, k) else {
            return complementary;
        };
        // Hide the smallest shown cell that touches the exposed respondents; if none does, the
        // exposure is a remainder (total minus cells): hide the smallest shown cell.
        let touches = |c: &Cell| c.members.iter().any(|m| exposed.contains(m));
        let pick = |filter: &dyn Fn(&Cell) -> bool| {
            cells
                .iter()
                .enumerate()
                .filter(|(_, c)| c.shown && filter(c))
                .min_by_key(|(i, c)| (c.members.len(), *i))
                .map(|(i, _)| i)
        };
        match pick(&touches).or_else(|| pick(&|_| true)) {
            Some(i) => {
                cells[i].shown = false;
                complementary += 1;
            }
            // Only the total is left, and a single sum over ≥ k respondents exposes no one.
            None => return complementary,
        }
    }
}

/// The respondents of a derivable figure about fewer than `k` of them, if there is one.
pub(super) fn exposed(total: &[usize], cells: &[Cell], k: usize) -> Option<Vec<usize>> {
    let shown: Vec<&Cell> = cells.iter().filter(|c| c.shown).collect();
    // Atoms: respondents of the total with the same membership in the shown cells (a bit per cell).
    let size = total.iter().max().map_or(0, |m| m + 1);
    let words = shown.len().div_ceil(64).max(1);
    let mut sig = vec![0u64; size * words];
    for (j, c) in shown.iter().enumerate() {
        for &m in &c.members {
            if m < size {
                sig[m * words + j / 64] |= 1 << (j % 64);
            }
        }
    }
    let mut index: std::collections::HashMap<&[u64], usize> = std::collections::HashMap::new();
    let mut atoms: Vec<(Vec<bool>, Vec<usize>)> = Vec::new();
    for &r in total {
        let key = &sig[r * words..(r + 1) * words];
        match index.get(key) {
            Some(a) => atoms[*a].1.push(r),
            None => {
                let bits = (0..shown.len())
                    .map(|j| key[j / 64] & (1 << (j % 64)) != 0)
                    .collect();
                index.insert(key, atoms.len());
                atoms.push((bits, vec![r]));
            }
        }
    }
    let small: Vec<usize> = (0..atoms.len()).filter(|a| atoms[*a].1.len() < k).collect();
    if small.is_empty() {
        return None;
    }
    // The cell × atom matrix, the total first.
    let mut rows: Vec<Vec<i128>> = vec![vec![1; atoms.len()]];
    for j in 0..shown.len() {
        rows.push(atoms.iter().map(|(s, _)| i128::from(s[j])).collect());
    }
    let Some(z) = null_space(rows, atoms.len()) else {
        // Numbers too large to decide exactly: assume the worst.
        return Some(small.iter().flat_map(|a| atoms[*a].1.clone()).collect());
    };
    let column = |a: usize| -> Vec<i128> { z.iter().map(|row| row[a]).collect() };
    let weights: Vec<usize> = small.iter().map(|a| atoms[*a].1.len()).collect();
    let columns: Vec<Vec<i128>> = small.iter().map(|a| column(*a)).collect();
    let found = dependent_subset(&columns, &weights, k)?;
    Some(
        found
            .into_iter()
            .flat_map(|i| atoms[small[i]].1.clone())
            .collect(),
    )
}

/// A set of columns of total weight under `k` that is linearly dependent (smallest sets first).
fn dependent_subset(columns: &[Vec<i128>], weights: &[usize], k: usize) -> Option<Vec<usize>> {
    fn search(
        columns: &[Vec<i128>],
        weights: &[usize],
        k: usize,
        start: usize,
        chosen: &mut Vec<usize>,
        basis: &[Vec<i128>],
        weight: usize,
    ) -> Option<Vec<usize>> {
        for i in start..columns.len() {
            if weight + weights[i] >= k {
                continue;
            }
            chosen.push(i);
            match reduce(basis, &columns[i]) {
                // Dependent on the chosen ones (or overflow: assume dependent).
                None => return Some(chosen.clone()),
                Some(v) => {
                    let mut next = basis.to_vec();
                    next.push(v);
                    if let Some(f) = search(
                        columns,
                        weights,
                        k,
                        i + 1,
                        chosen,
                        &next,
                        weight + weights[i],
                    ) {
                        return Some(f);
                    }
                }
            }
            chosen.pop();
        }
        None
    }
    search(columns, weights, k, 0, &mut Vec::new(), &[], 0)
}

fn gcd(a: i128, b: i128) -> i128 {
    let (mut a, mut b) = (a.abs(), b.abs());
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

fn normalise(v: &mut [i128]) {
    let g = v.iter().fold(0, |g, x| gcd(g, *x));
    if g > 1 {
        v.iter_mut().for_each(|x| *x /= g);
    }
}

/// `v` reduced against `basis`, whose vectors are each zero at the pivots (first nonzero entries) of
/// the vectors before them, as the vectors this returns are; `None` when `v` is in their span or a
/// number overflows.
fn reduce(basis: &[Vec<i128>], v: &[i128]) -> Option<Vec<i128>> {
    let mut v = v.to_vec();
    for b in basis {
        let p = b.iter().position(|x| *x != 0)?;
        if v[p] != 0 {
            let (a, c) = (b[p], v[p]);
            for (x, y) in v.iter_mut().zip(b) {
                *x = x.checked_mul(a)?.checked_sub(y.checked_mul(c)?)?;
            }
            normalise(&mut v);
        }
    }
    v.iter().any(|x| *x != 0).then_some(v)
}

/// A basis of the null space of `rows` (each of length `cols`), as integer vectors; `None` on
/// overflow.
fn null_space(mut rows: Vec<Vec<i128>>, cols: usize) -> Option<Vec<Vec<i128>>> {
    let mut pivots: Vec<usize> = Vec::new();
    let mut r = 0;
    for c in 0..cols {
        let Some(p) = (r..rows.len()).find(|i| rows[*i][c] != 0) else {
            continue;
        };
        rows.swap(r, p);
        for i in 0..rows.len() {
            if i != r && rows[i][c] != 0 {
                let (a, b) = (rows[r][c], rows[i][c]);
                let pivot_row = rows[r].clone();
                for (x, y) in rows[i].iter_mut().zip(&pivot_row) {
                    *x = x.checked_mul(a)?.checked_sub(y.checked_mul(b)?)?;
                }
                normalise(&mut rows[i]);
            }
        }
        pivots.push(c);
        r += 1;
        if r == rows.len() {
            break;
        }
    }
    let mut basis = Vec::new();
    for f in (0..cols).filter(|c| !pivots.contains(c)) {
        // x_f = L, x_pivot(i) = −row_i[f] · L / row_i[pivot(i)], L the lcm of the pivots.
        let mut l: i128 = 1;
        for (i, &p) in pivots.iter().enumerate() {
            let a = rows[i][p].abs();
            l = (l / gcd(l, a)).checked_mul(a)?;
        }
        let mut v = vec![0i128; cols];
        v[f] = l;
        for (i, &p) in pivots.iter().enumerate() {
            v[p] = (-rows[i][f]).checked_mul(l / rows[i][p])?;
        }
        normalise(&mut v);
        basis.push(v);
    }
    Some(basis)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(sets: &[&[usize]]) -> Vec<Cell> {
        sets.iter().map(|s| Cell::new(s.to_vec())).collect()
    }

    #[test]
    fn a_lone_director_beside_the_staff_is_not_the_total_minus_the_staff() {
        let total: Vec<usize> = (0..30).collect();
        let staff: Vec<usize> = (0..29).collect();
        let mut c = cells(&[&staff, &[29]]);
        let extra = protect(&total, &mut c, 5);
        assert!(!c[1].shown, "the director's own cell");
        assert!(
            !c[0].shown,
            "the staff cell, or total − staff is the director"
        );
        assert_eq!(extra, 1);
    }

    #[test]
    fn a_remainder_of_k_or_more_is_safe() {
        let total: Vec<usize> = (0..20).collect();
        let a: Vec<usize> = (0..10).collect();
        let b: Vec<usize> = (10..15).collect();
        let mut c = cells(&[&a, &b, &[15, 16, 17, 18, 19]]);
        assert_eq!(protect(&total, &mut c, 5), 0);
        assert!(c.iter().all(|c| c.shown));
    }

    #[test]
    fn two_remainders_of_one_are_hidden_by_hiding_a_third_cell() {
        // Groups: 6 + 6 + 1 (hidden); total − 6 − 6 = the one.
        let total: Vec<usize> = (0..13).collect();
        let a: Vec<usize> = (0..6).collect();
        let b: Vec<usize> = (6..12).collect();
        let mut c = cells(&[&a, &b, &[12]]);
        assert_eq!(protect(&total, &mut c, 5), 1);
        assert_eq!(c.iter().filter(|c| c.shown).count(), 1);
        assert_eq!(exposed(&total, &c, 5), None);
    }

    #[test]
    fn a_team_inside_a_role_does_not_give_the_difference() {
        // Role: 0..7; team: 0..5 → role − team = {5, 6}, two people: a figure about fewer than 5.
        let total: Vec<usize> = (0..14).collect();
        let role: Vec<usize> = (0..7).collect();
        let other_role: Vec<usize> = (7..14).collect();
        let team: Vec<usize> = (0..5).collect();
        let other_team: Vec<usize> = (5..14).collect();
        let mut c = cells(&[&role, &other_role, &team, &other_team]);
        assert!(exposed(&total, &c, 5).is_some());
        protect(&total, &mut c, 5);
        assert_eq!(exposed(&total, &c, 5), None);
        assert!(c.iter().any(|c| c.shown), "not everything needs to go");
    }

    #[test]
    fn null_space_is_exact() {
        let z = null_space(vec![vec![1, 1, 1], vec![1, 0, 0]], 3).unwrap_or_default();
        assert_eq!(z, vec![vec![0, -1, 1]]);
    }
}
