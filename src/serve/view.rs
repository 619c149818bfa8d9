//! What the page shows of a (partial) paired comparison, in Swedish and
//! English: the headline figures with their paired differences, every
//! metric, the report's charts as SVG and, for a region, the health centres.
//!
//! Built the way a report is: the comparison is written as
//! `comparison.json` text and read back as the report reads it
//! (`ComparisonDoc`), and the charts are those of `compare_document` and
//! `run_document`, so the page and the plan document agree.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::experiment::{self, RunResults};
use crate::metrics::{By, Estimate, mean_ci95};
use crate::report::chart::{BarChart, Chart, Interval, Labels, Series};
use crate::report::input::{Assumptions, AssumptionsFile, ComparisonDoc, SummaryDoc};
use crate::report::{self, Lang, Namer, ReportOptions};
use crate::scenario::Scenario;

/// Mean and 95 % CI as numbers (`null` when undefined).
#[derive(Clone, Copy, Debug, Serialize, PartialEq)]
pub struct Numbers {
    /// Mean.
    pub mean: Option<f64>,
    /// Lower end of the 95 % CI.
    pub lo: Option<f64>,
    /// Upper end.
    pub hi: Option<f64>,
}

impl From<&report::input::Estimate> for Numbers {
    fn from(e: &report::input::Estimate) -> Self {
        Numbers {
            mean: e.mean,
            lo: e.ci95_low,
            hi: e.ci95_high,
        }
    }
}

fn doc_estimate(e: &Estimate) -> report::input::Estimate {
    let f = |x: f64| x.is_finite().then_some(x);
    report::input::Estimate {
        mean: f(e.mean),
        ci95_low: f(e.ci95_low),
        ci95_high: f(e.ci95_high),
    }
}

/// One metric of the table.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Row {
    /// Metric key.
    pub key: String,
    /// Label in the view's language.
    pub label: String,
    /// Unit key (`share`, `days`, `sek`, …).
    pub unit: String,
    /// The unchanged scenario: value and CI as text.
    pub base: [String; 2],
    /// The changed scenario: value and CI as text.
    pub variant: [String; 2],
    /// The paired difference with its CI, as text.
    pub diff: String,
    /// The same as numbers: base, variant, difference.
    pub numbers: [Numbers; 3],
}

/// A chart: its file stem in the report, title and SVG text.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ChartSvg {
    /// Stem (`compliance`, `utilisation`, …).
    pub stem: String,
    /// Title.
    pub title: String,
    /// The SVG document.
    pub svg: String,
}

/// The view in one language.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct View {
    /// The figures a planning group asks about first: the guarantee rules
    /// ("0", "3", the old 7-day rule), days to assessment, utilisation by
    /// profession, staff cost.
    pub headline: Vec<Row>,
    /// Every overall metric.
    pub all: Vec<Row>,
    /// Charts.
    pub charts: Vec<ChartSvg>,
    /// A region: the "3" rule per health centre (empty for one unit).
    pub units: Vec<Row>,
    /// Column names: the unchanged and the changed scenario.
    pub columns: [String; 2],
    /// What the tables' figures need read with them: when the change
    /// moved the horizon or the warm-up, the two columns measured periods
    /// of different lengths and their counts are each period's totals,
    /// not per year (the compare report says the same).
    pub notes: Vec<String>,
}

/// The metric rows of `doc` for `keys`, in `lang`, written as the report's
/// comparison table writes them (`report::compare_document`): the label
/// with its unit, totals of the measured period per year (labelled so),
/// and one row's counts all whole or all with decimals.
fn rows(
    doc: &ComparisonDoc,
    keys: &[String],
    namer: &Namer,
    year: &Option<(f64, String)>,
) -> Vec<Row> {
    let lang = namer.lang;
    let v = &doc.variants[0];
    keys.iter()
        .filter_map(|k| {
            let m = doc.metrics.get(k)?;
            let (label, f) = report::table_label(lang, namer, k, &m.unit, year);
            let scaled = |e: Option<&report::input::Estimate>| {
                report::scaled(e.copied().unwrap_or_default(), f)
            };
            let base = scaled(m.scenarios.get(&doc.base));
            let var = scaled(m.scenarios.get(v));
            let diff = scaled(m.differences.get(v));
            let all: Vec<f64> = [&base, &var, &diff]
                .iter()
                .flat_map(|e| [e.mean, e.ci95_low, e.ci95_high])
                .map(|x| x.unwrap_or(f64::NAN))
                .collect();
            let w = report::whole(&all);
            let value = |e: &report::input::Estimate| {
                [
                    lang.value_as(e.mean.unwrap_or(f64::NAN), &m.unit, w),
                    report::ci_text_as(lang, e, &m.unit, w),
                ]
            };
            Some(Row {
                key: k.clone(),
                label,
                unit: m.unit.clone(),
                base: value(&base),
                variant: value(&var),
                diff: report::diff_text_as(lang, &diff, &m.unit, w),
                numbers: [(&base).into(), (&var).into(), (&diff).into()],
            })
        })
        .collect()
}

