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

    /// What the results say about their own trustworthiness: the
    /// appointment books' trend check, and new contacts piling up unserved
    /// over the `measured_days` (a queue that grows without end). Their
    /// text, in either language, is the report's (`report::warning_text`);
    /// `summary.json`'s `warnings` holds the English.
    pub fn warnings(&self, measured_days: u32) -> Vec<ResultWarning> {
        ResultWarning::find(self, measured_days)
    }

    /// The estimate of metric `key`, if present.
    pub fn get(&self, key: &str) -> Option<&Estimate> {
        self.metrics.get(key).map(|m| &m.estimate)
    }
}

/// New contacts in the system at the end, in days of arrivals, above
/// which the results warn that a queue grows without end.
pub const UNFINISHED_DAYS: f64 = 60.0;

/// A finding that makes results less trustworthy than their confidence
/// intervals say: the facts only, the report words them in its language.
#[derive(Clone, Debug, PartialEq)]
pub enum ResultWarning {
    /// The appointment backlog still grows at the end of the run: the third
    /// next available time rose by `growth` days from the first to the last
    /// quarter (year) of the measured period, for one profession (its key)
    /// or for every profession (`None`).
    GrowingBacklog {
        /// The profession's key, or `None` for every profession.
        profession: Option<String>,
        /// Days the third next available time rose.
        growth: f64,
    },
    /// New contacts still in the system when the run ends, more than
    /// `UNFINISHED_DAYS` (60) days of arrivals: demand above what the staff
    /// can take, so a queue grows for as long as the run lasts and every
    /// figure depends on the run's length. (A unit booking weeks ahead
    /// holds a few days' arrivals at the end; one telephone nurse for a
    /// whole health centre held 7 392, a hundred days' worth, without a
    /// word before an audit found it.)
    Unfinished {
        /// New contacts in the system at the end (mean per replication).
        left: f64,
        /// The same in days of arrivals.
        days: f64,
    },
}

impl ResultWarning {
    /// Every finding of a summary's `figures` over `measured_days`: the
    /// run's own, or one read back from `summary.json` (so that a report
    /// words them in its own language).
    pub fn find(figures: &dyn ResultFigures, measured_days: u32) -> Vec<ResultWarning> {
        let mut out = crate::model::flows::booking::metrics::growing_backlogs(figures);
        out.extend(Self::unfinished(figures, measured_days));
        out
    }

    fn unfinished(figures: &dyn ResultFigures, measured_days: u32) -> Option<ResultWarning> {
        let arrived = figures.mean("patients_arrived")?;
        let left = figures.mean("patients_in_system_at_end")?;
        if !(arrived > 0.0 && measured_days > 0) {
            return None;
        }
        let days = left / (arrived / f64::from(measured_days));
        (days > UNFINISHED_DAYS).then_some(ResultWarning::Unfinished { left, days })
    }
}

/// A figure the warnings read: the mean over replications and the lower
/// end of its 95 % CI (NaN with one replication, or in files that do not
/// have it).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Figure {
    /// Mean over replications.
    pub mean: f64,
    /// Lower end of the 95 % CI; NaN when there is none.
    pub ci95_low: f64,
}

/// The figures the warnings read, from a run's [`Summary`] or a summary
/// read back from its file.
pub trait ResultFigures {
    /// Overall metric `key` (mean and CI), if present.
    fn figure(&self, key: &str) -> Option<Figure>;
    /// The mean of overall metric `key`, if present.
    fn mean(&self, key: &str) -> Option<f64> {
        self.figure(key).map(|f| f.mean)
    }
    /// Metric `key` by profession (key, figure), in file order.
    fn by_profession(&self, key: &str) -> Vec<(String, Figure)>;
}

impl ResultFigures for Summary {
    fn figure(&self, key: &str) -> Option<Figure> {
        self.get(key).map(|e| Figure {
            mean: e.mean,
            ci95_low: e.ci95_low,
        })
    }
    fn by_profession(&self, key: &str) -> Vec<(String, Figure)> {
        self.breakdown
            .iter()
            .filter(|b| b.metric == key && b.by == By::Profession)
            .map(|b| {
                let e = &b.estimate;
                let f = Figure {
                    mean: e.mean,
                    ci95_low: e.ci95_low,
                };
                (b.group.clone(), f)
            })
            .collect()
    }
}
