//! Sweeps: one scenario run at every point of a grid of parameter values,
//! each point with the same seed and replication numbers, so that replication
//! `r` draws the same random numbers at every point (common random numbers)
//! and differences between points are paired.
//!
//! A point's result depends on its scenario, the seed and the replication
//! rule only — not on which other points ran, in which order or on how many
//! threads. That is what makes `--resume`, `--shard` and `merge` give exactly
//! the results of one uninterrupted run.

use std::collections::BTreeMap;
use std::sync::atomic::AtomicBool;

use rayon::prelude::*;

use super::{RunError, in_pool, replicate_range};
use crate::metrics::{Estimate, MetricUnit, ReplicationMetrics, mean_ci95};
use crate::scenario::Scenario;
pub use crate::scenario::grid::{Axis, Grid, Point};

/// Everything that defines a sweep: what `plan.json` records and what
/// `merge` checks shards agree on.
#[derive(Clone, Debug, PartialEq)]
pub struct SweepPlan {
    /// Name (the output folder).
    pub name: String,
    /// The base scenario as given: a file path or `builtin:default`.
    pub scenario: String,
    /// Overrides applied at every point, before the grid's.
    pub sets: Vec<String>,
    /// The grid.
    pub grid: Grid,
    /// Master seed.
    pub seed: u64,
    /// Replication rule.
    pub replications: Replications,
    /// Point whose paired differences the results report.
    pub baseline: usize,
    /// Metrics of interest (empty: all overall metrics).
    pub metrics: Vec<String>,
    /// Content fingerprint of the scenario at point 0 ([`scenario_fingerprint`]),
    /// once loaded: shards run from different versions of one scenario file
    /// differ here even though `scenario` (the path) is the same.
    pub scenario_fingerprint: Option<u64>,
}

impl SweepPlan {
    /// All overrides that make `point`: the plan's own, then the grid's.
    pub fn sets(&self, point: &Point) -> Vec<String> {
        let mut sets = self.sets.clone();
        sets.extend(self.grid.sets(point));
        sets
    }
}

/// How many replications each point gets.
#[derive(Clone, Debug, PartialEq)]
pub enum Replications {
    /// Exactly this many.
    Fixed(u32),
    /// Enough for a target precision.
    Precision(Precision),
}

/// Add replications until the 95 % CI half-width of every listed metric is
/// at most `half_width` (in the metric's own unit), or `max` is reached.
#[derive(Clone, Debug, PartialEq)]
pub struct Precision {
    /// Metric keys to control.
    pub metrics: Vec<String>,
    /// Largest acceptable CI half-width.
    pub half_width: f64,
    /// Replications to start with (at least 2).
    pub initial: u32,
    /// Cap.
    pub max: u32,
}

impl Replications {
    /// The rule as text (recorded with each point, so that `--resume` never
    /// reuses a point computed under another rule).
    pub fn describe(&self) -> String {
        match self {
            Replications::Fixed(n) => format!("fixed {n}"),
            Replications::Precision(p) => format!(
                "precision {} on {} (start {}, at most {})",
                p.half_width,
                p.metrics.join(" "),
                p.initial,
                p.max
            ),
        }
    }

    /// Replications to expect per point (for progress bars).
    pub fn expected(&self) -> u32 {
        match self {
            Replications::Fixed(n) => *n,
            Replications::Precision(p) => p.initial,
        }
    }
}

/// Why a sweep stopped with an error.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SweepError {
    /// The worker pool could not start.
    #[error(transparent)]
    Run(#[from] RunError),
    /// A metric named for precision control is not produced by the scenario.
    #[error("unknown metric `{key}` (the scenario produces: {})", known.join(", "))]
    UnknownMetric {
        /// The key asked for.
        key: String,
        /// The keys that exist.
        known: Vec<String>,
    },
}

/// One overall metric at one point: its value in each replication.
#[derive(Clone, Debug, PartialEq)]
pub struct PointMetric {
    /// Unit.
    pub unit: MetricUnit,
    /// Per replication, in order (NaN where undefined).
    pub values: Vec<f64>,
}

impl PointMetric {
    /// Mean and 95 % CI over replications of this metric, `key`.
    pub fn estimate(&self, key: &str) -> Estimate {
        mean_ci95(self.values.iter().copied()).clipped(crate::metrics::value_range(key, self.unit))
    }
}

