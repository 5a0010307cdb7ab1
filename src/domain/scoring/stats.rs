//! Small numeric helpers shared by the scoring: means, rounding for output, quantiles and percentile
//! ranks. Rounding happens once, when a figure leaves the scoring, so the same data always gives the
//! same bytes.

pub use crate::domain::format::round_half_up;

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

/// Running mean of floating-point values (added in a fixed order by the caller), with the sum of
/// squares for the spread behind an interval.
#[derive(Debug, Clone, Copy, Default)]
pub struct Mean {
    sum: f64,
    squares: f64,
    n: usize,
}

impl Mean {
    pub fn add(&mut self, x: f64) {
        self.sum += x;
        self.squares += x * x;
        self.n += 1;
    }

    pub fn n(&self) -> usize {
        self.n
    }

    pub fn get(&self) -> Option<f64> {
        (self.n > 0).then(|| self.sum / self.n as f64)
    }

    /// The sample variance (n − 1 in the denominator); `None` below two values.
    pub fn variance(&self) -> Option<f64> {
        if self.n < 2 {
            return None;
        }
        let n = self.n as f64;
        Some(((self.squares - self.sum * self.sum / n) / (n - 1.0)).max(0.0))
    }

    /// Half the width of the 95 % t-interval of the mean; `None` below two values.
    pub fn half_width(&self) -> Option<f64> {
        let v = self.variance()?;
        Some(t975(self.n - 1) * (v / self.n as f64).sqrt())
    }
}

/// The 97.5 % quantile of Student's t with `df` degrees of freedom (table to 30, then the
/// Cornish–Fisher expansion, within 0.001 of the exact value).
pub fn t975(df: usize) -> f64 {
    const TABLE: [f64; 30] = [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160,
        2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056,
        2.052, 2.048, 2.045, 2.042,
    ];
    match df {
        0 => f64::INFINITY,
        d if d <= 30 => TABLE[d - 1],
        d => {
            let z: f64 = 1.959_964;
            let n = d as f64;
            z + (z.powi(3) + z) / (4.0 * n)
                + (5.0 * z.powi(5) + 16.0 * z.powi(3) + 3.0 * z) / (96.0 * n * n)
        }
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

/// A score or mean as shown: one decimal, half up.
pub fn round1(x: f64) -> f64 {
    round_half_up(x, 1)
}

/// A share as shown: three decimals, half up.
pub fn round3(x: f64) -> f64 {
    round_half_up(x, 3)
}

/// A share resting on few respondents: whole percent (two decimals), half up.
pub fn round2(x: f64) -> f64 {
    round_half_up(x, 2)
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
        // A mean of exactly 3,25 summed as 3,2499999…: a hand calculation gives 3,3.
        assert_eq!(round1(3.249_999_999_999_999_6), 3.3);
        let m = (3.0 + 3.5 + 3.25 + 3.25) / 4.0;
        assert_eq!(round1(m), 3.3);
        assert_eq!(round1(3.25), 3.3);
        assert_eq!(round1(-3.25), -3.3);
        assert_eq!(round1(3.2499), 3.2);
        assert_eq!(round1(0.05), 0.1);
    }

    #[test]
    fn intervals_use_student_t() {
        let mut m = Mean::default();
        for x in [1.0, 2.0, 3.0] {
            m.add(x);
        }
        assert_eq!(m.variance(), Some(1.0));
        let h = m.half_width().unwrap_or_default();
        assert!((h - 4.303 / 3f64.sqrt()).abs() < 1e-9, "{h}");
        assert!((t975(100) - 1.984).abs() < 0.001, "{}", t975(100));
        assert!((t975(31) - 2.040).abs() < 0.001);
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