/// The headline keys of `scenario` that `doc` has, in the page's order.
fn headline_keys(scenario: &Scenario, doc: &ComparisonDoc) -> Vec<String> {
    let mut rules: Vec<_> = scenario.rules.iter().collect();
    rules.sort_by_key(|r| r.deadline_days);
    let mut keys: Vec<String> = rules.iter().map(|r| r.key.clone()).collect();
    keys.push("days_to_assessment_mean".into());
    let mut util: Vec<&String> = doc
        .metrics
        .keys()
        .filter(|k| k.starts_with("utilization_"))
        .collect();
    util.sort_by_key(|k| Lang::profession_rank(&k["utilization_".len()..]));
    keys.extend(util.into_iter().cloned());
    keys.push("staff_cost_sek_per_year".into());
    keys.retain(|k| doc.metrics.contains_key(k));
    keys
}

/// Inputs of a view.
pub struct Pair<'a> {
    /// The unchanged scenario and its finished replications.
    pub base: (&'a Scenario, &'a RunResults),
    /// The changed scenario and the same replications of it.
    pub variant: (&'a Scenario, &'a RunResults),
}

/// The comparison of the pair as the report reads it.
pub fn comparison_doc(pair: &Pair) -> Result<ComparisonDoc, report::ReportError> {
    let comparison = experiment::compare(&[pair.base.1.clone(), pair.variant.1.clone()]);
    let json = report::comparison_json(&comparison)?;
    serde_json::from_str(&json).map_err(|e| report::ReportError::Serialize(e.to_string()))
}

/// The view of `pair` in Swedish and English (keys `sv`, `en`).
pub fn views(pair: &Pair) -> Result<BTreeMap<&'static str, View>, report::ReportError> {
    let doc = comparison_doc(pair)?;
    let summary: SummaryDoc = serde_json::from_str(&report::summary_json(pair.variant.1)?)
        .map_err(|e| report::ReportError::Serialize(e.to_string()))?;
    let assumptions = |s: &Scenario| AssumptionsFile {
        schema_version: report::SCHEMA_VERSION,
        command: String::new(),
        scenarios: vec![Assumptions::of(s)],
        lang: None,
    };
    let (base_a, var_a) = (assumptions(pair.base.0), assumptions(pair.variant.0));
    // Both scenarios, for the measured days and the labels of the tables.
    let both = AssumptionsFile {
        scenarios: vec![
            Assumptions::of(pair.base.0),
            Assumptions::of(pair.variant.0),
        ],
        ..assumptions(pair.base.0)
    };
    let mut out = BTreeMap::new();
    for lang in [Lang::Sv, Lang::En] {
        let opts = ReportOptions { lang, target: None };
        let scenario = pair.base.0;
        let namer = Namer {
            lang,
            assumptions: Some(&both),
        };
        let year = report::per_year(lang, Some(&both));
        let headline = rows(&doc, &headline_keys(scenario, &doc), &namer, &year);
        let all = rows(
            &doc,
            &doc.metrics.keys().cloned().collect::<Vec<_>>(),
            &namer,
            &year,
        );
        let mut charts = Vec::new();
        let compare = report::compare_document(&doc, Some(&base_a), &opts);
        let run = report::run_document(&summary, Some(&var_a), &opts);
        let wanted = ["days_to_assessment", "utilisation"];
        let picked = compare
            .charts()
            .chain(run.charts().filter(|(stem, _)| wanted.contains(stem)));
        for (stem, chart) in picked {
            charts.push(ChartSvg {
                stem: stem.to_string(),
                title: chart.title().to_string(),
                svg: chart.svg(lang)?,
            });
        }
        let (units, unit_chart) = unit_rows(pair, &namer);
        if let Some(c) = unit_chart {
            charts.push(ChartSvg {
                stem: "units".into(),
                title: c.title().to_string(),
                svg: c.svg(lang)?,
            });
        }
        out.insert(
            lang.key(),
            View {
                headline,
                all,
                charts,
                units,
                columns: [doc.base.clone(), doc.variants[0].clone()],
                notes: report::periods_note(lang, Some(&both))
                    .into_iter()
                    .collect(),
            },
        );
    }
    Ok(out)
}

