//! Means and Student-t confidence intervals over replications.

use statrs::distribution::{ContinuousCDF, StudentsT};

/// A mean with its 95 % confidence interval over `n` replications.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Estimate {
    /// Sample mean (NaN if `n == 0`).
    pub mean: f64,
    /// Lower end of the 95 % CI (NaN if `n < 2`).
    pub ci95_low: f64,
    /// Upper end of the 95 % CI (NaN if `n < 2`).
    pub ci95_high: f64,
    /// Replications with a defined value.
    pub n: usize,
}

impl Estimate {
    /// Half the CI's width.
    pub fn half_width(&self) -> f64 {
        (self.ci95_high - self.ci95_low) / 2.0
    }
}

/// Mean and 95 % Student-t CI of the finite values in `xs` (NaN values are
/// replications where the metric was undefined, and are skipped).
pub fn mean_ci95(xs: impl IntoIterator<Item = f64>) -> Estimate {
    let v: Vec<f64> = xs.into_iter().filter(|x| x.is_finite()).collect();
    let n = v.len();
    if n == 0 {
        return Estimate {
            mean: f64::NAN,
            ci95_low: f64::NAN,
            ci95_high: f64::NAN,
            n,
        };
    }
    let mean = v.iter().sum::<f64>() / n as f64;
    if n < 2 {
        return Estimate {
            mean,
            ci95_low: f64::NAN,
            ci95_high: f64::NAN,
            n,
        };
    }
    let var = v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
    let half = t_975(n - 1) * (var / n as f64).sqrt();
    Estimate {
        mean,
        ci95_low: mean - half,
        ci95_high: mean + half,
        n,
    }
}

impl Estimate {
    /// The CI clipped to `range`, the values the metric can take
    /// ([`super::value_range`]): a Student-t interval over few replications
    /// can reach past them. The mean is never changed.
    pub fn clipped(self, (low, high): (f64, f64)) -> Estimate {
        Estimate {
            ci95_low: self.ci95_low.clamp(low, high),
            ci95_high: self.ci95_high.clamp(low, high),
            ..self
        }
    }
}

/// The 0.975 quantile of Student's t with `df` degrees of freedom.
pub fn t_975(df: usize) -> f64 {
    StudentsT::new(0.0, 1.0, df as f64)
        .map(|t| t.inverse_cdf(0.975))
        .unwrap_or(1.959_963_984_540_054)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cis_are_clipped_to_what_the_unit_allows() {
        use crate::metrics::MetricUnit;
        let e = mean_ci95([0.5, 1.0]); // mean 0.75, t(1) makes the CI wide
        assert!(e.ci95_low < 0.0 && e.ci95_high > 1.0);
        let range = |key, unit| crate::metrics::value_range(key, unit);
        let share = e.clipped(range("any_share", MetricUnit::Share));
        assert_eq!(
            (share.ci95_low, share.mean, share.ci95_high),
            (0.0, 0.75, 1.0)
        );
        let count = e.clipped(range("booked_visits", MetricUnit::Count));
        assert_eq!(count.ci95_low, 0.0);
        assert_eq!(count.ci95_high, e.ci95_high);
        assert!(
            mean_ci95([1.0])
                .clipped(range("any_share", MetricUnit::Share))
                .ci95_low
                .is_nan()
        );
        // A trend may be negative: its interval is the Student-t one,
        // containing its (negative) mean.
        let falling = mean_ci95([-2.356, -2.663]);
        let growth = "third_next_available_growth_days";
        assert_eq!(falling.clipped(range(growth, MetricUnit::Days)), falling);
        assert!(falling.ci95_low < falling.mean && falling.mean < falling.ci95_high);
        assert_eq!(
            e.clipped(range(growth, MetricUnit::Days)).ci95_low,
            e.ci95_low
        );
    }

    #[test]
    fn t_quantiles_match_tables() {
        assert!((t_975(1) - 12.706).abs() < 1e-3);
        assert!((t_975(9) - 2.262).abs() < 1e-3);
        assert!((t_975(29) - 2.045).abs() < 1e-3);
    }

    #[test]
    fn ci_of_known_sample() {
        let e = mean_ci95([1.0, 2.0, 3.0, 4.0, f64::NAN]);
        assert_eq!(e.n, 4);
        assert!((e.mean - 2.5).abs() < 1e-12);
        // sd = 1.29099, se = 0.645497, t(3) = 3.182446
        assert!((e.half_width() - 3.182_446 * 0.645_497).abs() < 1e-4);
        assert!(mean_ci95([5.0]).ci95_low.is_nan());
    }
}
