//! From a replication's [`Records`](crate::model::Records) to numbers: the
//! guarantee metrics, drop-in waits, patient counts and utilisation
//! ([`compute`]), and from many replications to means with 95 % confidence
//! intervals ([`Summary`]).
//!
//! **Boundary:** pure functions, no I/O. Every metric counts only what
//! happened after the warm-up.

mod compute;
mod stats;
mod summary;

pub(crate) use compute::{Acc, Out, new_contacts, waits_by_unit};
pub use compute::{EXCLUDING_PATIENT_CHOSEN, MISSED_PATIENT_CHOSEN, compute};
pub use stats::{Estimate, mean_ci95};
pub use summary::{
    BreakdownEstimate, Figure, MetricEstimate, ResultFigures, ResultWarning, Summary,
};

use std::fmt;

/// Unit of a metric's values (as written in `summary.json`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MetricUnit {
    /// A fraction 0–1.
    Share,
    /// Minutes.
    Minutes,
    /// Days.
    Days,
    /// Hours.
    Hours,
    /// A count (or a time-average count).
    Count,
    /// Swedish kronor.
    Sek,
}

impl MetricUnit {
    /// Name in outputs.
    pub const fn key(self) -> &'static str {
        match self {
            MetricUnit::Share => "share",
            MetricUnit::Minutes => "minutes",
            MetricUnit::Days => "days",
            MetricUnit::Hours => "hours",
            MetricUnit::Count => "count",
            MetricUnit::Sek => "sek",
        }
    }

    /// The unit named `key` in outputs (inverse of [`MetricUnit::key`]).
    pub fn from_key(key: &str) -> Option<MetricUnit> {
        [
            MetricUnit::Share,
            MetricUnit::Minutes,
            MetricUnit::Days,
            MetricUnit::Hours,
            MetricUnit::Count,
            MetricUnit::Sek,
        ]
        .into_iter()
        .find(|u| u.key() == key)
    }
}

/// What a breakdown groups by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum By {
    /// Profession (of the staff member in the counted contact).
    Profession,
    /// Channel of first contact.
    Channel,
    /// Health centre.
    Unit,
    /// Case-mix category.
    Category,
    /// Age group.
    Age,
    /// Distance band from the patient's home to the unit, km.
    Distance,
    /// Staff activity (telephone, visits, drop-in, e-service, …).
    Activity,
    /// Days from first contact, in the official buckets (`0`, `1`, `2`, `3`, `4-7`, `8+`).
    Days,
    /// Mobile team.
    Team,
    /// Week of first contact, `01`–`52`, counted from the first measured
    /// day (seasonality; several years are pooled).
    Week,
    /// Calendar month of first contact, `01` (January) – `12`.
    Month,
    /// Weekday and hour, `mon-08` … `sun-23`.
    WeekdayHour,
    /// Where a patient was sent from: `triage` or `mobile_team`.
    Source,
}

impl By {
    /// Name in outputs.
    pub const fn key(self) -> &'static str {
        match self {
            By::Profession => "profession",
            By::Channel => "channel",
            By::Unit => "unit",
            By::Category => "category",
            By::Age => "age",
            By::Distance => "distance",
            By::Activity => "activity",
            By::Days => "days",
            By::Team => "team",
            By::Week => "week",
            By::Month => "month",
            By::WeekdayHour => "weekday_hour",
            By::Source => "source",
        }
    }
}

impl By {
    /// The dimension named `key` in outputs (inverse of [`By::key`]).
    pub fn from_key(key: &str) -> Option<By> {
        By::ALL.into_iter().find(|b| b.key() == key)
    }

    /// Every dimension, in the order `summary.json` lists them.
    pub const ALL: [By; 13] = [
        By::Profession,
        By::Channel,
        By::Unit,
        By::Category,
        By::Age,
        By::Distance,
        By::Activity,
        By::Days,
        By::Team,
        By::Week,
        By::Month,
        By::WeekdayHour,
        By::Source,
    ];

    /// The order of this dimension's groups wherever they are listed
    /// (`summary.json`'s breakdown, `replications.csv`, the workbook, the
    /// charts): the hours of a week as a week runs (`mon-00` … `sun-23`),
    /// distance bands nearest first (by their bounds in km: `5-10` before
    /// `10-30`), every other dimension's groups by name (day buckets,
    /// weeks `01`–`52`, months `01`–`12` and age groups are named in their
    /// own order). A group not of its dimension's form comes after those
    /// that are, by name.
    pub fn group_order(self, a: &str, b: &str) -> std::cmp::Ordering {
        let rank = |g: &str| -> Option<(f64, f64)> {
            match self {
                By::WeekdayHour => weekday_hour(g).map(|(d, h)| (d as f64, h as f64)),
                By::Distance => {
                    let (lower, upper) = g.split_once('-')?;
                    Some((lower.parse().ok()?, upper.parse().ok()?))
                }
                _ => None,
            }
        };
        let key = |g: &str| {
            let r = rank(g);
            (r.is_none(), r.unwrap_or((0.0, 0.0)))
        };
        let ((a_none, (a0, a1)), (b_none, (b0, b1))) = (key(a), key(b));
        a_none
            .cmp(&b_none)
            .then(a0.total_cmp(&b0))
            .then(a1.total_cmp(&b1))
            .then_with(|| a.cmp(b))
    }
}

