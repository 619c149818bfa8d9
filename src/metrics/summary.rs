//! Aggregation of replications into means with confidence intervals.

use std::collections::BTreeMap;

use super::{By, Estimate, MetricUnit, ReplicationMetrics, mean_ci95};

/// A metric's estimate over replications.
#[derive(Clone, Debug, PartialEq)]
pub struct MetricEstimate {
    /// Unit of the values.
    pub unit: MetricUnit,
    /// Mean and CI.
    pub estimate: Estimate,
}

/// One group of a breakdown, estimated over replications.
#[derive(Clone, Debug, PartialEq)]
pub struct BreakdownEstimate {
    /// Metric key.
    pub metric: String,
    /// Dimension.
    pub by: By,
    /// Group.
    pub group: String,
    /// Unit.
    pub unit: MetricUnit,
    /// Mean and CI.
    pub estimate: Estimate,
}

/// Every metric over replications: overall (sorted by key) and breakdowns
/// (sorted by metric, dimension, group).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Summary {
    /// Overall metrics by key.
    pub metrics: BTreeMap<String, MetricEstimate>,
    /// Breakdowns.
    pub breakdown: Vec<BreakdownEstimate>,
}

impl Summary {
    /// Aggregates replications (in replication order, so the result does not
    /// depend on which thread ran which replication). A group missing from a
    /// replication counts as undefined there, not as zero.
    pub fn from_replications(reps: &[ReplicationMetrics]) -> Summary {
        type Key = (String, Option<By>, String);
        let mut values: BTreeMap<Key, (MetricUnit, Vec<f64>)> = BTreeMap::new();
        for r in reps {
            for o in &r.observations {
                values
                    .entry((o.metric.clone(), o.by, o.group.clone()))
                    .or_insert_with(|| (o.unit, Vec::new()))
                    .1
                    .push(o.value);
            }
        }
        let mut s = Summary::default();
        for ((metric, by, group), (unit, xs)) in values {
            let estimate = mean_ci95(xs).clipped(crate::metrics::value_range(&metric, unit));
            match by {
                None => {
                    s.metrics.insert(metric, MetricEstimate { unit, estimate });
                }
                Some(by) => s.breakdown.push(BreakdownEstimate {
                    metric,
                    by,
                    group,
                    unit,
                    estimate,
                }),
            }
        }
        s
    }

    /// What the results say about their own trustworthiness, one sentence
    /// each (English; `summary.json`'s `warnings` and the terminal): today
    /// the appointment books' trend check.
    pub fn warnings(&self) -> Vec<String> {
        crate::model::flows::booking::metrics::backlog_warnings(self)
    }

    /// The estimate of metric `key`, if present.
    pub fn get(&self, key: &str) -> Option<&Estimate> {
        self.metrics.get(key).map(|m| &m.estimate)
    }
}
