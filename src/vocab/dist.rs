//! Probability distributions of non-negative quantities (durations, mostly),
//! sampled on the simulator's hot path.
//!
//! Scenario files name them (the scenario module's `dist_spec` reads the written form):
//!
//! | name          | parameters             | sampled by |
//! |---------------|------------------------|------------|
//! | `constant`    | `value`                | — |
//! | `exponential` | `mean`                 | ziggurat (`rand_distr::Exp1`) |
//! | `uniform`     | `min`, `max`           | inversion, one uniform |
//! | `triangular`  | `min`, `mode`, `max`   | inversion, one uniform |
//! | `normal`      | `mean`, `sd`           | normal truncated at 0: negative draws are redrawn |
//! | `lognormal`   | `mean`, `sd`           | mean and sd of the value itself, not of its logarithm |
//! | `gamma`       | `mean`, `sd`           | shape (mean/sd)², scale sd²/mean (Marsaglia–Tsang) |
//! | `empirical`   | `values`, `weights`    | one of the values, with probability ∝ weight |
//!
//! Build a [`Distribution`] with its constructors, which check the
//! parameters and precompute what sampling needs, so that
//! [`Distribution::sample`] neither allocates nor recomputes logarithms.
//! Units are the caller's (scenarios use minutes).
//!
//! ```
//! use vardsim::engine::StreamKey;
//! use vardsim::vocab::dist::Distribution;
//!
//! let service = Distribution::lognormal(22.5, 10.0)?;
//! assert_eq!(service.mean(), 22.5);
//! let mut stream = StreamKey { seed: 1, scenario: "doc", replication: 0 }.stream("service");
//! let minutes = service.sample(&mut stream);
//! assert!(minutes > 0.0);
//!
//! assert!(Distribution::triangular(1.0, 6.0, 5.0).is_err()); // mode above max
//! # Ok::<(), String>(())
//! ```

use std::fmt;

use rand_distr::Distribution as _;
use statrs::distribution::{Continuous, ContinuousCDF, Normal as StdNormal};

use crate::engine::RandomSource;

/// A distribution of a non-negative quantity; see the module docs.
///
/// Build it with the constructors ([`Distribution::lognormal`], …): the
/// variants with a sampler field hold state precomputed from the other fields.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub enum Distribution {
    /// Always `value`.
    Constant {
        /// The value.
        value: f64,
    },
    /// Exponential with mean `mean`.
    Exponential {
        /// The mean (> 0).
        mean: f64,
    },
    /// Uniform on [`min`, `max`).
    Uniform {
        /// Lower bound (≥ 0).
        min: f64,
        /// Upper bound (≥ `min`).
        max: f64,
    },
    /// Triangular on [`min`, `max`] with its peak at `mode`.
    Triangular {
        /// Lower bound (≥ 0).
        min: f64,
        /// Most likely value, in [`min`, `max`].
        mode: f64,
        /// Upper bound (≥ `min`).
        max: f64,
    },
    /// Normal with parameters `mean` and `sd`, truncated at 0: draws below 0
    /// are redrawn, so the distribution's actual mean and sd
    /// ([`Distribution::mean`], [`Distribution::sd`]) are those of the
    /// truncated normal. With `mean` ≥ 0 at most half the draws are redrawn.
    Normal {
        /// Mean of the normal before truncation (≥ 0).
        mean: f64,
        /// Standard deviation of the normal before truncation (> 0).
        sd: f64,
        /// Sampler of the untruncated normal.
        #[serde(skip)]
        sampler: rand_distr::Normal<f64>,
    },
    /// Log-normal whose values (not their logarithms) have mean `mean` and
    /// standard deviation `sd`.
    LogNormal {
        /// Mean of the value (> 0).
        mean: f64,
        /// Standard deviation of the value (> 0).
        sd: f64,
        /// Sampler with μ = ln(mean) − σ²/2 and σ² = ln(1 + sd²/mean²).
        #[serde(skip)]
        sampler: rand_distr::LogNormal<f64>,
    },
    /// Gamma with mean `mean` and standard deviation `sd`.
    Gamma {
        /// Mean (> 0).
        mean: f64,
        /// Standard deviation (> 0).
        sd: f64,
        /// Sampler with shape (mean/sd)² and scale sd²/mean.
        #[serde(skip)]
        sampler: rand_distr::Gamma<f64>,
    },
    /// One of `values`, value `i` with probability proportional to its
    /// weight `cumulative[i] − cumulative[i − 1]`.
    Empirical {
        /// The values (each ≥ 0).
        values: Box<[f64]>,
        /// Running sums of the weights (non-decreasing, last one > 0).
        cumulative: Box<[f64]>,
    },
}

