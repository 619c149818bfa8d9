//! `vardsim compare` output: a side-by-side table and its JSON form.

use std::collections::BTreeMap;

use serde::Serialize;

use super::table::{aligned, fmt_value};
use super::{ReportError, SCHEMA_VERSION};
use crate::experiment::Comparison;
use crate::metrics::{Estimate, MetricUnit};

/// A difference with its CI, e.g. `-53.2 (-55.0 – -51.4)`; shares in
/// percentage points.
pub(super) fn fmt_diff(e: &Estimate, unit: MetricUnit) -> String {
    let f = |x: f64| match unit {
        MetricUnit::Share if x.is_finite() => format!("{:+.1} pp", x * 100.0),
        _ if x.is_finite() => {
            let v = fmt_value(x, unit);
            if x >= 0.0 { format!("+{v}") } else { v }
        }
        _ => "–".into(),
    };
    if e.ci95_low.is_finite() {
        format!("{} ({} – {})", f(e.mean), f(e.ci95_low), f(e.ci95_high))
    } else {
        f(e.mean)
    }
}

/// A table: one row per metric; the base's mean, then each variant's mean
/// and its paired difference from the base with the 95 % CI.
pub fn comparison_table(c: &Comparison) -> String {
    let mut header = vec!["metric".to_string(), c.scenarios[0].clone()];
    for v in &c.scenarios[1..] {
        header.push(v.clone());
        header.push(format!("Δ {v} (95 % CI)"));
    }
    let mut rows = vec![header];
    for (key, m) in &c.metrics {
        let mut row = vec![key.clone(), fmt_value(m.estimates[0].mean, m.unit)];
        for (e, d) in m.estimates[1..].iter().zip(&m.differences) {
            row.push(fmt_value(e.mean, m.unit));
            row.push(fmt_diff(d, m.unit));
        }
        rows.push(row);
    }
    let mut out = format!(
        "compare {} · {} replications each · seed {} (paired: common random numbers)\n\n",
        c.scenarios.join(" vs "),
        c.replications,
        c.seed
    );
    out.push_str(&aligned(&rows));
    out
}

#[derive(Serialize)]
struct CompareFile<'a> {
    schema_version: u32,
    base: &'a str,
    variants: &'a [String],
    seed: u64,
    replications: usize,
    vardsim_version: &'static str,
    metrics: BTreeMap<&'a str, MetricRow<'a>>,
}

#[derive(Serialize)]
struct MetricRow<'a> {
    unit: &'static str,
    scenarios: BTreeMap<&'a str, Interval>,
    differences: BTreeMap<&'a str, Interval>,
}

#[derive(Serialize)]
struct Interval {
    mean: Option<f64>,
    ci95_low: Option<f64>,
    ci95_high: Option<f64>,
}

impl From<&Estimate> for Interval {
    fn from(e: &Estimate) -> Self {
        let num = |x: f64| x.is_finite().then_some(x);
        Interval {
            mean: num(e.mean),
            ci95_low: num(e.ci95_low),
            ci95_high: num(e.ci95_high),
        }
    }
}

/// The comparison as JSON (see `docs/output.md`).
pub fn comparison_json(c: &Comparison) -> Result<String, ReportError> {
    let file = CompareFile {
        schema_version: SCHEMA_VERSION,
        base: &c.scenarios[0],
        variants: &c.scenarios[1..],
        seed: c.seed,
        replications: c.replications,
        vardsim_version: env!("CARGO_PKG_VERSION"),
        metrics: c
            .metrics
            .iter()
            .map(|(k, m)| {
                (
                    k.as_str(),
                    MetricRow {
                        unit: m.unit.key(),
                        scenarios: c
                            .scenarios
                            .iter()
                            .map(String::as_str)
                            .zip(m.estimates.iter().map(Interval::from))
                            .collect(),
                        differences: c.scenarios[1..]
                            .iter()
                            .map(String::as_str)
                            .zip(m.differences.iter().map(Interval::from))
                            .collect(),
                    },
                )
            })
            .collect(),
    };
    let mut text =
        serde_json::to_string_pretty(&file).map_err(|e| ReportError::Serialize(e.to_string()))?;
    text.push('\n');
    Ok(text)
}