/// The rule the per-unit table shows: the "3" rule, else the first.
fn unit_rule(scenario: &Scenario) -> Option<&str> {
    scenario
        .rules
        .iter()
        .find(|r| r.key == "assessment_within_3_days")
        .or(scenario.rules.first())
        .map(|r| r.key.as_str())
}

/// A health centre's share of `rule` over replications `xs`, its CI kept
/// within 0–100 % as the summary's are: over two replications a Student-t
/// interval reached 130,8 % on the page.
fn share_estimate(rule: &str, xs: Vec<f64>) -> Estimate {
    mean_ci95(xs).clipped(crate::metrics::value_range(
        rule,
        crate::metrics::MetricUnit::Share,
    ))
}

/// Per health centre (when there is more than one): the unit rule for both
/// scenarios and their paired difference, and a bar chart of it.
fn unit_rows(pair: &Pair, namer: &Namer) -> (Vec<Row>, Option<Chart>) {
    let lang = namer.lang;
    let (scenario, base) = pair.base;
    let variant = pair.variant.1;
    let Some(rule) = unit_rule(scenario) else {
        return (Vec::new(), None);
    };
    if scenario.units.len() < 2 {
        return (Vec::new(), None);
    }
    let values = |r: &RunResults, unit: &str| -> Vec<f64> {
        r.replications
            .iter()
            .map(|rep| {
                rep.observations
                    .iter()
                    .find(|o| o.metric == rule && o.by == Some(By::Unit) && o.group == unit)
                    .map_or(f64::NAN, |o| o.value)
            })
            .collect()
    };
    let mut units: Vec<(&str, &str)> = scenario
        .units
        .iter()
        .map(|u| (u.name.as_str(), u.key.as_str()))
        .collect();
    units.sort();
    let mut rows = Vec::new();
    let mut series = [Vec::new(), Vec::new()];
    for (name, key) in &units {
        let (b, v) = (values(base, key), values(variant, key));
        let d = mean_ci95(v.iter().zip(&b).map(|(x, y)| x - y));
        let (b, v) = (share_estimate(rule, b), share_estimate(rule, v));
        let text = |e: &Estimate| {
            let e = doc_estimate(e);
            [
                lang.value(e.mean.unwrap_or(f64::NAN), "share"),
                report::ci_text(lang, &e, "share"),
            ]
        };
        series[0].push(interval(&b));
        series[1].push(interval(&v));
        rows.push(Row {
            key: key.to_string(),
            label: name.to_string(),
            unit: "share".into(),
            base: text(&b),
            variant: text(&v),
            diff: report::diff_text(lang, &doc_estimate(&d), "share"),
            numbers: [
                (&doc_estimate(&b)).into(),
                (&doc_estimate(&v)).into(),
                (&doc_estimate(&d)).into(),
            ],
        });
    }
    let [s0, s1] = series;
    let chart = Chart::Bars(BarChart {
        labels: Labels {
            title: format!(
                "{} {}",
                namer.rule(rule),
                lang.pick("per health centre", "per vårdcentral")
            ),
            x: lang.pick("Health centre", "Vårdcentral").into(),
            y: lang.pick("Share (%)", "Andel (%)").into(),
        },
        categories: units.iter().map(|(n, _)| n.to_string()).collect(),
        series: vec![
            Series {
                name: base.scenario.clone(),
                values: s0,
            },
            Series {
                name: variant.scenario.clone(),
                values: s1,
            },
        ],
        percent: true,
        target: None,
    });
    (rows, Some(chart))
}

fn interval(e: &Estimate) -> Interval {
    Interval {
        mean: e.mean,
        lo: e.ci95_low,
        hi: e.ci95_high,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_units_share_keeps_its_interval_within_0_to_100_percent() {
        let xs = vec![0.5, 1.0];
        // Unclipped, two replications reach far past 100 %.
        assert!(mean_ci95(xs.clone()).ci95_high > 1.0);
        let e = share_estimate("assessment_within_3_days", xs);
        assert_eq!(e.mean, 0.75);
        assert_eq!(e.ci95_high, 1.0);
        assert_eq!(e.ci95_low, 0.0);
    }
}