/// A rejected parameter: which one (e.g. `sd`, `weights[2]`) and what was
/// expected and found. The scenario loader turns these into problems at the
/// parameter's key.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Invalid {
    pub(crate) param: String,
    pub(crate) message: String,
}

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}`: {}", self.param, self.message)
    }
}

/// Collects rejected parameters, so that all are reported at once.
#[derive(Default)]
struct Checks(Vec<Invalid>);

impl Checks {
    fn fail(&mut self, param: impl Into<String>, message: String) {
        self.0.push(Invalid {
            param: param.into(),
            message,
        });
    }
    /// `x` must be finite and ≥ 0; returns whether it is.
    fn non_negative(&mut self, param: &str, x: f64) -> bool {
        let ok = x.is_finite() && x >= 0.0;
        if !ok {
            self.fail(param, format!("expected a finite number ≥ 0, found {x}"));
        }
        ok
    }
    /// `x` must be finite and > 0; returns whether it is.
    fn positive(&mut self, param: &str, x: f64) -> bool {
        let ok = x.is_finite() && x > 0.0;
        if !ok {
            self.fail(param, format!("expected a finite number > 0, found {x}"));
        }
        ok
    }
    fn done(self, d: impl FnOnce() -> Distribution) -> Result<Distribution, Vec<Invalid>> {
        if self.0.is_empty() {
            Ok(d())
        } else {
            Err(self.0)
        }
    }
}

/// The public constructors' error: every rejected parameter, on one line.
fn to_message(name: &str, r: Result<Distribution, Vec<Invalid>>) -> Result<Distribution, String> {
    r.map_err(|errs| {
        let list: Vec<String> = errs.iter().map(Invalid::to_string).collect();
        format!("invalid {name} distribution: {}", list.join("; "))
    })
}

impl Distribution {
    /// Always `value` (finite, ≥ 0).
    pub fn constant(value: f64) -> Result<Self, String> {
        to_message("constant", Self::try_constant(value))
    }

    /// Exponential with mean `mean` (finite, > 0).
    pub fn exponential(mean: f64) -> Result<Self, String> {
        to_message("exponential", Self::try_exponential(mean))
    }

    /// Uniform on [`min`, `max`), 0 ≤ `min` ≤ `max`.
    pub fn uniform(min: f64, max: f64) -> Result<Self, String> {
        to_message("uniform", Self::try_uniform(min, max))
    }

    /// Triangular on [`min`, `max`] peaking at `mode`, 0 ≤ `min` ≤ `mode` ≤ `max`.
    pub fn triangular(min: f64, mode: f64, max: f64) -> Result<Self, String> {
        to_message("triangular", Self::try_triangular(min, mode, max))
    }

    /// Normal with `mean` ≥ 0 and `sd` > 0 before truncation at 0 (draws
    /// below 0 are redrawn).
    pub fn normal(mean: f64, sd: f64) -> Result<Self, String> {
        to_message("normal", Self::try_normal(mean, sd))
    }

    /// Log-normal whose values have mean `mean` > 0 and standard deviation
    /// `sd` > 0 (moments of the value, not of its logarithm).
    pub fn lognormal(mean: f64, sd: f64) -> Result<Self, String> {
        to_message("lognormal", Self::try_lognormal(mean, sd))
    }

    /// Gamma with mean `mean` > 0 and standard deviation `sd` > 0.
    pub fn gamma(mean: f64, sd: f64) -> Result<Self, String> {
        to_message("gamma", Self::try_gamma(mean, sd))
    }

    /// One of `values` (each ≥ 0) with probability proportional to the
    /// matching entry of `weights` (each ≥ 0, summing to more than 0).
    pub fn empirical(values: &[f64], weights: &[f64]) -> Result<Self, String> {
        to_message("empirical", Self::try_empirical(values, weights))
    }

    pub(crate) fn try_constant(value: f64) -> Result<Self, Vec<Invalid>> {
        let mut c = Checks::default();
        c.non_negative("value", value);
        c.done(|| Distribution::Constant { value })
    }

    pub(crate) fn try_exponential(mean: f64) -> Result<Self, Vec<Invalid>> {
        let mut c = Checks::default();
        c.positive("mean", mean);
        c.done(|| Distribution::Exponential { mean })
    }

    pub(crate) fn try_uniform(min: f64, max: f64) -> Result<Self, Vec<Invalid>> {
        let mut c = Checks::default();
        if c.non_negative("min", min) & c.non_negative("max", max) && min > max {
            c.fail(
                "max",
                format!("expected at least `min` ({min}), found {max}"),
            );
        }
        c.done(|| Distribution::Uniform { min, max })
    }

    pub(crate) fn try_triangular(min: f64, mode: f64, max: f64) -> Result<Self, Vec<Invalid>> {
        let mut c = Checks::default();
        // Non-short-circuiting `&` so that every bad parameter is reported.
        let finite =
            c.non_negative("min", min) & c.non_negative("mode", mode) & c.non_negative("max", max);
        if finite {
            if min > max {
                c.fail(
                    "max",
                    format!("expected at least `min` ({min}), found {max}"),
                );
            } else if !(min..=max).contains(&mode) {
                c.fail(
                    "mode",
                    format!(
                        "expected a value between `min` ({min}) and `max` ({max}), found {mode}"
                    ),
                );
            }
        }
        c.done(|| Distribution::Triangular { min, mode, max })
    }

    pub(crate) fn try_normal(mean: f64, sd: f64) -> Result<Self, Vec<Invalid>> {
        let mut c = Checks::default();
        c.non_negative("mean", mean);
        c.positive("sd", sd);
        match rand_distr::Normal::new(mean, sd) {
            Ok(sampler) => c.done(|| Distribution::Normal { mean, sd, sampler }),
            // Only a non-finite sd fails, which `positive` has reported.
            Err(_) => Err(c.0),
        }
    }

    pub(crate) fn try_lognormal(mean: f64, sd: f64) -> Result<Self, Vec<Invalid>> {
        let mut c = Checks::default();
        c.positive("mean", mean);
        c.positive("sd", sd);
        // Moments of the value → parameters of its logarithm.
        let sigma2 = (sd / mean).powi(2).ln_1p();
        let mu = mean.ln() - sigma2 / 2.0;
        match rand_distr::LogNormal::new(mu, sigma2.sqrt()) {
            Ok(sampler) if sigma2.is_finite() => {
                c.done(|| Distribution::LogNormal { mean, sd, sampler })
            }
            // Finite parameters can still overflow σ² (sd/mean above 1e154).
            _ if c.0.is_empty() => {
                c.fail(
                    "sd",
                    format!("expected sd/mean below about 1e150, found {}", sd / mean),
                );
                Err(c.0)
            }
            _ => Err(c.0),
        }
    }

    pub(crate) fn try_gamma(mean: f64, sd: f64) -> Result<Self, Vec<Invalid>> {
        let mut c = Checks::default();
        c.positive("mean", mean);
        c.positive("sd", sd);
        let shape = (mean / sd).powi(2);
        let scale = sd * sd / mean;
        let usable = |x: f64| x.is_finite() && x > 0.0;
        match rand_distr::Gamma::new(shape, scale) {
            Ok(sampler) if usable(shape) && usable(scale) => {
                c.done(|| Distribution::Gamma { mean, sd, sampler })
            }
            // Finite parameters can still give an over- or underflowing
            // shape or scale (e.g. mean 1e200, sd 1e-200).
            _ if c.0.is_empty() => {
                c.fail(
                    "sd",
                    format!(
                        "expected sd/mean between about 1e-150 and 1e150, found {}",
                        sd / mean
                    ),
                );
                Err(c.0)
            }
            _ => Err(c.0),
        }
    }

    pub(crate) fn try_empirical(values: &[f64], weights: &[f64]) -> Result<Self, Vec<Invalid>> {
        let mut c = Checks::default();
        if values.is_empty() {
            c.fail("values", "expected at least one value, found none".into());
        }
        if weights.len() != values.len() {
            c.fail(
                "weights",
                format!(
                    "expected one weight per value ({}), found {}",
                    values.len(),
                    weights.len()
                ),
            );
        }
        for (i, &v) in values.iter().enumerate() {
            c.non_negative(&format!("values[{i}]"), v);
        }
        let mut cumulative = Vec::with_capacity(weights.len());
        let mut total = 0.0;
        for (i, &w) in weights.iter().enumerate() {
            c.non_negative(&format!("weights[{i}]"), w);
            total += w;
            cumulative.push(total);
        }
        if !weights.is_empty() && weights.iter().all(|w| *w == 0.0) {
            c.fail("weights", "expected a positive sum, found all zero".into());
        } else if !total.is_finite() && weights.iter().all(|w| w.is_finite()) {
            c.fail("weights", format!("expected a finite sum, found {total}"));
        }
        c.done(|| Distribution::Empirical {
            values: values.into(),
            cumulative: cumulative.into(),
        })
    }

    /// Draws one value (≥ 0). Exponential, uniform and triangular use exactly
    /// one uniform per draw, so streams stay aligned between scenarios that
    /// change their parameters (common random numbers).
    #[inline(always)]
    pub fn sample<R: RandomSource + ?Sized>(&self, rng: &mut R) -> f64 {
        match self {
            Distribution::Constant { value } => *value,
            Distribution::Exponential { mean } => mean * rng.exp1(),
            Distribution::Uniform { min, max } => min + (max - min) * rng.uniform(),
            &Distribution::Triangular { min, mode, max } => {
                // Inverse cdf; no division, so min = max needs no special case.
                let u = rng.uniform();
                let width = max - min;
                if u * width < mode - min {
                    min + (u * width * (mode - min)).sqrt()
                } else {
                    max - ((1.0 - u) * width * (max - mode)).sqrt()
                }
            }
            Distribution::Normal { sampler, .. } => loop {
                let x = sampler.sample(rng);
                if x >= 0.0 {
                    break x;
                }
            },
            Distribution::LogNormal { sampler, .. } => sampler.sample(rng),
            Distribution::Gamma { sampler, .. } => sampler.sample(rng),
            Distribution::Empirical { values, cumulative } => {
                // The constructor makes both slices the same, non-zero length.
                values[rng.pick_cumulative(cumulative)]
            }
        }
    }

    /// The largest value a draw can take, if the distribution has an upper
    /// end (`None` for the exponential, normal, log-normal and gamma).
    pub fn upper_bound(&self) -> Option<f64> {
        match self {
            Distribution::Constant { value } => Some(*value),
            Distribution::Uniform { max, .. } | Distribution::Triangular { max, .. } => Some(*max),
            Distribution::Empirical { values, .. } => values.iter().copied().reduce(f64::max),
            Distribution::Exponential { .. }
            | Distribution::Normal { .. }
            | Distribution::LogNormal { .. }
            | Distribution::Gamma { .. } => None,
        }
    }

    /// The theoretical mean (of the truncated distribution, for `Normal`).
    pub fn mean(&self) -> f64 {
        match self {
            Distribution::Constant { value } => *value,
            Distribution::Exponential { mean } => *mean,
            Distribution::Uniform { min, max } => (min + max) / 2.0,
            Distribution::Triangular { min, mode, max } => (min + mode + max) / 3.0,
            Distribution::Normal { mean, sd, .. } => truncated_normal(*mean, *sd).0,
            Distribution::LogNormal { mean, .. } | Distribution::Gamma { mean, .. } => *mean,
            Distribution::Empirical { .. } => self.empirical_moments().0,
        }
    }

    /// The theoretical standard deviation (of the truncated distribution,
    /// for `Normal`).
    pub fn sd(&self) -> f64 {
        match self {
            Distribution::Constant { .. } => 0.0,
            Distribution::Exponential { mean } => *mean,
            Distribution::Uniform { min, max } => (max - min) / 12f64.sqrt(),
            Distribution::Triangular { min, mode, max } => {
                let (a, c, b) = (min, mode, max);
                ((a * a + b * b + c * c - a * b - a * c - b * c) / 18.0).sqrt()
            }
            Distribution::Normal { mean, sd, .. } => truncated_normal(*mean, *sd).1,
            Distribution::LogNormal { sd, .. } | Distribution::Gamma { sd, .. } => *sd,
            Distribution::Empirical { .. } => self.empirical_moments().1,
        }
    }

    /// (mean, sd) of an empirical distribution; (0, 0) for other variants.
    fn empirical_moments(&self) -> (f64, f64) {
        let Distribution::Empirical { values, cumulative } = self else {
            return (0.0, 0.0);
        };
        let total = cumulative.last().copied().unwrap_or(0.0);
        let mut previous = 0.0;
        let (mut m1, mut m2) = (0.0, 0.0);
        for (v, c) in values.iter().zip(cumulative.iter()) {
            let p = (c - previous) / total;
            previous = *c;
            m1 += p * v;
            m2 += p * v * v;
        }
        (m1, (m2 - m1 * m1).max(0.0).sqrt())
    }
}

/// (mean, sd) of N(`mean`, `sd`²) truncated to [0, ∞): with α = −mean/sd and
/// λ = φ(α) / (1 − Φ(α)), the mean is mean + sd·λ and the variance
/// sd²·(1 + α·λ − λ²).
fn truncated_normal(mean: f64, sd: f64) -> (f64, f64) {
    let z = StdNormal::standard();
    let alpha = -mean / sd;
    let lambda = z.pdf(alpha) / z.sf(alpha);
    let variance = sd * sd * (1.0 + alpha * lambda - lambda * lambda);
    (mean + sd * lambda, variance.max(0.0).sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::StreamKey;

    fn params(r: Result<Distribution, Vec<Invalid>>) -> Vec<String> {
        r.err()
            .unwrap_or_default()
            .into_iter()
            .map(|i| i.param)
            .collect()
    }

    /// The upper end is the largest value a draw reaches: every one of
    /// many draws is at most it, and one comes within 1 % of it.
    #[test]
    fn draws_stay_at_or_below_the_upper_bound() {
        let bounded = [
            Distribution::constant(7.0).unwrap(),
            Distribution::uniform(28.0, 84.0).unwrap(),
            Distribution::triangular(1.0, 2.0, 9.0).unwrap(),
            Distribution::empirical(&[3.0, 12.0, 5.0], &[1.0, 1.0, 1.0]).unwrap(),
        ];
        let key = StreamKey {
            seed: 5,
            scenario: "bounds",
            replication: 0,
        };
        for d in &bounded {
            let top = d.upper_bound().unwrap();
            let mut rng = key.stream("dist");
            let highest = (0..20_000)
                .map(|_| d.sample(&mut rng))
                .fold(f64::MIN, f64::max);
            assert!(highest <= top, "{d:?}: {highest} > {top}");
            assert!(highest >= top * 0.99, "{d:?}: {highest} far below {top}");
        }
        for d in [
            Distribution::exponential(5.0).unwrap(),
            Distribution::normal(5.0, 1.0).unwrap(),
            Distribution::lognormal(5.0, 1.0).unwrap(),
            Distribution::gamma(5.0, 1.0).unwrap(),
        ] {
            assert_eq!(d.upper_bound(), None, "{d:?}");
        }
    }

    #[test]
    fn valid_parameters_are_accepted() {
        assert!(Distribution::constant(0.0).is_ok());
        assert!(Distribution::exponential(60.0).is_ok());
        assert!(Distribution::uniform(1.0, 3.0).is_ok());
        assert!(Distribution::uniform(2.0, 2.0).is_ok());
        assert!(Distribution::triangular(1.0, 1.0, 5.0).is_ok());
        assert!(Distribution::triangular(1.0, 5.0, 5.0).is_ok());
        assert!(Distribution::normal(0.0, 1.0).is_ok());
        assert!(Distribution::lognormal(22.5, 10.0).is_ok());
        assert!(Distribution::gamma(5.0, 2.0).is_ok());
        assert!(Distribution::gamma(1.0, 3.0).is_ok()); // shape < 1
        assert!(Distribution::empirical(&[5.0, 10.0], &[0.0, 1.0]).is_ok());
    }

    #[test]
    fn invalid_parameters_name_the_parameter() {
        assert_eq!(params(Distribution::try_constant(-1.0)), ["value"]);
        assert_eq!(params(Distribution::try_exponential(0.0)), ["mean"]);
        assert_eq!(params(Distribution::try_exponential(f64::NAN)), ["mean"]);
        assert_eq!(params(Distribution::try_uniform(3.0, 1.0)), ["max"]);
        assert_eq!(params(Distribution::try_uniform(-1.0, 1.0)), ["min"]);
        assert_eq!(
            params(Distribution::try_triangular(1.0, 6.0, 5.0)),
            ["mode"]
        );
        assert_eq!(params(Distribution::try_triangular(5.0, 2.0, 1.0)), ["max"]);
        assert_eq!(
            params(Distribution::try_triangular(f64::INFINITY, 2.0, -1.0)),
            ["min", "max"]
        );
        assert_eq!(params(Distribution::try_normal(-1.0, 1.0)), ["mean"]);
        assert_eq!(params(Distribution::try_normal(1.0, 0.0)), ["sd"]);
        assert_eq!(params(Distribution::try_lognormal(0.0, 1.0)), ["mean"]);
        assert_eq!(params(Distribution::try_lognormal(1.0, -1.0)), ["sd"]);
        assert_eq!(
            params(Distribution::try_lognormal(f64::NAN, f64::NAN)),
            ["mean", "sd"]
        );
        assert_eq!(params(Distribution::try_gamma(-5.0, 2.0)), ["mean"]);
        assert_eq!(params(Distribution::try_gamma(5.0, f64::INFINITY)), ["sd"]);
        assert_eq!(params(Distribution::try_empirical(&[], &[])), ["values"]);
        assert_eq!(
            params(Distribution::try_empirical(&[1.0, 2.0], &[1.0])),
            ["weights"]
        );
        assert_eq!(
            params(Distribution::try_empirical(&[1.0, -2.0], &[1.0, -1.0])),
            ["values[1]", "weights[1]"]
        );
        assert_eq!(
            params(Distribution::try_empirical(&[1.0, 2.0], &[0.0, 0.0])),
            ["weights"]
        );
        assert_eq!(
            params(Distribution::try_empirical(
                &[1.0, 2.0],
                &[f64::MAX, f64::MAX]
            )),
            ["weights"]
        );
    }

    #[test]
    fn messages_say_what_was_expected_and_found() {
        let e = Distribution::triangular(1.0, 6.0, 5.0).unwrap_err();
        assert_eq!(
            e,
            "invalid triangular distribution: `mode`: expected a value between `min` (1) and `max` (5), found 6"
        );
        let e = Distribution::gamma(-1.0, 0.0).unwrap_err();
        assert!(
            e.contains("`mean`: expected a finite number > 0, found -1"),
            "{e}"
        );
        assert!(
            e.contains("`sd`: expected a finite number > 0, found 0"),
            "{e}"
        );
    }

    #[test]
    fn degenerate_and_edge_cases_sample_in_range() {
        let mut s = StreamKey {
            seed: 3,
            scenario: "unit",
            replication: 0,
        }
        .stream("dist");
        let point = Distribution::triangular(2.0, 2.0, 2.0).unwrap();
        let flat = Distribution::uniform(4.0, 4.0).unwrap();
        let half = Distribution::normal(0.0, 1.0).unwrap();
        let skewed = Distribution::gamma(1.0, 3.0).unwrap();
        let tri = Distribution::triangular(1.0, 2.0, 5.0).unwrap();
        let one = Distribution::empirical(&[7.0, 8.0], &[1.0, 0.0]).unwrap();
        for _ in 0..10_000 {
            assert_eq!(point.sample(&mut s), 2.0);
            assert_eq!(flat.sample(&mut s), 4.0);
            assert!(half.sample(&mut s) >= 0.0);
            assert!(skewed.sample(&mut s) >= 0.0);
            assert!((1.0..=5.0).contains(&tri.sample(&mut s)));
            assert_eq!(one.sample(&mut s), 7.0);
        }
        assert_eq!(point.sd(), 0.0);
    }

    #[test]
    fn one_uniform_per_draw_for_inversion_samplers() {
        let key = StreamKey {
            seed: 9,
            scenario: "unit",
            replication: 0,
        };
        for d in [
            Distribution::uniform(1.0, 2.0).unwrap(),
            Distribution::triangular(1.0, 2.0, 5.0).unwrap(),
        ] {
            let (mut a, mut b) = (key.stream("x"), key.stream("x"));
            d.sample(&mut a);
            b.uniform();
            assert_eq!(a.uniform(), b.uniform(), "{d:?}");
        }
    }

    #[test]
    fn truncated_normal_moments() {
        // Half-normal: mean sd·√(2/π), variance sd²·(1 − 2/π).
        let (m, s) = truncated_normal(0.0, 2.0);
        let two_over_pi = 2.0 / std::f64::consts::PI;
        assert!((m - 2.0 * two_over_pi.sqrt()).abs() < 1e-12);
        assert!((s - 2.0 * (1.0 - two_over_pi).sqrt()).abs() < 1e-12);
        // Far from 0 the truncation is invisible.
        let (m, s) = truncated_normal(10.0, 2.0);
        assert!((m - 10.0).abs() < 1e-5 && (s - 2.0).abs() < 1e-4);
    }

    #[test]
    fn empirical_moments() {
        let d = Distribution::empirical(&[5.0, 10.0, 20.0], &[1.0, 2.0, 1.0]).unwrap();
        assert_eq!(d.mean(), 11.25);
        let var: f64 = 0.25 * 25.0 + 0.5 * 100.0 + 0.25 * 400.0 - 11.25 * 11.25;
        assert!((d.sd() - var.sqrt()).abs() < 1e-12);
    }
}