/// Weekday keys of the `weekday_hour` breakdown's groups (`mon-08`),
/// Monday first.
pub const WEEKDAY_KEYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// The weekday (Monday = 0) and hour of a `weekday_hour` group: `mon-08`
/// → (0, 8); `None` for anything else.
pub fn weekday_hour(group: &str) -> Option<(usize, usize)> {
    let (day, hour) = group.split_once('-')?;
    let day = WEEKDAY_KEYS.iter().position(|k| *k == day)?;
    let hour: usize = hour.parse().ok().filter(|h| *h < 24)?;
    Some((day, hour))
}

impl fmt::Display for By {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// A metric a working method writes: its key in the outputs, unit,
/// breakdown dimensions and labels. Each flow of `model::flows` keeps a
/// table of these beside the code that computes them; the report's labels
/// ([`crate::report::lang`]) are read from the tables.
#[derive(Clone, Copy, Debug)]
pub struct MetricDef {
    /// Key in `summary.json` and `replications.csv`.
    pub key: &'static str,
    /// Unit of the values.
    pub unit: MetricUnit,
    /// Breakdown dimensions written besides the overall value.
    pub by: &'static [By],
    /// Label in English.
    pub en: &'static str,
    /// Label in Swedish.
    pub sv: &'static str,
    /// The value may be negative (a difference or a trend): its CI is not
    /// clipped at 0 ([`value_range`]).
    pub signed: bool,
}

/// A family of metrics, one per value a scenario lists (the drop-in's
/// `dropin_wait_over_<n>_min`, one per threshold): the key is `prefix`,
/// the value, `suffix`; the labels hold `{}` where the value goes. Kept in
/// a flow's table like a [`MetricDef`], so its labels live beside its code.
#[derive(Clone, Copy, Debug)]
pub struct MetricFamily {
    /// Key before the value.
    pub prefix: &'static str,
    /// Key after the value.
    pub suffix: &'static str,
    /// Unit of the values.
    pub unit: MetricUnit,
    /// Label in English, `{}` for the value.
    pub en: &'static str,
    /// Label in Swedish, `{}` for the value.
    pub sv: &'static str,
}

impl MetricFamily {
    /// The key of the member for `value`.
    pub fn key(&self, value: impl fmt::Display) -> String {
        format!("{}{value}{}", self.prefix, self.suffix)
    }

    /// The value in `key`, if `key` is a member.
    pub fn value_of<'k>(&self, key: &'k str) -> Option<&'k str> {
        key.strip_prefix(self.prefix)?
            .strip_suffix(self.suffix)
            .filter(|v| !v.is_empty())
    }
}

/// The family metric `key` belongs to, and its value there.
pub fn metric_family(key: &str) -> Option<(&'static MetricFamily, &str)> {
    crate::model::flows::metric_families().find_map(|f| Some((f, f.value_of(key)?)))
}

/// Every metric definition in the flows' tables.
pub fn metric_defs() -> impl Iterator<Item = &'static MetricDef> {
    crate::model::flows::metric_defs()
}

/// The definition of metric `key`, if a flow's table has it.
pub fn metric_def(key: &str) -> Option<&'static MetricDef> {
    metric_defs().find(|d| d.key == key)
}

/// The values metric `key` of `unit` can take, which its CI is clipped
/// to: a share lies in 0–1, a signed metric ([`MetricDef::signed`]) may be
/// anything, every other is at least 0.
pub fn value_range(key: &str, unit: MetricUnit) -> (f64, f64) {
    match unit {
        MetricUnit::Share => (0.0, 1.0),
        _ if metric_def(key).is_some_and(|d| d.signed) => (f64::NEG_INFINITY, f64::INFINITY),
        _ => (0.0, f64::INFINITY),
    }
}

/// One number from one replication: a metric overall (`by == None`) or for
/// one group of a breakdown. `value` is NaN when undefined (e.g. a wait
/// when nobody waited).
#[derive(Clone, Debug, PartialEq)]
pub struct Observation {
    /// Metric key, e.g. `assessment_within_3_days`.
    pub metric: String,
    /// Unit of the value.
    pub unit: MetricUnit,
    /// Breakdown dimension, or `None` for the overall value.
    pub by: Option<By>,
    /// Group name within the breakdown (empty overall).
    pub group: String,
    /// The value.
    pub value: f64,
}

/// All numbers of one replication, in a fixed order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReplicationMetrics {
    /// Overall values and breakdowns.
    pub observations: Vec<Observation>,
    /// Events the engine handled (for speed reports, not a metric).
    pub events: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_weeks_hours_run_monday_to_sunday_and_bands_nearest_first() {
        let mut hours = vec!["sun-23", "fri-00", "mon-10", "mon-09", "tue-00", "odd"];
        hours.sort_by(|a, b| By::WeekdayHour.group_order(a, b));
        assert_eq!(
            hours,
            ["mon-09", "mon-10", "tue-00", "fri-00", "sun-23", "odd"]
        );
        let mut bands = vec!["20-60", "5-20", "0-5", "0-2.5"];
        bands.sort_by(|a, b| By::Distance.group_order(a, b));
        assert_eq!(bands, ["0-2.5", "0-5", "5-20", "20-60"]);
        let mut names = vec!["walk_in", "phone", "eservice"];
        names.sort_by(|a, b| By::Channel.group_order(a, b));
        assert_eq!(names, ["eservice", "phone", "walk_in"]);
        assert_eq!(weekday_hour("sun-23"), Some((6, 23)));
        assert_eq!(weekday_hour("mon-24"), None);
        assert_eq!(By::from_key("weekday_hour"), Some(By::WeekdayHour));
        assert!(By::ALL.iter().all(|b| By::from_key(b.key()) == Some(*b)));
    }
}