/// What one point produced.
#[derive(Clone, Debug, PartialEq)]
pub struct PointResult {
    /// The point.
    pub point: Point,
    /// Fingerprint of the point's scenario, seed and rule (see [`fingerprint`]).
    pub fingerprint: u64,
    /// The replication rule, as [`Replications::describe`] wrote it.
    pub rule: String,
    /// Replications run.
    pub replications: u32,
    /// Events handled over all replications.
    pub events: u64,
    /// Days measured per replication (what counts are totals of); 0 when
    /// a point file written before it was recorded is read back.
    pub measured_days: u32,
    /// Every overall metric by key.
    pub metrics: BTreeMap<String, PointMetric>,
}

/// FNV-1a (64 bit): a small, stable hash (the same on every platform and
/// in every version), enough to tell scenario contents apart.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ b as u64).wrapping_mul(0x0100_0000_01b3)
    })
}

/// A stable fingerprint of a scenario's content, the seed and the
/// replication rule: FNV-1a of the scenario's canonical JSON (its checked
/// form serialised field by field, so independent of how the file was
/// written, of `Debug` text and of derive order), then the seed and rule.
/// A resumed sweep or a merge notices a scenario edited since the first run.
pub fn fingerprint(scenario: &Scenario, seed: u64, rule: &Replications) -> u64 {
    let mut bytes = scenario_json(scenario);
    bytes.extend_from_slice(format!("\nseed {seed}\nrule {}", rule.describe()).as_bytes());
    fnv1a(&bytes)
}

/// The content fingerprint of a scenario alone (what `plan.json` records).
pub fn scenario_fingerprint(scenario: &Scenario) -> u64 {
    fnv1a(&scenario_json(scenario))
}

fn scenario_json(scenario: &Scenario) -> Vec<u8> {
    // Serialising plain data to memory cannot fail; an empty text would
    // still be a (poor but stable) fingerprint.
    serde_json::to_vec(scenario).unwrap_or_default()
}

/// Runs the replications of one scenario under `rule`: a fixed number, or
/// batches until the precision target is met. Deterministic: how many
/// replications it takes depends only on the results, never on timing.
/// `None` if cancelled.
pub fn replicate(
    scenario: &Scenario,
    seed: u64,
    rule: &Replications,
    cancel: &AtomicBool,
    on_done: &(dyn Fn() + Sync),
) -> Result<Option<Vec<ReplicationMetrics>>, SweepError> {
    let run = |range| replicate_range(scenario, seed, range, cancel, on_done);
    let p = match rule {
        Replications::Fixed(n) => return Ok(run(0..*n)),
        Replications::Precision(p) => p,
    };
    let mut n = p.initial.clamp(2, p.max.max(2));
    let Some(mut reps) = run(0..n) else {
        return Ok(None);
    };
    loop {
        // The worst ratio of half-width to target over the controlled metrics.
        let mut worst: f64 = 0.0;
        for key in &p.metrics {
            let values = values_of(&reps, key);
            if values.is_none() {
                return Err(SweepError::UnknownMetric {
                    key: key.clone(),
                    known: overall_keys(&reps),
                });
            }
            let half = mean_ci95(values.into_iter().flatten()).half_width();
            // An undefined CI (too few defined values) is not precise enough.
            let ratio = if half.is_nan() {
                f64::INFINITY
            } else {
                half / p.half_width
            };
            worst = worst.max(ratio);
        }
        if worst <= 1.0 || n >= p.max {
            return Ok(Some(reps));
        }
        // The half-width shrinks like 1/√n: aim for the n that would meet the
        // target, but at most double at a time (the estimate is noisy).
        let aim = (n as f64 * worst * worst).ceil().min(u32::MAX as f64) as u32;
        let next = aim.clamp(n + 1, n.saturating_mul(2)).min(p.max);
        let Some(more) = run(n..next) else {
            return Ok(None);
        };
        reps.extend(more);
        n = next;
    }
}

/// Per replication, the value of overall metric `key`; `None` if no
/// replication has it.
fn values_of(reps: &[ReplicationMetrics], key: &str) -> Option<Vec<f64>> {
    let mut any = false;
    let values = reps
        .iter()
        .map(|r| {
            r.observations
                .iter()
                .find(|o| o.by.is_none() && o.metric == key)
                .map_or(f64::NAN, |o| {
                    any = true;
                    o.value
                })
        })
        .collect();
    any.then_some(values)
}

fn overall_keys(reps: &[ReplicationMetrics]) -> Vec<String> {
    let mut keys: Vec<String> = reps
        .iter()
        .flat_map(|r| r.observations.iter())
        .filter(|o| o.by.is_none())
        .map(|o| o.metric.clone())
        .collect();
    keys.sort();
    keys.dedup();
    keys
}

