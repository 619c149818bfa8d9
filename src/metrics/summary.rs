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

/// New contacts in the system at the end, in days of arrivals, above
/// which the results warn that a queue grows without end.
pub const UNFINISHED_DAYS: f64 = 60.0;

/// Every metric over replications: overall (sorted by key) and breakdowns
/// (sorted by metric, dimension, group in its dimension's order,
/// [`By::group_order`]).
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
        // The map sorted the groups by name; a dimension's own order
        // (a week's hours as it runs) decides within a breakdown.
        s.breakdown.sort_by(|a, b| {
            (&a.metric, a.by)
                .cmp(&(&b.metric, b.by))
                .then_with(|| a.by.group_order(&a.group, &b.group))
        });
        s
    }

    /// What the results say about their own trustworthiness, one sentence
    /// each (English; `summary.json`'s `warnings` and the terminal): the
    /// appointment books' trend check, and new contacts piling up unserved
    /// over the `measured_days` (a queue that grows without end).
    pub fn warnings(&self, measured_days: u32) -> Vec<String> {
        let mut out = crate::model::flows::booking::metrics::backlog_warnings(self);
        out.extend(self.unfinished_warning(measured_days));
        out
    }

    /// New contacts still in the system when the run ends, when they are
    /// more than [`UNFINISHED_DAYS`] days of arrivals: demand above what the
    /// staff can take, so a queue grows for as long as the run lasts and
    /// every figure depends on the run's length. (A unit booking weeks
    /// ahead holds a few days' arrivals at the end; one telephone nurse for
    /// a whole health centre held 7 392, a hundred days' worth, without a
    /// word before an audit found it.)
    fn unfinished_warning(&self, measured_days: u32) -> Option<String> {
        let arrived = self.get("patients_arrived")?.mean;
        let left = self.get("patients_in_system_at_end")?.mean;
        if !(arrived > 0.0 && measured_days > 0) {
            return None;
        }
        let days = left / (arrived / f64::from(measured_days));
        (days > UNFINISHED_DAYS).then(|| {
            format!(
                "{left:.0} new contacts (the arrivals of {days:.0} days) are still in the system when \
                 the run ends (patients_in_system_at_end): a queue grows without end, demand above \
                 what the staff can take, so the results depend on the run's length; add capacity \
                 where patients wait (call-back, drop-in, visit times) or check the staffing"
            )
        })
    }

    /// The estimate of metric `key`, if present.
    pub fn get(&self, key: &str) -> Option<&Estimate> {
        self.metrics.get(key).map(|m| &m.estimate)
    }
}
