//! Small numeric helpers shared by the scoring: means, rounding for output, quantiles and percentile
//! ranks. Rounding happens once, when a figure leaves the scoring, so the same data always gives the
//! same bytes.

/// Sum of integer answers, how many were answered and how many were left missing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub sum: i64,
    pub answered: u32,
    pub missing: u32,
}

impl Tally {
    pub fn add(&mut self, value: Option<i16>) {
        match value {
            Some(v) => {
                self.sum += i64::from(v);
                self.answered += 1;
            }
            None => self.missing += 1,
        }
    }

    /// The mean of the answered values; `None` when nothing was answered (missing is never zero).
    pub fn mean(&self) -> Option<f64> {
        (self.answered > 0).then(|| self.sum as f64 / f64::from(self.answered))
    }
}

/// Running mean of floating-point values (added in a fixed order by the caller).
#[derive(Debug, Clone, Copy, Default)]
pub struct Mean {
    sum: f64,
    n: usize,
}

impl Mean {
    pub fn add(&mut self, x: f64) {
        self.sum += x;
        self.n += 1;
    }

    pub fn n(&self) -> usize {
        self.n
    }

    pub fn get(&self) -> Option<f64> {
        (self.n > 0).then(|| self.sum / self.n as f64)
    }
}

/// Weighted mean of `(value, weight)` pairs; `None` when the weights add up to nothing.
pub fn weighted_mean(pairs: impl IntoIterator<Item = (f64, f64)>) -> Option<f64> {
    let (mut sum, mut weights) = (0.0, 0.0);
    for (x, w) in pairs {
        sum += x * w;
        weights += w;
    }
    (weights > 0.0).then(|| sum / weights)
}

/// A score or mean as shown: one decimal. Adding 0.0 turns a rounded −0.0 into 0.0.
pub fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0 + 0.0
}

/// A share as shown: three decimals.
pub fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0 + 0.0
}

/// Position of `x` on a scale from `min` to `max`, as 0–100.
pub fn to_percent(x: f64, min: f64, max: f64) -> f64 {
    if max > min {
        (x - min) / (max - min) * 100.0
    } else {
        0.0
    }
}

/// The `p`-quantile (0–1) of sorted values, interpolating linearly between the closest ranks
/// (the common "type 7" definition: the median of 1, 2, 3, 4 is 2.5).
pub fn quantile(sorted: &[f64], p: f64) -> Option<f64> {
    let last = sorted.len().checked_sub(1)?;
    let h = last as f64 * p.clamp(0.0, 1.0);
    let lo = h.floor() as usize;
    let hi = h.ceil() as usize;
    let (a, b) = (*sorted.get(lo)?, *sorted.get(hi)?);
    Some(a + (b - a) * (h - lo as f64))
}

/// Mid-rank percentile of `x` among `values` (which include `x`): the share below it plus half the
/// share equal to it, × 100. The lowest of five distinct values is at 10, the highest at 90.
pub fn percentile_rank(values: &[f64], x: f64) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let below = values.iter().filter(|v| **v < x).count() as f64;
    let equal = values.iter().filter(|v| **v == x).count() as f64;
    Some((below + 0.5 * equal) / values.len() as f64 * 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_answer_is_not_a_zero() {
        let mut t = Tally::default();
        t.add(Some(4));
        t.add(None);
        t.add(Some(2));
        assert_eq!(t.mean(), Some(3.0));
        assert_eq!((t.answered, t.missing), (2, 1));
        assert_eq!(Tally::default().mean(), None);
    }

    #[test]
    fn rounding_is_stable_and_never_negative_zero() {
        assert_eq!(round1(62.45), 62.5);
        assert_eq!(round1(-0.04).to_string(), "0");
        assert_eq!(round3(0.5454), 0.545);
    }

    #[test]
    fn quantiles_interpolate_between_ranks() {
        let v = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(quantile(&v, 0.5), Some(2.5));
        assert_eq!(quantile(&v, 0.25), Some(1.75));
        assert_eq!(quantile(&v, 0.0), Some(1.0));
        assert_eq!(quantile(&v, 1.0), Some(4.0));
        assert_eq!(quantile(&[], 0.5), None);
    }

    #[test]
    fn percentile_rank_is_mid_rank() {
        let v = [10.0, 20.0, 30.0, 40.0, 50.0];
        assert_eq!(percentile_rank(&v, 10.0), Some(10.0));
        assert_eq!(percentile_rank(&v, 30.0), Some(50.0));
        assert_eq!(percentile_rank(&v, 50.0), Some(90.0));
    }
}