/// Collects a point's replications into per-metric value lists.
pub fn point_result(
    point: Point,
    scenario: &Scenario,
    seed: u64,
    rule: &Replications,
    reps: &[ReplicationMetrics],
) -> PointResult {
    let mut metrics: BTreeMap<String, PointMetric> = BTreeMap::new();
    for (r, rep) in reps.iter().enumerate() {
        for o in rep.observations.iter().filter(|o| o.by.is_none()) {
            let m = metrics
                .entry(o.metric.clone())
                .or_insert_with(|| PointMetric {
                    unit: o.unit,
                    values: vec![f64::NAN; reps.len()],
                });
            m.values[r] = o.value;
        }
    }
    PointResult {
        point,
        fingerprint: fingerprint(scenario, seed, rule),
        rule: rule.describe(),
        replications: reps.len() as u32,
        events: reps.iter().map(|r| r.events).sum(),
        measured_days: super::measured_days(scenario),
        metrics,
    }
}

/// The sweep's settings shared by every point.
#[derive(Clone, Debug)]
pub struct SweepConfig {
    /// Master seed (the same for every point).
    pub seed: u64,
    /// Replication rule.
    pub replications: Replications,
    /// Worker threads; `None` = one per core.
    pub threads: Option<usize>,
}

/// Runs `points` (each with its scenario) in parallel — points and their
/// replications share the worker pool — and hands each finished point to
/// `on_point` at once, so that it can be written before the next finishes.
/// Stops early, without error, when `cancel` is set: points already handed
/// over are complete, the others are not run or dropped.
pub fn run_points(
    points: &[(Point, Scenario)],
    config: &SweepConfig,
    cancel: &AtomicBool,
    on_replication: &(dyn Fn() + Sync),
    on_point: &(dyn Fn(PointResult) + Sync),
) -> Result<(), SweepError> {
    let work = || {
        points.par_iter().try_for_each(|(point, scenario)| {
            let reps = replicate(
                scenario,
                config.seed,
                &config.replications,
                cancel,
                on_replication,
            )?;
            if let Some(reps) = reps {
                on_point(point_result(
                    point.clone(),
                    scenario,
                    config.seed,
                    &config.replications,
                    &reps,
                ));
            }
            Ok(())
        })
    };
    in_pool(config.threads, work)?
}

/// One row of a sweep's results: one metric at one point.
#[derive(Clone, Debug, PartialEq)]
pub struct SweepRow {
    /// Point number.
    pub point: usize,
    /// Metric key.
    pub metric: String,
    /// Unit.
    pub unit: MetricUnit,
    /// Replications at this point.
    pub replications: u32,
    /// Mean and CI at this point.
    pub estimate: Estimate,
    /// Paired difference from the baseline point (over the replications both
    /// have), with its CI.
    pub difference: Estimate,
    /// The replications the difference is paired over: the first ones,
    /// which both this point and the baseline ran. Fewer than
    /// `replications` when `--precision` gave the points different counts;
    /// the difference then need not equal the difference of the means.
    pub paired_replications: u32,
    /// Days measured per replication at this point (0: not recorded).
    pub measured_days: u32,
}

/// Every metric (or only `metrics`, when not empty) at every point, with its
/// paired difference from point `baseline`. `results` must hold each point
/// once; rows come in point order, then metric order.
pub fn summarize(results: &[PointResult], baseline: usize, metrics: &[String]) -> Vec<SweepRow> {
    let mut sorted: Vec<&PointResult> = results.iter().collect();
    sorted.sort_by_key(|r| r.point.index);
    let base = sorted.iter().find(|r| r.point.index == baseline).copied();
    let mut rows = Vec::new();
    for r in sorted {
        for (key, m) in &r.metrics {
            if !metrics.is_empty() && !metrics.contains(key) {
                continue;
            }
            let difference = match base.and_then(|b| b.metrics.get(key)) {
                // Paired over the common replications: r is the same random
                // numbers in both.
                Some(b) => mean_ci95(m.values.iter().zip(&b.values).map(|(x, y)| x - y)),
                None => mean_ci95([]),
            };
            let paired_replications =
                base.map_or(r.replications, |b| r.replications.min(b.replications));
            rows.push(SweepRow {
                point: r.point.index,
                metric: key.clone(),
                unit: m.unit,
                replications: r.replications,
                estimate: m.estimate(key),
                difference,
                paired_replications,
                measured_days: r.measured_days,
            });
        }
    }
    rows
}
