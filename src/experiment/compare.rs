//! Paired comparison of scenarios: the same seed and replications for every
//! scenario, so that each replication of a variant is paired with the same
//! replication of the base (common random numbers), and the CI of the
//! difference is that of the per-replication differences.

use std::collections::BTreeMap;

use super::RunResults;
use crate::metrics::{Estimate, MetricUnit, mean_ci95};

/// One metric across the compared scenarios.
#[derive(Clone, Debug, PartialEq)]
pub struct ComparedMetric {
    /// Unit of the values.
    pub unit: MetricUnit,
    /// Per scenario (base first), its estimate.
    pub estimates: Vec<Estimate>,
    /// Per variant (scenario 1 …), the paired difference variant − base.
    pub differences: Vec<Estimate>,
}

/// The comparison of a base and its variants.
#[derive(Clone, Debug, PartialEq)]
pub struct Comparison {
    /// Scenario names, base first.
    pub scenarios: Vec<String>,
    /// Master seed.
    pub seed: u64,
    /// Replications per scenario.
    pub replications: usize,
    /// Days measured per replication in the base (what counts are totals of).
    pub measured_days: u32,
    /// Days measured per replication in each scenario, base first: a
    /// variant may change the horizon or the warm-up.
    pub measured_days_each: Vec<u32>,
    /// Every overall metric present in any scenario, by key.
    pub metrics: BTreeMap<String, ComparedMetric>,
}

/// The value of overall metric `key` in each replication (NaN where missing).
fn per_replication(r: &RunResults, key: &str) -> Vec<f64> {
    r.replications
        .iter()
        .map(|rep| {
            rep.observations
                .iter()
                .find(|o| o.by.is_none() && o.metric == key)
                .map_or(f64::NAN, |o| o.value)
        })
        .collect()
}

/// Compares `runs[1..]` with `runs[0]`, which must share seed and replications.
pub fn compare(runs: &[RunResults]) -> Comparison {
    let base = &runs[0];
    // Every metric any scenario has (a variant may add a mobile team whose
    // metrics the base lacks: its column shows them, the base's is empty).
    let mut units = BTreeMap::new();
    for r in runs {
        for (key, m) in &r.summary.metrics {
            units.entry(key.clone()).or_insert(m.unit);
        }
    }
    let mut metrics = BTreeMap::new();
    for (key, unit) in units {
        let key = &key;
        let base_values = per_replication(base, key);
        let estimates = runs
            .iter()
            .map(|r| r.summary.get(key).copied().unwrap_or_else(|| mean_ci95([])))
            .collect();
        let differences = runs[1..]
            .iter()
            .map(|r| {
                let v = per_replication(r, key);
                mean_ci95(v.iter().zip(&base_values).map(|(a, b)| a - b))
            })
            .collect();
        metrics.insert(
            key.clone(),
            ComparedMetric {
                unit,
                estimates,
                differences,
            },
        );
    }
    Comparison {
        scenarios: runs.iter().map(|r| r.scenario.clone()).collect(),
        seed: base.seed,
        replications: base.replications.len(),
        measured_days: base.measured_days,
        measured_days_each: runs.iter().map(|r| r.measured_days).collect(),
        metrics,
    }
}

impl Comparison {
    /// The days the tables scale totals of the measured period to a year
    /// from: the measured days when every scenario measured the same
    /// period, else 0 (no scaling: one factor would make one scenario's
    /// "per year" false, and a paired difference of totals over periods of
    /// different lengths cannot be scaled).
    pub fn per_year_days(&self) -> u32 {
        let d = self.measured_days;
        if self.measured_days_each.iter().all(|x| *x == d) {
            d
        } else {
            0
        }
    }
}
