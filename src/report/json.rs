//! `summary.json` (schema version 1).

use std::collections::BTreeMap;

use serde::Serialize;

use super::ReportError;
use super::lang::Lang;
use crate::experiment::RunResults;

/// Version of the output contract; bumped on any incompatible change.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct SummaryFile<'a> {
    schema_version: u32,
    scenario: &'a str,
    seed: u64,
    replications: usize,
    /// Days measured per replication: counts are totals of these days.
    measured_days: u32,
    vardsim_version: &'static str,
    metrics: BTreeMap<&'a str, MetricRow>,
    breakdown: Vec<BreakdownRow<'a>>,
    /// What the results say about their own trustworthiness (the backlog
    /// trend check); absent when there is nothing to say.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    warnings: Vec<String>,
}

#[derive(Serialize)]
struct MetricRow {
    mean: Option<f64>,
    ci95_low: Option<f64>,
    ci95_high: Option<f64>,
    unit: &'static str,
}

#[derive(Serialize)]
struct BreakdownRow<'a> {
    metric: &'a str,
    by: &'static str,
    group: &'a str,
    mean: Option<f64>,
    ci95_low: Option<f64>,
    ci95_high: Option<f64>,
}

/// Undefined values (NaN) become `null`.
fn num(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

/// The `summary.json` text (pretty-printed, keys sorted, ends with a newline).
pub fn summary_json(results: &RunResults) -> Result<String, ReportError> {
    let s = &results.summary;
    let file = SummaryFile {
        schema_version: SCHEMA_VERSION,
        scenario: &results.scenario,
        seed: results.seed,
        replications: results.replications.len(),
        measured_days: results.measured_days,
        vardsim_version: env!("CARGO_PKG_VERSION"),
        metrics: s
            .metrics
            .iter()
            .map(|(k, m)| {
                (
                    k.as_str(),
                    MetricRow {
                        mean: num(m.estimate.mean),
                        ci95_low: num(m.estimate.ci95_low),
                        ci95_high: num(m.estimate.ci95_high),
                        unit: m.unit.key(),
                    },
                )
            })
            .collect(),
        breakdown: s
            .breakdown
            .iter()
            .map(|b| BreakdownRow {
                metric: &b.metric,
                by: b.by.key(),
                group: &b.group,
                mean: num(b.estimate.mean),
                ci95_low: num(b.estimate.ci95_low),
                ci95_high: num(b.estimate.ci95_high),
            })
            .collect(),
        warnings: s
            .warnings(results.measured_days)
            .iter()
            .map(|w| Lang::En.result_warning(w))
            .collect(),
    };
    let mut text =
        serde_json::to_string_pretty(&file).map_err(|e| ReportError::Serialize(e.to_string()))?;
    text.push('\n');
    Ok(text)
}
